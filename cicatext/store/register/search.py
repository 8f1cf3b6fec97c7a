"""Fuzzy search over every symbol, title and paragraph of a repository.

Each paragraph's words go into an inverted index (word to the paragraphs
holding it), and the distinct words into a sorted vocabulary. A query then
costs little however many paragraphs there are: each query word is matched
against the vocabulary (exactly, as a prefix, and with rapidfuzz's `ratio` for
typing errors), the paragraphs holding a match of every query word are
scored, and a paragraph holding the query as written scores highest. Symbols
and titles are scored with rapidfuzz directly.

`SearchIndex` holds all of it in memory, built from the catalogue.
`StoredIndex` answers the same queries with the same ranking from the index
file (`cicatext.store.register.search_file`), reading only the words and
paragraphs a query needs. `open_index` brings the file up to date before
answering. `answer_query`, for the command line, does not wait for a large
repository's file to be built: it starts building it in the background
(`cicatext.store.register.search_builder`) and answers from the texts
directly (`cicatext.store.register.search_quick`), saying so.
"""

from __future__ import annotations

import heapq
import os
import sqlite3
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from cicatext.store.layout import DOCUMENTS_DIR
from cicatext.store.register.search_file import (
    BLOCK,
    WORD,
    discard,
    holding_words,
    index_path,
    ready,
    unpack_content,
    unpack_postings,
    up_to_date,
)

if TYPE_CHECKING:
    from cicatext.store.register.catalogue import DocumentParagraphs, DocumentSummary
    from cicatext.store.repository import Repository

_PREFIX_LIMIT = 400
_FUZZY_LIMIT = 40
FOREGROUND_BYTES = 4_000_000
"""Texts up to this size (all documents' text files together) are indexed before answering: a few seconds at most."""


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
            for word, numbers in holding_words(texts).items():
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

    def _first_holding_all(self, words: list[str], wanted: int) -> list[int] | None:
        """The `wanted` first paragraphs (by number) holding every word of the vocabulary given, ascending; None
        when fewer hold them all."""
        common = set.intersection(*sorted((self._posting_set(word) for word in words), key=len))
        return heapq.nsmallest(wanted, common) if len(common) >= wanted else None

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
        words = list(dict.fromkeys(WORD.findall(query.lower())))
        if not words:
            return []
        matched = []
        for word in words:
            matches = self._matches(word)
            if not matches:
                return []
            matched.append(matches)
        wanted = limit * 3
        if all(self._frequency(word) for word in words):
            # Paragraphs holding every word as written outrank the rest; often they are enough.
            first = self._first_holding_all(words, wanted)
            if first is not None:
                return self._hits(query, words, [(n, 100.0 * len(words)) for n in first], len(words), limit)
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
        # Each postings block's first paragraph: the numbers its documents' paragraphs start from.
        self._block_first: dict[int, int] = {}
        number = 0
        for document, *_, paragraphs in rows:
            self._starts.append(number)
            self._ids.append(document)
            self._start_of[document] = number
            self._block_first.setdefault(document // BLOCK, number)
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
                for document, numbers in unpack_postings(entries).items():
                    start = self._start_of[document]
                    found.extend(start + number for number in numbers)
            # Ids follow folder order only as far as documents came in it: one added later takes the next id.
            found.sort()
        return found

    def _first_holding_all(self, words: list[str], wanted: int) -> list[int] | None:
        """As the index in memory gives them, reading the postings block by block, from the block whose documents
        come first, until no later block can hold an earlier paragraph than those found."""
        blocks: set[int] | None = None
        for word in words:
            holding = {block for block, in self._database.execute("SELECT block FROM postings WHERE word = ?",
                                                                  (word,))}
            blocks = holding if blocks is None else blocks & holding
        order = sorted(blocks or (), key=self._block_first.__getitem__)
        found: list[int] = []
        for at, block in enumerate(order):
            entries = [unpack_postings(self._database.execute(
                "SELECT entries FROM postings WHERE word = ? AND block = ?", (word, block)).fetchone()[0])
                for word in words]
            for document in set.intersection(*(set(held) for held in entries)):
                start = self._start_of[document]
                found.extend(start + number for number in set.intersection(*(set(held[document]) for held in entries)))
            if len(found) >= wanted:
                first = heapq.nsmallest(wanted, found)
                if at + 1 == len(order) or self._block_first[order[at + 1]] > first[-1]:
                    return first
        return None

    def _paragraph(self, number: int) -> tuple[Head, str]:
        at = bisect_right(self._starts, number) - 1
        document = self._ids[at]
        content = self._contents.get(document)
        if content is None:
            slug, packed = self._database.execute("SELECT slug, content FROM documents JOIN contents "
                                                  "ON contents.document = documents.id WHERE id = ?",
                                                  (document,)).fetchone()
            content = self._contents[document] = (slug, *unpack_content(packed))
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


@dataclass(frozen=True)
class SearchAnswer:
    """The hits for a query, and whether they are a quick answer given while the index file is built."""

    hits: list[SearchHit]
    """Best first."""
    quick: bool = False
    """Found by reading the texts that hold the query's words, forgiving no typing error (`search_quick`)."""


def search_repository(repo: Repository, query: str, *, limit: int = 20,
                      announce: Callable[[str], None] | None = None) -> list[SearchHit]:
    """Answer one query from the repository's index file, brought up to date first."""
    try:
        return open_index(repo, announce=announce).search(query, limit=limit)
    except sqlite3.DatabaseError:
        # Damage inside the file shows only when the damaged part is read; the file is only a cache.
        discard(index_path(repo))
        return open_index(repo, announce=announce).search(query, limit=limit)


def answer_query(repo: Repository, query: str, *, limit: int = 20, announce: Callable[[str], None] | None = None,
                 foreground_bytes: int = FOREGROUND_BYTES) -> SearchAnswer:
    """Answer one query from the index file when it is up to date or quickly brought so; else answer quickly.

    When the file must be built afresh (there is none, or most documents
    changed) and the texts are over `foreground_bytes`, building it is left
    to a process of its own, and the answer comes from the texts directly.
    """
    index = stored_index(repo, announce=announce, foreground_bytes=foreground_bytes)
    if index is not None:
        try:
            return SearchAnswer(index.search(query, limit=limit))
        except sqlite3.DatabaseError:
            discard(index_path(repo))
            return SearchAnswer(search_repository(repo, query, limit=limit, announce=announce))
    from cicatext.store.register.search_builder import start
    from cicatext.store.register.search_quick import quick_search

    hits = quick_search(repo, query, limit=limit)
    start(repo)  # after the answer, which the builder would slow down
    if announce is not None:
        announce("the search index is being built in the background; until it is ready, answers come from "
                 "a quick scan of the texts, which forgives no typing errors")
    return SearchAnswer(hits, quick=True)


def stored_index(repo: Repository, *, announce: Callable[[str], None] | None = None,
                 foreground_bytes: int = FOREGROUND_BYTES) -> SearchIndex | None:
    """The index from its file, up to date; None when the file must be built afresh and the texts are large.

    Small texts (up to `foreground_bytes`) are indexed at once, as is a
    repository whose cache folder cannot be written (in memory, then).
    """
    path = index_path(repo)
    try:
        database = ready(repo, path)
        if database is not None:
            return StoredIndex(database)
    except sqlite3.DatabaseError:
        discard(path)
    except OSError:
        pass
    if _texts_size(repo) <= foreground_bytes or not _writable(path.parent):
        return open_index(repo, announce=announce)
    return None


def _texts_size(repo: Repository) -> int:
    """The documents' text files' size together, in bytes."""
    total = 0
    try:
        with os.scandir(repo.root / DOCUMENTS_DIR) as folders:
            for folder in folders:
                if folder.is_dir():
                    with os.scandir(folder.path) as files:
                        total += sum(entry.stat().st_size for entry in files if entry.name.endswith(".txt"))
    except OSError:
        pass
    return total


def _writable(folder) -> bool:
    """Whether the cache folder can be written (made, where there is none yet)."""
    while not folder.exists():
        folder = folder.parent
    return os.access(folder, os.W_OK)


def open_index(repo: Repository, *, announce: Callable[[str], None] | None = None) -> SearchIndex:
    """The repository's search index from `.cicatext/search.sqlite`, brought up to date with the files first.

    The file is built when there is none, or when it is damaged, was written
    by another version of the index or for another default language. Where
    it cannot be written, the index is built in memory. `announce` is told
    before the slow work of building the file.
    """
    path = index_path(repo)
    for _ in range(2):
        try:
            return StoredIndex(up_to_date(repo, path, announce))
        except sqlite3.DatabaseError:
            # A damaged file, or one that is not an index at all: it is only a cache, so it is made again.
            discard(path)
        except OSError:
            break
    # A copy of the repository that cannot be written to still answers, only more slowly.
    from cicatext.store.register.catalogue import load_catalogue, load_paragraphs

    return SearchIndex(load_catalogue(repo).documents, load_paragraphs(repo))
