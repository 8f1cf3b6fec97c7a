"""Bracket ids for tests: the id of the bracket at a place `PARAGRAPH:N` (its N-th bracket in reading order).

Tests name brackets by place because places are easy to read in a test; what
the commands take is the bracket's id, which this looks up in the text as it
stands.
"""

from __future__ import annotations

from cicatext.notation.reader import read
from cicatext.notation.views import bracket_list


def at(text: str, place: str) -> str:
    """The id of the bracket at `place` in a bracketed text."""
    paragraph_id, _, number = place.rpartition(":")
    return [info.id for info in bracket_list(read(text).draft) if info.paragraph == paragraph_id][int(number) - 1]


def at_in(repo, symbol: str, place: str, language: str = "en") -> str:
    """The id of the bracket at `place` in a document's text in a repository's working tree."""
    entry = repo.document(symbol)
    return at((repo.root / entry.text_path(language)).read_text(encoding="utf-8"), place)
