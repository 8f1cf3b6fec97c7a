"""`cicatext validate`: every problem in one run, each located and explained; a clean repository passes."""

import json

import pytest

from cicatext.cli.main import main
from cicatext.store.layout import VALIDATION_CACHE, VALIDATION_RESULT
from cicatext.store.register.create import import_text
from cicatext.store.repository import Repository
from cicatext.store.validation.validate import validate


def _write(repo, relative, text):
    path = repo.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def doc_repo(new_repo):
    import_text(new_repo, "The Council,\n\n1. Decides [to act] (+IND);\n", symbol="MC/2024/DRAFT/1", title="T",
                kind="decision")
    return new_repo


def test_template_repository_has_no_problems(new_repo):
    """A new repository validates clean."""
    assert validate(new_repo) == []


def test_yaml_syntax_error_is_located(doc_repo):
    """A YAML syntax error names the file, line and column."""
    _write(doc_repo, "registry/bodies/SOC.yaml", "code: SOC\nname: {en: x\nrank: 2\n")
    [problem] = validate(doc_repo)
    assert problem.file == "registry/bodies/SOC.yaml" and problem.line == 3
    assert problem.message.startswith("YAML syntax")


def test_duplicate_key_is_an_error_with_its_line(doc_repo):
    """A key written twice is an error at the second one."""
    text = doc_repo.read_text("documents/mc-2024-draft-1/document.yaml") + "kind: statement\n"
    _write(doc_repo, "documents/mc-2024-draft-1/document.yaml", text)
    [problem] = validate(doc_repo)
    assert "duplicate key" in problem.message and problem.line == len(text.splitlines())


def test_schema_violation_names_field_and_expectation(doc_repo):
    """A wrong value and an unknown field are reported at their lines, with what was expected."""
    path = "documents/mc-2024-draft-1/document.yaml"
    text = doc_repo.read_text(path).replace("kind: decision", "kind: decree") + "colour: blue\n"
    _write(doc_repo, path, text)
    problems = validate(doc_repo)
    by_message = {p.message.split(":")[0]: p for p in problems}
    kind = next(p for p in problems if p.message.startswith("kind"))
    assert "decision" in kind.hint and text.splitlines()[kind.line - 1].startswith("kind: decree")
    extra = next(p for p in problems if "colour" in p.message)
    assert extra.line is not None
    assert by_message


def test_unknown_attribution_code_suggests_the_nearest(doc_repo):
    """A bracket attributed to an unknown code is an error at its column, suggesting the nearest code."""
    _write(doc_repo, "documents/mc-2024-draft-1/en.txt", "{#pp1} The Council,\n\n{#op1} 1. Decides [to act] (+IRN);\n")
    [problem] = validate(doc_repo)
    assert problem.file == "documents/mc-2024-draft-1/en.txt"
    assert (problem.line, problem.column) == (3, 30)  # the code itself
    assert "IRN" in problem.message and "IRAN" in problem.hint


def test_duplicate_paragraph_id_is_reported(doc_repo):
    """Two paragraphs with one id are an error."""
    _write(doc_repo, "documents/mc-2024-draft-1/en.txt", "{#op1} 1. A.\n\n{#op1} 2. B.\n")
    problems = validate(doc_repo)
    assert any("op1" in p.message and p.line == 3 for p in problems)


def test_symbol_problems(doc_repo):
    """A symbol that does not parse and a revision that disagrees with its symbol are both reported."""
    path = "documents/mc-2024-draft-1/document.yaml"
    text = doc_repo.read_text(path)
    text = text.replace("symbol: MC/2024/DRAFT/1\n", "symbol: MC-2024-DRAFT-1\n", 1)
    text = text.replace("  - rev: 0\n    symbol: MC/2024/DRAFT/1", "  - rev: 0\n    symbol: MC/2024/DRAFT/1/Rev.2")
    _write(doc_repo, path, text)
    messages = [p.message for p in validate(doc_repo)]
    assert any("does not parse" in m for m in messages)
    assert any("is revision 2, but this entry says rev 0" in m for m in messages)


def test_missing_language_text_and_stray_file(doc_repo):
    """A declared language without its text, and a file in no known place, are reported."""
    path = "documents/mc-2024-draft-1/document.yaml"
    _write(doc_repo, path, doc_repo.read_text(path).replace("- en\n", "- en\n  - ru\n"))
    _write(doc_repo, "drafts/loose.yaml", "a: 1\n")
    messages = [p.message for p in validate(doc_repo)]
    assert any("ru.txt is missing" in m for m in messages)
    assert any("drafts/loose.yaml is in no place" in m for m in messages)


def test_area_with_unknown_dimension(new_repo):
    """A priority area naming a dimension that does not exist is a link error."""
    _write(new_repo, "registry/areas/space.yaml", "id: space\ndimension: orbital\nname: {en: Space}\n")
    [problem] = validate(new_repo)
    assert "orbital" in problem.message and problem.line == 2


def test_validate_command_text_and_json(doc_repo, capsys):
    """The command prints FILE:LINE:COL lines on standard error, problems being problems, and exits 1; --json
    gives the same list on standard output and nothing on standard error."""
    _write(doc_repo, "documents/mc-2024-draft-1/en.txt", "{#op1} 1. Decides [to act (+IND);\n")
    assert main(["validate", str(doc_repo.root)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("documents/mc-2024-draft-1/en.txt:1:")
    assert main(["validate", str(doc_repo.root), "--json"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert captured.err == ""
    assert data["errors"] >= 1 and data["problems"][0]["file"] == "documents/mc-2024-draft-1/en.txt"


def test_validate_outside_a_repository(tmp_path, capsys):
    """validate on a folder that is no repository says so, without a traceback."""
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "not inside a cicatext repository" in err and "Traceback" not in err


def test_impossible_date_is_located(doc_repo):
    """A date that does not exist (31 June) is one located error, not a crash."""
    path = "documents/mc-2024-draft-1/document.yaml"
    _write(doc_repo, path, doc_repo.read_text(path) + "date: 2023-06-31\n")
    [problem] = validate(doc_repo)
    assert "2023-06-31 is not a date" in problem.message and problem.column == 7


def test_second_run_uses_the_cache_and_a_one_character_change_is_caught(doc_repo, monkeypatch):
    """Unchanged files come from the cache (no check runs again); changing one character is seen at once."""
    import cicatext.store.validation.per_file as validation

    assert validate(doc_repo) == []
    assert (doc_repo.root / ".cicatext" / VALIDATION_CACHE).is_file()
    calls = []
    real = validation.check_record
    monkeypatch.setattr(validation, "check_record", lambda *a: calls.append(a[1]) or real(*a))
    assert validate(doc_repo) == []
    assert calls == []
    path = "documents/mc-2024-draft-1/document.yaml"
    _write(doc_repo, path, doc_repo.read_text(path).replace("kind: decision", "kind: decisio"))
    problems = validate(doc_repo)
    assert calls == [path]
    assert [p.message for p in problems] == ["kind: 'decisio' is not one of the allowed values"]
    _write(doc_repo, "documents/mc-2024-draft-1/en.txt", doc_repo.read_text("documents/mc-2024-draft-1/en.txt").replace("(+IND)", "(+INX)"))
    assert any("INX" in p.message for p in validate(doc_repo))


def test_cache_is_keyed_by_the_registry(doc_repo):
    """Removing a state from the registry makes its code unknown even though the text did not change."""
    assert validate(doc_repo) == []
    (doc_repo.root / "registry" / "states" / "IND.yaml").unlink()
    assert any("unknown delegation code" in p.message and "IND" in p.message for p in validate(doc_repo))


def test_unchanged_repository_gives_the_kept_result(doc_repo, monkeypatch):
    """With nothing changed no file is checked again; a one-character edit of a text is seen by checking that text
    alone (`since`), a new commit on main by a full run."""
    import cicatext.store.validation.validate as validation

    text = "documents/mc-2024-draft-1/en.txt"
    assert validate(doc_repo) == []
    assert (doc_repo.root / ".cicatext" / VALIDATION_RESULT).is_file()
    runs = []
    real = validation.file_checks
    monkeypatch.setattr(validation, "file_checks", lambda *a, **k: runs.append(1) or real(*a, **k))
    assert validate(doc_repo) == []
    assert runs == []
    _write(doc_repo, text, doc_repo.read_text(text).replace("[to act]", "[to act"))
    expected = [(text, 3, 19, "'[' is never closed"), (text, 3, 27, "attribution '(+IND)' follows no bracket")]
    assert [(p.file, p.line, p.column, p.message) for p in validate(doc_repo)] == expected
    assert runs == []
    assert [(p.file, p.line, p.column, p.message) for p in validate(doc_repo)] == expected
    assert runs == []
    doc_repo.run_git("commit", "--allow-empty", "-q", "-m", "Nothing")
    assert [(p.file, p.line, p.column, p.message) for p in validate(doc_repo)] == expected
    assert runs == [1]


def test_kept_result_that_does_not_load_is_made_again(doc_repo):
    """A damaged kept result is ignored and written anew."""
    assert validate(doc_repo) == []
    kept = doc_repo.root / ".cicatext" / VALIDATION_RESULT
    for damage in ("{not json", '{"key": 1}', '{"key": "x", "problems": 3}', "[]"):
        kept.write_text(damage, encoding="utf-8")
        assert validate(doc_repo) == []
        assert json.loads(kept.read_text(encoding="utf-8"))["problems"] == []


def test_deleted_and_untracked_files_are_seen(doc_repo):
    """A tracked text deleted from the work tree is missing; an untracked record is checked."""
    (doc_repo.root / "documents" / "mc-2024-draft-1" / "en.txt").unlink()
    _write(doc_repo, "meetings/m1.yaml", "id: m1\nbody: NOBODY\n")
    found = {(p.file, p.message) for p in validate(doc_repo)}
    assert found == {
        ("documents/mc-2024-draft-1/document.yaml",
         "language 'en' is declared but documents/mc-2024-draft-1/en.txt is missing"),
        ("meetings/m1.yaml", "(the record): 'dates' is a required property"),
        ("meetings/m1.yaml", "unknown body 'NOBODY'"),
    }


def test_a_copied_repository_validates_the_same(doc_repo, tmp_path):
    """A copy (every file's inode and times new to git's index) gives the same result, and a staged edit is seen."""
    import shutil

    from cicatext.store.repository import Repository

    text = "documents/mc-2024-draft-1/en.txt"
    _write(doc_repo, text, doc_repo.read_text(text).replace("(+IND)", "(+INX)"))
    doc_repo.run_git("add", text)
    found = [(p.file, p.message) for p in validate(doc_repo)]
    assert any("INX" in message for _, message in found)
    copy = Repository(shutil.copytree(doc_repo.root, tmp_path / "copy", symlinks=True))
    assert [(p.file, p.message) for p in validate(copy)] == found
    assert [(p.file, p.message) for p in validate(copy)] == found


def test_any_un_symbol_imports_and_the_house_profile_is_checked(new_repo):
    """Other bodies' symbols are symbols; a repository holding CICA's profile refuses them at import and, if one
    comes in by hand, validate says it does not follow the profile."""
    from cicatext.errors import UsageError

    settings = new_repo.read_text("cicatext.yaml")
    assert "symbols: cica" in settings
    draft = "The Conference,\n\n1. Decides [to act] (+IND);\n"
    with pytest.raises(UsageError, match="does not follow this repository's cica pattern"):
        import_text(new_repo, draft, symbol="FCCC/ADP/2015/L.6/Rev.1", title="Draft agreement", kind="decision")
    assert not (new_repo.root / "documents/fccc-adp-2015-l.6").exists()
    new_repo.commit({"cicatext.yaml": settings.replace("symbols: cica\n", "")}, "Any UN-system symbol")
    new_repo.refresh()
    import_text(new_repo, draft, symbol="FCCC/ADP/2015/L.6/Rev.1", title="Draft agreement", kind="decision")
    assert (new_repo.root / "documents/fccc-adp-2015-l.6/document.yaml").is_file()
    assert [p for p in validate(new_repo) if p.severity == "error"] == []
    _write(new_repo, "cicatext.yaml", settings)
    new_repo.refresh()
    [problem] = [p for p in validate(new_repo) if p.code == "symbol"]
    assert problem.message == "symbol 'FCCC/ADP/2015/L.6' does not follow this repository's cica pattern"
    assert problem.file == "documents/fccc-adp-2015-l.6/document.yaml" and problem.line == 1


def test_a_cold_run_shared_out_among_processes_finds_what_one_process_finds(doc_repo, monkeypatch):
    """The per-file checks shared out among two processes give the same problems, in the same order, and the same
    cache, as one process: a text with notation errors, a record that does not load, one against its schema."""
    from cicatext.store.validation import per_file

    _write(doc_repo, "documents/mc-2024-draft-1/en.txt", "The Council,\n\n1. Decides [to act (+IRN);\n\n2. ] Stop.\n")
    _write(doc_repo, "registry/bodies/XXX.yaml", "code: XXX\nname: [unclosed\n")
    _write(doc_repo, "registry/bodies/YYY.yaml", "code: YYY\nname: {en: Y}\ncolour: red\n")
    one = validate(Repository(doc_repo.root), use_cache=False)
    shared = []
    real = per_file._shared_out
    monkeypatch.setattr(per_file, "_shared_out", lambda *a: shared.append(real(*a)) or shared[-1])
    monkeypatch.setattr(per_file, "PARALLEL_FROM", 1)
    two = validate(Repository(doc_repo.root), use_cache=False, workers=2)
    assert shared and shared[0] is not None and len(shared[0]) > 10  # the files were checked by the processes
    assert two == one
    assert {p.file for p in one} >= {"documents/mc-2024-draft-1/en.txt", "registry/bodies/XXX.yaml",
                                     "registry/bodies/YYY.yaml"}
