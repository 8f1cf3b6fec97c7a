"""Bracket ids: made from the bracket's words, told apart by depth, the words before and order, shown shortest."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cicatext.notation import bracket_ids
from cicatext.notation.bracket_ids import (
    ALPHABET,
    bracket_code,
    is_numbered,
    name_paragraph,
    paragraph_codes,
    shown_ids,
    split_id,
    words,
)
from cicatext.notation.reader import read
from cicatext.notation.views import bracket_list
from tests.notation.corpus import CASES


def paragraph(text: str):
    return read(text).draft.paragraphs[0]


def ids(text: str) -> list[tuple[str, str, str]]:
    """(shown id, full id, text) of every bracket of a text."""
    return [(b.id, b.full_id, b.text) for b in bracket_list(read(text).draft)]


def test_the_key_is_the_words_without_marks_or_attributions() -> None:
    """Attributions and `[`/`]` go, white space is made single, case and punctuation stay."""
    [outer, *_] = [b for b, _ in paragraph("{#p} x [Cultural,\n  [and religious] (-CHN).  Diversity] (+IND) y").brackets()]
    assert words(outer) == "Cultural, and religious. Diversity"


def test_a_code_is_letters_of_the_hash_without_i_l_o() -> None:
    """Seventeen letters from 23, never a digit, so a code is never taken for a numbered id."""
    code = bracket_code("intercivilizational and intercultural exchanges", 1, "")
    assert len(code) == 17 and set(code) <= set(ALPHABET) and not set(code) & set("ilo0123456789")
    assert set(ALPHABET) == set("abcdefghijklmnopqrstuvwxyz") - set("ilo")
    # The sample repository's first bracket, as the docs show it.
    assert code.startswith("gbyh")
    assert bracket_code("shall", 1, "a b") == bracket_code("shall", 1, "a b")


def test_the_words_decide_the_first_letters_alone() -> None:
    """Where the words differ, the shown id is four letters of the words, whatever stands around the bracket."""
    first = ids("{#p} Parties [shall] (+IND) report.")
    moved = ids("{#p} Every one of the States and then the Parties [[shall] (-CHN) not] (+IND) report.")
    assert first[0][0] == moved[1][0] == "p:" + bracket_code("shall", 5, "x")[:4]
    assert len(first[0][0]) == len("p:") + 4


def test_the_same_words_at_other_depths_are_told_apart_by_depth() -> None:
    """`[[text] (+X)] (-Y)`: one code's words, then the depth; the words before do not enter the shown ids."""
    here = ids("{#p} a [[in good time] (+IND)] (-CHN) b")
    there = ids("{#p} other words come first here [[in good time] (+IND)] (-CHN) b")
    assert [shown for shown, _, _ in here] == [shown for shown, _, _ in there]
    (outer, outer_full, _), (inner, inner_full, _) = here
    assert outer != inner and outer_full[:12] == inner_full[:12]
    assert len(outer) <= len("p:") + 12 and len(inner) <= len("p:") + 12
    assert outer_full[2:] == bracket_code("in good time", 1, "a")


def test_the_same_words_at_one_depth_are_told_apart_by_the_words_before() -> None:
    """`[shall]` twice: the eight words of the paragraph before each one tell them apart."""
    text = "{#p} Parties [shall] (+IND) report and States [shall] (-CHN) review."
    (first, first_full, _), (second, second_full, _) = ids(text)
    assert first != second
    assert first_full[2:] == bracket_code("shall", 1, "Parties")
    assert second_full[2:] == bracket_code("shall", 1, "Parties shall report and States")


def test_only_the_eight_words_before_count() -> None:
    """Words further back than eight do not enter the key."""
    text = "{#p} one two three four five six seven eight nine ten [a] (+IND)"
    far = "{#p} other words one two three four five six seven eight nine ten [a] (+IND)"
    assert ids(text)[0][1] == ids(far)[0][1]
    assert ids(text)[0][1][2:] == bracket_code("a", 1, "three four five six seven eight nine ten")


def test_brackets_equal_in_all_three_take_their_order() -> None:
    """Same words, depth and words before: numbered in turn; a bracket without an equal has order 0."""
    codes = [code for _, _, code in paragraph_codes(paragraph("{#p} x [a] (+IND) [a] (-CHN)"))]
    assert codes == [bracket_code("a", 1, "x"), bracket_code("a", 1, "x a")]
    twins = "{#p} w w w w w w w w [a] (+IND) w w w w w w w w [a] (-CHN)"
    codes = [code for _, _, code in paragraph_codes(paragraph(twins))]
    assert codes == [bracket_code("a", 1, "w w w w w w w w", 1), bracket_code("a", 1, "w w w w w w w w", 2)]
    # When one of them goes, the other does not take its code.
    [(_, _, left)] = paragraph_codes(paragraph("{#p} w w w w w w w w a w w w w w w w w [a] (-CHN)"))
    assert left not in codes


def test_shown_ids_are_the_shortest_unique_prefix_of_four_letters_or_more() -> None:
    """Four letters when no other code of the paragraph shares them, more until none does."""
    assert shown_ids("p", ["abcdxyz", "abcdxqq", "bbbbbbb"]) == ["p:abcdxy", "p:abcdxq", "p:bbbb"]
    assert shown_ids("p", ["abcdefg"]) == ["p:abcd"]


def _shown_by_definition(paragraph_id: str, codes: list[str]) -> list[str]:
    """Each code's shortest prefix of at least four letters that no other distinct code shares, found the long way."""
    shown = []
    for code in codes:
        others = [other for other in set(codes) if other != code]
        length = 4
        while length < len(code) and any(other.startswith(code[:length]) for other in others):
            length += 1
        shown.append(f"{paragraph_id}:{code[:length]}")
    return shown


@given(st.lists(st.text("ab", min_size=1, max_size=9), max_size=8))
def test_shown_ids_are_those_of_their_definition(codes: list[str]) -> None:
    """Shown ids are the shortest unique prefixes of four letters or more, whether or not codes share four."""
    assert shown_ids("p", codes) == _shown_by_definition("p", codes)


def test_joining_withdrawing_and_lifting_inside_do_not_change_a_code() -> None:
    """The outer bracket's code is its words: attributions and inner brackets' marks are no part of it."""
    before = {code for _, _, code in paragraph_codes(paragraph("{#p} a [b [c] (-CHN) d] (+IND) e"))}
    for changed in ("{#p} a [b [c] (-CHN) (+TUR) d] (+IND) (-IRAN) e", "{#p} a [b c d] (+IND) e",
                    "{#p} a [b c d] e"):
        [(_, _, code)] = [found for found in paragraph_codes(paragraph(changed)) if found[1] == 1]
        assert code in before


def test_a_spanning_bracket_has_one_id_in_the_paragraph_where_it_opens() -> None:
    """Its part in the next paragraph carries the id it has where it opens."""
    draft = read("{#p1} a [b (+IND)\n\n{#p2} c] (-CHN) d\n").draft
    first = name_paragraph(draft.paragraphs[0])
    [listed] = bracket_list(draft)
    assert listed.full_id == first[0].full and listed.paragraphs == ("p1", "p2")


@pytest.mark.parametrize(("given", "parsed"), [
    ("pp9:gby", ("pp9", "gby")), ("op11altern:abcdefg", ("op11altern", "abcdefg")), ("pp9:gb", None),
    ("pp9:1", None), ("pp9:Gbyh", None), ("pp9:gbih", None), ("gbyh", None), (":gbyh", None),
])
def test_split_id_takes_three_letters_of_the_alphabet_or_more(given: str, parsed) -> None:
    """An id is PARAGRAPH:CODE, CODE three letters or more of the code alphabet."""
    assert split_id(given) == parsed
    assert is_numbered(given) == (given == "pp9:1")


def _shown(paragraph) -> dict[int, str]:
    return {id(named.bracket): named.shown for named in name_paragraph(paragraph)}


@pytest.mark.parametrize("text", [c.text for c in CASES] + [
    "a [shall] (+IND) b [shall] (-CHN) c [[shall] (+X)] (-Y) d [should] (+IND)",
    "[one] (+A) [two] (+B) [three] (+C) [one] (+D)",
])
def test_shown_by_bracket_gives_the_ids_name_paragraph_shows(text: str) -> None:
    """The ids from the words' letters alone (the full codes where two brackets share them) are the shown ids."""
    for paragraph in read(text).draft.paragraphs:
        assert bracket_ids.shown_by_bracket(paragraph) == _shown(paragraph)


def test_shown_by_bracket_tells_codes_apart_past_letters_nearly_shared(monkeypatch) -> None:
    """Codes whose words' letters differ only in the last, or are the same for other words, still give those ids."""
    real = bracket_ids._letters.__wrapped__

    def near(key: str, count: int) -> str:
        letters = real(key, count)
        # Words' letters that share all but the last: long shown ids; and "b" and "c" share all of theirs.
        return "abcdefghj" + ("x" if key in ("b", "c") else letters[-1]) if count == 10 else letters

    monkeypatch.setattr(bracket_ids, "_letters", near)
    for text in ("[a] (+X) [b] (+X) [c] (+Y) [d] (+Z) [a] (-W)", "[a] (+X) [d] (+Y) [e] (+Z)", "[b] (+X) [c] (+Y)"):
        paragraph = read(text).draft.paragraphs[0]
        assert bracket_ids.shown_by_bracket(paragraph) == _shown(paragraph)
        assert all(len(shown.split(":")[1]) >= 10 for shown in _shown(paragraph).values())


_REPEATING = st.lists(st.sampled_from(["[shall] (+A)", "[[shall] (+X)] (-Y)", "[shall]", "[a b] (+C)", "a", "b", "shall",
                                       " ", " ", ", "]), max_size=30).map("".join)


@given(_REPEATING)
def test_shown_by_bracket_gives_the_ids_name_paragraph_shows_where_words_repeat(text: str) -> None:
    """Brackets whose words repeat, near other brackets or not, are shown by `shown_by_bracket` as named."""
    for paragraph in read(text).draft.paragraphs:
        assert bracket_ids.shown_by_bracket(paragraph) == _shown(paragraph)
