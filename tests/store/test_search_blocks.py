"""The index file answers as the index in memory does when its postings span many blocks of documents, added in any
order: the first paragraphs holding every word of a query are read block by block, from the block whose documents
come first, and no further than needed."""

from __future__ import annotations

import os
import shutil

import pytest

from cicatext.store.register import search as search_module
from cicatext.store.register.search import StoredIndex, open_index

from .test_search_index import in_memory

DRAFT = "documents/mc-2023-draft-5"
QUERIES = [
    "intercultural dialogue",
    "volunteer participation",
    "volunteers",
    "the",
    "integration of volunteerism",
    "Ministers",
    "quokka",
    "quokka wombat",
    "wombat the",
    "voluntary intercultural",
    "volunter",
    "MC/2023/DRAFT/5",
]


def _copy(repo, slug: str, *, rare: bool) -> None:
    """A copy of the volunteerism statement under another folder; `rare` copies hold words few others do."""
    target = repo.path(f"documents/{slug}")
    shutil.copytree(repo.path(DRAFT), target)
    record = target / "document.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("MC/2023/DRAFT/5", f"MC/2023/DRAFT/{slug}"),
                      encoding="utf-8")
    if rare:
        text = target / "en.txt"
        text.write_text(text.read_text(encoding="utf-8").replace("Ministers", "quokka wombat Ministers", 1),
                        encoding="utf-8")


def _settle(repo) -> None:
    """Every document file and folder given an old time, as files long written have (none is read again for that)."""
    for path in repo.path("documents").rglob("*"):
        os.utime(path, ns=(OLD, OLD))
    os.utime(repo.path("documents"), ns=(OLD, OLD))


OLD = 1_600_000_000_000_000_000


@pytest.fixture
def many(demo_repo):
    """The demo repository with 150 more documents indexed, then 40 more added whose folders come first, which the
    index file gives the next ids: their postings go to the last blocks."""
    for number in range(150):
        _copy(demo_repo, f"zz-{number:03d}", rare=number % 37 == 5)
    _settle(demo_repo)
    open_index(demo_repo)
    for number in range(40):
        _copy(demo_repo, f"aa-{number:03d}", rare=number % 9 == 4)
    _settle(demo_repo)
    stored = open_index(demo_repo)
    assert stored._database.execute("SELECT min(id) FROM documents WHERE slug LIKE 'aa-%'").fetchone()[0] > 150
    return demo_repo


def test_answers_over_many_blocks_are_those_of_the_index_in_memory(many):
    """Every query, with limits that take more or fewer paragraphs, as the index in memory answers it."""
    stored = open_index(many)
    assert isinstance(stored, StoredIndex)
    memory = in_memory(many)
    assert stored.size == memory.size
    for query in QUERIES:
        for limit in (1, 5, 20, 60):
            assert stored.search(query, limit=limit) == memory.search(query, limit=limit), (query, limit)


def test_the_first_paragraphs_are_read_from_the_blocks_that_hold_them(many, monkeypatch):
    """A query many paragraphs answer reads the postings of the blocks that come first, not of every block."""
    read: list[tuple] = []
    real = search_module.unpack_postings
    monkeypatch.setattr(search_module, "unpack_postings", lambda packed: read.append(packed) or real(packed))
    stored = open_index(many)
    hits = stored.search("intercultural dialogue")
    assert hits == in_memory(many).search("intercultural dialogue")
    assert hits[0].slug.startswith("aa-")  # the documents added last come first in folder order
    blocks = stored._database.execute("SELECT count(*) FROM postings WHERE word = 'intercultural'").fetchone()[0]
    assert blocks == 4 and 0 < len(read) < 2 * blocks  # two words, not every block of each
