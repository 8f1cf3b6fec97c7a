"""Operations: agree, drop, join, withdraw, reserve and bracket a span, each giving valid notation."""

from __future__ import annotations

import pytest

from cicatext.errors import NotationError
from cicatext.notation import operations
from cicatext.notation.reader import parse, read
from cicatext.notation.render import render
from cicatext.notation.tree import Draft, Stance
from tests.notation.corpus import MODALITIES_1_10, OP15, UNDERLINING, at

HEAD = "– *Underlining* the importance of volunteerism for promoting respect for "
TAIL = " and its role in strengthening friendly relations, mutual understanding, trust and tolerance among peoples;"
P1 = "[intercivilizational and intercultural exchanges] (+IRAN)"
OPTIONS = "[[of civilizations] (-CHN), [exchanges and mutual learning among civilizations] (+CHN)]"
P2 = f"[[cultural [and religious] (-CHN)] (+IND) diversity {OPTIONS}] (-IND) (-IRAN)"
TENURE = MODALITIES_1_10.split(" [")[0]
DOCUMENT = f"{{#pp9}} {UNDERLINING}\n\n{{#1.10}} {MODALITIES_1_10}\n\n{{#op15}} {OP15}\n"


def draft() -> Draft:
    return parse(DOCUMENT)


def first(result: Draft) -> str:
    """The first paragraph of a result, rendered; the result must read back without problems."""
    text = render(result)
    assert read(text).problems == ()
    return render(result.paragraphs[0])


def test_underlining_is_as_expected() -> None:
    """The pieces used below put the Underlining paragraph back together."""
    assert UNDERLINING == HEAD + P1 + " " + P2 + TAIL


def test_agree_lifts_bracket() -> None:
    """Agreeing a bracket keeps its text and drops its attributions."""
    assert first(operations.agree(draft(), at(draft(), "pp9:1"))) == (
        "{#pp9} " + HEAD + "intercivilizational and intercultural exchanges " + P2 + TAIL
    )


def test_agree_nested_bracket() -> None:
    """Agreeing an inner bracket lifts only it."""
    expected = P2.replace("[and religious] (-CHN)", "and religious")
    assert first(operations.agree(draft(), at(draft(), "pp9:4"))) == "{#pp9} " + HEAD + P1 + " " + expected + TAIL


def test_agree_alternative_replaces_options_group() -> None:
    """Agreeing one alternative replaces the whole options group by its text."""
    expected = P2.replace(OPTIONS, "exchanges and mutual learning among civilizations")
    assert first(operations.agree(draft(), at(draft(), "pp9:7"))) == "{#pp9} " + HEAD + P1 + " " + expected + TAIL


def test_agree_options_group_is_refused() -> None:
    """An options group cannot be agreed as such; the hint names its alternatives."""
    with pytest.raises(NotationError) as raised:
        operations.agree(draft(), at(draft(), "pp9:5"))
    assert "options group" in raised.value.message
    assert f"{at(draft(), 'pp9:6')}, {at(draft(), 'pp9:7')}" in raised.value.hint


def test_agree_keeps_trailing_punctuation() -> None:
    """Agreeing 1.10's bracket keeps the full stop written between ']' and the attribution."""
    result = operations.agree(draft(), at(draft(), "1.10:1"))
    assert render(result.paragraph("1.10")) == (
        "{#1.10} " + TENURE + ", which should be not less than two and not more than four years."
    )


def test_drop_removes_text_and_tidies() -> None:
    """Dropping a bracket removes its text and attributions and leaves one space."""
    assert first(operations.drop(draft(), at(draft(), "pp9:1"))) == "{#pp9} " + HEAD + P2 + TAIL
    assert first(operations.drop(draft(), at(draft(), "pp9:2"))) == "{#pp9} " + HEAD + P1 + TAIL


def test_drop_inner_bracket_leaves_no_space_before_close() -> None:
    """Dropping a bracket at the end of another leaves no space before the ']'."""
    expected = P2.replace("[cultural [and religious] (-CHN)]", "[cultural]")
    assert first(operations.drop(draft(), at(draft(), "pp9:4"))) == "{#pp9} " + HEAD + P1 + " " + expected + TAIL


def test_drop_one_of_two_alternatives() -> None:
    """Dropping one of two alternatives leaves the other as a plain bracket with its attributions."""
    expected = P2.replace(OPTIONS, "[exchanges and mutual learning among civilizations] (+CHN)")
    assert first(operations.drop(draft(), at(draft(), "pp9:6"))) == "{#pp9} " + HEAD + P1 + " " + expected + TAIL


def test_drop_alternative_keeps_group_attributions() -> None:
    """The surviving alternative carries the group's attributions after its own."""
    text = "diversity [[of civilizations] (-CHN), [exchanges] (+CHN)] (IND tcb) here"
    assert render(operations.drop(parse(text), at(parse(text), "p1:2"))) == "diversity [exchanges] (+CHN) (IND tcb) here"


def test_drop_one_of_three_alternatives() -> None:
    """Dropping one of three alternatives keeps the group with the other two."""
    text = "x [[a] (+A), [b] (+B), [c] (+C)] y"
    assert render(operations.drop(parse(text), at(parse(text), "p1:3"))) == "x [[a] (+A), [c] (+C)] y"
    assert render(operations.drop(parse(text), at(parse(text), "p1:4"))) == "x [[a] (+A), [b] (+B)] y"
    assert render(operations.drop(parse(text), at(parse(text), "p1:2"))) == "x [[b] (+B), [c] (+C)] y"


def test_drop_keeps_trailing_punctuation() -> None:
    """Dropping 1.10's bracket leaves the sentence ending at 'tenure.'."""
    assert render(operations.drop(draft(), at(draft(), "1.10:1")).paragraph("1.10")) == "{#1.10} " + TENURE + "."


def test_drop_whole_paragraph_removes_it() -> None:
    """Dropping a bracket that is the whole paragraph removes the paragraph and its marker."""
    result = operations.drop(draft(), at(draft(), "op15:1"))
    assert [p.id for p in result.paragraphs] == ["pp9", "1.10"]
    assert render(result) == f"{{#pp9}} {UNDERLINING}\n\n{{#1.10}} {MODALITIES_1_10}\n"


def test_join_adds_attribution() -> None:
    """Joining adds the delegation's attribution after the last one."""
    assert first(operations.join(draft(), at(draft(), "pp9:1"), "CHN", "-")) == (
        "{#pp9} " + HEAD + P1 + " (-CHN) " + P2 + TAIL
    )


def test_join_bracket_without_attributions() -> None:
    """Joining a bracket with no attributions writes it right after the ']'."""
    result = operations.join(draft(), at(draft(), "pp9:5"), "RUS", Stance.PROPOSE)
    assert OPTIONS + " (+RUS)]" in first(result)


def test_join_changes_stance() -> None:
    """A delegation already named changes its stance in place."""
    result = operations.join(draft(), at(draft(), "pp9:1"), "IRAN", "-")
    assert first(result) == "{#pp9} " + HEAD + P1.replace("(+IRAN)", "(-IRAN)") + " " + P2 + TAIL


def test_join_same_stance_is_refused() -> None:
    """Joining with the stance already held is refused."""
    with pytest.raises(NotationError, match="already says"):
        operations.join(draft(), at(draft(), "pp9:1"), "IRAN", "+")


def test_join_rejects_bad_code_and_stance() -> None:
    """A code not in capitals or an unknown stance is refused with a hint."""
    with pytest.raises(NotationError) as raised:
        operations.join(draft(), at(draft(), "pp9:1"), "iran", "+")
    assert "IRAN" in raised.value.hint
    with pytest.raises(NotationError, match="not a stance"):
        operations.join(draft(), at(draft(), "pp9:1"), "CHN", "?")


def test_reserve() -> None:
    """Reserving adds `(CODE tcb)`."""
    result = operations.reserve(draft(), at(draft(), "1.10:1"), "CHN")
    assert render(result.paragraph("1.10")).endswith("four years]. (-IND) (CHN tcb)")


def test_withdraw() -> None:
    """Withdrawing removes that delegation's attributions with the space before them."""
    assert first(operations.withdraw(draft(), at(draft(), "pp9:2"), "IND")) == (
        "{#pp9} " + HEAD + P1 + " " + P2.replace("(-IND) (-IRAN)", "(-IRAN)") + TAIL
    )


def test_withdraw_last_attribution_after_punctuation() -> None:
    """Withdrawing the only attribution after punctuation leaves the punctuation as text."""
    result = operations.withdraw(draft(), at(draft(), "1.10:1"), "IND")
    assert render(result.paragraph("1.10")).endswith("four years].")


def test_withdraw_without_attribution_is_refused() -> None:
    """Withdrawing a delegation that says nothing on the bracket is refused; the hint lists what is said."""
    with pytest.raises(NotationError) as raised:
        operations.withdraw(draft(), at(draft(), "pp9:2"), "CHN")
    assert raised.value.hint == "its attributions are (-IND) (-IRAN)"


def test_bracket_span() -> None:
    """Bracketing a span wraps it and attributes it."""
    rendered = render(draft().paragraphs[0])
    start = rendered.index("the importance")
    result = operations.bracket_span(draft(), "pp9", start, start + len("the importance"), "RUS", "+")
    assert first(result) == "{#pp9} " + HEAD.replace("the importance", "[the importance] (+RUS)") + P1 + " " + P2 + TAIL


def test_bracket_span_around_whole_bracket() -> None:
    """A span may take in whole brackets with their attributions, nesting them."""
    rendered = render(draft().paragraphs[0])
    start = rendered.index(P1)
    result = operations.bracket_span(draft(), "pp9", start, start + len(P1), "CHN", "-")
    assert first(result) == "{#pp9} " + HEAD + "[" + P1 + "] (-CHN) " + P2 + TAIL


def test_bracket_span_inside_bracket() -> None:
    """A span may lie inside a bracket's text."""
    rendered = render(draft().paragraphs[0])
    start = rendered.index("intercultural")
    result = operations.bracket_span(draft(), "pp9", start, start + len("intercultural"), "TUR", "tcb")
    assert "[intercivilizational and [intercultural] (TUR tcb) exchanges] (+IRAN)" in first(result)


@pytest.mark.parametrize(
    ("piece", "length_extra", "message"),
    [
        ("the importance", 60, "cuts bracket 'pp9:1' in half"),
        ("exchanges] (+IRAN)", 0, "cuts bracket 'pp9:1' in half"),
        ("[intercivilizational", 30, "cuts bracket 'pp9:1' in half"),
        ("[[cultural", 20, "cuts bracket 'pp9:2' in half"),
    ],
)
def test_bracket_span_may_not_cut_a_bracket(piece: str, length_extra: int, message: str) -> None:
    """A span that would cut a bracket or its attributions in half is refused."""
    rendered = render(draft().paragraphs[0])
    start = rendered.index(piece)
    with pytest.raises(NotationError) as raised:
        operations.bracket_span(draft(), "pp9", start, start + len(piece) + length_extra, "RUS", "+")
    place = message.split("'")[1]
    assert message.replace(place, at(draft(), place)) in raised.value.message
    assert raised.value.hint.startswith("take in the whole bracket")


def test_bracket_span_bad_ranges() -> None:
    """Spans outside the paragraph, over its marker or in an unknown paragraph are refused."""
    with pytest.raises(NotationError, match="id marker"):
        operations.bracket_span(draft(), "pp9", 0, 10, "RUS", "+")
    with pytest.raises(NotationError, match="not inside"):
        operations.bracket_span(draft(), "pp9", 10, 10_000, "RUS", "+")
    with pytest.raises(NotationError, match="no paragraph"):
        operations.bracket_span(draft(), "pp8", 10, 12, "RUS", "+")


def test_bracket_span_refuses_result_that_does_not_read() -> None:
    """A span whose bracket would turn a following round-bracketed group into a broken attribution is refused."""
    text = "the plan (+) is"
    with pytest.raises(NotationError, match="would not be valid notation"):
        operations.bracket_span(parse(text), "p1", 4, 8, "RUS", "+")


def test_bracket_span_before_an_abbreviation_keeps_it_as_text() -> None:
    """`(RMT)` after the new bracket's attribution names no party, so it stays text after it."""
    result = operations.bracket_span(parse("the Road Map (RMT) is"), "p1", 4, 12, "RUS", "+")
    assert render(result) == "the [Road Map] (+RUS) (RMT) is"
    assert [a.code for a in result.paragraphs[0].content[1].attributions] == ["RUS"]


def test_operations_return_new_drafts() -> None:
    """Operations leave the draft they were given unchanged."""
    original = draft()
    operations.drop(original, at(original, "pp9:1"))
    assert render(original) == DOCUMENT


def test_unknown_bracket_is_refused() -> None:
    """An operation on an id that names no bracket says which ids exist."""
    with pytest.raises(NotationError) as raised:
        operations.agree(draft(), "pp9:zzzz")
    assert raised.value.message == "no bracket 'pp9:zzzz'"
    assert raised.value.hint.startswith(f"paragraph pp9 holds {at(draft(), 'pp9:1')} [intercivilizational and")
    assert raised.value.hint.endswith(" and 1 more")


def test_an_id_names_its_bracket_after_others_are_agreed_and_dropped() -> None:
    """Ids follow the bracket's words: taken before two other brackets go, an id still names the same bracket,
    and once its bracket is agreed it names none."""
    ids = {place: at(draft(), place) for place in ("pp9:1", "pp9:4", "pp9:6", "op15:1")}
    changed = operations.drop(operations.agree(draft(), ids["pp9:4"]), ids["op15:1"])
    changed = operations.agree(changed, ids["pp9:1"])
    with pytest.raises(NotationError, match="no bracket"):
        operations.agree(changed, ids["pp9:1"])
    with pytest.raises(NotationError, match="no bracket"):
        operations.agree(changed, ids["pp9:4"])
    assert "[of civilizations] (-CHN)" in render(changed)
    assert "[of civilizations] (-CHN)" not in render(operations.drop(changed, ids["pp9:6"]))
    assert "[exchanges and mutual learning among civilizations] (+CHN)" in render(operations.drop(changed, ids["pp9:6"]))


def test_a_numbered_id_is_refused_and_the_hint_shows_the_bracket_now_there() -> None:
    with pytest.raises(NotationError) as raised:
        operations.agree(draft(), "pp9:1")
    assert "numbered bracket id" in raised.value.message
    assert at(draft(), "pp9:1") in raised.value.hint and "[intercivilizational" in raised.value.hint


def test_unclosed_bracket_is_refused() -> None:
    """An operation on a bracket that was never closed is refused."""
    from cicatext.notation.reader import read as lenient

    broken = lenient("a [b c").draft
    with pytest.raises(NotationError, match="never closed"):
        operations.agree(broken, at(broken, "p1:1"))
