"""One module starts git (`cicatext.store.git`): what it runs, what a failure becomes, and that nothing else runs git."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cicatext
from cicatext.errors import CicatextError, RepositoryError
from cicatext.store.git import (
    LEFT_AS_IT_WAS,
    identity_env,
    read_objects,
    read_texts,
    resolve,
    run_git,
    start_reading_objects,
)

PACKAGE = Path(cicatext.__file__).parent
GATEWAY = "store/git.py"

OTHER_PROGRAMS = {
    "store/trust/keys.py": "ssh-keygen -y, the public half of a signing key",
    "store/trust/confidential.py": "ssh-keygen -Y sign, a delegation's consent",
    "store/trust/verify.py": "ssh-keygen -Y verify, a commit's signature",
    "store/background.py": "python -m ..., the processes that outlive their command: the search index's builder, "
                           "the file watcher of a large repository and the warm process",
    "tui/app.py": "$EDITOR, opened on a document",
}
"""The modules that start a program other than git, and which."""

STARTERS = {"system", "popen", "posix_spawn", "posix_spawnp", "execv", "execve", "execvp", "execvpe", "execl",
            "execle", "execlp", "execlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe", "spawnl", "spawnle",
            "spawnlp", "spawnlpe", "create_subprocess_exec", "create_subprocess_shell"}
"""What `os` and `asyncio` call to start a program without `subprocess`."""


def modules() -> dict[str, ast.Module]:
    return {path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"), str(path))
            for path in sorted(PACKAGE.rglob("*.py"))}


def run_time_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:`, which never run."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (inner for statement in node.orelse for inner in [statement, *run_time_nodes(statement)])
            continue
        yield node
        yield from run_time_nodes(node)


def imported(tree: ast.AST) -> set[str]:
    """The top-level names of the modules a module imports when it runs."""
    names = set()
    for node in run_time_nodes(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.fixture
def repo(tmp_path) -> Path:
    """A plain git repository with one commit holding `a.txt`."""
    root = tmp_path / "plain"
    root.mkdir()
    run_git(root, "init", "--quiet", "--initial-branch=main")
    (root / "a.txt").write_text("first\n", encoding="utf-8")
    run_git(root, "add", "a.txt")
    run_git(root, "commit", "--quiet", "-m", "First")
    return root


def test_only_the_gateway_imports_subprocess_or_gitpython():
    """No module but `cicatext.store.git` imports GitPython, and only it and the few that start other programs
    import `subprocess`."""
    found = modules()
    assert GATEWAY in found and set(OTHER_PROGRAMS) <= set(found)
    starting = {name for name, tree in found.items() if "subprocess" in imported(tree)}
    assert starting - {GATEWAY} == set(OTHER_PROGRAMS)
    assert {name for name, tree in found.items() if "git" in imported(tree)} <= {GATEWAY}


def test_no_module_starts_a_program_through_os_or_asyncio():
    """`os.system`, `os.popen`, the exec and spawn families and asyncio's subprocesses are used nowhere."""
    for name, tree in modules().items():
        used = {node.attr for node in run_time_nodes(tree) if isinstance(node, ast.Attribute)} & STARTERS
        assert not used, f"{name} starts a program with {used}"


@pytest.mark.parametrize("name", sorted(OTHER_PROGRAMS))
def test_the_modules_that_start_other_programs_never_start_git(name):
    """Where `subprocess` is allowed, a program is started, and no call is given an argument list beginning
    with "git"."""
    calls = [node for node in run_time_nodes(modules()[name]) if isinstance(node, ast.Call)]
    assert any(isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) == "subprocess"
               for call in calls), f"{name} starts no program: take it off the list"
    for call in calls:
        program = call.args[0] if call.args else None
        assert not (isinstance(program, (ast.List, ast.Tuple)) and program.elts
                    and isinstance(program.elts[0], ast.Constant) and program.elts[0].value == "git"), \
            f"{name}:{call.lineno} runs git itself"


def test_a_failed_git_command_becomes_a_repository_error_with_gits_words_and_a_hint(repo):
    """git's last line of complaint is the message; the hint says what to do, or is the caller's own."""
    with pytest.raises(RepositoryError) as failed:
        run_git(repo, "checkout", "--quiet", "no-such-branch")
    assert isinstance(failed.value, CicatextError)
    assert failed.value.message.startswith("git checkout failed: ")
    assert "no-such-branch" in failed.value.message
    assert failed.value.hint == LEFT_AS_IT_WAS
    with pytest.raises(RepositoryError) as quiet:
        run_git(repo, "checkout", "--quiet", "no-such-branch", hint=None)
    assert quiet.value.hint is None
    assert run_git(repo, "checkout", "--quiet", "no-such-branch", check=False).returncode != 0


def test_git_that_cannot_commit_for_want_of_a_name_says_so(repo):
    """Without a name and e-mail, the error names the two settings to make instead of git's own paragraph."""
    (repo / "a.txt").write_text("second\n", encoding="utf-8")
    nobody = {name: None for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                                      "GIT_COMMITTER_EMAIL", "EMAIL")}
    nobody.update(HOME=str(repo.parent), XDG_CONFIG_HOME=str(repo.parent), GIT_CONFIG_COUNT="1",
                  GIT_CONFIG_KEY_0="user.useConfigOnly", GIT_CONFIG_VALUE_0="true")
    with pytest.raises(RepositoryError) as failed:
        run_git(repo, "commit", "--quiet", "-am", "Second", env=nobody)
    assert failed.value.message == "git does not know who you are, so it cannot commit"
    assert "git config --global user.email" in failed.value.hint


def test_no_git_on_the_path_is_said_plainly(repo, tmp_path, monkeypatch):
    """When there is no git to start, the error says to install it, for a command and for the batch reader."""
    monkeypatch.setenv("PATH", str(tmp_path))
    for attempt in (lambda: run_git(repo, "status"), lambda: read_objects(repo, ["HEAD"]),
                    lambda: resolve(repo, "HEAD"), lambda: start_reading_objects(repo, ["HEAD"])()):
        with pytest.raises(RepositoryError) as missing:
            attempt()
        assert missing.value.message == "git is not installed"
        assert missing.value.hint == "install git and run the command again"


def test_environment_is_added_to_this_process_and_none_leaves_a_variable_out(repo, monkeypatch):
    """`env` sets variables on top of the process's own; a variable given as None is not passed to git."""
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "cicatext.probe")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "here")
    assert run_git(repo, "config", "--get", "cicatext.probe").stdout == "here\n"
    assert run_git(repo, "config", "--get", "cicatext.probe", env={"GIT_CONFIG_VALUE_0": "there"}).stdout == "there\n"
    left_out = run_git(repo, "config", "--get", "cicatext.probe", env={"GIT_CONFIG_COUNT": None}, check=False)
    assert (left_out.returncode, left_out.stdout) == (1, "")


def test_identity_env_sets_author_and_committer(repo):
    """A commit made with `identity_env` records that name, e-mail and date as author and as committer."""
    (repo / "b.txt").write_text("b\n", encoding="utf-8")
    run_git(repo, "add", "b.txt")
    run_git(repo, "commit", "--quiet", "-m", "Second",
            env=identity_env(("Chair", "chair@cicatext.invalid"), "2023-06-14T10:00:00+00:00"))
    said = run_git(repo, "log", "-1", "--format=%an <%ae> %aI|%cn <%ce> %cI").stdout.strip()
    assert said == ("Chair <chair@cicatext.invalid> 2023-06-14T10:00:00+00:00|"
                    "Chair <chair@cicatext.invalid> 2023-06-14T10:00:00+00:00")
    assert identity_env(None, None) == {}


def test_resolve_names_the_commit_of_a_ref_or_none(repo):
    """A branch, HEAD and an annotated tag resolve to their commit; a missing ref, or a tree, to None."""
    head = run_git(repo, "rev-parse", "HEAD").stdout.strip()
    run_git(repo, "tag", "-a", "-m", "Round 1", "round/test/1")
    assert resolve(repo, "HEAD") == resolve(repo, "main") == resolve(repo, "refs/heads/main") == head
    assert resolve(repo, "round/test/1") == head
    assert resolve(repo, "no-such-branch") is None
    assert resolve(repo, "main~1") is None
    assert resolve(repo, "HEAD^{tree}") is None


def test_resolve_in_a_repository_with_no_commits_is_none(tmp_path):
    """A repository just made has no HEAD commit yet."""
    run_git(tmp_path, "init", "--quiet")
    assert resolve(tmp_path, "HEAD") is None


def test_the_batch_reader_reads_every_object_in_one_call_in_order(repo):
    """Objects, `rev:path` specs and missing ones come back in the order asked, None for those git lacks."""
    head = resolve(repo, "HEAD")
    (repo / "bytes.bin").write_bytes(b"\x00\xff\n\n")
    run_git(repo, "add", "bytes.bin")
    run_git(repo, "commit", "--quiet", "-m", "Bytes")
    found = read_objects(repo, [f"{head}:a.txt", "HEAD:missing.txt", "HEAD:bytes.bin", head, "HEAD^{tree}"])
    assert found[0] == ("blob", b"first\n")
    assert found[1] is None
    assert found[2] == ("blob", b"\x00\xff\n\n")
    assert found[3][0] == "commit" and found[3][1].startswith(b"tree ")
    assert found[4][0] == "tree"
    assert read_objects(repo, []) == []


def test_the_batch_reader_begun_gives_what_it_gives_at_once(repo):
    """`start_reading_objects` leaves git reading while the caller goes on; called, what it returns gives what
    `read_objects` does: answers larger than a pipe holds, more requests than one holds, None for a missing
    object and for a spec holding a line break (never sent, so it cannot shift the answers after it)."""
    (repo / "big.txt").write_bytes(b"words " * 50_000)
    run_git(repo, "add", "big.txt")
    run_git(repo, "commit", "--quiet", "-m", "Big")
    specs = ["HEAD:big.txt", "HEAD:a.txt\nHEAD:big.txt", "HEAD:missing.txt", *["HEAD:a.txt"] * 5000,
             "HEAD^{tree}", "HEAD:big.txt"]
    waiting = start_reading_objects(repo, specs)
    found = waiting()
    assert found == read_objects(repo, specs)
    assert found[0] == found[-1] == ("blob", b"words " * 50_000)
    assert found[1] is None and found[2] is None
    assert found[3] == found[5002] == ("blob", b"first\n")
    assert found[-2][0] == "tree"
    assert start_reading_objects(repo, [])() == []



def test_texts_at_commits_are_read_leniently_and_only_from_files(repo):
    """`read_texts` gives each file's text, U+FFFD for bytes that are not UTF-8, None for a missing path or a folder."""
    (repo / "sub").mkdir()
    (repo / "sub" / "latin.txt").write_bytes(b"caf\xe9\n")
    run_git(repo, "add", "sub")
    run_git(repo, "commit", "--quiet", "-m", "Latin-1")
    assert read_texts(repo, ["HEAD:a.txt", "HEAD:sub/latin.txt", "HEAD:missing.txt", "HEAD:sub"]) == [
        "first\n", "caf\ufffd\n", None, None]
    assert read_texts(repo, []) == []

def test_the_batch_reader_outside_a_repository_fails_as_git_says(tmp_path, monkeypatch):
    """Asked outside any repository, the reader raises RepositoryError with git's words and no hint."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    outside = tmp_path / "nowhere"
    outside.mkdir()
    for attempt in (lambda: read_objects(outside, ["HEAD"]), start_reading_objects(outside, ["HEAD"] * 20_000)):
        with pytest.raises(RepositoryError) as failed:
            attempt()
        assert failed.value.message.startswith("git cat-file failed: ")
        assert "not a git repository" in failed.value.message
        assert failed.value.hint is None


def test_paths_are_taken_as_written_not_as_patterns(tmp_path):
    """A path handed to git names that file alone: `a[1].txt` is not a glob matching `a1.txt`, and `:notes/x` is not
    pathspec magic."""
    import subprocess

    from cicatext.store.git import run_git

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for name in ("a[1].txt", "a1.txt", ":notes/x.txt", "notes/x.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    assert run_git(tmp_path, "ls-files", "--others", "--", "a[1].txt").stdout.split() == ["a[1].txt"]
    assert run_git(tmp_path, "ls-files", "--others", "--", ":notes/").stdout.split() == [":notes/x.txt"]
