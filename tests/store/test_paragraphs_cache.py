"""The paragraphs cache: a stream read and written one document at a time, right after any change or damage."""

from __future__ import annotations

import marshal
import sys

import pytest

from cicatext.store.layout import PARAGRAPHS_CACHE
from cicatext.store.register import catalogue
from cicatext.store.register.catalogue import iter_paragraphs, load_paragraphs


@pytest.fixture
def counted(monkeypatch):
    """The folders read afresh (not from the cache), in order."""
    read: list[str] = []
    real = catalogue._paragraphs_of
    monkeypatch.setattr(catalogue, "_paragraphs_of", lambda repo, slug, languages: read.append(slug)
                        or real(repo, slug, languages))
    return read


def cache(repo):
    return repo.path(f".cicatext/{PARAGRAPHS_CACHE}")


def as_read(repo):
    """Every document's paragraphs read from the files, the cache neither read nor written."""
    return load_paragraphs(repo, use_cache=False)


def test_a_second_pass_reads_every_document_from_the_cache(demo_repo, counted):
    first = load_paragraphs(demo_repo)
    assert len(counted) == len(first) == 6 and cache(demo_repo).is_file()
    counted.clear()
    assert load_paragraphs(demo_repo) == first
    assert counted == []
    assert first == as_read(demo_repo)


def test_a_changed_document_alone_is_read_again(demo_repo, counted):
    load_paragraphs(demo_repo)
    text = demo_repo.path("documents/mc-2023-draft-4/en.txt")
    text.write_text(text.read_text(encoding="utf-8") + "\n{#op99} 99. A new paragraph.\n", encoding="utf-8")
    expected = as_read(demo_repo)
    counted.clear()
    again = load_paragraphs(demo_repo)
    assert counted == ["mc-2023-draft-4"]
    assert again == expected
    assert any("A new paragraph." in t for d in again if d.slug == "mc-2023-draft-4" for t in d.texts())


def test_removed_and_added_documents(demo_repo, counted):
    import shutil

    load_paragraphs(demo_repo)
    shutil.rmtree(demo_repo.path("documents/swg-739"))
    shutil.copytree(demo_repo.path("documents/mc-2023-draft-4"), demo_repo.path("documents/mc-2023-draft-44"))
    counted.clear()
    again = load_paragraphs(demo_repo)
    assert counted == ["mc-2023-draft-44"]
    assert [d.slug for d in again] == [d.slug for d in as_read(demo_repo)]
    assert "swg-739" not in {d.slug for d in again}


@pytest.mark.parametrize("damage", ["truncated", "junk", "the former format"])
def test_a_damaged_or_former_cache_gives_the_right_paragraphs_and_is_made_again(demo_repo, counted, damage):
    load_paragraphs(demo_repo)
    path = cache(demo_repo)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "junk":
        path.write_bytes(b"\x00junk" * 1000)
    else:
        path.write_bytes(marshal.dumps((3, sys.version_info[:2], "en", {})))
    expected = as_read(demo_repo)
    assert load_paragraphs(demo_repo) == expected
    load_paragraphs(demo_repo)
    counted.clear()
    assert load_paragraphs(demo_repo) == expected
    assert counted == []


def test_a_pass_stopped_half_way_leaves_the_cache_as_it_was(demo_repo, counted):
    load_paragraphs(demo_repo)
    before = cache(demo_repo).read_bytes()
    text = demo_repo.path("documents/mc-2023-draft-3/en.txt")
    text.write_text(text.read_text(encoding="utf-8") + "\n{#op98} 98. More.\n", encoding="utf-8")
    passing = iter_paragraphs(demo_repo)
    next(passing)
    passing.close()
    assert cache(demo_repo).read_bytes() == before
    assert not list(demo_repo.path(".cicatext").glob("*.tmp"))
    expected = as_read(demo_repo)
    counted.clear()
    assert load_paragraphs(demo_repo) == expected
    assert counted == ["mc-2023-draft-3"]
