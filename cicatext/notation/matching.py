"""The opcodes difflib's `SequenceMatcher` gives two sequences without junk, found with less machinery.

The bracket diff pairs two paragraphs' brackets by their readings, a handful
each, for every paragraph that changed: `SequenceMatcher(None, a, b,
autojunk=False).get_opcodes()` made a matcher, its junk and popular sets, a
named tuple per block and a method call per step each time. `opcodes` is the
same algorithm (the longest matching block, then the same on either side of
it, adjacent blocks joined) for hashable items without junk, giving the same
opcodes.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[str, int, int, int, int]]:
    """(tag, i1, i2, j1, j2) steps turning `a` into `b`, as `SequenceMatcher(None, a, b, autojunk=False)` gives."""
    where: dict[Hashable, list[int]] = {}  # item → its places in b, in order
    for j, item in enumerate(b):
        where.setdefault(item, []).append(j)
    blocks = []
    queue = [(0, len(a), 0, len(b))]
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        i, j, k = _longest_match(a, b, where, alo, ahi, blo, bhi)
        if k:
            blocks.append((i, j, k))
            if alo < i and blo < j:
                queue.append((alo, i, blo, j))
            if i + k < ahi and j + k < bhi:
                queue.append((i + k, ahi, j + k, bhi))
    blocks.sort()
    joined = []
    i1 = j1 = k1 = 0
    for i2, j2, k2 in blocks:
        if i1 + k1 == i2 and j1 + k1 == j2:
            k1 += k2
        else:
            if k1:
                joined.append((i1, j1, k1))
            i1, j1, k1 = i2, j2, k2
    if k1:
        joined.append((i1, j1, k1))
    joined.append((len(a), len(b), 0))
    steps = []
    i = j = 0
    for ai, bj, size in joined:
        if i < ai and j < bj:
            steps.append(("replace", i, ai, j, bj))
        elif i < ai:
            steps.append(("delete", i, ai, j, bj))
        elif j < bj:
            steps.append(("insert", i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            steps.append(("equal", ai, i, bj, j))
    return steps


def _longest_match(a: Sequence[Hashable], b: Sequence[Hashable], where: dict[Hashable, list[int]],
                   alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
    """(i, j, k): the longest run a[i:i+k] == b[j:j+k] within the bounds, the earliest in a, then in b, of those."""
    besti, bestj, bestsize = alo, blo, 0
    lengths: dict[int, int] = {}  # j → the length of the run ending at a[i-1] and b[j]
    nothing: list[int] = []
    for i in range(alo, ahi):
        found = lengths.get
        lengths = {}
        for j in where.get(a[i], nothing):
            if j < blo:
                continue
            if j >= bhi:
                break
            k = lengths[j] = found(j - 1, 0) + 1
            if k > bestsize:
                besti, bestj, bestsize = i - k + 1, j - k + 1, k
    # Without junk a longest run cannot grow on either side (difflib's extension steps change nothing).
    return besti, bestj, bestsize
