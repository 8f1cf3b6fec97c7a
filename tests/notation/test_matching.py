"""The opcodes of two sequences without junk are difflib's, found without its matcher."""

from __future__ import annotations

from difflib import SequenceMatcher

from hypothesis import given
from hypothesis import strategies as st

from cicatext.notation.matching import opcodes

_ITEMS = st.lists(st.sampled_from(["a", "b", "c", "d", "and religious", ""]), max_size=12)


@given(_ITEMS, _ITEMS)
def test_opcodes_are_those_of_difflib(a: list[str], b: list[str]) -> None:
    """Any two sequences of a few repeating items: the same steps as difflib's matcher without autojunk."""
    assert opcodes(a, b) == SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert opcodes(tuple(a), tuple(b)) == SequenceMatcher(None, tuple(a), tuple(b), autojunk=False).get_opcodes()
