"""Bounded by the input: problems per file are capped and counted, long lines are shown shortened, the limits
are settings of cicatext.yaml."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from cicatext.cli.main import main
from cicatext.errors import MAX_PROBLEMS, Problem
from cicatext.notation.reader import check, make_nodes, read
from cicatext.notation.views import clean_text
from cicatext.notation.render import render
from cicatext.resources import schemas_dir
from cicatext.store import limits
from cicatext.store.limits import Limits
from cicatext.store.repository import Repository
from cicatext.store.trust.attribution_guard import position_set_problems
from cicatext.store.validation.validate import validate
from tests.trust.conftest import git

SYMBOL = "MC/2023/DRAFT/9"
TEXT = "documents/mc-2023-draft-9/en.txt"


def peak_of(call):
    """What `call` returns and the peak of Python memory allocated while it runs."""
    tracemalloc.start()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def with_document(repo: Repository, tmp_path) -> Repository:
    """The repository with a one-paragraph document imported and committed."""
    source = tmp_path / "small.txt"
    source.write_text("1. Hello [world] (+IRAN).\n", encoding="utf-8")
    assert main(["import", str(source), "--symbol", SYMBOL, "--title", "Test", "-C", str(repo.root)]) == 0
    return repo


def set_limits(repo: Repository, block: str) -> None:
    """Append a `limits:` block to the repository's cicatext.yaml and commit it."""
    path = repo.path("cicatext.yaml")
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")
    git(repo.root, "commit", "-qam", "limits")
    repo.refresh()


@pytest.mark.parametrize("unit, message, nested", [("a [b ", "'[' is never closed", True),
                                                   ("] ", "unmatched ']'", False)])
def test_a_reading_lists_the_first_problems_and_counts_the_rest(unit, message, nested):
    """A text with 400,000 problems on one line lists the first 1,000 in order and one problem counting the rest,
    in memory bounded by the input, each source line a short window around its column."""
    text = unit * 400_000
    problems, peak = peak_of(lambda: check(text, file="t.txt"))
    assert len(problems) == MAX_PROBLEMS + 1
    listed, more = problems[:-1], problems[-1]
    # Brackets never closed are nested in each other too: one more error, at the first past the depth limit.
    others = [p for p in listed if p.message != message]
    assert [p.message for p in others] == (["brackets nested 400000 deep: the limit is 100"] if nested else [])
    assert [p.column for p in listed] == sorted(p.column for p in listed)
    bracket = "[" if "[" in unit else "]"
    assert listed[0].column == text.index(bracket) + 1
    assert more.message == f"… and {399_001 if nested else 399_000:,} more problems of this file not listed"
    assert more.severity == "error" and more.file == "t.txt" and more.line is None
    assert all(len(p.source_line) < 200 for p in listed)
    # Each of these problems is a bracket of five characters, whose offset the reading holds while it reads: well
    # under 40 times the text (a line sliced for each problem would take 400,000 times it).
    assert peak < 40 * len(text), f"{peak:,} bytes for a text of {len(text):,}"


def test_brackets_left_open_over_many_paragraphs_are_read_in_memory_as_the_text():
    """20,000 paragraphs each opening a bracket that never closes: each paragraph's nodes are settled from how few
    brackets were open after it, not from a copy of every bracket open at its end (3 GB, quadratic, before)."""
    text = "a [b\n\n" * 20_000
    reading = read(text, file="t.txt")
    _, peak = peak_of(lambda: make_nodes(read(text, file="t.txt").draft))
    assert render(reading.draft) == text
    assert len(reading.draft.paragraphs) == 20_000
    assert reading.problems[0].message == "'[' is never closed"
    # About 1.6 KB a paragraph (its node, its bracket's nodes, its place): linear, where a copy of the open
    # brackets at each paragraph's end took 3 GB.
    assert peak < 500 * len(text), f"{peak:,} bytes for a text of {len(text):,}"


def test_a_problem_found_late_but_early_in_the_text_is_kept():
    """The problems kept are those first in the text, whatever order the reading found them in: an attribution
    that follows no bracket at the start (found after the scan) comes before 1,500 unmatched brackets."""
    problems = check("(+IRAN) " + "] " * 1500, max_problems=10)
    assert "follows no bracket" in problems[0].message
    assert len(problems) == 11 and problems[-1].message.startswith("… and 1,491 more problems")


def test_the_caret_lines_up_under_a_shortened_line():
    """An error in the middle of a one-line text of a megabyte is shown around its column, the caret under it."""
    text = "word " * 100_000 + "x] " + "word " * 100_000
    (problem,) = check(text, file="long.txt")
    assert problem.column == 500_002
    assert len(problem.source_line) < 200 and problem.source_line[0] == problem.source_line[-1] == "…"
    shown, caret = problem.format().splitlines()[1:3]
    assert shown[caret.index("^")] == "]"


def test_a_long_source_line_is_kept_shortened_whoever_makes_the_problem():
    """A Problem made with a whole long line keeps a window of it, and its caret still lines up."""
    line = "a" * 10_000 + "!" + "b" * 10_000
    problem = Problem("odd", file="f", line=1, column=10_001, source_line=line)
    assert len(problem.source_line) < 200
    shown, caret = problem.format().splitlines()[1:3]
    assert shown[caret.index("^")] == "!"
    assert Problem(**dict(problem.__dict__)) == problem  # as a cache gives it back


def test_clean_of_one_long_paragraph_is_linear_and_bounded():
    """`clean` of a one-paragraph text of a megabyte gives the agreed words, in memory bounded by the input."""
    unit = "agreed words [proposed words] (+IRAN) more agreed text "
    count = 1_000_000 // len(unit)
    draft = make_nodes(read(unit * count).draft)  # the tree is the reader's; this measures clean's own work
    cleaned, peak = peak_of(lambda: clean_text(draft))
    assert cleaned == " ".join(["agreed words more agreed text"] * count)
    assert peak < 20 * len(unit) * count


def test_a_position_set_lists_the_first_foreign_attributions():
    """A position set putting 50 attributions in others' mouths is refused with the first few and a count."""
    entries = "".join(f"  - id: e{n}\n    action: insert\n    paragraph: p1\n    text: words (+CHN)\n"
                      for n in range(50))
    text = f"delegation: IND\ndocument: {SYMBOL}\nentries:\n{entries}"
    problems = position_set_problems("positions/IND/x.yaml", text, "IND", Limits(problems_per_file=5))
    assert len(problems) == 6
    assert problems[-1].message == "… and 45 more problems of this file not listed"


def test_validate_caps_the_problems_of_a_file_as_the_settings_say(new_repo, tmp_path, capsys):
    """With limits.problems_per_file 5, validate lists 5 problems of a text with 40 and counts the other 35."""
    repo = with_document(new_repo, tmp_path)
    set_limits(repo, "limits:\n  problems_per_file: 5\n")
    repo.path(TEXT).write_text("1. " + "] " * 40 + "\n", encoding="utf-8")
    problems = [p for p in validate(Repository(repo.root), use_cache=False) if p.file == TEXT]
    assert len(problems) == 6
    assert problems[-1].message == "… and 35 more problems of this file not listed"
    assert main(["validate", str(repo.root)]) == 1
    said = capsys.readouterr()
    assert f"{TEXT}: … and 35 more problems of this file not listed" in said.out + said.err


def test_the_attribution_check_caps_its_problems(new_repo, tmp_path):
    """Attributions typed into a committed text by hand, 30 of them, are listed up to the limit and counted."""
    repo = with_document(new_repo, tmp_path)
    set_limits(repo, "limits:\n  problems_per_file: 4\n")
    paragraphs = "\n\n".join(f"{n}. Words [more words] (+CHN)." for n in range(2, 32))
    repo.path(TEXT).write_text(repo.read_text(TEXT).rstrip("\n") + "\n\n" + paragraphs + "\n", encoding="utf-8")
    git(repo.root, "commit", "-qam", "typed by hand")
    problems = [p for p in validate(Repository(repo.root), use_cache=False) if p.code in ("attribution", "more")]
    assert len(problems) == 5
    assert all("(+CHN)" in p.message for p in problems[:4])
    assert problems[-1].message == "… and 26 more problems of this file not listed"


def test_limits_file_bytes_refuses_a_larger_text_naming_the_setting(new_repo, tmp_path, capsys):
    """A repository whose cicatext.yaml sets limits.file_bytes 1,000 refuses a 2,000-byte text, naming the
    setting, in validate and in check."""
    repo = with_document(new_repo, tmp_path)
    set_limits(repo, "limits:\n  file_bytes: 1000\n")
    repo.path(TEXT).write_text("1. " + "word " * 399 + "\n", encoding="utf-8")
    assert repo.path(TEXT).stat().st_size == 1999
    expected = "is 1,999 bytes, over the limit of 1,000 bytes set by limits.file_bytes in cicatext.yaml"
    assert any(expected in p.message for p in validate(Repository(repo.root), use_cache=False))
    assert main(["check", str(repo.path(TEXT))]) == 1
    said = capsys.readouterr()
    assert f"{TEXT} {expected}" in said.err or expected in said.err, said.err


def test_check_outside_a_repository_refuses_a_file_over_the_default_limit(tmp_path, capsys):
    """`cicatext check` on a file outside any repository refuses one over 16 MiB from its size."""
    path = tmp_path / "big.txt"
    with open(path, "wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    assert main(["check", str(path)]) == 1
    assert "over cicatext's limit of 16,777,216 bytes (16 MiB)" in capsys.readouterr().err


def test_limits_bracket_depth_lowers_the_nesting_limit_of_validate_and_check(new_repo, tmp_path, capsys):
    """limits.bracket_depth 3 makes a text nested 4 deep an error in validate and in check; 101 is refused by the
    schema, for bracket ids are made to 100 deep."""
    repo = with_document(new_repo, tmp_path)
    set_limits(repo, "limits:\n  bracket_depth: 3\n")
    repo.path(TEXT).write_text("1. Decides [to [act [now [at once]]]] (+IND).\n", encoding="utf-8")
    expected = "brackets nested 4 deep: the limit is 3"
    assert any(expected in p.message for p in validate(Repository(repo.root), use_cache=False))
    assert main(["check", str(repo.path(TEXT))]) == 1
    assert expected in capsys.readouterr().err
    path = repo.path("cicatext.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("bracket_depth: 3", "bracket_depth: 101"),
                    encoding="utf-8")
    problems = validate(Repository(repo.root), use_cache=False)
    assert any(p.file == "cicatext.yaml" and "101" in p.message for p in problems), problems


@pytest.mark.parametrize("block, field", [("limits:\n  file_byte: 5000\n", "limits"),
                                          ("limits:\n  file_bytes: 10\n", "limits/file_bytes"),
                                          ("limits:\n  yaml_depth: deep\n", "limits/yaml_depth"),
                                          ("limits:\n  bracket_depth: 100000\n", "limits/bracket_depth")])
def test_a_bad_limit_is_a_located_schema_error(new_repo, block, field):
    """An unknown key, a value under the minimum or over the maximum or not a number in `limits:` is a schema error
    at its line, and the limit keeps its default."""
    set_limits(new_repo, block)
    lines = new_repo.path("cicatext.yaml").read_text(encoding="utf-8").splitlines()
    problems = [p for p in validate(Repository(new_repo.root), use_cache=False) if p.code == "schema"]
    assert len(problems) == 1, problems
    assert problems[0].file == "cicatext.yaml" and problems[0].message.startswith(f"{field}:")
    assert problems[0].line in (len(lines) - 1, len(lines))
    assert Repository(new_repo.root).limits == limits.DEFAULT  # a bad value keeps the default


def test_the_limits_settings_match_the_schema():
    """Each limit's default and minimum in the code are those the settings schema documents."""
    schema = json.loads((schemas_dir() / "settings.schema.json").read_text(encoding="utf-8"))
    documented = schema["properties"]["limits"]["properties"]
    assert set(documented) == set(limits.MINIMUM)
    for key, spec in documented.items():
        assert spec["default"] == getattr(limits.DEFAULT, key), key
        assert spec["minimum"] == limits.MINIMUM[key], key
        assert spec.get("maximum") == limits.MAXIMUM.get(key), key


def test_a_bracket_depth_over_the_most_leaves_deep_texts_refused(new_repo, capsys):
    """Settings that ask for brackets nested deeper than bracket ids are made to read texts under the default:
    a text nested 300 deep is reported by `check` and by validate, not taken."""
    from cicatext.store.register.create import import_text

    set_limits(new_repo, "limits:\n  bracket_depth: 100000\n")
    import_text(new_repo, "{#p1} Hello.\n", symbol="MC/2024/DRAFT/1", title="T")
    path = new_repo.path("documents/mc-2024-draft-1/en.txt")
    path.write_text("{#p1} " + "[" * 300 + "x" + "]" * 300 + "\n", encoding="utf-8")
    assert Repository(new_repo.root).limits.bracket_depth == limits.DEFAULT.bracket_depth
    problems = validate(Repository(new_repo.root), use_cache=False)
    assert any(p.file.endswith("en.txt") and "limit is 100" in p.message for p in problems), problems
    assert main(["check", str(path)]) == 1
    assert "limit is 100" in capsys.readouterr().err


def test_settings_limits_apply_to_records(new_repo):
    """A record read through the repository is bounded by its settings: a string over limits.yaml_string is
    refused naming the setting, and cicatext.yaml itself is read under cicatext's own limits."""
    set_limits(new_repo, "limits:\n  yaml_string: 100\n  file_bytes: 1000\n")
    repo = Repository(new_repo.root)
    assert repo.limits.yaml_string == 100 and repo.limits.file_bytes == 1000
    assert repo.path("cicatext.yaml").stat().st_size > 1000 and repo.settings  # read all the same
    path = repo.path("registry/bodies/SWG.yaml")
    path.write_text(path.read_text(encoding="utf-8") + "note: " + "x" * 150 + "\n", encoding="utf-8")
    problems = validate(repo, use_cache=False)
    assert any("a string of 150 characters, over the limit of 100 set by limits.yaml_string in cicatext.yaml"
               in p.message and p.file == "registry/bodies/SWG.yaml" for p in problems), problems


def test_a_text_imported_with_more_problems_than_listed_keeps_a_valid_record(new_repo, tmp_path):
    """A text circulated with more notation errors than the limit imports with the listed ones as its known
    problems, and its record stays valid: the count of the rest has no place to be recorded."""
    set_limits(new_repo, "limits:\n  problems_per_file: 5\n")
    source = tmp_path / "broken.txt"
    source.write_text("1. Words [with (+IRN)] and more.\n\n" + "2. " + "] " * 20 + "\n", encoding="utf-8")
    assert main(["import", str(source), "--symbol", SYMBOL, "--title", "Test", "-C", str(new_repo.root)]) == 0
    repo = Repository(new_repo.root)
    known = repo.load("documents/mc-2023-draft-9/document.yaml")["revisions"][0]["known_problems"]
    assert len(known) == 5
    assert all(isinstance(entry["line"], int) for entry in known)
    problems = validate(repo, use_cache=False)
    assert not [p for p in problems if p.code == "schema"], problems
    assert problems[-1].message == "… and 16 more problems of this file not listed"


def test_commands_read_a_document_record_under_the_repository_limits(new_repo, tmp_path):
    """Not only validate: opening a document (as export, diff, agree and a round do) reads its record under the
    repository's limits, so a string over limits.yaml_string is refused naming the setting."""
    from cicatext.store.register.texts import load_document

    repo = with_document(new_repo, tmp_path)
    set_limits(repo, "limits:\n  yaml_string: 100\n")
    record = repo.path("documents/mc-2023-draft-9/document.yaml")
    record.write_text(record.read_text(encoding="utf-8").replace("title:", "note: " + "x" * 150 + "\ntitle:", 1),
                      encoding="utf-8")
    git(repo.root, "commit", "-qam", "a long note")
    opened = load_document(Repository(repo.root), "mc-2023-draft-9")
    assert any("over the limit of 100 set by limits.yaml_string in cicatext.yaml" in p.message
               for p in opened.problems), opened.problems
