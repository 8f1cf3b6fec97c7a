"""Properties of compiling an edit: the brackets say exactly what the edit did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cicatext.notation.compile import compile_round
from cicatext.notation.edits import entries_from_edit
from cicatext.notation.paragraph_text import normalise, reading_text
from cicatext.notation.position_sets import PositionSet
from cicatext.notation.reader import parse
from cicatext.notation.render import render
from cicatext.notation.views import clean_text

WORDS = ["promote", "volunteer", "centres", "youth", "and", "the", "regional", "cooperation", "of", "States",
         "dialogue", "exchanges", "culture", "in"]
NEW_WORDS = ["wide", "valuable", "selfless", "networks", "online"]

paragraphs = st.lists(st.sampled_from(WORDS), min_size=6, max_size=18)


def text_of(words: list[str]) -> str:
    return "{#op1} 1. " + " ".join(words) + ";\n"


def apply(words: list[str], edits: list[tuple[int, str]], *, deleting: bool) -> list[str]:
    result = list(words)
    for position, word in sorted(edits, reverse=True):
        position %= len(result) + (0 if deleting else 1)
        if deleting:
            if len(result) > 1:
                del result[position]
        else:
            result.insert(position, word)
    return result


@settings(max_examples=80, deadline=None)
@given(paragraphs, st.lists(st.tuples(st.integers(0, 40), st.sampled_from(NEW_WORDS)), min_size=1, max_size=3))
def test_insertions_compile_to_proposals_whose_agreement_gives_the_edit(words, edits):
    """Compiling an insertion-only edit gives a text whose reading is the edited text and whose clean text is the old."""
    old_text, new_words = text_of(words), apply(words, edits, deleting=False)
    reading = entries_from_edit(parse(old_text), parse(text_of(new_words)), "CHN")
    result = compile_round(parse(old_text), [PositionSet("CHN", "X", reading.entries)])
    assert not result.unplaced
    assert render(parse(result.text)) == result.text
    assert normalise(reading_text(result.draft.paragraphs[0])) == normalise("1. " + " ".join(new_words) + ";")
    assert normalise(clean_text(result.draft).replace("{#op1}", "")) == normalise(old_text.replace("{#op1}", ""))


@settings(max_examples=80, deadline=None)
@given(paragraphs, st.lists(st.tuples(st.integers(0, 40), st.just("")), min_size=1, max_size=3))
def test_deletions_compile_to_objections_whose_removal_gives_the_edit(words, edits):
    """Compiling a deletion-only edit keeps every word, and the words outside brackets are the edited text."""
    old_text, new_words = text_of(words), apply(words, edits, deleting=True)
    if new_words == words:
        return
    reading = entries_from_edit(parse(old_text), parse(text_of(new_words)), "CHN")
    result = compile_round(parse(old_text), [PositionSet("CHN", "X", reading.entries)])
    assert not result.unplaced
    assert normalise(reading_text(result.draft.paragraphs[0])) == normalise(reading_text(parse(old_text).paragraphs[0]))
    assert all(a.code == "CHN" and a.stance.value == "-" for p in result.draft.paragraphs
               for b, _ in p.brackets() for a in b.attributions)
    assert normalise(clean_text(result.draft).replace("{#op1}", "")) == normalise("1. " + " ".join(new_words) + ";")


def test_normalise_collapses_every_kind_of_white_space():
    """Every character Python counts as white space (`\\s`), alone or in runs, becomes one space between words."""
    import sys

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert {" ", "\t", "\n", "\u00a0", "\u2003", "\u3000"} <= set(spaces)
    for space in spaces:
        assert normalise(f"{space}a{space}{space}b{space}") == "a b"
    assert normalise("a\u200bb") == "a\u200bb"  # a zero-width space is not white space to `\s` either


_NESTED = st.recursive(
    st.sampled_from(["text ", "and ", "peace, ", "", "  ", "\t"]),
    lambda inner: st.tuples(st.lists(inner, max_size=4), st.sampled_from(["", ".", ","]),
                            st.sampled_from(["", " (+IRAN)", " (-CHN) (IND tcb)"]))
    .map(lambda t: "[" + "".join(t[0]) + "]" + t[1] + t[2] + " "),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NESTED, min_size=1, max_size=5).map(lambda parts: "1. " + "".join(parts)))
def test_a_paragraphs_reading_maps_back_to_what_is_written(content):
    """Each reading character stands at its offset in the written text, and a bracket's words are those written inside it."""
    from bisect import bisect_left, bisect_right

    from cicatext.notation.paragraph_text import paragraph_text

    text = paragraph_text(parse(content).paragraphs[0])
    assert text.raw == content.rstrip()
    assert len(text.offsets) == len(text.reading)
    assert all(text.raw[at] == character for at, character in zip(text.offsets, text.reading))
    assert list(text.offsets) == sorted(set(text.offsets))
    for span in text.brackets:
        assert text.raw[span.start] == "[" and text.raw[span.close] == "]"
        assert text.body_reading(span) == text.reading[bisect_right(text.offsets, span.start):
                                                       bisect_left(text.offsets, span.close)]
