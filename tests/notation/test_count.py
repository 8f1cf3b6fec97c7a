"""Counting a text's paragraphs and brackets without reading it: the reader's numbers, or None."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cicatext.notation.reader import count_brackets, read
from tests.notation.corpus import CASES, MALFORMED


def full_count(text: str) -> tuple[int, int]:
    """(paragraphs, brackets) as the reader makes them."""
    paragraphs = read(text).draft.paragraphs
    return len(paragraphs), sum(1 for p in paragraphs for _ in p.brackets())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_counting_a_corpus_text_gives_the_readers_numbers(case):
    """Every well-formed corpus text is counted without a reading, with the reader's paragraphs and brackets."""
    assert count_brackets(case.text) == full_count(case.text)
    assert read(case.text).draft.bracket_count() == full_count(case.text)[1]


@pytest.mark.parametrize("case", MALFORMED, ids=[c.id for c in MALFORMED])
def test_counting_a_malformed_text_gives_the_readers_numbers_or_none(case):
    """A malformed text is counted as the reader counts it, or left to the reader when its brackets do not balance."""
    counted = count_brackets(case.text)
    assert counted is None or counted == full_count(case.text)


PIECES = ("[", "]", "[", "]", "text", " ", "\n", "\n\n", "\n \t\n", "\r\n\r\n", "\u00a0", "{#op1} ", "{#bad id} ",
          "(+CHN)", "(-IND)", "(IRAN tcb)", "(+iran)", ", ", "[[of] (-CHN), [among] (+CHN)]", "11. ")


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_counting_never_disagrees_with_the_reader(text):
    """Whatever the text, a count is either the reader's or None (then the text is read in full)."""
    counted = count_brackets(text)
    assert counted is None or counted == full_count(text)
