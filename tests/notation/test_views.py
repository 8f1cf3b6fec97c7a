"""Views: the bracket list and its JSON, finding a bracket by id, the clean text, one delegation, counts."""

from __future__ import annotations

import pytest

from cicatext.errors import NotationError
from cicatext.notation.reader import parse
from cicatext.notation.views import (
    bracket_list,
    clean_paragraph,
    clean_text,
    counts,
    delegation_brackets,
    find_bracket,
)
from tests.notation.corpus import CASES, MODALITIES_1_10, OP11, OP15, UNDERLINING, UNDERLINING_CLEAN, Case, case

DOCUMENT = f"{{#pp9}} {UNDERLINING}\n\n{{#op11}} {OP11}\n\n{{#op15}} {OP15}\n\n{{#1.10}} {MODALITIES_1_10}\n"


@pytest.mark.parametrize("case", [c for c in CASES if c.clean is not None], ids=lambda c: c.id)
def test_corpus_clean_text(case: Case) -> None:
    """The clean text of each corpus case is exactly what the corpus pins."""
    assert clean_text(parse(case.text)) == case.clean


def test_clean_underlining_paragraph() -> None:
    """Cleaning the Underlining paragraph removes all seven brackets and leaves single spaces."""
    paragraph = parse(UNDERLINING).paragraphs[0]
    assert clean_paragraph(paragraph) == (
        "– *Underlining* the importance of volunteerism for promoting respect for and its role in "
        "strengthening friendly relations, mutual understanding, trust and tolerance among peoples;"
    )
    assert clean_paragraph(paragraph) == UNDERLINING_CLEAN


def test_clean_document_drops_markers_and_empty_paragraphs() -> None:
    """Id markers go, and paragraphs bracketed whole (11, 15) vanish from the clean text."""
    assert clean_text(parse(DOCUMENT)) == (
        UNDERLINING_CLEAN
        + "\n\n1.10 A Member State intending to assume the role of Coordinator or Cocoordinator in a specific "
        "priority area shall inform all CICA Member States about its intention through the CICA "
        "Chairmanship and the Secretariat in writing, indicating the proposed tenure.\n"
    )


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("a, [b] (+X), c", "a, c"),
        ("a [b] (+X); c", "a; c"),
        ("for [x] (+A), and [y] (-B).", "for, and."),
        ("[x] (+A), rest", "rest"),
        ("first line\n[whole line] (-CHN)\nlast line", "first line\nlast line"),
        ("12. [Promote ...] (+IRAN)", ""),
        ("- [all of it] (+IRAN)", ""),
        ("(see [x] (+A))", "(see)"),
    ],
)
def test_clean_tidies_spacing_and_punctuation(text: str, clean: str) -> None:
    """Removing brackets leaves no double space, no space before punctuation, no dangling number or bullet."""
    assert clean_paragraph(parse(text).paragraphs[0]) == clean


def test_bracket_info_json() -> None:
    """A bracket's JSON names its id, paragraph, offsets, line, column, depth, text, options and attributions."""
    info = bracket_list(parse(DOCUMENT))[1]
    assert info.to_json() == {
        "id": "pp9:2",
        "paragraph": "pp9",
        "start": DOCUMENT.index("[[cultural"),
        "end": DOCUMENT.index("]] (-IND)") + 2,
        "line": 1,
        "column": DOCUMENT.index("[[cultural") + 1,
        "depth": 1,
        "text": case("underlining").brackets[1][2],
        "options": False,
        "attributions": [{"code": "IND", "stance": "-"}, {"code": "IRAN", "stance": "-"}],
    }
    assert bracket_list(parse(DOCUMENT))[4].to_json()["options"] is True


def test_bracket_ids_per_paragraph() -> None:
    """Bracket ids are the paragraph id and the pre-order ordinal within the paragraph."""
    ids = [b.id for b in bracket_list(parse(DOCUMENT))]
    assert ids == [f"pp9:{n}" for n in range(1, 8)] + ["op11:1", "op15:1", "1.10:1"]


def test_find_bracket() -> None:
    """find_bracket returns the paragraph and the bracket with that id."""
    paragraph, bracket = find_bracket(parse(DOCUMENT), "pp9:4")
    assert paragraph.id == "pp9"
    assert [a.code for a in bracket.attributions] == ["CHN"]


@pytest.mark.parametrize(
    ("wanted", "message", "hint"),
    [
        ("pp9:8", "no bracket 'pp9:8'", "paragraph pp9 holds brackets pp9:1 to pp9:7"),
        ("op11:2", "no bracket 'op11:2'", "paragraph op11 holds one bracket: op11:1"),
        ("op12:1", "no paragraph 'op12'", "op11:1"),
        ("pp9", "'pp9' is not a bracket id", "PARAGRAPH:N"),
        ("pp9:0", "'pp9:0' is not a bracket id", "PARAGRAPH:N"),
    ],
)
def test_find_bracket_errors_name_nearest_ids(wanted: str, message: str, hint: str) -> None:
    """A wrong bracket id is a NotationError whose hint names the nearest existing ids."""
    with pytest.raises(NotationError) as raised:
        find_bracket(parse(DOCUMENT), wanted)
    assert raised.value.message == message
    assert hint in raised.value.hint


def test_delegation_brackets() -> None:
    """One delegation's brackets are those naming its code, in any stance."""
    draft = parse(DOCUMENT)
    assert [b.id for b in delegation_brackets(draft, "IRAN")] == ["pp9:1", "pp9:2", "op11:1", "op15:1"]
    assert [b.id for b in delegation_brackets(draft, "chn")] == ["pp9:4", "pp9:6", "pp9:7"]
    assert [b.id for b in delegation_brackets(draft, "SEC")] == ["op15:1"]
    assert delegation_brackets(draft, "RUS") == []


def test_counts() -> None:
    """Counts give brackets and options groups per paragraph and +, -, tcb per delegation."""
    found = counts(parse(DOCUMENT))
    assert found.to_json() == {
        "paragraphs": [
            {"id": "pp9", "label": None, "brackets": 7, "options": 1},
            {"id": "op11", "label": "11.", "brackets": 1, "options": 0},
            {"id": "op15", "label": "15.", "brackets": 1, "options": 0},
            {"id": "1.10", "label": "1.10", "brackets": 1, "options": 0},
        ],
        "delegations": {
            "AZER": {"+": 1, "-": 0, "tcb": 0},
            "CHN": {"+": 1, "-": 2, "tcb": 0},
            "IND": {"+": 1, "-": 2, "tcb": 0},
            "IRAN": {"+": 2, "-": 2, "tcb": 0},
            "SEC": {"+": 0, "-": 0, "tcb": 1},
        },
        "totals": {"paragraphs": 4, "bracketed_paragraphs": 4, "brackets": 10, "options": 1, "attributions": 12},
    }


def test_views_on_hand_made_tree() -> None:
    """A tree without positions is listed after being read afresh."""
    from cicatext.notation.tree import Attribution, Bracket, Draft, Paragraph, Stance, Text

    draft = Draft(
        (Paragraph("a", (Text("x "), Bracket((Text("y"),), (Attribution("CHN", Stance.OBJECT),)))),),
        ("", ""),
    )
    (info,) = bracket_list(draft)
    assert (info.id, info.start, info.end, info.line, info.column) == ("p1:1", 2, 5, 1, 3)
