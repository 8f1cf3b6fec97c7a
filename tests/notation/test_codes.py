"""Delegation codes: their shape and the nearest known code to a misspelt one."""

from __future__ import annotations

import pytest

from cicatext.notation.codes import is_code, suggest

KNOWN = ("IRAN", "CHN", "IND", "AZER", "TUR", "SEC", "RUS", "KAZ")


@pytest.mark.parametrize(
    ("code", "nearest"),
    [("IRN", "IRAN"), ("iran", "IRAN"), ("AZR", "AZER"), ("CHINA", "CHN"), ("RUSSIA", "RUS"), ("TURK", "TUR")],
)
def test_suggest_nearest(code: str, nearest: str) -> None:
    """A misspelt, lower-case or written-out code gets the nearest known code."""
    assert suggest(code, KNOWN) == nearest


def test_suggest_nothing_near() -> None:
    """A code like no known one gets no suggestion; neither does an empty registry."""
    assert suggest("XYZQ", KNOWN) is None
    assert suggest("IRAN", ()) is None


def test_suggest_keeps_registry_spelling() -> None:
    """The suggestion is spelt as the registry spells it."""
    assert suggest("iran", ["Iran"]) == "Iran"


def test_is_code() -> None:
    """A code is capitals and digits with a capital first."""
    assert is_code("IRAN") and is_code("G77")
    assert not is_code("iran") and not is_code("7G") and not is_code("") and not is_code("IR AN")
