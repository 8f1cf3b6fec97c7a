"""Which paragraph of one text is which paragraph of another, by content.

A Chair's revised text renumbers, moves, splits, merges and redrafts
paragraphs, so two texts' paragraph ids (taken from their numbering or their
order) do not say which paragraph became which. `align` pairs them by what
they say:

1. paragraphs that read the same once numbering, brackets and attributions are
   set aside pair up, whatever their place;
2. a paragraph keeps its partner under the same id when both texts wrote their
   ids (`{#op3}` markers) and the two still read alike;
3. the rest pair by similarity (rapidfuzz), best pairs first, down to
   `EDITED_SIMILARITY`;
4. a paragraph left over on the new side whose words stand inside an old
   paragraph that is already paired is a part split off it; one left over on
   the old side whose words stand inside a new paragraph was merged into it;
5. of the pairs, those outside the longest run kept in order are moves.

A pair is *unsure* when its similarity is low or another candidate came close;
the caller says so. Nothing here reads files or ids' meaning beyond equality.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from cicatext.notation.paragraph_text import LABEL, paragraph_text
from cicatext.notation.tree import Draft, Paragraph

SAME_ID_SIMILARITY = 0.6
"""The least similarity at which two paragraphs under one written id are taken as one."""
EDITED_SIMILARITY = 0.55
"""The least similarity at which two paragraphs are paired as one redrafted."""
SURE_SIMILARITY = 0.75
"""Below this similarity a pair is reported as unsure."""
CLOSE_CALL = 0.05
"""A pair is unsure when the runner-up candidate scored within this of it."""
PART_SIMILARITY = 0.9
"""The least share of a split-off or merged paragraph's words found in its partner."""
KINDS = ("kept", "moved", "edited", "split", "merged", "new", "removed")
"""Every kind of link, in the order reports list them."""

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Link:
    """One paragraph's fate: the old and new ids it has on each side, and how they relate."""

    old: str | None
    """Its id in the old text; None for a new paragraph."""
    new: str | None
    """Its id in the new text as read (before any renaming); None for a removed one."""
    similarity: float = 1.0
    """How alike the two read, 0 to 1 (1 for new and removed)."""
    moved: bool = False
    """It stands elsewhere in the order than before."""
    after: str | None = None
    """For a move: the old id of the paragraph it now follows (None: it now comes first)."""
    split_from: str | None = None
    """For a new paragraph split off an old one: that old paragraph's id."""
    merged_into: str | None = None
    """For a removed paragraph whose words went into a new one: that new paragraph's id."""
    unsure: bool = False
    """The pairing is a guess worth a look."""

    @property
    def kind(self) -> str:
        """One of `KINDS`: what a report calls this link."""
        if self.old is None:
            return "split" if self.split_from else "new"
        if self.new is None:
            return "merged" if self.merged_into else "removed"
        if self.moved:
            return "moved"
        return "kept" if self.similarity >= 1.0 else "edited"

    def to_json(self) -> dict:
        """The link as a plain dict for `--json` output."""
        shown = {"kind": self.kind, "old": self.old, "new": self.new, "similarity": round(self.similarity, 3)}
        if self.moved:
            shown["edited"] = self.similarity < 1.0
            shown["after"] = self.after
        if self.split_from:
            shown["split_from"] = self.split_from
        if self.merged_into:
            shown["merged_into"] = self.merged_into
        if self.unsure:
            shown["unsure"] = True
        return shown


@dataclass(frozen=True)
class Alignment:
    """Every paragraph of two texts, paired: in the new text's order, each removed one where it stood."""

    links: tuple[Link, ...]

    def old_of(self) -> dict[str, str]:
        """New id → the old id it continues, for every paired paragraph."""
        return {link.new: link.old for link in self.links if link.new is not None and link.old is not None}

    def new_of(self) -> dict[str, str]:
        """Old id → the new id that continues it, for every paired paragraph."""
        return {link.old: link.new for link in self.links if link.new is not None and link.old is not None}

    def counts(self) -> dict[str, int]:
        """How many links of each kind."""
        tally = dict.fromkeys(KINDS, 0)
        for link in self.links:
            tally[link.kind] += 1
        return tally

    def unsure(self) -> tuple[Link, ...]:
        """The links worth a look."""
        return tuple(link for link in self.links if link.unsure)

    def carried_share(self) -> float:
        """The share of the old text's paragraphs that the new text continues (0 to 1; 1 for an empty old text)."""
        old = sum(1 for link in self.links if link.old is not None)
        paired = sum(1 for link in self.links if link.old is not None and link.new is not None)
        return paired / old if old else 1.0

    def identical_ids(self) -> bool:
        """True when every paragraph kept its id and place: the two texts' ids already correspond."""
        return all(link.old == link.new and not link.moved for link in self.links)

    def to_json(self) -> dict:
        """Counts and links as plain data."""
        return {"counts": self.counts(), "links": [link.to_json() for link in self.links]}


def comparable(paragraph: Paragraph) -> str:
    """What a paragraph says, for comparing: its words without numbering, bracket marks or attributions."""
    words = paragraph_text(paragraph).reading
    words = LABEL.sub("", words.lstrip(), count=1)
    return _SPACE.sub(" ", words).strip()


def align(old: Draft, new: Draft, *, trust_ids: bool = True) -> Alignment:
    """Pair the paragraphs of `old` and `new` by content (see the module's description)."""
    old_texts = [comparable(p) for p in old.paragraphs]
    new_texts = [comparable(p) for p in new.paragraphs]
    pairs: dict[int, int] = {}  # new index → old index
    scores: dict[int, float] = {}
    _pair_equal(old_texts, new_texts, pairs, scores)
    if trust_ids:
        _pair_written_ids(old, new, old_texts, new_texts, pairs, scores)
    close_calls = _pair_similar(old_texts, new_texts, pairs, scores)
    split_from, merged_into = _parts(old_texts, new_texts, pairs)
    return _links(old, new, pairs, scores, close_calls, split_from, merged_into)


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    if a == b:
        return 1.0
    return fuzz.ratio(a, b) / 100


def _pair_written_ids(old: Draft, new: Draft, old_texts: list[str], new_texts: list[str],
                      pairs: dict[int, int], scores: dict[int, float]) -> None:
    taken = set(pairs.values())
    written = {p.id: index for index, p in enumerate(old.paragraphs) if p.marker and index not in taken}
    for index, paragraph in enumerate(new.paragraphs):
        if index in pairs or not paragraph.marker or paragraph.id not in written:
            continue
        other = written[paragraph.id]
        score = _similarity(old_texts[other], new_texts[index])
        if score >= SAME_ID_SIMILARITY:
            pairs[index] = other
            scores[index] = score


def _pair_equal(old_texts: list[str], new_texts: list[str], pairs: dict[int, int], scores: dict[int, float]) -> None:
    taken = set(pairs.values())
    waiting: dict[str, list[int]] = {}
    for index, text in enumerate(old_texts):
        if index not in taken and text:
            waiting.setdefault(text, []).append(index)
    for index, text in enumerate(new_texts):
        if index in pairs or not waiting.get(text):
            continue
        pairs[index] = waiting[text].pop(0)
        scores[index] = 1.0


def _pair_similar(old_texts: list[str], new_texts: list[str], pairs: dict[int, int],
                  scores: dict[int, float]) -> set[int]:
    """Pair what is left, best first; returns the new indices whose pairing was a close call."""
    from rapidfuzz import fuzz, process

    taken = set(pairs.values())
    old_left = [i for i in range(len(old_texts)) if i not in taken]
    new_left = [i for i in range(len(new_texts)) if i not in pairs]
    close: set[int] = set()
    if not old_left or not new_left:
        return close
    choices = [old_texts[i] for i in old_left]
    rows = [
        {column: score for _, score, column in process.extract(new_texts[index], choices, scorer=fuzz.ratio,
                                                              score_cutoff=EDITED_SIMILARITY * 100, limit=None)}
        for index in new_left
    ]
    candidates = sorted(((score, row, column) for row, found in enumerate(rows) for column, score in found.items()),
                        reverse=True)
    by_column: dict[int, list[float]] = {}
    for score, _, column in candidates:
        by_column.setdefault(column, []).append(score)
    used_rows: set[int] = set()
    used_columns: set[int] = set()
    for score, row, column in candidates:
        if row in used_rows or column in used_columns:
            continue
        used_rows.add(row)
        used_columns.add(column)
        index = new_left[row]
        pairs[index] = old_left[column]
        scores[index] = score / 100
        rivals = sorted(rows[row].values(), reverse=True)[1:2] + by_column[column][1:2]
        if rivals and max(rivals) >= score - CLOSE_CALL * 100:
            close.add(index)
    return close


def _contained(part: str, whole: str) -> float:
    """The share of `part`'s words found, in order, within `whole` (0 to 1)."""
    from rapidfuzz import fuzz

    if not part or not whole:
        return 0.0
    return fuzz.partial_ratio(part, whole) / 100 if len(part) <= len(whole) else 0.0


def _parts(old_texts: list[str], new_texts: list[str], pairs: dict[int, int]) -> tuple[dict[int, int], dict[int, int]]:
    """(new index → old index it split off, old index → new index it merged into) for the paragraphs left over."""
    old_of = dict(pairs)
    new_of = {o: n for n, o in pairs.items()}
    split_from: dict[int, int] = {}
    for index, text in enumerate(new_texts):
        if index in old_of or len(text) < 20:
            continue
        best = max(((_contained(text, old_texts[o]), o) for o in new_of), default=(0.0, -1))
        if best[0] >= PART_SIMILARITY:
            split_from[index] = best[1]
    merged_into: dict[int, int] = {}
    for index, text in enumerate(old_texts):
        if index in new_of or len(text) < 20:
            continue
        best = max(((_contained(text, new_texts[n]), n) for n in old_of), default=(0.0, -1))
        if best[0] >= PART_SIMILARITY:
            merged_into[index] = best[1]
    return split_from, merged_into


def _kept_in_order(sequence: list[int]) -> set[int]:
    """The positions of a longest increasing run of `sequence` (patience sorting)."""
    from bisect import bisect_left

    tails: list[int] = []
    tail_at: list[int] = []
    previous: list[int] = [-1] * len(sequence)
    for position, value in enumerate(sequence):
        slot = bisect_left(tails, value)
        if slot == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[slot] = value
            tail_at[slot] = position
        previous[position] = tail_at[slot - 1] if slot else -1
    kept: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position != -1:
        kept.add(position)
        position = previous[position]
    return kept


def _links(old: Draft, new: Draft, pairs: dict[int, int], scores: dict[int, float], close_calls: set[int],
           split_from: dict[int, int], merged_into: dict[int, int]) -> Alignment:
    paired_new = sorted(pairs)
    in_order = _kept_in_order([pairs[n] for n in paired_new])
    moved = {paired_new[position] for position in range(len(paired_new)) if position not in in_order}
    old_ids = [p.id for p in old.paragraphs]
    new_ids = [p.id for p in new.paragraphs]
    paired_old = set(pairs.values())
    # Each removed paragraph follows the nearest paragraph before it in the old text that is still paired.
    removed_after: dict[int | None, list[int]] = {}
    anchor: int | None = None
    for index in range(len(old_ids)):
        if index in paired_old:
            anchor = index
        else:
            removed_after.setdefault(anchor, []).append(index)

    def removed(index: int) -> Link:
        into = merged_into.get(index)
        return Link(old_ids[index], None, merged_into=new_ids[into] if into is not None else None)

    links: list[Link] = [removed(i) for i in removed_after.get(None, [])]
    previous_old: str | None = None
    for index in range(len(new_ids)):
        if index in pairs:
            other = pairs[index]
            score = scores[index]
            links.append(Link(old_ids[other], new_ids[index], score, moved=index in moved,
                              after=previous_old if index in moved else None,
                              unsure=score < SURE_SIMILARITY or index in close_calls))
            previous_old = old_ids[other]
            links.extend(removed(i) for i in removed_after.get(other, []) if index not in moved)
        else:
            source = split_from.get(index)
            links.append(Link(None, new_ids[index], 1.0, split_from=old_ids[source] if source is not None else None))
    # Removed paragraphs whose anchor moved are listed at the end rather than lost.
    listed = {link.old for link in links if link.new is None}
    links.extend(removed(i) for i in range(len(old_ids)) if i not in paired_old and old_ids[i] not in listed)
    return Alignment(tuple(links))


def fresh_id(wanted: str, used: Collection[str], revision: int) -> str:
    """An id never used before: `wanted` when free, else `wanted.rN` (N the revision), else with a letter added."""
    if wanted not in used:
        return wanted
    base = f"{wanted}.r{revision}"
    if base not in used:
        return base
    for letter in "abcdefghijklmnopqrstuvwxyz":
        if f"{base}{letter}" not in used:
            return f"{base}{letter}"
    number = 2
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def carried_ids(alignment: Alignment, used: Iterable[str], revision: int) -> dict[str, str]:
    """New id as read → the id the paragraph keeps: its old id when paired, else a fresh one never used before."""
    taken = set(used)
    taken.update(link.old for link in alignment.links if link.old is not None)
    renamed: dict[str, str] = {}
    for link in alignment.links:
        if link.new is not None and link.old is not None:
            renamed[link.new] = link.old
    for link in alignment.links:
        if link.new is not None and link.old is None:
            identifier = fresh_id(link.new, taken, revision)
            taken.add(identifier)
            renamed[link.new] = identifier
    return renamed
