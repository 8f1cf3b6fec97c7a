"""Fixtures for the exchange tests: the sample repository with the note SWG/739 in two languages."""

from __future__ import annotations

import pytest


@pytest.fixture
def note_repo(demo_repo):
    """The sample repository with note SWG/739 committed as a document in English and Russian."""
    from cicatext.store.demo.languages import sample_translations

    if not demo_repo.path("documents/swg-739/ru.txt").exists():
        demo_repo.commit(sample_translations(), "Note SWG/739 in English and Russian")
    return demo_repo

