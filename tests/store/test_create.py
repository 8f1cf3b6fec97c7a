"""`cicatext init` and `cicatext import` on real git repositories."""

import subprocess

import pytest

from cicatext.cli.main import main
from cicatext.errors import RepositoryError, UsageError
from cicatext.store.register.create import import_text, init_repository
from cicatext.store.repository import Repository


def _log(path):
    return subprocess.run(["git", "log", "--format=%s"], cwd=path, capture_output=True, text=True).stdout.split("\n")


def test_init_copies_the_template_and_commits(tmp_path):
    """init makes a git repository on main with the registry and one commit."""
    repo = init_repository(tmp_path / "new")
    assert (repo.root / "cicatext.yaml").is_file()
    assert len(list((repo.root / "registry" / "states").glob("*.yaml"))) == 28
    assert repo.current_branch() == "main"
    assert _log(repo.root)[0] == "Create the cicatext repository"
    assert {"IRAN", "CHN", "IND", "AZER", "TUR", "SEC"} <= repo.codes
    assert repo.dirty_paths() == []


def test_init_refuses_a_non_empty_folder(tmp_path):
    """A folder with other files in it is refused and left untouched."""
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    with pytest.raises(UsageError):
        init_repository(folder)
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]


def test_init_on_an_existing_repository_says_so(new_repo):
    """init on a cicatext repository refuses and changes nothing."""
    with pytest.raises(RepositoryError, match="already a cicatext repository"):
        init_repository(new_repo.root)


def test_init_command_prints_where(tmp_path, capsys):
    """The command line reports the new repository."""
    assert main(["init", str(tmp_path / "cli")]) == 0
    assert "Created a cicatext repository" in capsys.readouterr().out


def test_what_the_system_refuses_is_said_without_a_traceback(tmp_path, capsys):
    """A path the filesystem refuses (a name of 300 letters) is one message naming it, and exit 1."""
    code = main(["init", str(tmp_path / ("x" * 300))])
    err = capsys.readouterr().err
    assert code == 1
    assert "File name too long" in err and "x" * 300 in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_import_writes_record_and_text_and_commits(new_repo):
    """import splits paragraphs, gives ids, writes document.yaml and en.txt in one commit."""
    text = "The Council,\n\n1. Decides [to act] (+IND) (-CHN);\n\n2. Requests more. 3. Ends.\n"
    result = import_text(new_repo, text, symbol="MC/2024/DRAFT/1", title="Test", kind="decision")
    assert result.slug == "mc-2024-draft-1" and result.paragraphs == 4
    assert [w.message for w in result.warnings] == ["paragraph 3. was run onto the previous paragraph; split it into its own"]
    stored = new_repo.read_text("documents/mc-2024-draft-1/en.txt")
    assert stored == "{#pp1} The Council,\n\n{#op1} 1. Decides [to act] (+IND) (-CHN);\n\n{#op2} 2. Requests more.\n\n{#op3} 3. Ends.\n"
    record = new_repo.load("documents/mc-2024-draft-1/document.yaml")
    assert record["symbol"] == "MC/2024/DRAFT/1" and record["revisions"] == [{"rev": 0, "symbol": "MC/2024/DRAFT/1"}]
    assert _log(new_repo.root)[0].startswith("Import MC/2024/DRAFT/1")
    assert new_repo.dirty_paths() == []


def test_import_takes_broken_notation_and_records_it(new_repo):
    """An unbalanced bracket or an unknown code does not stop the import: each is a known problem of the revision."""
    result = import_text(new_repo, "1. Decides [to act;\n\n2. Notes [it] (+ZZZ).\n", symbol="MC/2024/DRAFT/1", title="T")
    assert [(p.line, p.column, p.message) for p in result.problems] == [
        (1, 19, "'[' is never closed"), (3, 24, "unknown delegation code 'ZZZ'")]
    assert result.problems[0].file == "documents/mc-2024-draft-1/en.txt"
    record = new_repo.load("documents/mc-2024-draft-1/document.yaml")
    assert record["revisions"][0]["known_problems"] == [
        {"language": "en", "line": 1, "column": 19, "message": "'[' is never closed",
         "excerpt": "{#op1} 1. Decides [to act;"},
        {"language": "en", "line": 3, "column": 24, "message": "unknown delegation code 'ZZZ'",
         "excerpt": "{#op2} 2. Notes [it] (+ZZZ)."},
    ]
    assert new_repo.read_text("documents/mc-2024-draft-1/en.txt") == (
        "{#op1} 1. Decides [to act;\n\n{#op2} 2. Notes [it] (+ZZZ).\n")
    assert new_repo.dirty_paths() == []

def test_import_refuses_a_bad_symbol_and_a_duplicate(new_repo):
    """A symbol that does not parse, or one already registered, is refused."""
    with pytest.raises(UsageError):
        import_text(new_repo, "1. A.\n", symbol="DRAFT-1", title="T")
    import_text(new_repo, "1. A.\n", symbol="MC/2024/DRAFT/1", title="T")
    with pytest.raises(UsageError, match="already in the repository"):
        import_text(new_repo, "1. B.\n", symbol="MC/2024/DRAFT/1/Rev.1", title="T")


def test_import_command_reports_bad_input_without_traceback(new_repo, tmp_path, capsys, monkeypatch):
    """A missing file and a non-UTF-8 file are one-line messages and exit codes, not tracebacks."""
    monkeypatch.chdir(new_repo.root)
    assert main(["import", str(tmp_path / "missing.txt"), "--symbol", "MC/2024/DRAFT/1", "--title", "T"]) == 2
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("1. Décide.\n".encode("latin-1"))
    assert main(["import", str(bad), "--symbol", "MC/2024/DRAFT/1", "--title", "T"]) == 1
    err = capsys.readouterr().err
    assert "no such file" in err and "not UTF-8" in err and "Traceback" not in err


def test_repository_open_outside_a_repository(tmp_path):
    """Opening a folder that is not a cicatext repository names it and says what to do."""
    with pytest.raises(RepositoryError) as caught:
        Repository.open(tmp_path)
    assert "cicatext init" in caught.value.hint


def test_commit_restores_files_when_git_refuses(new_repo):
    """When git refuses after the files were written (an ignored path), every file is put back."""
    head = new_repo.head()
    before = new_repo.read_text("cicatext.yaml")
    with pytest.raises(RepositoryError):
        new_repo.commit({"cicatext.yaml": "changed: true\n", ".cicatext/x.yaml": "a: 1\n"}, "should not land")
    assert new_repo.read_text("cicatext.yaml") == before
    assert not (new_repo.root / ".cicatext" / "x.yaml").exists()
    assert new_repo.head() == head
    assert new_repo.dirty_paths() == []


def test_second_writer_is_refused_while_the_lock_is_held(new_repo):
    """A second command writing while one holds the lock gets a clear refusal."""
    with new_repo.lock():
        with pytest.raises(RepositoryError, match="another cicatext command"):
            new_repo.commit({"notes/x.yaml": "a: 1\n"}, "x")
    assert not (new_repo.root / "notes" / "x.yaml").exists()


def test_init_sets_up_the_bracket_aware_diff_driver(tmp_path):
    """A new repository shows document texts through cicatext's diff driver (as `cicatext git-setup` does)."""
    repo = init_repository(tmp_path / "new")
    config = subprocess.run(["git", "config", "--local", "--get", "diff.cicatext.textconv"], cwd=repo.root,
                            capture_output=True, text=True)
    assert config.returncode == 0 and "diff-textconv" in config.stdout
