"""The bracket diff between two texts, paragraph by paragraph."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from cicatext.notation.bracket_diff import _MARKED, _WORDS, _aligned, diff_drafts, word_diff_view, word_ops
from cicatext.notation.reader import parse
from tests.ids import at

OLD = (
    "{#pp1} Recognizing the role of volunteerism;\n\n"
    "{#op1} 1. Support [modern electronic systems] (+IRAN) for volunteers [, and databases] (CHN tcb);\n\n"
    "{#op2} 2. Promote [cultural [and religious] (-CHN)] (+IND) diversity;\n\n"
    "{#op3} 3. Encourage exchanges.\n"
)


def one(old: str, new: str):
    diffs = diff_drafts(parse(old), parse(new))
    assert len(diffs) == 1, diffs
    return diffs[0]


def test_identical_texts_have_no_diff():
    """Nothing changed, nothing listed."""
    assert diff_drafts(parse(OLD), parse(OLD)) == []


def test_added_bracket_is_listed_with_its_attributions():
    """A new bracket is added, with its attributions in normal spelling."""
    change = one(OLD, OLD.replace("Encourage exchanges.", "Encourage [youth] (+KAZ) exchanges."))
    assert change.paragraph == "op3" and change.status == "changed"
    assert [(b.id, b.text, b.attributions) for b in change.brackets_added] == [(at(OLD.replace("Encourage exchanges.", "Encourage [youth] (+KAZ) exchanges."), "op3:1"), "youth", ("(+KAZ)",))]
    assert change.text_changed
    assert [(w.op, w.new) for w in change.words if w.op != "equal"] == [("insert", "youth ")]


def test_agreed_bracket_keeps_its_words():
    """A bracket lifted with its words kept is agreed, not dropped; the words did not change."""
    change = one(OLD, OLD.replace("[modern electronic systems] (+IRAN)", "modern electronic systems"))
    assert [b.id for b in change.brackets_agreed] == [at(OLD, "op1:1")]
    assert not change.brackets_dropped and not change.text_changed


def test_dropped_bracket_loses_its_words():
    """A bracket removed with its words is dropped, and the words show as deleted."""
    change = one(OLD, OLD.replace(" [, and databases] (CHN tcb)", ""))
    assert [b.reading for b in change.brackets_dropped] == [", and databases"]
    assert [(w.op, w.old.strip()) for w in change.words if w.op != "equal"] == [("delete", ", and databases")]


def test_agreeing_an_inner_bracket_keeps_the_outer_one_matched():
    """Lifting the inner bracket of a nested pair changes nothing about the outer one."""
    change = one(OLD, OLD.replace("[and religious] (-CHN)", "and religious"))
    assert [b.id for b in change.brackets_agreed] == [at(OLD, "op2:2")]
    assert not change.brackets_added and not change.attributions_joined


def test_joined_and_withdrawn_attributions():
    """Attributions that differ on a bracket present in both texts are joined or withdrawn."""
    change = one(OLD, OLD.replace("(CHN tcb)", "(-CHN) (+AZER)"))
    assert [(a.bracket, a.code, a.stance) for a in change.attributions_joined] == [
        (at(OLD, "op1:2"), "CHN", "-"), (at(OLD, "op1:2"), "AZER", "+")]
    assert [(a.code, a.stance, a.attribution()) for a in change.attributions_withdrawn] == [
        ("CHN", "tcb", "(CHN tcb)")]


def test_paragraphs_added_and_removed_in_place():
    """A removed paragraph is listed where it stood; an added one where it stands."""
    new = OLD.replace("{#pp1} Recognizing the role of volunteerism;\n\n", "") + "\n{#op4} [4. New.] (+CHN)\n"
    diffs = diff_drafts(parse(OLD), parse(new))
    assert [(d.paragraph, d.status) for d in diffs] == [("pp1", "removed"), ("op4", "added")]
    assert diffs[1].brackets_added[0].attributions == ("(+CHN)",)


def test_word_ops_cover_both_texts():
    """The word steps put together give back the old and the new text."""
    old, new = "the role of volunteers in peace", "the great role of youth volunteers in peace"
    ops = word_ops(old, new)
    assert "".join(o.old for o in ops) == old and "".join(o.new for o in ops) == new


_PIECES = st.sampled_from(["the", "role", "of", "youth", "CHN", " ", "  ", "\n", "\t", "\u00a0", ",", ".", "[", "]",
                           "(+IRAN)", "(CHN tcb)", "(- IND)", "{#op1}", "don't", "co-operation", "’", "-", "é"])
_TEXTS = st.lists(_PIECES, max_size=25).map("".join)


@st.composite
def _edited(draw):
    """A text and the same text with a few pieces put in or taken out: shared ends are the common case."""
    pieces = draw(st.lists(_PIECES, max_size=25))
    edited = list(pieces)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(edited)))
        if edited and draw(st.booleans()):
            del edited[at:at + draw(st.integers(1, 3))]
        else:
            edited[at:at] = [draw(_PIECES)]
    return "".join(pieces), "".join(edited)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.tuples(_TEXTS, _TEXTS), _edited()), st.sampled_from([_WORDS, _MARKED]))
def test_word_ops_step_over_white_space_and_cover_both_texts(texts, pattern):
    """Any two texts: the steps give back both, word for word; equal steps hold the same words, the others not."""
    old, new = texts
    ops = word_ops(old, new, pattern=pattern)
    assert "".join(o.old for o in ops) == old and "".join(o.new for o in ops) == new
    for side, text in (("old", old), ("new", new)):
        steps = [getattr(o, side) for o in ops]
        assert [w for step in steps for w in pattern.findall(step)] == pattern.findall(text)
        # A step starts with its words; only the first word's step keeps the white space before it.
        holding = [step for step in steps if pattern.search(step)]
        assert all(not step[:1].isspace() for step in holding[1:])
    # Passing over the shared ends keeps as many words equal as aligning every word does.
    kept = lambda steps: sum(len(pattern.findall(o.old)) for o in steps if o.op == "equal")  # noqa: E731
    assert kept(ops) == kept(_aligned(old, new, pattern))
    assert not any(a.op == b.op == "equal" for a, b in zip(ops, ops[1:]))
    for o in ops:
        assert o.op in ("equal", "insert", "delete", "replace")
        if o.op == "equal":
            assert pattern.findall(o.old) == pattern.findall(o.new)
        else:
            assert pattern.findall(o.old) != pattern.findall(o.new)


def test_to_json_is_plain_data():
    """A paragraph diff serialises to JSON with every kind of change listed."""
    change = one(OLD, OLD.replace("(CHN tcb)", "(-CHN)"))
    data = json.loads(json.dumps(change.to_json()))
    assert data["paragraph"] == "op1"
    assert set(data) >= {"brackets_added", "brackets_agreed", "brackets_dropped", "attributions_joined",
                         "attributions_withdrawn", "words", "text_changed", "status"}


def test_word_diff_view_marks_changes_apart_from_brackets():
    """The driver's view marks changes with ⟨-…-⟩ and ⟨+…+⟩, leaving [ and ] to the negotiation."""
    view = word_diff_view(parse(OLD), parse(OLD.replace("(CHN tcb)", "(-CHN)")))
    assert view.startswith("@@ op1 ")
    assert "⟨-(CHN tcb)-⟩⟨+(-CHN)+⟩" in view
    assert "[-" not in view and "{+" not in view


def test_a_paragraph_moved_under_its_own_id_is_a_move():
    """Ids that correspond, one paragraph moved to the end: one change, a move, not a removal and an addition."""
    blocks = OLD.strip().split("\n\n")
    moved = "\n\n".join([blocks[0], blocks[2], blocks[3], blocks[1]]) + "\n"
    [change] = diff_drafts(parse(OLD), parse(moved))
    assert (change.paragraph, change.status, change.moved_after) == ("op1", "moved", "op3")
    assert change.summary() == "op1: moved after op3"
