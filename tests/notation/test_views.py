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
from tests.notation.corpus import (
    CASES,
    MODALITIES_1_10,
    OP11,
    OP15,
    UNDERLINING,
    UNDERLINING_CLEAN,
    Case,
    at,
    case,
)

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
        "id": at(parse(DOCUMENT), "pp9:2"),
        "paragraph": "pp9",
        "start": DOCUMENT.index("[[cultural"),
        "end": DOCUMENT.index("]] (-IND)") + 2,
        "line": 1,
        "column": DOCUMENT.index("[[cultural") + 1,
        "depth": 1,
        "text": case("underlining").brackets[1][2],
        "options": False,
        "attributions": [{"code": "IND", "stance": "-"}, {"code": "IRAN", "stance": "-"}],
        "kind": "bracket",
    }
    assert bracket_list(parse(DOCUMENT))[4].to_json()["options"] is True


def test_bracket_ids_name_the_paragraph_and_the_brackets_words() -> None:
    """Bracket ids are the paragraph id and four or more letters drawn from the bracket's words."""
    infos = bracket_list(parse(DOCUMENT))
    assert [b.id.split(":")[0] for b in infos] == ["pp9"] * 7 + ["op11", "op15", "1.10"]
    assert all(len(b.id.split(":")[1]) >= 4 and b.id.split(":")[1].isalpha() for b in infos)
    assert len({b.id for b in infos}) == len(infos)
    assert all(b.full_id.startswith(b.id) for b in infos)


def test_ids_do_not_change_when_other_brackets_are_lifted_or_attributed() -> None:
    """The same bracket keeps its id when another is agreed, when its inner bracket is lifted, and when a
    delegation joins it; its text would have to change for its id to change."""
    before = {b.text: b.id for b in bracket_list(parse(DOCUMENT))}
    changed = DOCUMENT.replace("[and religious] (-CHN)", "and religious").replace(
        "[intercivilizational and intercultural exchanges] (+IRAN)",
        "[intercivilizational and intercultural exchanges] (+IRAN) (-CHN)")
    after = {b.text: b.id for b in bracket_list(parse(changed))}
    assert after["intercivilizational and intercultural exchanges"] == \
        before["intercivilizational and intercultural exchanges"]
    assert after["cultural and religious"] == before["cultural [and religious] (-CHN)"]
    assert after["exchanges and mutual learning among civilizations"] == \
        before["exchanges and mutual learning among civilizations"]


def test_brackets_with_the_same_words_get_their_own_ids_that_others_do_not_inherit() -> None:
    """`[shall]` twice in one paragraph: two ids; when the first goes, the second keeps its own id."""
    text = "{#op1} Parties [shall] (+IND) report and States [shall] (-CHN) review."
    first, second = bracket_list(parse(text))
    assert first.id != second.id
    agreed = parse(text.replace("[shall] (+IND)", "shall"))
    [remaining] = bracket_list(agreed)
    assert remaining.full_id == second.full_id and second.id.startswith(remaining.id)
    assert [a.code for a in find_bracket(agreed, second.id)[1].attributions] == ["CHN"]
    with pytest.raises(NotationError, match="no bracket"):
        find_bracket(agreed, first.id)


def test_find_bracket() -> None:
    """find_bracket returns the paragraph and the bracket with that id, or any prefix of three letters or more."""
    draft = parse(DOCUMENT)
    wanted = at(draft, "pp9:4")
    paragraph, bracket = find_bracket(draft, wanted)
    assert paragraph.id == "pp9"
    assert [a.code for a in bracket.attributions] == ["CHN"]
    assert find_bracket(draft, wanted[:-1])[1] is bracket


@pytest.mark.parametrize(
    ("wanted", "message", "hint"),
    [
        ("pp9:zzzz", "no bracket 'pp9:zzzz'", "paragraph pp9 holds "),
        ("op12:abcd", "no paragraph 'op12'", "the nearest existing ids are "),
        ("pp9", "'pp9' is not a bracket id", "PARAGRAPH:CODE"),
        ("pp9:ab", "'pp9:ab' is not a bracket id", "PARAGRAPH:CODE"),
        ("pp9:0", "'pp9:0' is a numbered bracket id; bracket ids now name the bracket by its text",
         "`cicatext brackets FILE` lists the ids"),
        ("pp9:3", "'pp9:3' is a numbered bracket id; bracket ids now name the bracket by its text",
         "the bracket now at place 3 of pp9 is "),
    ],
)
def test_find_bracket_errors_name_nearest_ids(wanted: str, message: str, hint: str) -> None:
    """A wrong bracket id is a NotationError whose hint names the nearest existing ids."""
    with pytest.raises(NotationError) as raised:
        find_bracket(parse(DOCUMENT), wanted)
    assert raised.value.message == message
    assert hint in raised.value.hint


def test_a_prefix_shared_by_two_brackets_is_refused() -> None:
    draft = parse(DOCUMENT)
    codes = [b.full_id.split(":")[1] for b in bracket_list(draft) if b.paragraph == "pp9"]
    shared = next((a[:3] for a in codes for b in codes if a != b and a[:3] == b[:3]), None)
    if shared is None:
        draft = parse("{#p} " + " ".join(f"[w{n}]" for n in range(600)))
        codes = [b.full_id.split(":")[1] for b in bracket_list(draft)]
        shared = next(a[:3] for a in codes for b in codes if a != b and a[:3] == b[:3])
    paragraph = draft.paragraphs[0].id
    with pytest.raises(NotationError, match="names 2 brackets|names 3 brackets") as raised:
        find_bracket(draft, f"{paragraph}:{shared}")
    assert raised.value.hint.startswith("give more letters: ")


def test_delegation_brackets() -> None:
    """One delegation's brackets are those naming its code, in any stance."""
    draft = parse(DOCUMENT)
    places = dict(zip([b.id for b in bracket_list(draft)],
                      [*(f"pp9:{n}" for n in range(1, 8)), "op11:1", "op15:1", "1.10:1"]))
    assert [places[b.id] for b in delegation_brackets(draft, "IRAN")] == ["pp9:1", "pp9:2", "op11:1", "op15:1"]
    assert [places[b.id] for b in delegation_brackets(draft, "chn")] == ["pp9:4", "pp9:6", "pp9:7"]
    assert [places[b.id] for b in delegation_brackets(draft, "SEC")] == ["op15:1"]
    assert delegation_brackets(draft, "RUS") == []


def test_counts() -> None:
    """Counts give brackets and options groups per paragraph and +, -, tcb per delegation."""
    found = counts(parse(DOCUMENT))
    assert found.to_json() == {
        "paragraphs": [
            {"id": "pp9", "label": None, "brackets": 7, "options": 1, "placeholders": 0, "status_notes": 0,
             "alternatives": 0},
            {"id": "op11", "label": "11.", "brackets": 1, "options": 0, "placeholders": 0, "status_notes": 0,
             "alternatives": 0},
            {"id": "op15", "label": "15.", "brackets": 1, "options": 0, "placeholders": 0, "status_notes": 0,
             "alternatives": 0},
            {"id": "1.10", "label": "1.10", "brackets": 1, "options": 0, "placeholders": 0, "status_notes": 0,
             "alternatives": 0},
        ],
        "delegations": {
            "AZER": {"+": 1, "-": 0, "tcb": 0},
            "CHN": {"+": 1, "-": 2, "tcb": 0},
            "IND": {"+": 1, "-": 2, "tcb": 0},
            "IRAN": {"+": 2, "-": 2, "tcb": 0},
            "SEC": {"+": 0, "-": 0, "tcb": 1},
        },
        "totals": {"paragraphs": 4, "bracketed_paragraphs": 4, "brackets": 10, "options": 1, "attributions": 12,
                   "placeholders": 0, "status_notes": 0, "alternatives": 0},
    }


def test_views_on_hand_made_tree() -> None:
    """A tree without positions is listed after being read afresh."""
    from cicatext.notation.tree import Attribution, Bracket, Draft, Paragraph, Stance, Text

    draft = Draft(
        (Paragraph("a", (Text("x "), Bracket((Text("y"),), (Attribution("CHN", Stance.OBJECT),)))),),
        ("", ""),
    )
    (info,) = bracket_list(draft)
    assert (info.id.split(":")[0], info.start, info.end, info.line, info.column) == ("p1", 2, 5, 1, 3)
