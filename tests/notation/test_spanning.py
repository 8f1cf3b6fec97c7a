"""Brackets that span paragraphs: a bracketed chapeau with its sub-paragraphs, a bracketed article, an option."""

import pytest

from cicatext.notation.reader import parse, read
from cicatext.notation.render import render
from cicatext.notation.tree import Bracket

CHAPEAU = """{#op4} 4. [Each Party's contribution [shall] [should] be:

{#op4a} (a) [ambitious;]

{#op4b} (b) [other.]] (+IND) (-CHN)

{#op5} 5. Requests [the Secretariat] (+IRAN) to report.
"""


def parts(paragraph):
    return [node for node in paragraph.content if isinstance(node, Bracket)]


@pytest.mark.parametrize("lazy", [False, True])
def test_a_bracket_spanning_three_paragraphs_is_one_bracket_in_three_parts(lazy, monkeypatch):
    if lazy:
        monkeypatch.setattr("cicatext.notation.reader.LAZY_FROM", 0)
    reading = read(CHAPEAU)
    assert reading.problems == ()
    first, middle, last, after = reading.draft.paragraphs
    [opening] = parts(first)
    assert (opening.continued, opening.continues, opening.closed) == (False, True, False)
    assert [b.body[0].text for b in opening.body if isinstance(b, Bracket)] == ["shall", "should"]
    [inside] = parts(middle)
    assert (inside.continued, inside.continues) == (True, True)
    [closing] = parts(last)
    assert (closing.continued, closing.continues, closing.closed) == (True, False, True)
    assert [(a.code, a.stance.value) for a in closing.attributions] == [("IND", "+"), ("CHN", "-")]
    assert [b.body[0].text for b in parts(after)] == ["the Secretariat"]
    assert render(reading.draft) == CHAPEAU
    assert reading.draft.bracket_count() == CHAPEAU.count("[") == 6


def test_an_unmatched_bracket_is_reported_where_it_is_and_swallows_nothing_past_a_heading():
    text = "{#a} [Option 1: the Parties shall\n\n{#b} act together\n\n{#h} Article 3\n\n{#c} 1. [Each] (+IND) Party\n"
    reading = read(text, file="draft.txt")
    [problem] = reading.problems
    assert (problem.line, problem.column, problem.message) == (1, 6, "'[' is never closed")
    assert "heading on line 5" in problem.hint
    first, second, heading, article = reading.draft.paragraphs
    [unclosed] = parts(first)
    assert (unclosed.closed, unclosed.continues) == (False, False)
    assert parts(second) == [] and parts(heading) == []
    assert [a.code for a in parts(article)[0].attributions] == ["IND"]
    assert render(reading.draft) == text


def test_genuine_imbalances_among_many_spanning_brackets_are_reported_once_each():
    """Twenty spanning brackets read clean; a stray `]` and a `[` never closed are one problem each, not two
    per spanning bracket."""
    spanning = "\n\n".join(f"{n}. [Chapeau {n}:\n\n(a) [one];\n\n(b) two.]" for n in range(1, 21))
    broken = spanning + "\n\n21. [lost opening\n\n22. stray] closing]\n\n23. last [open"
    assert read(spanning).problems == ()
    problems = read(broken).problems
    assert len(problems) == 2
    assert [p.message for p in problems] == ["unmatched ']'", "'[' is never closed"]


def test_stats_of_a_text_with_spanning_brackets_are_printed_and_parse_accepts_it():
    draft = parse(CHAPEAU)
    assert len(draft.paragraphs) == 4


def test_a_spanning_bracket_is_agreed_and_dropped_whole():
    from cicatext.notation import operations
    from cicatext.notation.views import bracket_list

    draft = parse(CHAPEAU)
    outer = bracket_list(draft)[0]
    assert outer.paragraphs == ("op4", "op4a", "op4b")
    agreed = render(operations.agree(draft, outer.id))
    assert agreed.startswith("{#op4} 4. Each Party's contribution [shall] [should] be:\n\n{#op4a} (a) [ambitious;]")
    assert "{#op4b} (b) [other.]\n\n{#op5}" in agreed and "(+IND)" not in agreed
    dropped = render(operations.drop(draft, outer.id))
    # The paragraphs wholly inside go; what stood before the `[` (the number) stays, joined to what followed `]`.
    assert dropped == "{#op4} 4.\n\n{#op5} 5. Requests [the Secretariat] (+IRAN) to report.\n"
