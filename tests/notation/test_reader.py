"""The reader: the corpus, the seed's bracketed paragraphs, malformed input located exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from cicatext.errors import NotationError
from cicatext.notation.reader import Reading, parse, read
from cicatext.notation.render import render
from cicatext.notation.tree import Bracket, Stance, Text
from cicatext.notation.views import bracket_list
from tests.notation.corpus import CASES, MALFORMED, UNDERLINING_BRACKETS, Case, Malformed, ordinal_ids

SEED = Path(__file__).resolve().parents[2] / "cicatext" / "seed" / "swg-739.txt"
SEED_CODES = ("IRAN", "CHN", "IND", "AZER", "TUR", "SEC", "RUS")


def seed_text() -> str:
    with open(SEED, encoding="utf-8", newline="") as handle:
        return handle.read()


def listed(text: str) -> tuple:
    infos = bracket_list(parse(text))
    return tuple(
        (place, b.depth, b.text, tuple((a.code, a.stance.value) for a in b.attributions))
        for place, b in zip(ordinal_ids(infos), infos)
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_corpus_reads_as_expected(case: Case) -> None:
    """Every corpus case reads with no problem into exactly its expected brackets."""
    reading = read(case.text)
    assert reading.problems == ()
    assert listed(case.text) == case.brackets


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_corpus_options_groups(case: Case) -> None:
    """A bracket is an options group exactly when the corpus says so."""
    infos = bracket_list(parse(case.text))
    groups = tuple(place for place, b in zip(ordinal_ids(infos), infos) if b.options)
    assert groups == case.options


@pytest.mark.parametrize("case", [c for c in CASES if c.labels is not None], ids=lambda c: c.id)
def test_corpus_paragraph_labels(case: Case) -> None:
    """Each paragraph's own numbering is read from its start, also just inside a leading '['."""
    assert tuple(p.label for p in parse(case.text).paragraphs) == case.labels


@pytest.mark.parametrize("case", [c for c in CASES if c.from_seed], ids=lambda c: c.id)
def test_seed_cases_are_verbatim(case: Case) -> None:
    """The corpus cases said to come from the seed stand in it character for character."""
    seed = seed_text()
    for paragraph in case.text.split("\n\n"):
        assert paragraph in seed


@pytest.mark.parametrize("case", MALFORMED, ids=lambda c: c.id)
def test_malformed_located_exactly(case: Malformed) -> None:
    """Each malformed input reports its problems at the exact line and column of the offending character."""
    reading = read(case.text, codes=case.codes, file="draft.txt")
    assert len(reading.problems) == len(case.problems), reading.problems
    for problem, (line, column, phrase) in zip(reading.problems, case.problems):
        assert (problem.line, problem.column) == (line, column), problem
        assert phrase in problem.message
        assert problem.code == "notation"
        assert problem.file == "draft.txt"
        assert problem.hint
        assert problem.source_line == case.text.split("\n")[line - 1]


@pytest.mark.parametrize("case", MALFORMED, ids=lambda c: c.id)
def test_malformed_parse_raises_with_every_problem(case: Malformed) -> None:
    """The strict reader raises NotationError located at the first problem, carrying them all."""
    with pytest.raises(NotationError) as raised:
        parse(case.text, codes=case.codes, file="draft.txt")
    error = raised.value
    first_line, first_column, phrase = case.problems[0]
    assert (error.problem.line, error.problem.column) == (first_line, first_column)
    assert phrase in error.message
    assert len(error.problems) == len(case.problems)
    assert error.format().startswith(f"draft.txt:{first_line}:{first_column}: ")


@pytest.mark.parametrize("case", MALFORMED, ids=lambda c: c.id)
def test_malformed_lenient_tree_round_trips(case: Malformed) -> None:
    """Even a malformed input renders back exactly from its lenient tree."""
    assert render(read(case.text, codes=case.codes).draft) == case.text


# The seed -----------------------------------------------------------------------


def seed_paragraph(start: str) -> str:
    found = [line for line in seed_text().split("\n") if line.startswith(start)]
    assert len(found) == 1
    return found[0]


def test_seed_underlining_paragraph() -> None:
    """The Underlining preambular paragraph holds seven brackets, nested three deep, with one options group."""
    assert listed(seed_paragraph("– *Underlining*")) == UNDERLINING_BRACKETS


def test_seed_paragraph_11() -> None:
    """Paragraph 11 is bracketed whole, opposed by IRAN and proposed by AZER."""
    (only,) = listed(seed_paragraph("[11. Promote"))
    assert only[:2] == ("p1:1", 1)
    assert only[3] == (("IRAN", "-"), ("AZER", "+"))


def test_seed_paragraph_11altern() -> None:
    """11altern is IRAN's alternative (AZER to come back) holding two TUR proposals; 12 runs on after it."""
    paragraph = seed_paragraph("[11altern.")
    assert [(b[0], b[1], b[3]) for b in listed(paragraph)] == [
        ("p1:1", 1, (("IRAN", "+"), ("AZER", "tcb"))),
        ("p1:2", 2, (("TUR", "+"),)),
        ("p1:3", 2, (("TUR", "+"),)),
    ]
    assert parse(paragraph).paragraphs[0].label == "11altern."


def test_seed_paragraph_13() -> None:
    """Paragraph 13 holds one bracket CHN will come back to."""
    assert [(b[0], b[1], b[3]) for b in listed(seed_paragraph("13. Support"))] == [
        ("p1:1", 1, (("CHN", "tcb"),)),
    ]


def test_seed_paragraph_15() -> None:
    """Paragraph 15 is bracketed whole: IRAN proposes it, the Secretariat will come back to it."""
    assert [(b[0], b[1], b[3]) for b in listed(seed_paragraph("[15. Encourage"))] == [
        ("p1:1", 1, (("IRAN", "+"), ("SEC", "tcb"))),
    ]


def test_seed_modalities_1_10() -> None:
    """In 1.10 the attribution written after the full stop still belongs to the bracket; the stop is its trailer."""
    draft = parse(seed_paragraph("1.10 A Member State"))
    (bracket, depth), = draft.paragraphs[0].brackets()
    assert depth == 1
    assert bracket.trailer == "."
    assert [(a.code, a.stance) for a in bracket.attributions] == [("IND", Stance.OBJECT)]
    assert draft.paragraphs[0].label == "1.10"


def test_whole_seed_round_trips_and_counts() -> None:
    """The whole seed reads with no problem (its codes known), renders back exactly and holds 14 brackets."""
    text = seed_text()
    reading = read(text, codes=SEED_CODES, file="seed.txt")
    assert reading.problems == ()
    assert render(reading.draft) == text
    brackets = bracket_list(reading.draft)
    assert len(brackets) == 14
    assert sum(len(b.attributions) for b in brackets) == 17
    assert len(reading.draft.separators) == len(reading.draft.paragraphs) + 1


def test_whole_seed_bracket_positions_frame_the_brackets() -> None:
    """Each listed bracket's start and end frame its '[' and ']' in the whole input."""
    text = seed_text()
    for info in bracket_list(parse(text)):
        assert text[info.start] == "["
        assert text[info.end - 1] == "]"
        assert text[info.start + 1 : info.end - 1] == info.text
        line = text.split("\n")[info.line - 1]
        assert line[info.column - 1] == "["


# Details of the reading ---------------------------------------------------------


def test_paragraphs_and_separators() -> None:
    """Blank lines (white space only) separate paragraphs; the separators keep every character."""
    text = "\n first\nstill first  \n \t\n\n{#b} second\n\n\n"
    draft = parse(text)
    assert [p.id for p in draft.paragraphs] == ["p1", "b"]
    assert draft.separators == ("\n ", "  \n \t\n\n", "\n\n\n")
    assert render(draft.paragraphs[0]) == "first\nstill first"
    assert draft.paragraphs[1].marker == "{#b} "


def test_empty_and_blank_texts() -> None:
    """An empty or blank text has no paragraphs and one separator."""
    assert parse("").paragraphs == ()
    assert parse("").separators == ("",)
    assert parse(" \n\n ").separators == (" \n\n ",)


def test_ids_by_order_without_markers() -> None:
    """Paragraphs without markers are p1, p2, ... by order."""
    assert [p.id for p in parse("a\n\nb\n\nc").paragraphs] == ["p1", "p2", "p3"]


def test_marker_ids() -> None:
    """A marker's id may hold letters, digits, '.', '_' and '-'."""
    draft = parse("{#op11altern} a\n\n{#1.10} b\n\n{#pp_3-x} c")
    assert [p.id for p in draft.paragraphs] == ["op11altern", "1.10", "pp_3-x"]


def test_loose_spelling_is_a_warning() -> None:
    """`(+ IRAN)` is read as IRAN's proposal with a warning giving the normal spelling."""
    reading = read("[text] (+ IRAN) (CHN  tcb)")
    assert reading.ok
    assert [p.severity for p in reading.problems] == ["warning", "warning"]
    assert reading.problems[0].hint == "write (+IRAN)"
    (bracket, _), = reading.draft.paragraphs[0].brackets()
    assert [(a.code, a.stance.value) for a in bracket.attributions] == [("IRAN", "+"), ("CHN", "tcb")]
    parse("[text] (+ IRAN)")


def test_unknown_code_suggests_nearest() -> None:
    """An unknown code is an error whose hint names the nearest known code."""
    reading = read("[text] (+IRN)", codes=SEED_CODES)
    (problem,) = reading.problems
    assert problem.message == "unknown delegation code 'IRN'"
    assert problem.hint == "did you mean 'IRAN'? Known codes are defined in the registry"


def test_plain_round_brackets_after_a_bracket_stay_text() -> None:
    """A round-bracketed aside after a bracket that is no attribution is plain text."""
    draft = parse("[projects] (festivals, conferences, etc.) related")
    (bracket, _), = draft.paragraphs[0].brackets()
    assert bracket.attributions == ()
    assert draft.paragraphs[0].content[1] == Text(" (festivals, conferences, etc.) related", draft.paragraphs[0].content[1].pos)


def test_unclosed_bracket_in_lenient_tree() -> None:
    """An unclosed '[' becomes a Bracket that is not closed, holding the rest of the paragraph."""
    reading = read("a [b [c] (+X) d\n\ne")
    content = reading.draft.paragraphs[0].content
    assert isinstance(content[1], Bracket) and content[1].closed is False
    assert render(content[1]) == "[b [c] (+X) d"
    assert reading.draft.paragraphs[1].content == (Text("e", reading.draft.paragraphs[1].content[0].pos),)


def test_positions_of_nodes() -> None:
    """Nodes carry offsets into the whole input and 1-based line and column."""
    draft = parse("x\n\nab [cd] (+IRAN)")
    paragraph = draft.paragraphs[0 + 1]
    bracket = paragraph.content[1]
    assert (bracket.pos.start, bracket.pos.end, bracket.pos.line, bracket.pos.column) == (6, 10, 3, 4)
    attribution = bracket.attributions[0]
    assert (attribution.pos.start, attribution.pos.end, attribution.pos.column) == (11, 18, 9)
    assert paragraph.pos == (3, 18, 3, 1)


def test_reading_is_frozen() -> None:
    """A Reading is a frozen value."""
    reading = read("x")
    assert isinstance(reading, Reading)
    with pytest.raises(AttributeError):
        reading.draft = None  # type: ignore[misc]


def test_paragraph_of_only_a_marker() -> None:
    """A paragraph that is only `{#id} ` keeps its space and round-trips."""
    text = "{#x} \n\n{#y} text"
    draft = parse(text)
    assert [(p.id, p.marker, p.content) for p in draft.paragraphs][0] == ("x", "{#x} ", ())
    assert render(draft) == text


@pytest.mark.parametrize("text, codes, expected", [
    ("[the National Disaster Management Centre] (NDMC) acts", ("IRAN", "CHN"), None),
    ("[the National Disaster Management Centre] (NDMC) acts", None, "is read as text, not as an attribution"),
    ("[the text] (+G-77)", ("IRAN",), "looks like an attribution but is not read as one"),
    ("[the text] (+EU, +US)", ("IRAN",), "looks like an attribution but is not read as one"),
    ("[the text] (+U.S.)", ("IRAN",), "looks like an attribution but is not read as one"),
    ("[the text] (US: retain)", ("IRAN",), "looks like an attribution but is not read as one"),
    ("[the text] (EU, US, JPN)", None, "looks like an attribution but is not read as one"),
    ("[the text] (festivals, conferences, etc.)", ("IRAN",), None),
    ("[the plan] (MC/2023/CHAIR/1)", ("IRAN",), None),
])
def test_round_brackets_after_a_bracket_that_are_no_attribution_stay_text(text, codes, expected):
    """Another house's attribution is never dropped silently: a warning names it; an abbreviation is text."""
    reading = read(text, codes=codes, file="draft.txt")
    assert [p.severity for p in reading.problems] == ([] if expected is None else ["warning"])
    if expected is not None:
        [problem] = reading.problems
        assert expected in problem.message and (problem.line, problem.column) == (1, text.index("(", text.index("]")) + 1)
    [bracket] = [node for node in reading.draft.paragraphs[0].content if hasattr(node, "attributions")]
    assert bracket.attributions == ()
    assert render(reading.draft) == text
