"""The shared repository's hook meets names and contents no editor makes: each push is refused with one line naming
what it met (escaped) and what to do, never a traceback showing the server's paths."""

from __future__ import annotations

import os
import subprocess

import pytest

from cicatext.store.negotiation.branches import start_delegation
from tests.trust.conftest import git

POSITIONS = b"positions/IND/"


def commit_entries(clone, entries: list[tuple[str, bytes, bytes]], message: str = "odd entries") -> str:
    """Commit on the clone's current branch what an editor cannot write: (mode, path as bytes, content or, for a
    submodule, the commit id) entries added to the index with git's plumbing; returns the commit."""
    lines = b""
    for mode, path, content in entries:
        if mode == "160000":
            oid = content
        else:
            oid = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=clone.root, input=content,
                                 capture_output=True, check=True).stdout.strip()
        lines += mode.encode() + b" " + oid + b"\t" + path + b"\0"
    subprocess.run(["git", "update-index", "-z", "--index-info"], cwd=clone.root, input=lines, check=True)
    git(clone.root, "commit", "-q", "-m", message)
    return clone.head()


def push_bytes(clone, refspec: bytes) -> subprocess.CompletedProcess:
    """`git push` of a refspec that may hold any bytes; stderr as text with the bytes that are not UTF-8 escaped."""
    process = subprocess.run([b"git", b"push", b"--porcelain", b"origin", refspec], cwd=clone.root, check=False,
                             capture_output=True)
    return subprocess.CompletedProcess(process.args, process.returncode, process.stdout.decode("utf-8", "replace"),
                                       process.stderr.decode("utf-8", "backslashreplace"))


def one_refusal(world, process, *words: str) -> str:
    """Assert the push was refused with exactly one line from cicatext holding `words`, no traceback and no path of
    the server; returns the line."""
    assert process.returncode != 0, process.stderr
    lines = [line.removeprefix("remote: ").rstrip() for line in process.stderr.splitlines()]
    said = [line for line in lines if line.startswith("cicatext:")]
    assert len(said) == 1, process.stderr
    assert "Traceback" not in process.stderr and str(world.tmp) not in process.stderr.replace(
        f"file://{world.bare}", ""), process.stderr
    for word in words:
        assert word in said[0], said[0]
    return said[0]


@pytest.fixture
def india(world):
    clone = world.clone("india", "IND")
    start_delegation(clone, "IND")
    return clone


@pytest.mark.parametrize("folder", [b"positions/CHN/", POSITIONS], ids=["another-delegation", "own-folder"])
def test_a_file_name_that_is_not_utf8_is_refused(world, india, folder):
    """`positions/CHN/\\xff\\xfe.yaml` is named with its bytes escaped, and the push is told to rename it."""
    commit = commit_entries(india, [("100644", folder + b"\xff\xfe.yaml", b"delegation: IND\n")])
    line = one_refusal(world, push_bytes(india, b"delegations/IND"),
                       "refused delegations/IND", folder.decode() + r"\xff\xfe.yaml", "is not UTF-8", "rename")
    assert "\\udc" not in line
    assert not world.on_server(commit)


def test_a_file_name_that_is_not_utf8_is_refused_on_main(world):
    """The Secretariat's own push to main is held to the same rule."""
    secretariat = world.secretariat
    commit = commit_entries(secretariat, [("100644", b"notes/\xe9t\xe9.yaml", b"number: SWG/1\n")])
    one_refusal(world, push_bytes(secretariat, b"main"), "refused main", r"notes/\xe9t\xe9.yaml", "is not UTF-8")
    assert not world.on_server(commit)


@pytest.mark.parametrize("name", [b"a\nb.yaml", b"tab\there.yaml", b"bell\x07.yaml"],
                         ids=["newline", "tab", "control"])
def test_a_file_name_holding_a_control_character_is_refused(world, india, name):
    """A name with a line break (which would shift every later answer of git's batch reader) or another control
    character is refused, named with escapes; the position set beside it cannot slip through unread."""
    commit = commit_entries(india, [("100644", POSITIONS + name, b"delegation: IND\n"),
                                    ("100644", POSITIONS + b"z.yaml", b"delegation: IND\n")])
    shown = repr(name.decode())[1:-1]
    one_refusal(world, push_bytes(india, b"delegations/IND"), "positions/IND/" + shown, "control character",
                "rename")
    assert not world.on_server(commit)


def test_a_file_name_too_long_for_the_server_is_refused(world, india):
    """A name longer than a file system takes is refused, not failed on while the tree is written out."""
    name = POSITIONS + b"x" * 300 + b".yaml"
    commit = commit_entries(india, [("100644", name, b"delegation: IND\n")])
    one_refusal(world, push_bytes(india, b"delegations/IND"), "positions/IND/xxx", "too long", "shorter name")
    assert not world.on_server(commit)


def test_a_branch_name_that_is_not_utf8_is_refused(world, india):
    """A ref named with bytes that are not UTF-8 is refused with those bytes escaped."""
    commit_entries(india, [("100644", POSITIONS + b"mc-2023-draft-5.yaml", b"delegation: IND\n")])
    line = one_refusal(world, push_bytes(india, b"delegations/IND:refs/heads/delegations/\xff\xfe"),
                       r"delegations/\xff\xfe", "not UTF-8")
    assert "\\udc" not in line


def test_a_branch_name_that_is_not_utf8_is_refused_when_input_is_read_strictly(world, india, monkeypatch):
    """Where the server makes Python read standard input strictly as UTF-8 (a locale such as en_US.UTF-8, here
    PYTHONIOENCODING), the hook still reads the name and refuses it."""
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8:strict")
    commit_entries(india, [("100644", POSITIONS + b"mc-2023-draft-5.yaml", b"delegation: IND\n")])
    one_refusal(world, push_bytes(india, b"delegations/IND:refs/heads/delegations/\xff\xfe"),
                r"delegations/\xff\xfe", "not UTF-8")


def test_a_tag_name_that_is_not_utf8_is_refused(world):
    """The same for a round tag."""
    secretariat = world.secretariat
    process = subprocess.run([b"git", b"tag", b"-s", b"-m", b"round", b"round/mc-2023-draft-5/\xff", b"main"],
                             cwd=secretariat.root, capture_output=True, check=False)
    assert process.returncode == 0, process.stderr
    one_refusal(world, push_bytes(secretariat, b"round/mc-2023-draft-5/\xff"), r"round/mc-2023-draft-5/\xff",
                "not UTF-8")


def test_a_position_set_that_is_not_utf8_is_refused(world, india):
    """A position set whose bytes are not UTF-8 is refused with its name, not read as something else."""
    path = b"positions/IND/mc-2023-draft-5.yaml"
    commit = commit_entries(india, [("100644", path, b"delegation: IND\nnote: caf\xe9 \xff\n")])
    one_refusal(world, push_bytes(india, b"delegations/IND"), path.decode(), "UTF-8")
    assert not world.on_server(commit)


def test_a_document_text_that_is_not_utf8_is_refused_on_main(world):
    """The Secretariat's text with bytes that are not UTF-8 is refused with the file named."""
    secretariat = world.secretariat
    text = b"documents/mc-2023-draft-5/en.txt"
    content = subprocess.run(["git", "show", f"main:{text.decode()}"], cwd=secretariat.root, capture_output=True,
                             check=True).stdout
    commit = commit_entries(secretariat, [("100644", text, content + b"\n\n99. Caf\xe9 \xff\n")])
    one_refusal(world, push_bytes(secretariat, b"main"), text.decode(), "UTF-8")
    assert not world.on_server(commit)


@pytest.mark.parametrize("mode,what", [("120000", "symbolic link"), ("160000", "submodule")])
def test_a_symbolic_link_or_submodule_is_refused(world, india, mode, what):
    """A symbolic link (which could point out of the scratch folder the tree is checked in) or a submodule is
    refused with its name; the repository holds plain files only."""
    content = b"/etc/passwd" if mode == "120000" else india.head().encode()
    commit = commit_entries(india, [(mode, POSITIONS + b"mc-2023-draft-5.yaml", content)])
    one_refusal(world, push_bytes(india, b"delegations/IND"), "positions/IND/mc-2023-draft-5.yaml", what,
                "plain files")
    assert not world.on_server(commit)


def test_a_well_formed_position_set_is_still_taken(world, india):
    """The checks above leave an ordinary proposal alone."""
    from cicatext.store.negotiation.propose import propose
    from tests.trust.conftest import SYMBOL, edit

    edit(india, "Improve the measures taken", "Improve the steps taken")
    commit = propose(india, SYMBOL).commit
    process = push_bytes(india, b"delegations/IND")
    assert process.returncode == 0, process.stderr
    assert world.on_server(commit)
    assert os.environ.get("GIT_DIR") is None
