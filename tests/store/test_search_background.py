"""A search that does not wait for the index file: a quick answer, the file built by a process of its own.

`foreground_bytes=0` treats the sample repository as one too large to index
before answering.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from cicatext.store.layout import SEARCH_BUILD_LOCK, SEARCH_BUILD_SUFFIX, SEARCH_INDEX
from cicatext.store.register.catalogue import (
    cached_catalogue,
    load_catalogue,
    load_paragraphs,
)
from cicatext.store.register.search import (
    SearchIndex,
    StoredIndex,
    answer_query,
    stored_index,
)
from cicatext.store.register.search_builder import start
from cicatext.store.register.search_file import index_path
from cicatext.store.register.search_quick import QuickIndex, quick_search

# Queries whose every hit holds each word as written or as a word's start: the quick answer is the index's.
EXACT = ["intercultural dialogue", "Promote volunteers' participation", "ministerial", "the", "DRAFT/4"]


def in_memory(repo) -> SearchIndex:
    return SearchIndex(load_catalogue(repo).documents, load_paragraphs(repo))


def wait_for_index(repo, timeout: float = 120.0) -> StoredIndex:
    """The index file once a builder has put it in place (polled, with a timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        index = stored_index(repo, foreground_bytes=0)
        if index is not None:
            return index
        time.sleep(0.1)
    raise AssertionError("the index file was not built in time")


def leftovers(repo) -> list[str]:
    folder = index_path(repo).parent
    return sorted(p.name for p in folder.glob(f"{SEARCH_INDEX}.*{SEARCH_BUILD_SUFFIX}")) + \
        ([SEARCH_BUILD_LOCK] if (folder / SEARCH_BUILD_LOCK).exists() else [])


def test_first_search_answers_quickly_and_a_later_one_from_the_file(demo_repo):
    """With no index file, the answer is quick (the index's own, for words as written); the file follows."""
    memory = in_memory(demo_repo)
    notes: list[str] = []
    answer = answer_query(demo_repo, "intercultural dialogue", announce=notes.append, foreground_bytes=0)
    assert answer.quick and notes and "background" in notes[0]
    assert answer.hits == memory.search("intercultural dialogue")
    index = wait_for_index(demo_repo)
    assert isinstance(index, StoredIndex)
    later = answer_query(demo_repo, "religious tolerence", foreground_bytes=0)
    assert not later.quick and later.hits == memory.search("religious tolerence")
    assert leftovers(demo_repo) == []


def test_quick_answers_are_the_index_answers_for_words_as_written(demo_repo):
    """Hit for hit and score for score, the quick answer is the index's where no typing error is forgiven."""
    load_catalogue(demo_repo)  # the register's cache, for symbols and titles
    memory = in_memory(demo_repo)
    exact_only = QuickIndex(load_catalogue(demo_repo).documents, load_paragraphs(demo_repo))
    for query in EXACT:
        assert quick_search(demo_repo, query) == memory.search(query), query
    for query in ["religious tolerence", "coop", "Секретариат Совещания", "10", "xqzzyv"]:
        assert quick_search(demo_repo, query) == exact_only.search(query), query
    assert quick_search(demo_repo, "tolerence") == []


def test_quick_answer_without_the_registers_cache_names_the_documents_read(demo_repo):
    """Without the register's cache a quick answer still names each hit's document by its current symbol."""
    assert cached_catalogue(demo_repo) is None
    hits = quick_search(demo_repo, "Promote volunteers' participation")
    assert hits and hits == in_memory(demo_repo).search("Promote volunteers' participation")


def test_killed_builder_leaves_nothing_that_breaks_the_next_search(demo_repo):
    """A builder killed mid-build leaves its lock and file; the next search answers, and its builder finishes."""
    builder = start(demo_repo)
    assert builder is not None
    folder = index_path(demo_repo).parent
    deadline = time.monotonic() + 60
    while not list(folder.glob(f"*{SEARCH_BUILD_SUFFIX}")) and builder.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    builder.send_signal(signal.SIGKILL)
    builder.wait()
    if builder.returncode == -signal.SIGKILL:
        assert (folder / SEARCH_BUILD_LOCK).exists()
    answer = answer_query(demo_repo, "ministerial", foreground_bytes=0)
    assert answer.hits == in_memory(demo_repo).search("ministerial")
    wait_for_index(demo_repo)
    assert answer_query(demo_repo, "ministerial", foreground_bytes=0).quick is False
    assert leftovers(demo_repo) == []


def test_a_lock_of_a_live_builder_is_respected(demo_repo):
    """While a live process holds the build lock, no second builder starts, and searches still answer."""
    lock = index_path(demo_repo).with_name(SEARCH_BUILD_LOCK)
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text(str(os.getpid()))
    assert start(demo_repo) is None
    assert answer_query(demo_repo, "ministerial", foreground_bytes=0).quick
    assert not index_path(demo_repo).exists()
    lock.unlink()


_ANSWER = """
import json, sys
from cicatext.store.repository import Repository
from cicatext.store.register.search import answer_query
answer = answer_query(Repository.open(sys.argv[1]), sys.argv[2], foreground_bytes=0)
print(json.dumps({"quick": answer.quick, "hits": [hit.to_json() for hit in answer.hits]}))
"""


def test_searches_started_together_answer_and_one_file_is_built(demo_repo):
    """Four searches at once with no index file: each answers right, and the file built is whole."""
    query = "intercultural dialogue"
    processes = [subprocess.Popen([sys.executable, "-c", _ANSWER, str(demo_repo.root), query],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    expected = [hit.to_json() for hit in in_memory(demo_repo).search(query)]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert json.loads(out)["hits"] == expected
    index = wait_for_index(demo_repo)
    memory = in_memory(demo_repo)
    assert index.size == memory.size
    for each in EXACT + ["religious tolerence", "coop"]:
        assert index.search(each) == memory.search(each), each
    assert leftovers(demo_repo) == []


def test_quick_answer_finds_a_document_git_does_not_track_yet(demo_repo):
    """A document folder added and not yet committed is read by the quick answer too."""
    import shutil

    source = demo_repo.path("documents/mc-2023-draft-5")
    target = demo_repo.path("documents/mc-2023-draft-9")
    shutil.copytree(source, target)
    text = target / "en.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("volunteerism", "quokkas", 1), encoding="utf-8")
    hits = quick_search(demo_repo, "quokkas")
    assert [hit.slug for hit in hits] == ["mc-2023-draft-9"]
