"""The garbage collector paused while many objects that live on are made (`cicatext.collector.paused`)."""

from __future__ import annotations

import gc

import pytest

from cicatext.collector import paused


@pytest.fixture
def collecting():
    """The collector running, whatever the test run set, and as it was after."""
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_what_is_made_while_paused_joins_the_oldest_generation(collecting) -> None:
    """The collector is paused meanwhile and runs again after; what was made meanwhile is in its oldest generation."""
    with paused():
        assert not gc.isenabled()
        made = [[number] for number in range(2000)]
    assert gc.isenabled()
    oldest = {id(thing) for thing in gc.get_objects(generation=2)}
    assert all(id(thing) in oldest for thing in made)


def test_what_was_frozen_stays_frozen(collecting) -> None:
    """Objects set aside from the collector before (`gc.freeze`) are still set aside after a pause."""
    kept = [[number] for number in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused():
            made = [[number] for number in range(100)]
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()
    assert kept and made


def test_a_stopped_collector_stays_stopped(collecting) -> None:
    """When the collector was not running, a pause leaves it so."""
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()
