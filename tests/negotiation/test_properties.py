"""Properties of compiling an edit: the brackets say exactly what the edit did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cicatext.notation.compile import PositionSet, compile_round, entries_from_edit, normalise, reading_text
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
