"""Fuzzy search over every symbol, title and paragraph of a repository.

The index is built once: each paragraph's words go into an inverted index
(word to the paragraphs holding it), and the distinct words into a sorted
vocabulary. A query then costs little however many paragraphs there are:
each query word is matched against the vocabulary (exactly, as a prefix, and
with rapidfuzz's `ratio` for typing errors), the paragraphs holding a match
of every query word are scored, and a paragraph holding the query as written
scores highest. Symbols and titles are scored with rapidfuzz directly.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from cicatext.store.catalogue import DocumentParagraphs, DocumentSummary

_WORD = re.compile(r"\w+")
_PREFIX_LIMIT = 400
_FUZZY_LIMIT = 40


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


class SearchIndex:
    """Symbols, titles and paragraphs of every document, indexed for fuzzy queries."""

    def __init__(self, documents: Sequence[DocumentSummary], paragraphs: Iterable[DocumentParagraphs]) -> None:
        self._documents = list(documents)
        self._symbol_of = {d.slug: d.current_symbol for d in self._documents}
        self._labels = [f"{d.current_symbol} {d.symbol if d.symbol != d.current_symbol else ''}".lower()
                        for d in self._documents]
        self._titles = [d.title.lower() for d in self._documents]
        # One entry per paragraph: (slug, language, id, label, line) and its text.
        self._heads: list[tuple[str, str, str, str | None, int]] = []
        self._texts: list[str] = []
        postings: dict[str, list[int]] = {}
        for document in paragraphs:
            for head, text in zip(document.heads, document.texts()):
                number = len(self._texts)
                self._heads.append((document.slug, *head))
                self._texts.append(text)
                for word in set(_WORD.findall(text.lower())):
                    found = postings.get(word)
                    if found is None:
                        postings[word] = [number]
                    else:
                        found.append(number)
        self._postings = postings
        self._vocabulary = sorted(postings)
        self._lowered: list[str | None] = [None] * len(self._texts)
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
            document = self._documents[index]
            hits.append(SearchHit("document", document.slug, document.current_symbol, score, document.title))
        return hits

    # Paragraphs ------------------------------------------------------------

    def _matches(self, word: str) -> list[tuple[str, float]]:
        """Vocabulary words matching one query word, with scores: exact 100, prefix 90+, fuzzy below."""
        found: dict[str, float] = {}
        if word in self._postings:
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
            found = self._sets[word] = set(self._postings[word])
        return found

    def _word_scores(self, matches: list[tuple[str, float]], within: dict[int, float] | None,
                     need: int | None) -> dict[int, float]:
        """Each paragraph's best score for one query word, among `within` when given.

        Matches come best first, so a paragraph keeps the first score it gets;
        with `need`, stop once that many paragraphs have a score.
        """
        scored: dict[int, float] = {}
        if within is not None:
            volume = sum(len(self._postings[candidate]) for candidate, _ in matches)
            if len(within) * len(matches) < volume:
                sets = [(self._posting_set(candidate), score) for candidate, score in matches]
                for number in within:
                    for members, score in sets:
                        if number in members:
                            scored[number] = score
                            break
                return scored
        for candidate, score in matches:
            for number in self._postings[candidate]:
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
        exact = [self._posting_set(word) for word in words if word in self._postings]
        if len(exact) == len(words):
            # Paragraphs holding every word as written outrank the rest; often they are enough.
            common = set.intersection(*sorted(exact, key=len))
            if len(common) >= wanted:
                return self._hits(query, words, [(n, 100.0 * len(words)) for n in heapq.nsmallest(wanted, common)],
                                  len(words), limit)
        # The rarest word first: the paragraphs it allows are the only ones to look at.
        matched.sort(key=lambda matches: sum(len(self._postings[c]) for c, _ in matches))
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
            text = self._texts[number]
            lowered = self._lowered[number]
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
            slug, language, paragraph, label, line = self._heads[number]
            hits.append(SearchHit("paragraph", slug, self._symbol_of.get(slug, slug), score,
                                  snippet(text, at, len(phrase)), language, paragraph, label, line))
        hits.sort(key=lambda hit: -hit.score)
        return hits[:limit]


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


def build_index(repo) -> SearchIndex:
    """The search index of a repository, read through the catalogue's cache."""
    from cicatext.store.catalogue import load_catalogue, load_paragraphs

    catalogue = load_catalogue(repo)
    return SearchIndex(catalogue.documents, load_paragraphs(repo))
