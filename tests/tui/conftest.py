"""Fixtures for the TUI tests: the app built by the same factory as the CLI, and a stand-in editor."""

from __future__ import annotations

import pytest

from tests.tui.helpers import AS_OF


@pytest.fixture
def make():
    """Build the app through `make_app`: no disk watching, no start-up validation, deadlines as of 20 July 2023."""
    from cicatext.tui.app import make_app

    def build(repo, **options):
        options.setdefault("watch", False)
        options.setdefault("as_of", AS_OF)
        options.setdefault("validate_on_start", False)
        return make_app(repo, **options)

    return build


@pytest.fixture
def edits():
    """A stand-in for $EDITOR that records (path, line) instead of opening anything."""
    calls: list = []

    def launch(path, line):
        calls.append((path, line))

    launch.calls = calls
    return launch
