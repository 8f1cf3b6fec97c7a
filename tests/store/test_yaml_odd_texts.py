"""Texts the fuzzer found the YAML loaders raising on: each is now one RecordError with its place."""

from __future__ import annotations

import pytest

from cicatext.errors import RecordError
from cicatext.store import yamlio

LOADERS = [yamlio.load, yamlio.load_record, yamlio.load_roundtrip]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_bytes_that_are_not_utf8_are_located(loader):
    """A byte kept by surrogateescape (a file that is not UTF-8) is named at its line and column."""
    with pytest.raises(RecordError) as raised:
        loader("a: 1\nb: caf\udce9\n", file="x.yaml")
    assert "not UTF-8" in raised.value.problem.message
    assert (raised.value.problem.line, raised.value.problem.column) == (2, 7)


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_a_control_character_is_a_record_error(loader):
    """A character YAML does not allow is refused as YAML by every loader, the round-trip one included."""
    with pytest.raises(RecordError):
        loader("\x88\xff", file="x.yaml")


@pytest.mark.parametrize("loader", [yamlio.load, yamlio.load_record], ids=lambda f: f.__name__)
def test_a_value_holding_its_own_alias_is_refused(loader):
    """`&s [*s]` never ends: refused, not a RecursionError."""
    with pytest.raises(RecordError) as raised:
        loader("a: 1\nself: &s [*s]\n", file="x.yaml")
    assert "refers to itself" in raised.value.problem.message
