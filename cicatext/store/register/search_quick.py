"""A quick answer to a query while the index file is being built: the texts that hold the query's words, read directly.

git grep lists the text files git tracks that hold every query word (letter
case aside, as the index ignores it); those documents, and those of folders
git does not track yet, have their paragraphs read in folder
order and searched as the index searches them (`SearchIndex`, same scores,
same ranking), with one difference: a query word matches only itself and the
words it begins, for forgiving a typing error needs the vocabulary of every
text, which only the index holds. Reading stops once enough paragraphs hold
every query word as written, for then the index would answer with those
very paragraphs, or when the time given is spent, and then the answer is the
best of the documents read. Symbols and titles are matched from the
register's cache when there is one, else among the documents read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cicatext.store.git import run_git
from cicatext.store.layout import DOCUMENTS_DIR
from cicatext.store.register.search import SearchHit, SearchIndex
from cicatext.store.register.search_file import WORD, holding_words

if TYPE_CHECKING:
    from cicatext.store.register.catalogue import DocumentParagraphs
    from cicatext.store.repository import Repository

READING_TIME = 0.8
"""Seconds spent reading documents for one quick answer, at most (one document's reading may end past it)."""


class QuickIndex(SearchIndex):
    """The index over some documents' paragraphs, matching each query word as written or as the start of a word."""

    def _matches(self, word: str) -> list[tuple[str, float]]:
        return [(candidate, score) for candidate, score in super()._matches(word) if score > 90.0]


def quick_search(repo: Repository, query: str, *, limit: int = 20,
                 reading_time: float = READING_TIME) -> list[SearchHit]:
    """The best documents and paragraphs for a query, best first, found without the index file."""
    from cicatext.store.register.catalogue import (
        cached_catalogue,
        load_paragraphs,
        summaries_of,
    )

    query = query.strip()
    if not query:
        return []
    words = list(dict.fromkeys(WORD.findall(query.lower())))
    wanted = limit * 3
    read: list[DocumentParagraphs] = []
    enough = 0
    deadline = time.monotonic() + reading_time
    for slug in _holding_every_word(repo, words) if words else ():
        read.extend(load_paragraphs(repo, only=[slug]))
        if read and read[-1].slug == slug:
            enough += _holding_all(read[-1].texts(), words)
        if enough >= wanted or time.monotonic() > deadline:
            break
    catalogue = cached_catalogue(repo)
    summaries = catalogue.documents if catalogue is not None else summaries_of(repo, [d.slug for d in read])
    return QuickIndex(summaries, read).search(query, limit=limit)


def _holding_all(texts: list[str], words: Sequence[str]) -> int:
    """How many of a document's paragraphs hold every word as written."""
    holding = holding_words(texts)
    common: set[int] | None = None
    for word in words:
        numbers = set(holding.get(word, ()))
        common = numbers if common is None else common & numbers
        if not common:
            return 0
    return len(common or ())


def _holding_every_word(repo: Repository, words: Sequence[str]) -> list[str]:
    """The document folders, in folder order, with a text holding every word (as a word or in one)."""
    documents = repo.root / DOCUMENTS_DIR
    try:
        with os.scandir(documents) as entries:
            every = sorted(entry.name for entry in entries if entry.is_dir())
    except OSError:
        return []
    # git's -i folds the letters of ASCII alone: a word with others is left for the reading to match.
    plain = [word for word in words if word.isascii()]
    if not plain:
        return every
    patterns = [argument for word in plain for argument in ("-e", word)]
    # Without --untracked, which would have git walk every folder: a folder git does not know is read anyway.
    found = run_git(repo.root, "grep", "-l", "-z", "-a", "-i", "-F", "--all-match", *patterns,
                    "--", DOCUMENTS_DIR, check=False, binary=True)
    known = run_git(repo.root, "ls-files", "-z", "--", DOCUMENTS_DIR, check=False, binary=True)
    if found.returncode not in (0, 1) or known.returncode != 0:
        return every  # not a git work tree after all: every document is a candidate
    slugs = _folders(found.stdout, text=True)
    tracked = _folders(known.stdout, text=False)
    return [slug for slug in every if slug in slugs or slug not in tracked]


def _folders(names: bytes, *, text: bool) -> set[str]:
    """The document folders of git's NUL-separated file names (of their text files alone, with `text`)."""
    slugs = set()
    for name in names.split(b"\0"):
        parts = os.fsdecode(name).split("/")
        if len(parts) == 3 and parts[0] == DOCUMENTS_DIR and (parts[2].endswith(".txt") or not text):
            slugs.add(parts[1])
    return slugs
