"""The search index's file, `.cicatext/search.sqlite`: its tables, building it, and keeping it up to date.

The file (SQLite) holds the vocabulary with each word's count of paragraphs,
one row per document (its files' sizes and times, its symbols and title, its
paragraphs compressed), and one row per word and block of 64 documents
(which of their paragraphs hold the word, compressed), so that a query reads
only the words and paragraphs it needs
(`cicatext.store.register.search.StoredIndex`). `up_to_date` brings the file
up to date before answering: only the documents whose files changed are
indexed again (`cicatext.store.register.search_changes` finds them). `ready` does the same only where that is quick, and says so
when the file must be built afresh, which one process at a time does, holding
the build lock (`build_lock`), into a file of its own put in place at the end.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import time
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import accumulate
from operator import sub
from pathlib import Path
from typing import TYPE_CHECKING

from cicatext.store.gitlocks import alive, stale_lock, take_lock
from cicatext.store.layout import (
    CACHE_DIR,
    DOCUMENTS_DIR,
    SEARCH_BUILD_LOCK,
    SEARCH_BUILD_SUFFIX,
    SEARCH_INDEX,
    SETTINGS_FILE,
)
from cicatext.store.register.search_changes import (
    Look,
    built_mark,
    changed_folders,
    keep_mark,
    look,
    mark_start,
    marks_changed,
    unsettled,
)

if TYPE_CHECKING:
    from cicatext.store.register.catalogue import DocumentParagraphs
    from cicatext.store.repository import Repository

WORD = re.compile(r"\w+")
"""A word, as the index keeps words and as a query's words are matched (both lower-cased first)."""


def index_path(repo: Repository) -> Path:
    """Where the repository's search index file is."""
    return repo.root / CACHE_DIR / SEARCH_INDEX


_FORMAT = "2"
BLOCK = 64
"""Documents (by id) per postings row: few rows to write and read, yet small ones to rewrite on a change."""
_LOCK_WAIT = 30.0
_BYTE_ORDER = f"{sys.byteorder} {array('I').itemsize}"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, slug TEXT UNIQUE NOT NULL, folder INTEGER NOT NULL, files TEXT NOT NULL,
    symbol TEXT NOT NULL, current_symbol TEXT NOT NULL, title TEXT NOT NULL, paragraphs INTEGER NOT NULL);
CREATE TABLE contents (document INTEGER PRIMARY KEY, content BLOB NOT NULL);
CREATE TABLE words (word TEXT PRIMARY KEY, paragraphs INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE postings (word TEXT, block INTEGER, entries BLOB NOT NULL, PRIMARY KEY (word, block)) WITHOUT ROWID;
"""
# documents.folder: the folder's modification time (0 when too recent to trust); files: each file's
# `name/size/mtime`, joined by NUL. contents.content, apart so that reading every document's row stays
# quick: zlib of the JSON [heads, texts]. words.paragraphs: how many paragraphs hold the word.
# postings.entries: zlib of, for each document of the block (id // BLOCK) holding the word, in id order,
# as 32-bit unsigned ints: its id, how many of its paragraphs hold the word, and those (0 = its first),
# each as its distance from the one before (the first from 0): small numbers, which compress well.
_LEVEL = 6
_POLL = 0.1


class BuildRunning(Exception):
    """Another process holds the build lock."""


def up_to_date(repo: Repository, path: Path, announce: Callable[[str], None] | None) -> sqlite3.Connection:
    """The index file, open, holding what the document folders hold now."""
    database = ready(repo, path)
    if database is not None:
        return database
    with build_lock(path, wait=True) as waited:
        if waited:
            # Another process was building it: what it built may be all that is needed.
            database = ready(repo, path)
            if database is not None:
                return database
        return build_locked(repo, path, announce)


def ready(repo: Repository, path: Path) -> sqlite3.Connection | None:
    """The index file, open and brought up to date, unless it must be built afresh (none, foreign, mostly stale)."""
    database = _connect(path)
    if database is None:
        return None
    try:
        if _made_for(repo, database) and _update(repo, database):
            return database
    except BaseException:
        database.close()
        raise
    database.close()
    return None


@contextmanager
def build_lock(path: Path, *, wait: bool) -> Iterator[bool]:
    """Hold the lock for building the index file at `path`; yield whether another builder held it first.

    Without `wait`, `BuildRunning` is raised when a live process holds it. A
    lock left by a process that is gone is taken over, and the file that
    process was building is deleted.
    """
    lock = path.with_name(SEARCH_BUILD_LOCK)
    path.parent.mkdir(parents=True, exist_ok=True)
    waited = False
    while take_lock(lock) is None:
        if not wait:
            raise BuildRunning(str(lock))
        waited = True
        time.sleep(_POLL)
    try:
        _remove_abandoned(path)
        yield waited
    finally:
        lock.unlink(missing_ok=True)


def building(path: Path) -> bool:
    """Whether a live process is building the index file at `path`."""
    lock = path.with_name(SEARCH_BUILD_LOCK)
    return lock.exists() and not stale_lock(lock)


def _remove_abandoned(path: Path) -> None:
    """Delete the files that builders which are gone were building (one killed leaves its file behind)."""
    for found in path.parent.glob(f"{path.name}.*{SEARCH_BUILD_SUFFIX}"):
        pid = found.name[len(path.name) + 1:-len(SEARCH_BUILD_SUFFIX)]
        if pid.isdigit() and int(pid) != os.getpid() and alive(int(pid)):
            continue
        found.unlink(missing_ok=True)


def _made_for(repo: Repository, database: sqlite3.Connection) -> bool:
    """Whether the index file was written by this version of the index, for the repository's default language."""
    stamp = dict(database.execute("SELECT key, value FROM meta"))
    if stamp.get("format") != _FORMAT or stamp.get("byteorder") != _BYTE_ORDER:
        return False
    settings = _file_state(repo.root / SETTINGS_FILE)
    if stamp.get("settings") != settings:
        # The titles are in the default language, which the settings may have changed.
        from cicatext.store.register.catalogue import default_language

        if stamp.get("language") != default_language(repo):
            return False
        with database:
            database.execute("UPDATE meta SET value = ? WHERE key = 'settings'", (settings,))
    return True


def _connect(path: Path) -> sqlite3.Connection | None:
    """The index file, open, if there is one."""
    if not path.is_file():
        return None
    # The terminal UI builds its index in a worker thread and asks it from the main one.
    return sqlite3.connect(path, timeout=_LOCK_WAIT, check_same_thread=False)


def discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass  # gone already, or not ours to remove: then the index is built in memory


def build_locked(repo: Repository, path: Path, announce: Callable[[str], None] | None) -> sqlite3.Connection:
    """Index every document into a new file, then put it in place of the old one in one step; the build lock held."""
    from cicatext.store.register.catalogue import (
        default_language,
        iter_paragraphs,
        load_catalogue,
    )

    if announce is not None:
        announce("indexing every paragraph for search; later searches reuse it")
    start = mark_start(repo)
    folders = changed_folders(repo.root / DOCUMENTS_DIR, {})  # read before the files, so a later change shows
    stamp = {"format": _FORMAT, "byteorder": _BYTE_ORDER, "language": default_language(repo),
             "settings": _file_state(repo.root / SETTINGS_FILE)}
    names = {summary.slug: (summary.symbol, summary.current_symbol, summary.title)
             for summary in load_catalogue(repo).documents}
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named for its builder, so that the next one knows a file whose builder is gone.
    temporary = path.with_name(f"{path.name}.{os.getpid()}{SEARCH_BUILD_SUFFIX}")
    temporary.unlink(missing_ok=True)
    try:
        database = sqlite3.connect(temporary)
        # Nothing to journal: the file is not in place until it is complete.
        # Large pages hold a block's postings for a common word without overflow pages.
        database.executescript("PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                               + _SCHEMA)
        counts: Counter[str] = Counter()
        indexed: dict[str, tuple[int, str]] = {}
        with database:
            database.executemany("INSERT INTO meta VALUES (?, ?)", stamp.items())
            # Ids are given in folder order, so a block's postings are complete once the next block begins.
            current = 0
            block: dict[str, array] = {}
            # One document at a time: the build holds one document's paragraphs, not every text.
            for paragraphs in iter_paragraphs(repo):
                state = folders.get(paragraphs.slug)
                if state is None or paragraphs.slug not in names:
                    continue
                document, holding = _add_document(database, state, names[paragraphs.slug], paragraphs)
                indexed[paragraphs.slug] = state
                if document // BLOCK != current:
                    _write_block(database, current, block)
                    current, block = document // BLOCK, {}
                for word, numbers in holding.items():
                    entries = block.get(word)
                    if entries is None:
                        entries = block[word] = array("I")
                    entries.append(document)
                    entries.append(len(numbers))
                    entries.extend(numbers)
                    counts[word] += len(numbers)
            _write_block(database, current, block)
            _count_words(database, counts)
            keep_mark(database, built_mark(repo, start, indexed))
        database.close()
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        discard(temporary)
        raise
    return _connect(path)


def _write_block(database: sqlite3.Connection, block: int, postings: dict[str, array]) -> None:
    """Write one block's postings row for each word its documents hold."""
    database.executemany("INSERT INTO postings VALUES (?, ?, ?)",
                         [(word, block, _compressed(entries)) for word, entries in postings.items()])


def _update(repo: Repository, database: sqlite3.Connection) -> bool:
    """Index again the documents whose folders changed and drop those gone, in one transaction.

    A document indexed again keeps its id, so only the postings of the words
    whose paragraphs changed are rewritten: a one-letter edit rewrites a few
    rows. False, with nothing done, when so much changed that building the
    file afresh is quicker.
    """
    version = _version(database)
    found = look(repo, database)
    if not found.changed:
        if marks_changed(found):
            _keep_mark_quietly(database, found, version)
        return True
    # One writer at a time; a writer that was first may have done the work already.
    database.execute("BEGIN IMMEDIATE")
    with database:
        if _version(database) != version:
            found = look(repo, database)
        stored = found.stored
        # A folder whose files are as they were only needs its time kept, for the quick check next time.
        retimed = {slug: state[0] for slug, state in found.changed.items()
                   if slug in stored and state is not None and state[1] == stored[slug][2] and not unsettled(state[1])}
        database.executemany("UPDATE documents SET folder = ? WHERE slug = ?",
                             [(modified, slug) for slug, modified in retimed.items()])
        changed = {slug: state for slug, state in found.changed.items() if slug not in retimed}
        if len(changed) > max(found.count // 2, 50):
            return False
        present = {slug for slug, state in changed.items() if state is not None}
        names: dict[str, tuple[str, str, str]] = {}
        paragraphs: dict[str, DocumentParagraphs] = {}
        if present:
            from cicatext.store.register.catalogue import load_paragraphs, names_of

            # Read from the changed folders alone: the register's cache of every document is left as it is. Each
            # text is read once, for its paragraphs; the record alone gives the symbols and the title.
            names = names_of(repo, present)
            paragraphs = {found.slug: found for found in load_paragraphs(repo, only=present)}
        counts: Counter[str] = Counter()
        # (word, block) → document → the paragraphs now holding the word, None for none.
        rewrites: dict[tuple[str, int], dict[int, Sequence[int] | None]] = {}
        for slug, state in changed.items():
            now = slug in names and slug in paragraphs and state is not None
            if slug in stored and now:
                document = stored[slug][0]
                before, after = _replace_document(database, document, state, names[slug], paragraphs[slug])
            elif slug in stored:
                document = stored[slug][0]
                before, after = _remove_document(database, document), {}
            elif now:
                document, after = _add_document(database, state, names[slug], paragraphs[slug])
                before = {}
            else:
                continue
            for word in before.keys() | after.keys():
                old, new = before.get(word), after.get(word)
                if old != new:
                    rewrites.setdefault((word, document // BLOCK), {})[document] = new
                    counts[word] += len(new or ()) - len(old or ())
        for (word, block), changes in rewrites.items():
            row = database.execute("SELECT entries FROM postings WHERE word = ? AND block = ?",
                                   (word, block)).fetchone()
            entries = unpack_postings(row[0]) if row else {}
            for document, numbers in changes.items():
                if numbers is None:
                    entries.pop(document, None)
                else:
                    entries[document] = numbers
            if entries:
                database.execute("INSERT OR REPLACE INTO postings VALUES (?, ?, ?)",
                                 (word, block, _packed(entries.items())))
            else:
                database.execute("DELETE FROM postings WHERE word = ? AND block = ?", (word, block))
        _count_words(database, counts)
        keep_mark(database, found.mark)
    return True


def _keep_mark_quietly(database: sqlite3.Connection, found: Look, version: int) -> None:
    """Keep the look's mark where nothing else changed; not where another writer came first, or the file cannot be
    written (the mark kept until then still holds: the documents' rows are as they were)."""
    try:
        database.execute("BEGIN IMMEDIATE")
        with database:
            if _version(database) == version:
                keep_mark(database, found.mark)
    except sqlite3.OperationalError:
        pass


def _version(database: sqlite3.Connection) -> int:
    """A number that changes when another connection writes to the file (SQLite's data_version)."""
    return database.execute("PRAGMA data_version").fetchone()[0]


def _add_document(database: sqlite3.Connection, state: tuple[int, str], names: tuple[str, str, str],
                  paragraphs: DocumentParagraphs) -> tuple[int, dict[str, list[int]]]:
    """Keep one document's row (`names`: its symbol, current symbol and title) and paragraphs; its id, and its words
    with the paragraphs holding each."""
    texts = paragraphs.texts()
    document = database.execute(
        "INSERT INTO documents (slug, folder, files, symbol, current_symbol, title, paragraphs) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", (paragraphs.slug, *state, *names, len(texts))).lastrowid
    database.execute("INSERT INTO contents VALUES (?, ?)", (document, _content(paragraphs.heads, texts)))
    return document, holding_words(texts)


def _replace_document(database: sqlite3.Connection, document: int, state: tuple[int, str],
                      names: tuple[str, str, str], paragraphs: DocumentParagraphs
                      ) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Keep a document's new row and paragraphs under its id; its words with their paragraphs, before and now."""
    (content,) = database.execute("SELECT content FROM contents WHERE document = ?", (document,)).fetchone()
    texts = paragraphs.texts()
    database.execute("UPDATE documents SET folder = ?, files = ?, symbol = ?, current_symbol = ?, title = ?, "
                     "paragraphs = ? WHERE id = ?",
                     (*state, *names, len(texts), document))
    database.execute("UPDATE contents SET content = ? WHERE document = ?", (_content(paragraphs.heads, texts), document))
    return holding_words(unpack_content(content)[1]), holding_words(texts)


def _content(heads: Sequence, texts: list[str]) -> bytes:
    """A document's stored content: its paragraphs' heads and texts."""
    return zlib.compress(json.dumps([heads, texts], ensure_ascii=False).encode("utf-8"), _LEVEL)


def _remove_document(database: sqlite3.Connection, document: int) -> dict[str, list[int]]:
    """Drop one document's row and paragraphs; its words, with the paragraphs that held each."""
    (content,) = database.execute("SELECT content FROM contents WHERE document = ?", (document,)).fetchone()
    database.execute("DELETE FROM contents WHERE document = ?", (document,))
    database.execute("DELETE FROM documents WHERE id = ?", (document,))
    return holding_words(unpack_content(content)[1])


def _count_words(database: sqlite3.Connection, counts: Counter[str]) -> None:
    """Add to each word's count of paragraphs; a word no paragraph holds leaves the vocabulary."""
    database.executemany("INSERT INTO words VALUES (?, ?) "
                         "ON CONFLICT (word) DO UPDATE SET paragraphs = paragraphs + excluded.paragraphs",
                         [(word, count) for word, count in counts.items() if count])
    database.executemany("DELETE FROM words WHERE word = ? AND paragraphs <= 0",
                         [(word,) for word, count in counts.items() if count < 0])


def _packed(entries: Iterable[tuple[int, Sequence[int]]]) -> bytes:
    """A postings row from (document id, paragraphs holding the word) pairs."""
    values = array("I")
    for document, numbers in sorted(entries, key=lambda entry: entry[0]):
        values.append(document)
        values.append(len(numbers))
        values.extend(numbers)
    return _compressed(values)


def _compressed(values: array) -> bytes:
    """A postings row from its values (id, count, paragraphs, ...): each paragraph as its distance from the one before."""
    gaps = array("I", values)
    at = 0
    while at < len(gaps):
        end = at + 2 + gaps[at + 1]
        gaps[at + 3:end] = array("I", map(sub, values[at + 3:end], values[at + 2:end - 1]))
        at = end
    return zlib.compress(gaps.tobytes(), _LEVEL)


def unpack_postings(packed: bytes) -> dict[int, Sequence[int]]:
    """A postings row's documents (by id), each with the paragraphs holding the word."""
    values = array("I", zlib.decompress(packed))
    entries = {}
    at = 0
    while at < len(values):
        end = at + 2 + values[at + 1]
        entries[values[at]] = list(accumulate(values[at + 2:end]))
        at = end
    return entries


def _words(text: str) -> set[str]:
    """The distinct words of a paragraph, as the index keeps them."""
    return set(WORD.findall(text.lower()))


def holding_words(texts: list[str]) -> dict[str, list[int]]:
    """Each word of a document's paragraphs, with the paragraphs (0 = the first) holding it."""
    holding: dict[str, list[int]] = {}
    for number, text in enumerate(texts):
        for word in _words(text):
            found = holding.get(word)
            if found is None:
                holding[word] = [number]
            else:
                found.append(number)
    return holding


def unpack_content(content: bytes) -> tuple[list[list], list[str]]:
    """A document's paragraph heads ([language, id, label, line]) and texts, from its stored content."""
    heads, texts = json.loads(zlib.decompress(content))
    return heads, texts


def _file_state(path: Path) -> str:
    """A file's size and modification time, as one string ("" when it cannot be read)."""
    try:
        stat = path.stat()
    except OSError:
        return ""
    return f"{stat.st_size}/{stat.st_mtime_ns}"
