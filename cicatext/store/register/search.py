"""Fuzzy search over every symbol, title and paragraph of a repository, and the index kept for it on disk.

Each paragraph's words go into an inverted index (word to the paragraphs
holding it), and the distinct words into a sorted vocabulary. A query then
costs little however many paragraphs there are: each query word is matched
against the vocabulary (exactly, as a prefix, and with rapidfuzz's `ratio` for
typing errors), the paragraphs holding a match of every query word are
scored, and a paragraph holding the query as written scores highest. Symbols
and titles are scored with rapidfuzz directly.

`SearchIndex` holds all of it in memory, built from the catalogue.
`StoredIndex` answers the same queries with the same ranking from
`.cicatext/search.sqlite` (SQLite), reading only the words and paragraphs a
query needs: the vocabulary with each word's count of paragraphs, one row per
document (its files' sizes and times, its symbols and title, its paragraphs
compressed), and one row per word and block of 64 documents (which of their
paragraphs hold the word). `open_index` brings the file up to date before
answering: only the documents whose files changed are indexed again.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import sqlite3
import sys
import time
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from cicatext.store.files import TEMP_PREFIX, UNSETTLED, document_files, settled_time
from cicatext.store.layout import CACHE_DIR, SETTINGS_FILE

if TYPE_CHECKING:
    from cicatext.store.register.catalogue import DocumentParagraphs, DocumentSummary
    from cicatext.store.repository import Repository

_WORD = re.compile(r"\w+")
_PREFIX_LIMIT = 400
_FUZZY_LIMIT = 40

INDEX_FILE = "search.sqlite"
_FORMAT = "1"
# Documents (by id) per postings row: few rows to write and read, yet small ones to rewrite on a change.
_BLOCK = 64
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
# postings.entries: for each document of the block (id // _BLOCK) holding the word, in id order, as
# 32-bit unsigned ints: its id, how many of its paragraphs hold the word, and those (0 = its first).


@dataclass(frozen=True)
class SearchHit:
    """One answer to a query: a document (by symbol or title) or one of its paragraphs."""

    kind: str
    """`document` or `paragraph`."""
    slug: str
    """The document's folder."""
    symbol: str
    """The document's current symbol."""
    score: float
    """0 to 100, higher is better."""
    text: str
    """The title for a document, a snippet around the match for a paragraph."""
    language: str | None = None
    """The language of the paragraph's text."""
    paragraph: str | None = None
    """The paragraph id."""
    label: str | None = None
    """The paragraph's own numbering, if any."""
    line: int | None = None
    """1-based line of the paragraph in its text file."""

    def to_json(self) -> dict:
        """The hit as a plain dict for `--json` output."""
        return {
            "kind": self.kind, "slug": self.slug, "symbol": self.symbol, "score": round(self.score, 1),
            "language": self.language, "paragraph": self.paragraph, "label": self.label,
            "line": self.line, "text": self.text,
        }


Head = tuple[str, str, str, str | None, int]
"""Where a paragraph is: (slug, language, paragraph id, label, line)."""


def _words(text: str) -> set[str]:
    """The distinct words of a paragraph, as the index keeps them."""
    return set(_WORD.findall(text.lower()))


class SearchIndex:
    """Symbols, titles and paragraphs of every document, indexed for fuzzy queries and held in memory.

    Paragraphs are numbered in document (folder) order, each document's in
    turn; the number breaks ties between equal scores.
    """

    def __init__(self, documents: Sequence[DocumentSummary], paragraphs: Iterable[DocumentParagraphs]) -> None:
        self._name_documents((d.slug, d.symbol, d.current_symbol, d.title) for d in documents)
        self._heads: list[Head] = []
        self._texts: list[str] = []
        postings: dict[str, list[int]] = {}
        for document in paragraphs:
            pairs = list(zip(document.heads, document.texts()))
            first = len(self._texts)
            self._heads.extend((document.slug, *head) for head, _ in pairs)
            texts = [text for _, text in pairs]
            self._texts.extend(texts)
            for word, numbers in _holding_words(texts).items():
                postings.setdefault(word, []).extend(first + number for number in numbers)
        self._postings = postings
        self._vocabulary = sorted(postings)

    def _name_documents(self, documents: Iterable[tuple[str, str, str, str]]) -> None:
        """Keep each document's (slug, symbol, current symbol, title), in folder order, for its hits."""
        self._documents = list(documents)
        self._symbol_of = {slug: current for slug, _, current, _ in self._documents}
        self._labels = [f"{current} {symbol if symbol != current else ''}".lower()
                        for _, symbol, current, _ in self._documents]
        self._titles = [title.lower() for *_, title in self._documents]
        self._lowered: dict[int, str] = {}
        self._sets: dict[str, set[int]] = {}

    @property
    def size(self) -> int:
        """How many paragraphs the index holds."""
        return len(self._texts)

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """The best documents and paragraphs for a query, best first."""
        query = query.strip()
        if not query:
            return []
        documents = self._document_hits(query)
        paragraphs = self._paragraph_hits(query, limit)
        if "/" in query:
            # A query written like a symbol asks for a document first.
            paragraphs = [replace(hit, score=min(hit.score, 70.0)) for hit in paragraphs]
        hits = documents + paragraphs
        hits.sort(key=lambda hit: (-hit.score, hit.kind != "document"))
        return hits[:limit]

    # What the words and paragraphs are: StoredIndex reads them from its file instead.

    def _frequency(self, word: str) -> int:
        """How many paragraphs hold a word (0 when it is not in the vocabulary)."""
        found = self._postings.get(word)
        return len(found) if found is not None else 0

    def _holding(self, word: str) -> Sequence[int]:
        """The numbers of the paragraphs holding a word of the vocabulary, ascending."""
        return self._postings[word]

    def _paragraph(self, number: int) -> tuple[Head, str]:
        """Where a paragraph is, and its text."""
        return self._heads[number], self._texts[number]

    # Documents -------------------------------------------------------------

    def _document_hits(self, query: str) -> list[SearchHit]:
        lowered = query.lower()
        scores: dict[int, float] = {}
        for choice, score, index in process.extract(lowered, self._labels, scorer=fuzz.WRatio,
                                                    limit=10, score_cutoff=72):
            scores[index] = score
        if len(lowered) >= 3:
            for choice, score, index in process.extract(lowered, self._titles, scorer=fuzz.partial_ratio,
                                                        limit=10, score_cutoff=80):
                scores[index] = max(scores.get(index, 0), score * 0.95)
        hits = []
        for index, score in scores.items():
            slug, _, current_symbol, title = self._documents[index]
            hits.append(SearchHit("document", slug, current_symbol, score, title))
        return hits

    # Paragraphs ------------------------------------------------------------

    def _matches(self, word: str) -> list[tuple[str, float]]:
        """Vocabulary words matching one query word, with scores: exact 100, prefix 90+, fuzzy below."""
        found: dict[str, float] = {}
        if self._frequency(word):
            found[word] = 100.0
        vocabulary = self._vocabulary
        if len(word) >= 2:
            start = bisect_left(vocabulary, word)
            for candidate in vocabulary[start:start + _PREFIX_LIMIT]:
                if not candidate.startswith(word):
                    break
                if candidate != word:
                    found[candidate] = 90.0 + 9.0 * len(word) / len(candidate)
        if len(word) >= 4:
            cutoff = 80 if len(word) >= 6 else 75
            for candidate, score, _ in process.extract(word, vocabulary, scorer=fuzz.ratio,
                                                       limit=_FUZZY_LIMIT, score_cutoff=cutoff):
                if candidate not in found:
                    found[candidate] = score * 0.9
        return sorted(found.items(), key=lambda item: -item[1])

    def _posting_set(self, word: str) -> set[int]:
        found = self._sets.get(word)
        if found is None:
            found = self._sets[word] = set(self._holding(word))
        return found

    def _word_scores(self, matches: list[tuple[str, float]], within: dict[int, float] | None,
                     need: int | None) -> dict[int, float]:
        """Each paragraph's best score for one query word, among `within` when given.

        Matches come best first, so a paragraph keeps the first score it gets;
        with `need`, stop once that many paragraphs have a score.
        """
        scored: dict[int, float] = {}
        if within is not None:
            volume = sum(self._frequency(candidate) for candidate, _ in matches)
            if len(within) * len(matches) < volume:
                sets = [(self._posting_set(candidate), score) for candidate, score in matches]
                for number in within:
                    for members, score in sets:
                        if number in members:
                            scored[number] = score
                            break
                return scored
        for candidate, score in matches:
            for number in self._holding(candidate):
                if number not in scored and (within is None or number in within):
                    scored[number] = score
                    if need is not None and len(scored) >= need:
                        return scored
        return scored

    def _paragraph_hits(self, query: str, limit: int) -> list[SearchHit]:
        words = list(dict.fromkeys(_WORD.findall(query.lower())))
        if not words:
            return []
        matched = []
        for word in words:
            matches = self._matches(word)
            if not matches:
                return []
            matched.append(matches)
        wanted = limit * 3
        exact = [self._posting_set(word) for word in words if self._frequency(word)]
        if len(exact) == len(words):
            # Paragraphs holding every word as written outrank the rest; often they are enough.
            common = set.intersection(*sorted(exact, key=len))
            if len(common) >= wanted:
                return self._hits(query, words, [(n, 100.0 * len(words)) for n in heapq.nsmallest(wanted, common)],
                                  len(words), limit)
        # The rarest word first: the paragraphs it allows are the only ones to look at.
        matched.sort(key=lambda matches: sum(self._frequency(c) for c, _ in matches))
        need = wanted if len(matched) == 1 else None
        totals = self._word_scores(matched[0], None, need)
        for matches in matched[1:]:
            scored = self._word_scores(matches, totals, None)
            totals = {n: s + scored[n] for n, s in totals.items() if n in scored}
            if not totals:
                return []
        ranked = heapq.nsmallest(wanted, totals.items(), key=lambda item: (-item[1], item[0]))
        return self._hits(query, words, ranked, len(matched), limit)

    def _hits(self, query: str, words: list[str], ranked: list[tuple[int, float]], count: int,
              limit: int) -> list[SearchHit]:
        """Hits for ranked (paragraph, total score) pairs; the query found as written scores 100."""
        phrase = " ".join(query.lower().split())
        hits = []
        for number, total in ranked:
            score = total / count
            head, text = self._paragraph(number)
            lowered = self._lowered.get(number)
            if lowered is None:
                lowered = self._lowered[number] = " ".join(text.lower().split())
            at = lowered.find(phrase)
            if at >= 0:
                score = 100.0
            else:
                # Words that stand together as in the query outrank the same words apart.
                closeness = fuzz.partial_ratio(phrase, lowered) if len(phrase) <= 200 else 0.0
                score = min(0.8 * score + 0.2 * closeness, 99.0)
                at = _first_word(lowered, words)
            slug, language, paragraph, label, line = head
            hits.append(SearchHit("paragraph", slug, self._symbol_of.get(slug, slug), score,
                                  snippet(text, at, len(phrase)), language, paragraph, label, line))
        hits.sort(key=lambda hit: -hit.score)
        return hits[:limit]


class StoredIndex(SearchIndex):
    """The same queries and ranking, answered from the index file, reading only what a query needs.

    It answers for the files as they were when it was opened (`open_index`).
    """

    def __init__(self, database: sqlite3.Connection) -> None:
        self._database = database
        rows = database.execute("SELECT id, slug, symbol, current_symbol, title, paragraphs FROM documents "
                                "ORDER BY slug").fetchall()
        self._name_documents(row[1:5] for row in rows)
        # Numbered as SearchIndex numbers them: each document's first paragraph follows the last one's.
        self._starts: list[int] = []
        self._ids: list[int] = []
        self._start_of: dict[int, int] = {}
        number = 0
        for document, *_, paragraphs in rows:
            self._starts.append(number)
            self._ids.append(document)
            self._start_of[document] = number
            number += paragraphs
        self._size = number
        self._vocabulary = [word for word, in database.execute("SELECT word FROM words ORDER BY word")]
        self._frequencies: dict[str, int] = {}
        self._postings_read: dict[str, list[int]] = {}
        self._contents: dict[int, tuple[str, list, list[str]]] = {}

    @property
    def size(self) -> int:
        """How many paragraphs the index holds."""
        return self._size

    def _frequency(self, word: str) -> int:
        found = self._frequencies.get(word)
        if found is None:
            row = self._database.execute("SELECT paragraphs FROM words WHERE word = ?", (word,)).fetchone()
            found = self._frequencies[word] = row[0] if row else 0
        return found

    def _holding(self, word: str) -> Sequence[int]:
        found = self._postings_read.get(word)
        if found is None:
            found = self._postings_read[word] = []
            for (entries,) in self._database.execute("SELECT entries FROM postings WHERE word = ?", (word,)):
                for document, numbers in _entries(entries).items():
                    start = self._start_of[document]
                    found.extend(start + number for number in numbers)
            # Ids follow folder order until a document is indexed again under a new id.
            found.sort()
        return found

    def _paragraph(self, number: int) -> tuple[Head, str]:
        at = bisect_right(self._starts, number) - 1
        document = self._ids[at]
        content = self._contents.get(document)
        if content is None:
            slug, packed = self._database.execute("SELECT slug, content FROM documents JOIN contents "
                                                  "ON contents.document = documents.id WHERE id = ?",
                                                  (document,)).fetchone()
            content = self._contents[document] = (slug, *_unpack(packed))
        slug, heads, texts = content
        local = number - self._starts[at]
        return (slug, *heads[local]), texts[local]


def _first_word(lowered: str, words: list[str]) -> int:
    """The offset of the first query word (or its first three letters) in a paragraph, or 0."""
    best = -1
    for word in words:
        at = lowered.find(word[:3] if len(word) > 3 else word)
        if at >= 0 and (best < 0 or at < best):
            best = at
    return max(best, 0)


def snippet(text: str, at: int, length: int = 0, width: int = 110) -> str:
    """About `width` characters of `text` around offset `at`, on one line, with ellipses where cut."""
    flat = " ".join(text.split())  # `at` is an offset in this flattened form
    if len(flat) <= width:
        return flat
    start = max(0, min(at - width // 3, len(flat) - width))
    end = start + width
    head = "…" if start > 0 else ""
    tail = "…" if end < len(flat) else ""
    return head + flat[start:end].strip() + tail


# The index file ---------------------------------------------------------------

def search_repository(repo: Repository, query: str, *, limit: int = 20,
                      announce: Callable[[str], None] | None = None) -> list[SearchHit]:
    """Answer one query from the repository's index file, brought up to date first."""
    try:
        return open_index(repo, announce=announce).search(query, limit=limit)
    except sqlite3.DatabaseError:
        # Damage inside the file shows only when the damaged part is read; the file is only a cache.
        _discard(repo.root / CACHE_DIR / INDEX_FILE)
        return open_index(repo, announce=announce).search(query, limit=limit)


def open_index(repo: Repository, *, announce: Callable[[str], None] | None = None) -> SearchIndex:
    """The repository's search index from `.cicatext/search.sqlite`, brought up to date with the files first.

    The file is built when there is none, or when it is damaged, was written
    by another version of the index or for another default language. Where
    it cannot be written, the index is built in memory. `announce` is told
    before the slow work of building the file.
    """
    path = repo.root / CACHE_DIR / INDEX_FILE
    for _ in range(2):
        try:
            return StoredIndex(_up_to_date(repo, path, announce))
        except sqlite3.DatabaseError:
            # A damaged file, or one that is not an index at all: it is only a cache, so it is made again.
            _discard(path)
        except OSError:
            break
    # A copy of the repository that cannot be written to still answers, only more slowly.
    from cicatext.store.register.catalogue import load_catalogue, load_paragraphs

    return SearchIndex(load_catalogue(repo).documents, load_paragraphs(repo))


def _up_to_date(repo: Repository, path: Path, announce: Callable[[str], None] | None) -> sqlite3.Connection:
    """The index file, open, holding what the document folders hold now."""
    database = _connect(path)
    if database is not None and _made_for(repo, database) and _update(repo, database):
        return database
    if database is not None:
        database.close()
    return _build(repo, path, announce)


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


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass  # gone already, or not ours to remove: then the index is built in memory


def _build(repo: Repository, path: Path, announce: Callable[[str], None] | None) -> sqlite3.Connection:
    """Index every document into a new file, then put it in place of the old one in one step."""
    import tempfile

    from cicatext.store.register.catalogue import default_language, iter_paragraphs, load_catalogue

    if announce is not None:
        announce("indexing every paragraph for search; later searches reuse it")
    folders = _changed_folders(repo.root / "documents", {})  # read before the files, so a later change shows
    stamp = {"format": _FORMAT, "byteorder": _BYTE_ORDER, "language": default_language(repo),
             "settings": _file_state(repo.root / SETTINGS_FILE)}
    summaries = {summary.slug: summary for summary in load_catalogue(repo).documents}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".sqlite", dir=path.parent)
    os.close(handle)
    try:
        database = sqlite3.connect(temporary)
        # Nothing to journal: the file is not in place until it is complete.
        # Large pages hold a block's postings for a common word without overflow pages.
        database.executescript("PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                               + _SCHEMA)
        counts: Counter[str] = Counter()
        with database:
            database.executemany("INSERT INTO meta VALUES (?, ?)", stamp.items())
            # Ids are given in folder order, so a block's postings are complete once the next block begins.
            current = 0
            block: dict[str, array] = {}
            # One document at a time: the build holds one document's paragraphs, not every text.
            for paragraphs in iter_paragraphs(repo):
                state = folders.get(paragraphs.slug)
                if state is None or paragraphs.slug not in summaries:
                    continue
                document, holding = _add_document(database, state, summaries[paragraphs.slug], paragraphs)
                if document // _BLOCK != current:
                    _write_block(database, current, block)
                    current, block = document // _BLOCK, {}
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
        database.close()
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        _discard(Path(temporary))
        raise
    return _connect(path)


def _write_block(database: sqlite3.Connection, block: int, postings: dict[str, array]) -> None:
    """Write one block's postings row for each word its documents hold."""
    database.executemany("INSERT INTO postings VALUES (?, ?, ?)",
                         [(word, block, entries.tobytes()) for word, entries in postings.items()])


def _update(repo: Repository, database: sqlite3.Connection) -> bool:
    """Index again the documents whose folders changed and drop those gone, in one transaction.

    False, with nothing done, when so much changed that building the file afresh is quicker.
    """
    documents = repo.root / "documents"
    if not _changed_folders(documents, _stored(database)):
        return True
    # One writer at a time; a writer that was first may have done the work already.
    database.execute("BEGIN IMMEDIATE")
    with database:
        stored = _stored(database)
        changed = _changed_folders(documents, stored)
        # A folder whose files are as they were only needs its time kept, for the quick check next time.
        retimed = {slug: state[0] for slug, state in changed.items()
                   if slug in stored and state is not None and state[1] == stored[slug][2] and not _unsettled(state[1])}
        database.executemany("UPDATE documents SET folder = ? WHERE slug = ?",
                             [(modified, slug) for slug, modified in retimed.items()])
        changed = {slug: state for slug, state in changed.items() if slug not in retimed}
        if len(changed) > max(len(stored) // 2, 50):
            return False
        present = {slug for slug, state in changed.items() if state is not None}
        summaries: dict[str, DocumentSummary] = {}
        paragraphs: dict[str, DocumentParagraphs] = {}
        if present:
            from cicatext.store.register.catalogue import load_catalogue, load_paragraphs

            summaries = {found.slug: found for found in load_catalogue(repo).documents if found.slug in present}
            paragraphs = {found.slug: found for found in load_paragraphs(repo, only=present)}
        counts: Counter[str] = Counter()
        # (word, block) → document → the paragraphs now holding the word, None for none.
        rewrites: dict[tuple[str, int], dict[int, Sequence[int] | None]] = {}
        for slug, state in changed.items():
            if slug in stored:
                document = stored[slug][0]
                for word, numbers in _remove_document(database, document).items():
                    rewrites.setdefault((word, document // _BLOCK), {})[document] = None
                    counts[word] -= len(numbers)
            if slug in summaries and slug in paragraphs and state is not None:
                document, holding = _add_document(database, state, summaries[slug], paragraphs[slug])
                for word, numbers in holding.items():
                    rewrites.setdefault((word, document // _BLOCK), {})[document] = numbers
                    counts[word] += len(numbers)
        for (word, block), changes in rewrites.items():
            row = database.execute("SELECT entries FROM postings WHERE word = ? AND block = ?",
                                   (word, block)).fetchone()
            entries = _entries(row[0]) if row else {}
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
    return True


def _stored(database: sqlite3.Connection) -> dict[str, tuple[int, int, str]]:
    """Each indexed document's id, folder time and files, by slug."""
    return {slug: (document, folder, files)
            for document, slug, folder, files in database.execute("SELECT id, slug, folder, files FROM documents")}


def _add_document(database: sqlite3.Connection, state: tuple[int, str], summary: DocumentSummary,
                  paragraphs: DocumentParagraphs) -> tuple[int, dict[str, list[int]]]:
    """Keep one document's row and paragraphs; its id, and its words with the paragraphs holding each."""
    texts = paragraphs.texts()
    document = database.execute(
        "INSERT INTO documents (slug, folder, files, symbol, current_symbol, title, paragraphs) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (paragraphs.slug, *state, summary.symbol, summary.current_symbol, summary.title, len(texts))).lastrowid
    content = zlib.compress(json.dumps([paragraphs.heads, texts], ensure_ascii=False).encode("utf-8"), 1)
    database.execute("INSERT INTO contents VALUES (?, ?)", (document, content))
    return document, _holding_words(texts)


def _remove_document(database: sqlite3.Connection, document: int) -> dict[str, list[int]]:
    """Drop one document's row and paragraphs; its words, with the paragraphs that held each."""
    (content,) = database.execute("SELECT content FROM contents WHERE document = ?", (document,)).fetchone()
    database.execute("DELETE FROM contents WHERE document = ?", (document,))
    database.execute("DELETE FROM documents WHERE id = ?", (document,))
    return _holding_words(_unpack(content)[1])


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
    return values.tobytes()


def _entries(packed: bytes) -> dict[int, Sequence[int]]:
    """A postings row's documents (by id), each with the paragraphs holding the word."""
    values = array("I", packed)
    entries = {}
    at = 0
    while at < len(values):
        end = at + 2 + values[at + 1]
        entries[values[at]] = values[at + 2:end]
        at = end
    return entries


def _holding_words(texts: list[str]) -> dict[str, list[int]]:
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


def _unpack(content: bytes) -> tuple[list[list], list[str]]:
    """A document's paragraph heads ([language, id, label, line]) and texts, from its stored content."""
    heads, texts = json.loads(zlib.decompress(content))
    return heads, texts


def _changed_folders(documents: Path, stored: dict[str, tuple[int, int, str]]) -> dict[str, tuple[int, str] | None]:
    """The document folders that differ from what the index holds: what each holds now, None when gone.

    A folder is a document when it holds a `document.yaml`, as for the
    catalogue. When a folder's modification time is what the index holds, no
    file came or went, so only the files it knows are looked at.
    """
    try:
        with os.scandir(documents) as entries:
            present = {entry.name for entry in entries if entry.is_dir()}
    except OSError:
        present = set()
    changed: dict[str, tuple[int, str] | None] = {}
    for slug in present:
        known = stored.get(slug)
        folder = f"{documents}/{slug}"
        if known is None or not _unchanged(folder, known[1], known[2]):
            state = _folder_state(folder)
            if state != (known[1:] if known is not None else None) or (state is not None and _unsettled(state[1])):
                changed[slug] = state
    for slug in stored.keys() - present:
        changed[slug] = None
    return changed


def _unchanged(folder: str, modified: int, files: str) -> bool:
    """Whether a folder still holds the files it held, at the sizes and times it held them."""
    try:
        if os.stat(folder).st_mtime_ns != modified:
            return False
        for known in files.split("\0"):
            name, size, mtime = known.split("/")
            stat = os.stat(f"{folder}/{name}")
            if stat.st_size != int(size) or stat.st_mtime_ns != int(mtime):
                return False
    except OSError:
        return False
    return True


def _folder_state(folder: str) -> tuple[int, str] | None:
    """A document folder's modification time (0 when too recent to trust) and its files, or None if not a document."""
    try:
        modified = os.stat(folder).st_mtime_ns  # before the entries: an entry added meanwhile shows next time
    except OSError:
        return None
    now = time.time_ns()
    files = document_files(folder, now)
    if not files:
        return None
    # A file added within the same clock tick as the last change would not move the time.
    settled = max(settled_time(modified, now), 0)
    return settled, "\0".join(sorted(f"{name}/{size}/{mtime}" for name, size, mtime in files))


def _unsettled(files: str) -> bool:
    """Whether a folder's files (as `_folder_state` lists them) hold one changed too recently to be known by its time."""
    return any(known.rsplit("/", 1)[1] == str(UNSETTLED) for known in files.split("\0"))


def _file_state(path: Path) -> str:
    """A file's size and modification time, as one string ("" when it cannot be read)."""
    try:
        stat = path.stat()
    except OSError:
        return ""
    return f"{stat.st_size}/{stat.st_mtime_ns}"
