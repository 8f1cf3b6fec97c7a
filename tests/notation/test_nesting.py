"""Brackets nested past the reader's limit: one located error, and every walk over the tree without recursion."""

from __future__ import annotations

import inspect
import json
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from cicatext.cli.main import main
from cicatext.exchange.source import walk
from cicatext.notation.bracket_ids import name_draft, words
from cicatext.notation.nesting import MAX_DEPTH, NESTING, too_deep
from cicatext.notation.paragraph_text import paragraph_text
from cicatext.notation.reader import LAZY_FROM, check, make_nodes, parse, read
from cicatext.notation.render import render
from cicatext.notation.styles import from_cica, to_cica
from cicatext.notation.views import bracket_list, clean_text, counts, locate


def nested(depth: int, *, attributed: bool = False) -> str:
    """A paragraph of brackets nested `depth` deep, each bracket attributed to CHN when `attributed`."""
    if attributed:
        return "{#deep} Before " + "[a " * depth + "x" + "] (+CHN)" * depth + " after.\n"
    return "{#deep} Before " + "[" * depth + "x" + "]" * depth + " after.\n"


@contextmanager
def shallow_stack(room: int = 150):
    """Let the code under test use no more than `room` frames of the stack beyond the test's own."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + room)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def test_exactly_the_limit_is_no_problem_and_one_more_is_one_located_error():
    """Brackets nested as deep as the limit read clean; one level more is one error at the `[` that goes over."""
    assert read(nested(MAX_DEPTH)).problems == ()
    problems = read(nested(MAX_DEPTH + 1), file="deep.txt").problems
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.file, problem.line, problem.column, problem.code) == ("deep.txt", 1, 16 + MAX_DEPTH, NESTING)
    assert problem.message == f"brackets nested {MAX_DEPTH + 1} deep: the limit is {MAX_DEPTH}"
    assert "fewer than 5 deep" in problem.hint
    assert too_deep(problems) is problem


def test_each_nest_past_the_limit_is_one_error_naming_its_own_depth():
    """Two paragraphs nested past the limit are an error each, at the `[` that goes over, naming how deep each
    goes; brackets side by side past the limit within one nest are the one error."""
    siblings = "{#p1} " + "[" * MAX_DEPTH + "[a][b][[c]]" + "]" * MAX_DEPTH + "\n\n"
    text = siblings + "{#p2} " + "[" * 500 + "]" * 500 + "\n"
    problems = read(text).problems
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, 7 + MAX_DEPTH, f"brackets nested {MAX_DEPTH + 2} deep: the limit is {MAX_DEPTH}"),
        (3, 7 + MAX_DEPTH, f"brackets nested 500 deep: the limit is {MAX_DEPTH}"),
    ]


@pytest.mark.parametrize("depth", [10_000, 100_000])
@pytest.mark.parametrize("attributed", [False, True])
def test_a_text_nested_far_past_the_limit_reads_back_exactly(depth, attributed):
    """read() never raises on any depth: one error naming the depth, and the tree renders back character for character."""
    text = "{#p1} First.\n\n" + nested(depth, attributed=attributed)
    reading = read(text)
    assert [p.message for p in reading.problems] == [f"brackets nested {depth} deep: the limit is {MAX_DEPTH}"]
    assert (reading.problems[0].line, reading.problems[0].column) == (3, 16 + MAX_DEPTH * (3 if attributed else 1))
    assert render(make_nodes(reading.draft)) == text
    assert check(text) == reading.problems


def test_the_limit_is_a_parameter_and_the_quick_reading_of_a_large_text_keeps_it():
    """max_depth= sets the limit; a large balanced text (read by the quick scan) is held to it as a small one is."""
    text = nested(4)
    assert read(text, max_depth=4).problems == ()
    assert [p.message for p in read(text, max_depth=3).problems] == ["brackets nested 4 deep: the limit is 3"]
    large = "{#p1} " + "words " * LAZY_FROM + "\n\n" + nested(MAX_DEPTH + 5)
    assert [(p.line, p.message) for p in check(large)] == [(3, "brackets nested 105 deep: the limit is 100")]
    with pytest.raises(Exception, match="nested 105 deep"):
        parse(large)


def test_every_walk_over_a_deep_tree_is_iterative():
    """Reading, rendering, ids, listing, counts, the clean text, the laid-out text, the exports' walk and the
    styles' conversions all work on a tree 1,000 deep with only a few frames of stack to spare."""
    depth = 1_000
    text = nested(depth, attributed=True)
    with shallow_stack():
        draft = make_nodes(read(text).draft)
        assert render(draft) == text
        paragraph = draft.paragraphs[0]
        assert [d for _, d in paragraph.brackets()] == list(range(1, depth + 1))
        outer = paragraph.content[1]
        assert words(outer) == " ".join(["a"] * depth + ["x"])
        named = name_draft(draft)[0]
        assert [n.depth for n in named] == list(range(1, MAX_DEPTH + 1))
        listed = bracket_list(draft)
        assert len(listed) == MAX_DEPTH and listed[-1].depth == MAX_DEPTH
        assert listed[0].text == render(outer.body)
        assert locate(draft, listed[-1].id)[2] is named[-2].bracket
        found = counts(draft)
        assert (found.brackets, found.attributions) == (depth, depth)
        assert clean_text(draft) == "Before after.\n"
        laid = paragraph_text(paragraph)
        assert laid.raw == text[len("{#deep} "):-1]
        assert [span.depth for span in laid.brackets] == list(range(1, depth + 1))
        events = list(walk(paragraph.content))
        assert [kind for kind, _, _ in events].count("close") == depth
        assert max(level for _, _, level in events) == depth
        for style in ("party-inside", "party-note"):
            written = from_cica(text, style).text
            assert to_cica(written, style).text.count("(+CHN)") == depth


@pytest.fixture
def deep_file(tmp_path: Path):
    def write(depth: int) -> Path:
        path = tmp_path / f"deep-{depth}.txt"
        path.write_text("{#p1} First.\n\n" + nested(depth, attributed=True), encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize("depth", [10_000, 100_000])
@pytest.mark.parametrize("command", ["check", "brackets", "clean", "stats"])
def test_commands_print_the_located_error_alone(deep_file, capsys, command, depth):
    """check, brackets, clean and stats on a text nested past the limit print the one located error and exit 1."""
    path = deep_file(depth)
    assert main([command, str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.err.count(f"{path}:3:{16 + 3 * MAX_DEPTH}: brackets nested {depth} deep: the limit is 100") == 1
    assert captured.err.count("\n    hint: ") == 1
    assert "Traceback" not in captured.err
    assert captured.out == ""  # nothing listed, counted or cleaned
    assert main([command, str(path), "--json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [(e["line"], e["code"], e["message"]) for e in errors] == [
        (3, NESTING, f"brackets nested {depth} deep: the limit is 100")]
