"""Delegation codes: the shape of a code and the nearest known code to a misspelt one."""

from __future__ import annotations

import re
from collections.abc import Collection

CODE = re.compile(r"[A-Z][A-Z0-9]*")
"""A delegation code as attributions write it: capitals and digits, a capital first (IRAN, CHN, SEC)."""

# Below this similarity (0-100) a known code is not offered as a suggestion.
_CUTOFF = 60


def is_code(code: str) -> bool:
    """True when `code` has the shape of a delegation code."""
    return CODE.fullmatch(code) is not None


def suggest(code: str, known: Collection[str]) -> str | None:
    """The known code nearest to `code` (case-insensitive), or None when nothing is near."""
    if not known:
        return None
    from cicatext.notation.lookalikes import fold

    # A code written with look-alike characters (a Cyrillic С in СHN) is offered the code it looks like.
    wanted = fold(code.strip()).upper()
    by_upper = {k.upper(): k for k in known}
    if wanted in by_upper:
        return by_upper[wanted]
    from rapidfuzz import fuzz, process

    best = process.extractOne(wanted, list(by_upper), scorer=fuzz.ratio, score_cutoff=_CUTOFF)
    if best is not None:
        return by_upper[best[0]]
    # A code written out in full (CHINA for CHN, RUSSIA for RUS) starts like its short form.
    prefixed = [k for k in sorted(by_upper) if wanted.startswith(k) or k.startswith(wanted)]
    return by_upper[prefixed[0]] if len(prefixed) == 1 else None
