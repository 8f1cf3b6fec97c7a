"""Fuzzing the position compiler: odd position sets on generated drafts give cicatext's errors or unplaced entries.

Whatever the entries ask (anchors that match nothing, twice or across brackets,
overlapping spans, unknown paragraphs, empty or bracket-laden new text,
unicode), `compile_round` either raises a `CicatextError` or places or reports
every entry; what it writes reads back without notation errors and renders
back byte-exact.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cicatext.errors import CicatextError
from cicatext.notation.compile import compile_round
from cicatext.notation.paragraph_text import reading_text
from cicatext.notation.position_sets import Entry, PositionSet
from cicatext.notation.reader import read
from cicatext.notation.render import render

EXAMPLES = int(os.environ.get("CICATEXT_FUZZ_EXAMPLES", "600"))
TRIED = {"compile": 0, "placed": 0, "unplaced": 0, "refused": 0}
CODES = ("IND", "CHN", "IRAN", "TUR")

words = st.sampled_from(["promote", "the", "volunteers'", "cultural", "and", "religious", "diversity", "of",
                         "civilizations", "dialogue;", "Member", "States,", "*Recognizing*", "11.", "(RMT)",
                         "тексте", "多様性", "é", "—", "2023", "a"])
attributions = st.lists(st.sampled_from(["(+IND)", "(-CHN)", "(IRAN tcb)", "(+TUR)", "(-IRAN)", "(SEC tcb)"]),
                        min_size=1, max_size=2, unique=True).map(" ".join)


def _bracket(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(inner, attributions).map(lambda t: f"[{t[0]}] {t[1]}")


phrases = st.lists(words, min_size=1, max_size=5).map(" ".join)
segments = st.recursive(phrases, lambda inner: st.one_of(
    _bracket(st.lists(inner, min_size=1, max_size=3).map(" ".join)),
    st.lists(_bracket(phrases), min_size=2, max_size=3).map(", ".join).map(lambda o: f"[{o}] ")
    .map(str.rstrip)), max_leaves=6)
paragraph_bodies = st.lists(segments, min_size=1, max_size=5).map(" ".join)


@st.composite
def drafts(draw) -> str:
    """A well-formed bracketed text of one to five paragraphs with ids pp1.. in order."""
    bodies = draw(st.lists(paragraph_bodies, min_size=1, max_size=5))
    return "".join(f"{{#pp{n}}} {body}\n\n" for n, body in enumerate(bodies, 1)).rstrip("\n") + "\n"


new_text = st.one_of(
    st.lists(st.sampled_from(["new", "words", "[", "]", "(+IND)", "(-CHN)", "(XYZ tcb)", "[bracketed] (+TUR)",
                              ",", " ", "{#op1}", "\n", "\n\n", "é", "多", "", "*x*", "(", ")"]), max_size=8)
    .map("".join),
    st.text(max_size=30),
)


@st.composite
def anchors(draw, reading: str) -> dict:
    """A quoted span: a real piece of the paragraph's reading text (with its context), or something odd."""
    kind = draw(st.sampled_from(["slice", "slice", "slice", "odd", "empty", "whole"]))
    if kind == "slice" and reading:
        start = draw(st.integers(0, len(reading)))
        end = draw(st.integers(start, min(len(reading), start + 40)))
        before = reading[max(0, start - draw(st.integers(0, 15))):start]
        after = reading[end:end + draw(st.integers(0, 15))]
        return {"before": before, "text": reading[start:end], "after": after}
    if kind == "whole":
        return {"text": reading}
    if kind == "empty":
        return {"text": ""}
    return {"before": draw(st.text(max_size=8)), "text": draw(st.text(max_size=12)),
            "after": draw(st.text(max_size=8))}


@st.composite
def rounds(draw):
    """A draft and position sets of one to three delegations on it, some entries malformed."""
    text = draw(drafts())
    draft = read(text).draft
    ids = [p.id for p in draft.paragraphs]
    sets = []
    refused = 0
    for code in draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True)):
        entries = []
        for index in range(draw(st.integers(1, 5))):
            paragraph = draw(st.sampled_from(ids * 3 + ["pp99", "op1", ""]))
            match = draft.paragraph(paragraph)
            reading = reading_text(match) if match is not None else ""
            record: dict = {"id": f"e{index + 1}", "action": draw(st.sampled_from(
                ["insert", "delete", "replace", "alternative", "support", "withdraw", "reserve"])),
                "paragraph": paragraph}
            if draw(st.integers(0, 4)):
                record["anchor"] = draw(anchors(reading))
            if record["action"] in ("insert", "replace", "alternative") or not draw(st.integers(0, 4)):
                record["text"] = draw(new_text)
            if record["action"] == "support" or draw(st.integers(0, 5)) == 0:
                record["stance"] = draw(st.sampled_from(["+", "-", "?"]))
            if draw(st.integers(0, 5)) == 0:
                record["bracket"] = f"{paragraph}:{draw(st.integers(0, 4))}"
            if record["action"] == "insert" and draw(st.integers(0, 3)) == 0:
                record["after_paragraph"] = draw(st.sampled_from(ids + ["pp99"]))
                record["paragraph"] = draw(st.sampled_from(["new1", "pp1", ""]))
            try:
                entries.append(Entry.from_record(record, file="fuzz.yaml", index=index))
            except CicatextError:
                refused += 1
        sets.append(PositionSet(code, "MC/2023/DRAFT/5", tuple(entries)))
    return text, sets, refused


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.data_too_large])
@given(rounds())
def test_compiler_places_or_reports_and_writes_readable_text(case):
    """Every entry is placed or reported unplaced (or cicatext refuses); the new text reads clean and round-trips."""
    text, sets, refused = case
    TRIED["compile"] += 1
    TRIED["refused"] += refused
    draft = read(text)
    assume(not draft.problems)  # `(RMT)` right after an attribution is itself malformed: not a draft to start from
    try:
        result = compile_round(draft.draft, sets)
    except CicatextError:
        return
    entries = sum(len(s.entries) for s in sets)
    TRIED["placed"] += len(result.placed)
    TRIED["unplaced"] += len(result.unplaced)
    assert len(result.placed) + len(result.unplaced) == entries
    again = read(result.text)
    errors = [p for p in again.problems if p.severity == "error"]
    assert not errors, (result.text, errors)
    assert render(again.draft) == result.text
    assert render(result.draft) == result.text


def test_fuzzing_tried_inputs():
    """Reports how many inputs the compiler fuzzing tried (run after the fuzz test in this module)."""
    if TRIED["compile"]:
        print(f"\ncompiler fuzzing: {TRIED}")
        assert TRIED["compile"] >= 1


def test_new_text_with_broken_notation_is_reported_not_written():
    """Found by fuzzing: a new paragraph whose text is `[` was written as `[[] (+IRAN)`; now it is left unplaced."""
    draft = read("{#pp1} promote\n").draft
    entries = (Entry.from_record({"id": "e1", "action": "insert", "paragraph": "new1", "after_paragraph": "pp1",
                                  "text": "["}),
               Entry.from_record({"id": "e2", "action": "insert", "paragraph": "pp1",
                                  "anchor": {"before": "promote", "text": ""}, "text": "a\n\nb"}))
    result = compile_round(draft, [PositionSet("IRAN", "MC/2023/DRAFT/5", entries)])
    assert result.text == "{#pp1} promote\n"
    assert [u.entry.id for u in result.unplaced] == ["e1", "e2"]
    assert "not well-formed" in result.unplaced[0].reason and "paragraph break" in result.unplaced[1].reason


def test_span_before_a_round_bracketed_group_is_reported_not_written():
    """Found by fuzzing: bracketing the words before `(RMT)` made `(RMT)` read as a malformed attribution."""
    draft = read("{#pp1} the mechanism (RMT) and the plan (MC/2023/CHAIR/1) stand\n").draft
    entries = (Entry.from_record({"id": "e1", "action": "delete", "paragraph": "pp1",
                                  "anchor": {"text": "mechanism"}}),
               Entry.from_record({"id": "e2", "action": "delete", "paragraph": "pp1",
                                  "anchor": {"text": "plan"}}))
    result = compile_round(draft, [PositionSet("IND", "MC/2023/DRAFT/5", entries)])
    assert [u.entry.id for u in result.unplaced] == ["e1"] and "(RMT)" in result.unplaced[0].reason
    assert result.text == "{#pp1} the mechanism (RMT) and the [plan] (-IND) (MC/2023/CHAIR/1) stand\n"
    assert not read(result.text).problems


def test_span_before_punctuation_and_a_round_bracketed_group_is_reported_not_written():
    """Found by fuzzing: bracketing the words before `; (RMT)` made `(RMT)` read as an attribution after `];`."""
    text = "{#pp1} [promote promote promote promote promote promote promote dialogue; (RMT)] (+IND)\n"
    entries = (Entry.from_record({"id": "e1", "action": "replace", "paragraph": "pp1",
                                  "anchor": {"text": " promote promote promote dia"}, "text": "0"}),)
    result = compile_round(read(text).draft, [PositionSet("CHN", "MC/2023/DRAFT/5", entries)])
    assert [u.entry.id for u in result.unplaced] == ["e1"] and "(RMT)" in result.unplaced[0].reason
    assert result.text == text
    assert not read(result.text).problems
