"""The search index kept in `.cicatext/search.sqlite`.

It persists, answers as the index in memory does, follows every change to the
files, and survives a damaged or foreign file.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from cicatext.store.layout import SEARCH_INDEX
from cicatext.store.register.catalogue import load_catalogue, load_paragraphs
from cicatext.store.register.create import import_text
from cicatext.store.register.search import SearchIndex, StoredIndex, open_index, search_repository

QUERIES = [
    "intercultural dialogue",
    "intercivilisational exchanges",
    "Promote volunteers' participation",
    "religious tolerence",
    "DRAFT/4",
    "MC/2023/DRAFT/3/Rev.1",
    "ministerial",
    "coop",
    "the",
    "Секретариат Совещания",
    "xqzzyv",
    "10",
]


def index_file(repo):
    return repo.path(f".cicatext/{SEARCH_INDEX}")


def in_memory(repo) -> SearchIndex:
    return SearchIndex(load_catalogue(repo).documents, load_paragraphs(repo))


def opened(repo) -> tuple[SearchIndex, list[str]]:
    """The index as `open_index` gives it, and what it announced (a build announces itself)."""
    notes: list[str] = []
    return open_index(repo, announce=notes.append), notes


def assert_same_answers(repo, queries=QUERIES) -> None:
    stored, _ = opened(repo)
    assert isinstance(stored, StoredIndex)
    memory = in_memory(repo)
    assert stored.size == memory.size
    for query in queries:
        assert stored.search(query) == memory.search(query), query


def test_stored_index_answers_as_the_index_in_memory(demo_repo):
    """Every query gets the same hits, scores and order from the file as from the index in memory."""
    assert_same_answers(demo_repo)


def test_index_persists_between_calls(demo_repo):
    """The first call builds the file; the next one reuses it as it is."""
    first, notes = opened(demo_repo)
    assert notes and index_file(demo_repo).is_file()
    built = index_file(demo_repo).stat()
    second, notes = opened(demo_repo)
    assert notes == []
    again = index_file(demo_repo).stat()
    assert (again.st_ino, again.st_mtime_ns) == (built.st_ino, built.st_mtime_ns)
    assert second.search("intercultural dialogue") == first.search("intercultural dialogue")


def test_index_persists_between_processes(demo_repo):
    """A second `cicatext search` process answers from the file the first one built, with the same hits."""
    command = [sys.executable, "-m", "cicatext", "search", "religious tolerance", "--json", "-C", str(demo_repo.root)]
    first = subprocess.run(command, capture_output=True, text=True, check=True)
    second = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "indexing" in first.stderr and "indexing" not in second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    memory = in_memory(demo_repo).search("religious tolerance")
    assert json.loads(second.stdout)["hits"] == [hit.to_json() for hit in memory]


def test_one_character_edit_is_found_at_once(demo_repo):
    """A text edited in place, one letter changed and the size unchanged, is searched as it is now."""
    open_index(demo_repo)
    path = demo_repo.path("documents/mc-2023-draft-5/en.txt")
    text = path.read_text(encoding="utf-8")
    assert "volunteerism" in text and "volunteerisn" not in text
    path.write_text(text.replace("volunteerism", "volunteerisn", 1), encoding="utf-8")
    hits = open_index(demo_repo).search("volunteerisn")
    assert hits[0].slug == "mc-2023-draft-5" and hits[0].score == 100
    assert_same_answers(demo_repo, QUERIES + ["volunteerisn", "volunteerism"])


def test_new_document_is_found(demo_repo):
    """A document imported after the index was built is found, and the other answers stay as in memory."""
    open_index(demo_repo)
    import_text(demo_repo, "1. The quokkas of Zanzibar rejoice in intercultural dialogue.\n",
                symbol="MC/2023/DRAFT/9", title="Draft decision on quokkas")
    hits = open_index(demo_repo).search("zanzibar quokkas")
    assert hits[0].symbol == "MC/2023/DRAFT/9"
    assert_same_answers(demo_repo, QUERIES + ["quokkas", "Draft decision on quokkas"])


def test_removed_document_is_not_found(demo_repo):
    """A document folder removed after the index was built no longer answers, by paragraph or by symbol."""
    assert any(hit.slug == "mc-2023-draft-5" for hit in open_index(demo_repo).search("intercultural dialogue"))
    shutil.rmtree(demo_repo.path("documents/mc-2023-draft-5"))
    index = open_index(demo_repo)
    assert all(hit.slug != "mc-2023-draft-5" for query in QUERIES for hit in index.search(query))
    assert_same_answers(demo_repo)


def test_text_added_to_a_document_is_found(demo_repo):
    """A new language's text in a folder whose time the index trusts is noticed by the folder's time."""
    folder = demo_repo.path("documents/mc-2023-draft-4")
    os.utime(folder, ns=(1_600_000_000_000_000_000,) * 2)  # long settled
    open_index(demo_repo)
    (folder / "fr.txt").write_text("{#op1} 1. Les quokkas de Zanzibar se réjouissent.\n", encoding="utf-8")
    hits = open_index(demo_repo).search("quokkas zanzibar")
    assert (hits[0].slug, hits[0].language) == ("mc-2023-draft-4", "fr")
    assert_same_answers(demo_repo, QUERIES + ["quokkas"])


def test_settings_touched_keep_the_index(demo_repo):
    """Settings saved again with the same default language do not cost a rebuild."""
    open_index(demo_repo)
    settings = demo_repo.path("cicatext.yaml")
    settings.write_text(settings.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _, notes = opened(demo_repo)
    assert notes == []


@pytest.mark.parametrize("damage", ["junk", "truncated", "empty database", "foreign format"])
def test_damaged_or_foreign_index_is_rebuilt(demo_repo, damage):
    """A damaged file, or one another version wrote, is built again and the answers are right, with no error."""
    open_index(demo_repo)
    path = index_file(demo_repo)
    if damage == "junk":
        path.write_bytes(b"not an index at all " * 500)
    elif damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif damage == "empty database":
        path.unlink()
        sqlite3.connect(path).close()
    else:
        with sqlite3.connect(path) as database:
            database.execute("UPDATE meta SET value = '0' WHERE key = 'format'")
    expected = in_memory(demo_repo)
    for query in QUERIES:
        assert search_repository(demo_repo, query) == expected.search(query), query
    assert_same_answers(demo_repo)


def test_index_that_cannot_be_written_still_answers(demo_repo):
    """Where `.cicatext/` cannot be made, the search answers from an index built in memory."""
    shutil.rmtree(demo_repo.path(".cicatext"), ignore_errors=True)
    demo_repo.path(".cicatext").write_text("in the way\n", encoding="utf-8")
    index = open_index(demo_repo)
    assert not isinstance(index, StoredIndex)
    assert index.search("intercultural dialogue") == in_memory(demo_repo).search("intercultural dialogue")


def test_warm_search_loads_neither_the_catalogue_nor_textual(demo_repo):
    """Answering from an up-to-date file imports neither the catalogue (it reads no text) nor the UI."""
    open_index(demo_repo)
    script = ("import sys; from cicatext.cli.main import main; main(['search', 'religious', '-C', sys.argv[1]]); "
              "print(','.join(m for m in ('cicatext.store.register.catalogue', 'textual') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script, str(demo_repo.root)], capture_output=True, text=True,
                            check=True)
    assert result.stdout.splitlines()[-1] == ""


def test_paragraphs_of_a_few_documents_equal_those_of_the_full_load(demo_repo):
    """The catalogue reads a few documents' paragraphs alone, the same as the full load gives them."""
    from cicatext.store.register.catalogue import load_paragraphs

    full = {document.slug: document for document in load_paragraphs(demo_repo)}
    some = sorted(full)[:2] + ["no-such-folder"]
    assert load_paragraphs(demo_repo, only=some) == [full[slug] for slug in sorted(some) if slug in full]


def _same_tick_rewrite(path, old: str, new: str) -> None:
    """Write the file with `old` replaced by `new` (same size) and give it back its time, as a write in the same clock tick would."""
    assert len(old) == len(new)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_second_write_in_the_same_clock_tick_is_seen(demo_repo):
    """A file written again at once, same size, same time: the register's cache and the index read it again."""
    record = demo_repo.path("documents/mc-2023-draft-5/document.yaml")
    text = demo_repo.path("documents/mc-2023-draft-5/en.txt")
    # Written just now, then cached and indexed within the same moment.
    for path in (record, text):
        path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    open_index(demo_repo)
    assert any(s.title.startswith("Draft statement") for s in load_catalogue(demo_repo).documents)
    _same_tick_rewrite(record, "Draft statement", "Draft statemenX")
    _same_tick_rewrite(text, "volunteerism", "volunteerisn")
    titles = {s.slug: s.title for s in load_catalogue(demo_repo).documents}
    assert titles["mc-2023-draft-5"].startswith("Draft statemenX")
    paragraphs = {p.slug: p for p in load_paragraphs(demo_repo)}
    assert any("volunteerisn" in t for t in paragraphs["mc-2023-draft-5"].texts())
    hits = open_index(demo_repo).search("volunteerisn")
    assert (hits[0].kind, hits[0].slug, hits[0].score) == ("paragraph", "mc-2023-draft-5", 100)
    assert_same_answers(demo_repo, QUERIES + ["volunteerisn", "Draft statemenX"])


def test_settled_files_are_trusted_by_size_and_time(demo_repo, monkeypatch):
    """Files older than the settling time are known by size and time: nothing is read again when they stand."""
    from cicatext.store.register import catalogue

    old = 1_600_000_000_000_000_000
    for path in demo_repo.path("documents").rglob("*"):
        os.utime(path, ns=(old, old))
    load_catalogue(demo_repo)
    read: list[str] = []
    real = catalogue._summarise
    monkeypatch.setattr(catalogue, "_summarise", lambda repo, slug, *args: read.append(slug) or real(repo, slug, *args))
    load_catalogue(demo_repo)
    assert read == []
    demo_repo.path("documents/mc-2023-draft-5/en.txt").write_text("{#op1} 1. Now.\n", encoding="utf-8")
    load_catalogue(demo_repo)
    assert read == ["mc-2023-draft-5"]


@pytest.mark.parametrize("start", ["no index file yet", "index to update"])
def test_searches_started_together_all_answer_right(demo_repo, start):
    """Four `cicatext search` processes at once, building the file or updating it: each answers as the index in memory."""
    if start == "index to update":
        open_index(demo_repo)
        for slug, old, new in (("mc-2023-draft-5", "volunteerism", "volunteerisn"),
                               ("mc-2023-draft-4", "the", "zhe")):
            path = demo_repo.path(f"documents/{slug}/en.txt")
            path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    query = "volunteerisn" if start == "index to update" else "intercultural dialogue"
    command = [sys.executable, "-m", "cicatext", "search", query, "--json", "-C", str(demo_repo.root)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
    answers = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        answers.append(json.loads(out)["hits"])
    expected = [hit.to_json() for hit in in_memory(demo_repo).search(query)]
    assert expected and all(answer == expected for answer in answers)
    assert not list(demo_repo.path(".cicatext").glob(".cicatext-tmp-*"))
    assert_same_answers(demo_repo, QUERIES + [query])
