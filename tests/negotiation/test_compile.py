"""Compiling position sets into the next bracketed revision, and reading a delegation's edit as entries."""

from __future__ import annotations

import pytest

from cicatext.errors import RecordError
from cicatext.notation.compile import compile_round
from cicatext.notation.edits import entries_from_edit
from cicatext.notation.paragraph_text import paragraph_text
from cicatext.notation.position_sets import Anchor, Entry, PositionSet, check_entries
from cicatext.notation.reader import parse
from tests.ids import at
from tests.negotiation.conftest import volunteer_text

BASE = (
    "{#pp1} Recognizing the role of volunteerism in promoting respect for cultural diversity;\n\n"
    "{#op1} 1. Encourage recognition of the volunteers' efforts at the national level;\n\n"
    "{#op2} 2. Support [modern electronic systems] (+IRAN) for volunteers [, and databases] (CHN tcb);\n\n"
    "{#op3} 3. Promote the [[exchange] (-CHN), [sharing] (+CHN)] of best practices;\n"
)


def entry(action, paragraph, before="", quoted="", after="", **fields) -> Entry:
    """An entry anchored to `quoted` between `before` and `after`."""
    anchor = Anchor(before, quoted, after) if (before or quoted or after) else None
    return Entry(action=action, paragraph=paragraph, anchor=anchor, **fields)


def compiled(*sets: tuple[str, list[Entry]], base: str = BASE):
    position_sets = [PositionSet(code, "MC/2023/DRAFT/5", tuple(
        e if e.id else Entry(**{**e.__dict__, "id": f"e{i}"}) for i, e in enumerate(entries, 1)))
        for code, entries in sets]
    return compile_round(parse(base), position_sets)


def paragraph(result, paragraph_id: str) -> str:
    for line in result.text.split("\n\n"):
        if line.startswith(f"{{#{paragraph_id}}} "):
            return line.strip().split(" ", 1)[1]
    raise AssertionError(f"no paragraph {paragraph_id}")


# Text entries -----------------------------------------------------------------------


def test_insertion_becomes_a_proposal_bracket():
    """An insertion stands as [text] (+CODE) between the words it was anchored to."""
    result = compiled(("IND", [entry("insert", "op1", "recognition of the", "", "volunteers'", text="valuable")]))
    assert paragraph(result, "op1") == ("1. Encourage recognition of the [valuable] (+IND) volunteers' efforts "
                                        "at the national level;")
    assert not result.unplaced


def test_insertion_starting_with_punctuation_attaches_to_the_word_before():
    """An insertion that starts with a comma after_paragraph the word before it, as in `tenure [, which ...]`."""
    result = compiled(("IND", [entry("insert", "op1", "national level", "", ";", text=", in particular")]))
    assert paragraph(result, "op1").endswith("at the national level[, in particular] (+IND);")


def test_deletion_becomes_an_objection_bracket():
    """A deletion stands as [text] (-CODE)."""
    result = compiled(("CHN", [entry("delete", "pp1", "respect for", "cultural", "diversity")]))
    assert "respect for [cultural] (-CHN) diversity" in paragraph(result, "pp1")


def test_replacement_becomes_an_options_group_with_both_sides_attributed():
    """A replacement gives [[old] (-CODE), [new] (+CODE)]."""
    result = compiled(("TUR", [entry("replace", "op1", "at the", "national", "level", text="regional")]))
    assert "at the [[national] (-TUR), [regional] (+TUR)] level" in paragraph(result, "op1")


def test_different_texts_for_one_span_give_one_options_group_each_attributed():
    """Two delegations replacing the same words differently share one options group, in code order."""
    result = compiled(
        ("TUR", [entry("replace", "op1", "at the", "national", "level", text="regional")]),
        ("IND", [entry("replace", "op1", "at the", "national", "level", text="international")]),
    )
    assert ("at the [[national] (-IND) (-TUR), [international] (+IND), [regional] (+TUR)] level"
            in paragraph(result, "op1"))


def test_the_same_proposal_from_two_delegations_gives_one_bracket_with_both_codes():
    """Identical insertions at one place are one bracket carrying both attributions."""
    result = compiled(
        ("IRAN", [entry("insert", "op1", "recognition of the", "", "volunteers'", text="valuable")]),
        ("AZER", [entry("insert", "op1", "recognition of the", "", "volunteers'", text="valuable")]),
    )
    assert "of the [valuable] (+AZER) (+IRAN) volunteers'" in paragraph(result, "op1")


def test_different_insertions_at_one_place_become_options():
    """Different insertions at the same point are alternatives of one options group."""
    result = compiled(
        ("IRAN", [entry("insert", "op1", "recognition of the", "", "volunteers'", text="valuable")]),
        ("AZER", [entry("insert", "op1", "recognition of the", "", "volunteers'", text="selfless")]),
    )
    assert "of the [[selfless] (+AZER), [valuable] (+IRAN)] volunteers'" in paragraph(result, "op1")


def test_same_deletion_from_two_delegations_is_one_bracket():
    """Two delegations deleting the same words give one bracket with both objections."""
    result = compiled(("CHN", [entry("delete", "pp1", "", "cultural", "")]),
                      ("IND", [entry("delete", "pp1", "", "cultural", "")]))
    assert "[cultural] (-CHN) (-IND)" in paragraph(result, "pp1")


def test_deleting_a_bracketed_proposal_joins_the_bracket():
    """Objecting to exactly the text of an existing bracket adds the objection to that bracket."""
    result = compiled(("TUR", [entry("delete", "op2", "", "modern electronic systems", "")]))
    assert "[modern electronic systems] (+IRAN) (-TUR)" in paragraph(result, "op2")


def test_replacing_an_option_adds_an_alternative_to_the_group():
    """Replacing one alternative of an options group adds a new alternative and objects to the old."""
    result = compiled(("IND", [entry("replace", "op3", "", "sharing", "", text="dissemination")]))
    assert paragraph(result, "op3") == ("3. Promote the [[exchange] (-CHN), [sharing] (+CHN) (-IND), "
                                        "[dissemination] (+IND)] of best practices;")


def test_replacing_a_bracketed_proposal_makes_it_an_option():
    """Replacing exactly a proposal's text turns it into one alternative of a new options group."""
    result = compiled(("TUR", [entry("replace", "op2", "", "modern electronic systems", "", text="platforms")]))
    assert "Support [[modern electronic systems] (+IRAN) (-TUR), [platforms] (+TUR)] for" in paragraph(result, "op2")


def test_span_across_a_bracket_boundary_takes_the_whole_bracket():
    """A span that cuts into a bracket is widened to hold the whole bracket and its attributions."""
    result = compiled(("TUR", [entry("delete", "op2", "", "Support modern electronic", "")]))
    assert paragraph(result, "op2").startswith("2. [Support [modern electronic systems] (+IRAN)] (-TUR) for")


def test_alternative_paragraph_is_added_after_the_paragraph():
    """An alternative to a whole paragraph becomes `[1altern. ...] (+CODE)` right after it."""
    result = compiled(("IRAN", [entry("alternative", "op1", text="Encourage volunteers everywhere;")]))
    assert paragraph(result, "op1altern") == "[1altern. Encourage volunteers everywhere;] (+IRAN)"
    ids = [p.id for p in result.draft.paragraphs]
    assert ids.index("op1altern") == ids.index("op1") + 1


def test_two_alternatives_get_their_own_paragraphs_and_the_same_one_is_shared():
    """Different alternative paragraphs are numbered altern, altern2; an identical one is shared."""
    result = compiled(
        ("IRAN", [entry("alternative", "op1", text="Encourage volunteers everywhere;")]),
        ("AZER", [entry("alternative", "op1", text="Praise volunteers;")]),
        ("TUR", [entry("alternative", "op1", text="Encourage volunteers everywhere;")]),
    )
    assert paragraph(result, "op1altern") == "[1altern. Praise volunteers;] (+AZER)"
    assert paragraph(result, "op1altern2") == "[1altern2. Encourage volunteers everywhere;] (+IRAN) (+TUR)"


def test_alternative_for_a_span_is_an_unattributed_option_beside_the_original():
    """An alternative for some words offers them as an option without objecting to the original."""
    result = compiled(("IRAN", [entry("alternative", "op1", "at the", "national", "level", text="local")]))
    assert "at the [[national], [local] (+IRAN)] level" in paragraph(result, "op1")


def test_new_paragraph_follows_the_named_paragraph():
    """An insertion of a new paragraph stands bracketed after the paragraph it after_paragraph."""
    result = compiled(("CHN", [Entry(action="insert", paragraph="op4", after_paragraph="op3", text="4. Welcome it.")]))
    assert result.text.endswith("{#op4} [4. Welcome it.] (+CHN)\n")


# Bracket entries -------------------------------------------------------------------


def test_support_joins_the_attribution():
    """Support adds (+CODE) or (-CODE) to the named bracket."""
    result = compiled(("AZER", [entry("support", "op2", bracket=at(BASE, "op2:1"), stance="+"),
                                entry("support", "op2", bracket=at(BASE, "op2:2"), stance="-")]))
    assert paragraph(result, "op2") == ("2. Support [modern electronic systems] (+IRAN) (+AZER) for volunteers "
                                        "[, and databases] (CHN tcb) (-AZER);")


def test_withdraw_removes_only_the_delegations_attribution():
    """Withdrawing takes away the delegation's own attribution and keeps the others'."""
    result = compiled(("CHN", [entry("withdraw", "op3", bracket=at(BASE, "op3:2"))]))
    assert "[[exchange], [sharing] (+CHN)]" in paragraph(result, "op3")


def test_reserve_replaces_a_stance_with_tcb():
    """A reservation writes (CODE tcb) in place of the delegation's earlier stance."""
    result = compiled(("IRAN", [entry("reserve", "op2", bracket=at(BASE, "op2:1"))]))
    assert "[modern electronic systems] (IRAN tcb)" in paragraph(result, "op2")


def test_bracket_found_by_its_words_when_the_id_moved():
    """A bracket id that now names another bracket is corrected by the quoted words."""
    result = compiled(("AZER", [entry("support", "op2", "", ", and databases", "", bracket=at(BASE, "op2:1"), stance="-")]))
    assert "[, and databases] (CHN tcb) (-AZER)" in paragraph(result, "op2")


def test_a_numbered_id_is_trusted_only_with_the_quoted_text():
    """A position set written when ids numbered brackets: the quote finds the bracket, a bare place is refused."""
    result = compiled(("AZER", [entry("support", "op2", "", ", and databases", "", bracket="op2:1", stance="-")]))
    assert "[, and databases] (CHN tcb) (-AZER)" in paragraph(result, "op2")
    result = compiled(("IRAN", [entry("reserve", "op2", bracket="op2:1")]))
    assert result.text == BASE and [u.delegation for u in result.unplaced] == ["IRAN"]
    assert "op2:1 is a numbered id, which names a place, not a bracket" in result.unplaced[0].reason


def test_withdraw_without_an_attribution_is_unplaced():
    """Withdrawing an attribution the delegation never made is reported, not ignored."""
    result = compiled(("TUR", [entry("withdraw", "op2", bracket=at(BASE, "op2:1"))]))
    assert result.text == BASE
    assert [u.delegation for u in result.unplaced] == ["TUR"]
    assert "no attribution" in result.unplaced[0].reason


# Anchors --------------------------------------------------------------------------


def test_moved_anchor_is_found_again_fuzzily():
    """An anchor whose context changed a little is re-anchored when one match stands out."""
    result = compiled(("CHN", [entry("delete", "op1", "recognition of all the", "volunteers' efforts",
                                     "at the national levels")]))
    assert "recognition of the [volunteers' efforts] (-CHN) at" in paragraph(result, "op1")
    assert result.placed[0].fuzzy and result.placed[0].score >= 90


def test_ambiguous_anchor_is_unplaced():
    """A quoted span that occurs twice, without context to tell them apart, is left out and reported."""
    base = "{#op1} 1. Promote volunteering and volunteering exchanges and volunteering festivals;\n"
    result = compiled(("CHN", [entry("delete", "op1", "", "volunteering", "")]), base=base)
    assert result.text == base
    assert "occurs 3 times" in result.unplaced[0].reason


def test_fuzzy_match_with_a_close_runner_up_is_unplaced():
    """When two places match the moved anchor about equally well, the entry is reported, not guessed."""
    base = ("{#op1} 1. Support youth volunteer centres in cities; and support youth volunteer centres in "
            "villages;\n")
    result = compiled(("CHN", [entry("delete", "op1", "support", "youth volunteer centre", "in")]), base=base)
    assert result.text == base
    assert "quote more words" in result.unplaced[0].reason


def test_fuzzy_match_keeps_whole_words():
    """A fuzzily found span ends at a word's edge, never inside the word."""
    base = "{#op1} 1. Support youth volunteer centres in cities; and support youth volunteer centres in villages;\n"
    result = compiled(("CHN", [entry("delete", "op1", "and support", "youth volunteer centre", "in")]), base=base)
    assert "and support [youth volunteer centres] (-CHN) in villages" in result.text


def test_vanished_text_is_unplaced():
    """An anchor whose words are gone is reported with the quoted text."""
    result = compiled(("CHN", [entry("delete", "op1", "", "regional and international cooperation", "")]))
    assert result.text == BASE
    assert "no longer in the paragraph" in result.unplaced[0].reason


def test_crossing_spans_leave_the_later_one_unplaced():
    """Spans that overlap without one holding the other cannot both be bracketed; the second is reported."""
    result = compiled(("CHN", [entry("delete", "op1", "", "recognition of the volunteers'", "")]),
                      ("IND", [entry("delete", "op1", "", "the volunteers' efforts", "")]))
    assert "[recognition of the volunteers'] (-CHN) efforts" in paragraph(result, "op1")
    assert [(u.delegation, u.entry.id) for u in result.unplaced] == [("IND", "e1")]


def test_nested_spans_nest_brackets():
    """A span inside another delegation's span becomes a bracket inside its bracket."""
    result = compiled(("CHN", [entry("delete", "op1", "", "recognition of the volunteers' efforts", "")]),
                      ("IND", [entry("insert", "op1", "of the", "", "volunteers'", text="valuable")]))
    assert "[recognition of the [valuable] (+IND) volunteers' efforts] (-CHN)" in paragraph(result, "op1")


def test_missing_paragraph_is_reported_by_check_entries():
    """An entry on a paragraph the text lacks is a problem naming the nearest paragraph id."""
    problems = check_entries(parse(BASE), PositionSet("CHN", "MC/2023/DRAFT/5", (
        entry("delete", "op11", "", "x", ""),)))
    assert "'op11'" in problems[0].message and "op1" in problems[0].hint


def test_order_of_position_sets_does_not_matter():
    """The compiled text depends on the delegations' codes, not the order the sets are given in."""
    a = ("TUR", [entry("replace", "op1", "at the", "national", "level", text="regional")])
    b = ("IND", [entry("replace", "op1", "at the", "national", "level", text="international"),
                 entry("insert", "pp1", "respect for", "", "cultural", text="linguistic and")])
    assert compiled(a, b).text == compiled(b, a).text


def test_every_compiled_text_parses_back():
    """The compiled revision is valid notation that renders back to itself."""
    from cicatext.notation.render import render

    result = compiled(("CHN", [entry("delete", "pp1", "", "cultural", ""),
                               entry("replace", "op3", "", "sharing", "", text="pooling")]),
                      ("IND", [entry("alternative", "op2", text="Support databases.")]))
    assert render(parse(result.text)) == result.text


# The seed's volunteerism statement ---------------------------------------------------


def test_nested_seed_brackets_take_objections_in_place():
    """On pp9 of the seed, an objection to the words of IND's nested proposal joins that bracket."""
    base = volunteer_text()
    result = compile_round(parse(base), [PositionSet("TUR", "MC/2023/DRAFT/5", (
        Entry(id="e1", action="delete", paragraph="pp9", anchor=Anchor(text="cultural and religious")),))])
    assert "[[cultural [and religious] (-CHN)] (+IND) (-TUR) diversity" in result.text


def test_paragraph_text_maps_reading_to_written_offsets():
    """The reading text leaves out bracket marks and attributions and maps back to the written text."""
    text = paragraph_text(parse("{#a} x [y [z] (-CHN)] (+IND) w\n").paragraphs[0])
    assert text.reading == "x y z w"
    assert [text.raw[i] for i in text.offsets] == list("x y z w")
    assert [(s.ordinal, s.depth) for s in text.brackets] == [(1, 1), (2, 2)]


# Reading an edit as entries -----------------------------------------------------------


def test_edit_becomes_entries_that_compile_to_the_expected_brackets():
    """A delegation's plain edit becomes entries, and compiling them brackets exactly that edit."""
    old = parse(BASE)
    new = parse(BASE.replace("at the national level", "at the regional level")
                .replace("respect for cultural diversity", "respect for diversity")
                .replace("(CHN tcb)", "(CHN tcb) (-TUR)")
                .replace("of best practices;", "of good practices;"))
    reading = entries_from_edit(old, new, "TUR")
    assert not reading.problems
    assert [(e.action, e.paragraph) for e in reading.entries] == [
        ("delete", "pp1"), ("replace", "op1"), ("support", "op2"), ("replace", "op3")]
    result = compile_round(old, [PositionSet("TUR", "X", reading.entries)])
    assert not result.unplaced
    assert "respect for [cultural] (-TUR) diversity" in result.text
    assert "at the [[national] (-TUR), [regional] (+TUR)] level" in result.text
    assert "[, and databases] (CHN tcb) (-TUR)" in result.text
    assert "of [[best] (-TUR), [good] (+TUR)] practices" in result.text


def test_edit_of_another_delegations_attribution_is_refused():
    """Changing another delegation's attribution is a problem: nobody puts words in another's mouth."""
    old = parse(BASE)
    new = parse(BASE.replace("(CHN tcb)", "(-CHN)"))
    reading = entries_from_edit(old, new, "TUR")
    assert reading.problems and "CHN" in reading.problems[0].message


def test_new_and_removed_paragraphs_become_entries():
    """A paragraph added after op3 is an insertion that after_paragraph op3; a removed one is a deletion."""
    old = parse(BASE)
    new = parse(BASE.replace("{#op1} 1. Encourage recognition of the volunteers' efforts at the national level;\n\n",
                             "") + "\n{#op4} 4. Welcome the Rally.\n")
    reading = entries_from_edit(old, new, "CHN")
    assert [(e.action, e.paragraph, e.after_paragraph) for e in reading.entries] == [
        ("delete", "op1", None), ("insert", "op4", "op3")]


def test_entry_key_ignores_the_justification():
    """An entry's key changes with what it asks, not with its reasons."""
    a = entry("delete", "op1", "", "x", "", id="e1")
    b = Entry(**{**a.__dict__, "justification": "because"})
    c = Entry(**{**a.__dict__, "paragraph": "op2"})
    assert a.key == b.key != c.key


def test_position_set_record_round_trip():
    """A position set written as a record reads back the same."""
    position_set = PositionSet("CHN", "MC/2023/DRAFT/5", (
        entry("replace", "op1", "at the", "national", "level", text="regional", id="e1", justification="why"),
        entry("support", "op2", bracket=at(BASE, "op2:1"), stance="+", id="e2"),
        Entry(action="insert", paragraph="op4", after_paragraph="op3", text="New.", id="e3")), based_on="MC/2023/DRAFT/5")
    assert PositionSet.from_record(position_set.to_record()) == position_set


@pytest.mark.parametrize("record, words", [
    ({"action": "remove", "paragraph": "op1"}, "unknown action"),
    ({"action": "insert", "paragraph": "op1", "anchor": {"text": ""}}, "needs the new text"),
    ({"action": "delete", "paragraph": "op1", "anchor": {"text": ""}}, "must quote"),
    ({"action": "support", "paragraph": "op1", "bracket": "op1:1"}, "stance"),
    ({"action": "withdraw", "paragraph": "op1"}, "names the bracket"),
])
def test_bad_entries_are_record_errors(record, words):
    """An entry missing what its action needs is a RecordError saying what is missing."""
    with pytest.raises(RecordError) as caught:
        Entry.from_record(record, file="positions/CHN/x.yaml")
    assert words in caught.value.message
