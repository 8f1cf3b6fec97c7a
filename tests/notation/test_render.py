"""The renderer: what was read renders back exactly; what operations make renders in the normal spelling."""

from __future__ import annotations

import pytest

from cicatext.notation.reader import parse, read
from cicatext.notation.render import render
from cicatext.notation.tree import Attribution, Bracket, Draft, Paragraph, Stance, Text
from tests.notation.corpus import CASES, MALFORMED, Case


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_corpus_round_trips(case: Case) -> None:
    """Every corpus case renders back to its input, character for character."""
    assert render(parse(case.text)) == case.text


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_corpus_nodes_render_their_own_span(case: Case) -> None:
    """Each paragraph and bracket renders to exactly the slice of the input its position names."""
    draft = parse(case.text)
    for paragraph in draft.paragraphs:
        assert render(paragraph) == case.text[paragraph.pos.start : paragraph.pos.end]
        assert render(paragraph.content) == case.text[paragraph.pos.start + len(paragraph.marker) : paragraph.pos.end]
        for bracket, _ in paragraph.brackets():
            end = bracket.attributions[-1].pos.end if bracket.attributions else bracket.pos.end
            assert render(bracket) == case.text[bracket.pos.start : end]
            for attribution in bracket.attributions:
                assert render(attribution) == case.text[attribution.pos.start : attribution.pos.end]


def test_made_nodes_render_in_normal_spelling() -> None:
    """Nodes built by hand render with canonical attributions, one space before each."""
    bracket = Bracket(
        (Text("and religious"),),
        (Attribution("CHN", Stance.OBJECT), Attribution("AZER", Stance.RESERVE), Attribution("IRAN", Stance.PROPOSE)),
    )
    assert render(bracket) == "[and religious] (-CHN) (AZER tcb) (+IRAN)"
    paragraph = Paragraph("op3", (Text("cultural "), bracket, Text(" diversity")), marker="{#op3} ")
    draft = Draft((paragraph, paragraph), ("", "\n\n", "\n"))
    assert render(draft) == (
        "{#op3} cultural [and religious] (-CHN) (AZER tcb) (+IRAN) diversity\n\n"
        "{#op3} cultural [and religious] (-CHN) (AZER tcb) (+IRAN) diversity\n"
    )
    assert read(render(draft)).problems[0].message == "duplicate paragraph id 'op3'"


def test_render_tuple_and_trailer() -> None:
    """A tuple of inline nodes renders in order; a trailer stands between ']' and the attributions."""
    bracket = Bracket((Text(", which"),), (Attribution("IND", Stance.OBJECT),), trailer=".")
    assert render((Text("tenure "), bracket)) == "tenure [, which]. (-IND)"


def test_unclosed_bracket_renders_without_close() -> None:
    """A bracket read without its ']' renders without one."""
    assert render(Bracket((Text("open"),), closed=False)) == "[open"


def test_render_rejects_other_values() -> None:
    """Rendering something that is not a node is a TypeError."""
    with pytest.raises(TypeError):
        render(42)


@pytest.mark.parametrize("case", MALFORMED, ids=lambda c: c.id)
def test_malformed_round_trips(case) -> None:
    """Lenient trees of malformed inputs render back exactly."""
    assert render(read(case.text).draft) == case.text
