"""Problems as validate's caches keep them: plain mappings, written by `as_stored` and read back by `problems_from`.

A cache file can be damaged, or written by another cicatext: what does not
read back as problems is no result, and the check that kept it runs again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

from cicatext.errors import Problem


def as_stored(problems: Iterable[Problem]) -> list[dict]:
    """Problems as plain mappings, for a cache file."""
    return [asdict(problem) for problem in problems]


def problems_from(stored: object) -> list[Problem] | None:
    """The problems a cache file kept; None when it does not hold problems as `as_stored` writes them."""
    if not isinstance(stored, list):
        return None
    try:
        return [Problem(**problem) for problem in stored]
    except TypeError:  # not a mapping, or a field Problem does not have
        return None
