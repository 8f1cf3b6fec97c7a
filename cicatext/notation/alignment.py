"""Which paragraph of one text is which paragraph of another, by content.

A Chair's revised text renumbers, moves, splits, merges and redrafts
paragraphs, so two texts' paragraph ids (taken from their numbering or their
order) do not say which paragraph became which. `align` pairs them by what
they say, compared word by word (numbering, brackets, attributions, case and
punctuation set aside):

1. paragraphs that read the same pair up, whatever their place; where a
   reading repeats, in order;
2. the pairs of step 1 that keep their order are *anchors*;
3. the rest pair by similarity of words (rapidfuzz's ratio over words), the
   likeliest pairs first, down to `EDITED_SIMILARITY`; a pair that stands
   between the same anchors on both sides gains `ORDER_BONUS`, one under the
   same written id (`{#op3}` markers on both sides, when ids are trusted)
   gains `ID_BONUS`, so of two near-twins the one where it stood wins;
4. a paragraph left over on the new side whose words stand, in order, inside
   an old paragraph is a part split off it; one left over on the old side
   whose words stand inside a new paragraph was merged into it; parts whose
   whole is itself left over make it up together, and the part most like the
   whole keeps its id;
5. of the pairs, those outside the longest run kept in order are moves.

A link is *unsure* when its pair reads less alike than `SURE_SIMILARITY`
(a split or merge counted whole), when another candidate came within
`CLOSE_CALL` of it, or, for a new or removed paragraph, when a paragraph left
over on the other side came near it (`NEAR_SIMILARITY`). docs/alignment.md
says more. Nothing here reads files or ids' meaning beyond equality.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from itertools import chain

from cicatext.notation.paragraph_text import (
    LABEL,
    ParagraphText,
    ParagraphTexts,
    paragraph_text,
    words_of,
)
from cicatext.notation.tree import Draft, Paragraph

SAME_ID_SIMILARITY = 0.6
"""The least similarity at which two paragraphs under one written id are taken as one."""
EDITED_SIMILARITY = 0.55
"""The least similarity at which two paragraphs are paired as one redrafted."""
SURE_SIMILARITY = 0.75
"""Below this similarity a pair is reported as unsure."""
CLOSE_CALL = 0.05
"""A pair is unsure when the runner-up candidate scored within this of it."""
PART_SIMILARITY = 0.7
"""The least share of a split-off or merged paragraph's words found in its partner."""
PART_COVERAGE = 0.5
"""The least share of a left-over paragraph's words that the parts split off it (or merged into it) hold."""
KEPT_SHARE = 0.25
"""Of a split's parts (or a merge's), the one that opens as the whole did keeps its id when it holds
this share of the whole's words; else the one most like the whole."""
OPENING_WORDS = 8
"""How many first words of a paragraph are its opening."""
MIN_PART_WORDS = 4
"""A paragraph of fewer words is too short to be told a part of another."""
COMMON_SHARE = 0.05
"""A word found in more than this share of the two texts' paragraphs (and in more than `COMMON_LEAST`)
is common: it says how a paragraph is written, not what it is about."""
CONTENT_SHARE = 0.5
"""The share of uncommon words (see `COMMON_SHARE`) two paragraphs must have in common to be as alike
as their words say; see `_alike`."""
COMMON_LEAST = 3
"""The fewest paragraphs a common word is found in."""
NEAR_SIMILARITY = 0.4
"""A new or removed paragraph this alike to one left over on the other side is unsure."""
CANDIDATES = 24
"""How many of the likeliest partners of each paragraph are weighed (a text of near-twins stays fast)."""
ORDER_BONUS = 0.05
"""Added to a candidate pair's similarity when it keeps its neighbours' order."""
ID_BONUS = 0.1
"""Added to a candidate pair's similarity when both texts wrote the same id (ids trusted)."""
EQUAL_WORDS = 0.999
"""The most a pair whose words are equal but whose punctuation or case differs can score (1.0 is "kept")."""
KINDS = ("kept", "moved", "edited", "split", "merged", "new", "removed")
"""Every kind of link, in the order reports list them."""


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


def comparable(paragraph: Paragraph, texts: Callable[[Paragraph], ParagraphText] = paragraph_text) -> str:
    """What a paragraph says, for comparing: its words without numbering, bracket marks or attributions.

    `texts` makes the paragraph's text (a `ParagraphTexts` when the caller asks of the same paragraphs again).
    """
    if isinstance(texts, ParagraphTexts):
        return texts.once(_comparable, paragraph)
    return _comparable(paragraph, texts)


def _comparable(paragraph: Paragraph, texts: Callable[[Paragraph], ParagraphText]) -> str:
    words = texts.reading(paragraph) if isinstance(texts, ParagraphTexts) else texts(paragraph).reading
    words = LABEL.sub("", words.lstrip(), count=1)
    # str.split() splits at exactly the characters `\s` matches: white space made single, ends stripped.
    return " ".join(words.split())


def align(old: Draft, new: Draft, *, trust_ids: bool = True,
          texts: Callable[[Paragraph], ParagraphText] = paragraph_text) -> Alignment:
    """Pair the paragraphs of `old` and `new` by content (see the module's description).

    `texts` makes each paragraph's text, as for `comparable`.
    """
    old_side = _Side([p.id for p in old.paragraphs], [comparable(p, texts) for p in old.paragraphs])
    new_side = _Side([p.id for p in new.paragraphs], [comparable(p, texts) for p in new.paragraphs])
    _encode(old_side, new_side)
    pairing = _Pairing()
    _pair_equal(old_side.texts, new_side.texts, pairing)
    _pair_equal(old_side.words, new_side.words, pairing, old_side.texts, new_side.texts)
    written = _written_ids(old, new) if trust_ids else frozenset()
    _pair_similar(old_side, new_side, pairing, written)
    split_from = _parts(new_side, old_side, pairing, splits=True)
    merged_into = _parts(old_side, new_side, pairing, splits=False)
    _pair_empty(old_side, new_side, pairing)
    return _links(old_side.ids, new_side.ids, pairing, split_from, merged_into)


@dataclass
class _Side:
    """One text's paragraphs as compared: ids, readings, and their words two ways."""

    ids: list[str]
    texts: list[str]
    words: list[str] = field(default_factory=list)
    """Each paragraph's words, one character a distinct word (so rapidfuzz compares words, not letters)."""
    sketch: list[str] = field(default_factory=list)
    """The same in one-byte characters, several words sharing one: never less alike than `words`, and fast."""
    content: list[str] = field(default_factory=list)
    """The same without the words common to many paragraphs (`COMMON_SHARE`)."""


@dataclass
class _Pairing:
    """The pairs found so far and what is known of how sure each is."""

    pairs: dict[int, int] = field(default_factory=dict)
    """New index → old index."""
    scores: dict[int, float] = field(default_factory=dict)
    """New index → similarity of its pair."""
    close: set[int] = field(default_factory=set)
    """New indices whose pairing was a close call."""
    whole: dict[int, float] = field(default_factory=dict)
    """New index → similarity of the whole it stands for, parts split off or merged in included."""
    near: dict[tuple[int, int], float] = field(default_factory=dict)
    """(new index, old index) → similarity, for pairs that came near `EDITED_SIMILARITY` without reaching it."""

    def pair(self, new: int, old: int, score: float) -> None:
        self.pairs[new] = old
        self.scores[new] = score

    def new_of(self) -> dict[int, int]:
        return {old: new for new, old in self.pairs.items()}


def _encode(*sides: _Side) -> None:
    """Give each side its `words` and `sketch`, from one vocabulary for both."""
    # Paragraphs written alike share their reading: its words are found once.
    known = {text: words_of(text.lower()) for text in {text for side in sides for text in side.texts}}
    tokens = [[known[text] for text in side.texts] for side in sides]
    # How many paragraphs each word is found in, counted in C.
    frequency = Counter(chain.from_iterable(map(set, chain.from_iterable(tokens))))
    ranked = sorted(frequency, key=lambda word: (-frequency[word], word))
    common = max(COMMON_LEAST, COMMON_SHARE * sum(len(paragraphs) for paragraphs in tokens))
    # Past U+D7FF come the surrogates: skip them.
    code = {word: chr(rank + 0x100 if rank < 0xD700 else rank + 0x2100) for rank, word in enumerate(ranked)}
    short = {word: chr(1 + rank % 255) for rank, word in enumerate(ranked)}
    uncommon = {word: character if frequency[word] <= common else "" for word, character in code.items()}
    # Each distinct reading is encoded once (`content` without its common words): paragraphs written alike share it.
    encoded = {text: ("".join(map(code.__getitem__, words)), "".join(map(short.__getitem__, words)),
                      "".join(map(uncommon.__getitem__, words))) for text, words in known.items()}
    for side in sides:
        made = [encoded[text] for text in side.texts]
        side.words = [words for words, _, _ in made]
        side.sketch = [sketch for _, sketch, _ in made]
        side.content = [content for _, _, content in made]


def _alike(old: _Side, new: _Side, old_index: int, new_index: int, cutoff: float, fuzz, lcs) -> float:
    """How alike two paragraphs read: their words' similarity, capped when they are not about the same.

    The words alone find formulaic paragraphs alike ("Requests the Secretariat to prepare a
    report on ..."); what they are about is in their uncommon words. When fewer than
    `CONTENT_SHARE` of the uncommon words of the one with fewer stand, in order, in the other,
    the similarity is capped at that share over `CONTENT_SHARE`. `fuzz` and `lcs`: rapidfuzz's `fuzz` and
    `LCSseq`, imported by the caller once for all pairs."""
    score = fuzz.ratio(new.words[new_index], old.words[old_index], score_cutoff=cutoff * 100) / 100
    content = (new.content[new_index], old.content[old_index])
    fewer = min(len(content[0]), len(content[1]))
    if score and fewer:
        share = lcs.similarity(*content) / fewer
        if share < CONTENT_SHARE:
            score = min(score, share / CONTENT_SHARE)
            return score if score >= cutoff else 0.0
    return score


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return 1.0 if a == b else fuzz.ratio(a, b) / 100


def _pair_equal(old_keys: list[str], new_keys: list[str], pairing: _Pairing,
                old_texts: list[str] | None = None, new_texts: list[str] | None = None) -> None:
    """Pair the paragraphs whose keys are equal and not empty, in order where a key repeats.

    Given the texts, the similarity is theirs (capped at `EQUAL_WORDS`): the keys are then
    the words, and the texts differ only in punctuation or case."""
    taken = set(pairing.pairs.values())
    waiting: dict[str, list[int]] = {}
    for index in range(len(old_keys) - 1, -1, -1):
        if index not in taken and old_keys[index]:
            waiting.setdefault(old_keys[index], []).append(index)
    for index, key in enumerate(new_keys):
        if index in pairing.pairs or not waiting.get(key):
            continue
        other = waiting[key].pop()
        score = 1.0
        if old_texts is not None and new_texts is not None:
            score = min(_similarity(old_texts[other], new_texts[index]), EQUAL_WORDS)
        pairing.pair(index, other, score)


def _written_ids(old: Draft, new: Draft) -> frozenset[tuple[int, int]]:
    """(new index, old index) of the paragraphs whose `{#id}` markers, written on both sides, agree."""
    written = {p.id: index for index, p in enumerate(old.paragraphs) if p.marker}
    return frozenset((index, written[p.id]) for index, p in enumerate(new.paragraphs)
                     if p.marker and p.id in written)


def _order_bounds(pairs: dict[int, int], new_count: int, old_count: int) -> tuple[list[int], list[int]]:
    """For each new index, the old indices of the anchors before and after it (-1 and `old_count` at the ends).

    The anchors are the pairs kept in order; an old paragraph strictly between the two stands
    where the new one stands."""
    paired = sorted(pairs)
    anchored = {paired[position] for position in _kept_in_order([pairs[n] for n in paired])}
    low = [-1] * new_count
    high = [old_count] * new_count
    last = -1
    for index in range(new_count):
        low[index] = last
        if index in anchored:
            last = pairs[index]
    last = old_count
    for index in range(new_count - 1, -1, -1):
        high[index] = last
        if index in anchored:
            last = pairs[index]
    return low, high


def _pair_similar(old: _Side, new: _Side, pairing: _Pairing, written: frozenset[tuple[int, int]]) -> None:
    """Pair what is left by similarity of words, the likeliest pairs first.

    A pair that keeps the order of its neighbours gains `ORDER_BONUS`, one under the same written
    id `ID_BONUS` (from `SAME_ID_SIMILARITY` up), so near-twins go to the partner where they stood;
    a pair is a close call when another candidate of either paragraph came within `CLOSE_CALL`."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import LCSseq

    taken = set(pairing.pairs.values())
    old_left = [i for i, words in enumerate(old.words) if words and i not in taken]
    new_left = [i for i, words in enumerate(new.words) if words and i not in pairing.pairs]
    if not old_left or not new_left:
        return
    low, high = _order_bounds(pairing.pairs, len(new.words), len(old.words))
    choices = [old.sketch[i] for i in old_left]
    by_new: dict[int, list[float]] = {}
    by_old: dict[int, list[float]] = {}
    candidates: list[tuple[float, float, int, int]] = []
    for index in new_left:
        # The sketch's score is never below the words' own: a cheap filter that drops no candidate.
        for _, _, column in process.extract(new.sketch[index], choices, scorer=fuzz.ratio,
                                            score_cutoff=NEAR_SIMILARITY * 100, limit=CANDIDATES):
            other = old_left[column]
            score = _alike(old, new, other, index, NEAR_SIMILARITY, fuzz, LCSseq)
            if not score:
                continue
            if score < EDITED_SIMILARITY:
                pairing.near[index, other] = score
                continue
            by_new.setdefault(index, []).append(score)
            by_old.setdefault(other, []).append(score)
            weight = score + (ORDER_BONUS if low[index] < other < high[index] else 0.0)
            if (index, other) in written and score >= SAME_ID_SIMILARITY:
                weight += ID_BONUS
            candidates.append((-weight, -score, index, other))
    candidates.sort()
    used: set[int] = set()
    for _, negative, index, other in candidates:
        if index in pairing.pairs or other in used:
            continue
        used.add(other)
        score = -negative
        pairing.pair(index, other, score)
        rivals = sum(1 for s in by_new[index] if s >= score - CLOSE_CALL)
        rivals += sum(1 for s in by_old[other] if s >= score - CLOSE_CALL)
        if rivals > 2:
            pairing.close.add(index)


def _parts(parts: _Side, wholes: _Side, pairing: _Pairing, *, splits: bool) -> dict[int, int]:
    """Paragraphs left over on the side of `parts` that are a part of one on the side of `wholes`.

    For splits the parts are new paragraphs and the wholes old ones; for merges the reverse.
    A part is one whose words (`PART_SIMILARITY` of them, in order) and uncommon words
    (`CONTENT_SHARE`) stand in a whole. When the whole is paired, the part must add half its words to what its partner
    covers of the whole; when it is not, its parts together must cover `PART_COVERAGE` of it.
    Of a whole's parts and partner, one is paired with it (see `_kept_part`). Returns part index → whole index, for the parts not paired."""
    from rapidfuzz import process
    from rapidfuzz.distance import LCSseq

    partner = pairing.new_of() if splits else dict(pairing.pairs)  # whole index → its partner among parts
    paired_parts = set(partner.values())
    groups: dict[int, list[int]] = {}
    for index, words in enumerate(parts.words):
        if len(words) < MIN_PART_WORDS or index in paired_parts:
            continue
        need = len(words) * PART_SIMILARITY
        content = parts.content[index]
        hits = process.extract(parts.sketch[index], wholes.sketch, scorer=LCSseq.similarity, score_cutoff=need,
                               limit=None)
        exact = sorted(((LCSseq.similarity(words, wholes.words[whole]), whole) for _, _, whole in hits),
                       key=lambda hit: (-hit[0], hit[1]))
        for shared, whole in exact:
            if shared < need:
                break
            if LCSseq.similarity(content, wholes.content[whole]) < len(content) * CONTENT_SHARE:
                continue
            if whole in partner:
                mate = partner[whole]
                together = "".join(parts.words[i] for i in sorted((mate, index)))
                gained = LCSseq.similarity(wholes.words[whole], together)
                if gained - LCSseq.similarity(wholes.words[whole], parts.words[mate]) < len(words) / 2:
                    continue
            groups.setdefault(whole, []).append(index)
            break
    found: dict[int, int] = {}
    for whole, members in groups.items():
        text = wholes.words[whole]
        mate = partner.get(whole)
        if mate is not None:
            members = sorted([*members, mate])
        together = "".join(parts.words[i] for i in members)
        if mate is None and LCSseq.similarity(text, together) < len(text) * PART_COVERAGE:
            continue
        kept = _kept_part(text, [parts.words[i] for i in members], members)
        if kept != mate:
            if mate is not None and splits:
                del pairing.pairs[mate]
                pairing.close.discard(mate)
            new_index, old_index = (kept, whole) if splits else (whole, kept)
            pairing.pair(new_index, old_index, _similarity(text, parts.words[kept]))
        pairing.whole[kept if splits else whole] = _similarity(text, together)
        found.update((member, whole) for member in members if member != kept)
    return found


def _kept_part(whole: str, parts: list[str], indices: list[int]) -> int:
    """Of the parts of a whole, the index of the one that keeps its id.

    The part that opens as the whole did (half of its first `OPENING_WORDS` words), when it
    holds `KEPT_SHARE` of the whole's words; else the part most like the whole; the first of equals."""
    from rapidfuzz.distance import LCSseq

    alike = [_similarity(whole, part) for part in parts]
    opening = [LCSseq.similarity(whole[:OPENING_WORDS], part[:OPENING_WORDS]) for part in parts]
    first = max(range(len(parts)), key=lambda i: (opening[i], alike[i], -indices[i]))
    if opening[first] * 2 >= min(OPENING_WORDS, len(whole)) and len(parts[first]) >= KEPT_SHARE * len(whole):
        return indices[first]
    return indices[max(range(len(parts)), key=lambda i: (alike[i], -indices[i]))]


def _pair_empty(old: _Side, new: _Side, pairing: _Pairing) -> None:
    """Pair paragraphs without words (a lone number, a mark) with one likewise where they stand, in order."""
    empty_old = [i for i, words in enumerate(old.words) if not words]
    if not empty_old:
        return
    taken = set(pairing.pairs.values())
    low, high = _order_bounds(pairing.pairs, len(new.words), len(old.words))
    for index, words in enumerate(new.words):
        if words or index in pairing.pairs:
            continue
        for other in empty_old:
            if other not in taken and low[index] < other < high[index]:
                pairing.pair(index, other, _similarity(old.texts[other], new.texts[index]))
                taken.add(other)
                low[index + 1:] = [max(value, other) for value in low[index + 1:]]
                break


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


def _links(old_ids: list[str], new_ids: list[str], pairing: _Pairing, split_from: dict[int, int],
           merged_into: dict[int, int]) -> Alignment:
    pairs = pairing.pairs
    paired_new = sorted(pairs)
    in_order = _kept_in_order([pairs[n] for n in paired_new])
    moved = {paired_new[position] for position in range(len(paired_new)) if position not in in_order}
    paired_old = set(pairs.values())
    # A paragraph left unpaired is unsure when a paragraph left unpaired on the other side came near it.
    near_new = {n for n, o in pairing.near if n not in pairs and o not in paired_old}
    near_old = {o for n, o in pairing.near if n not in pairs and o not in paired_old}
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
        return Link(old_ids[index], None, merged_into=new_ids[into] if into is not None else None,
                    unsure=index in near_old and into is None)

    links: list[Link] = [removed(i) for i in removed_after.get(None, [])]
    previous_old: str | None = None
    for index in range(len(new_ids)):
        if index in pairs:
            other = pairs[index]
            score = pairing.scores[index]
            sure = pairing.whole.get(index, score) >= SURE_SIMILARITY and index not in pairing.close
            links.append(Link(old_ids[other], new_ids[index], score, moved=index in moved,
                              after=previous_old if index in moved else None, unsure=not sure))
            previous_old = old_ids[other]
            links.extend(removed(i) for i in removed_after.get(other, []) if index not in moved)
        else:
            source = split_from.get(index)
            links.append(Link(None, new_ids[index], 1.0, split_from=old_ids[source] if source is not None else None,
                              unsure=index in near_new and source is None))
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


def moved_ids(old: Draft, new: Draft) -> dict[str, str]:
    """For two texts whose ids correspond: each paragraph of both that stands elsewhere in the order (outside the
    longest run kept in order) → the id of the paragraph it followed in `old` (`""` when it came first)."""
    old_index = {p.id: index for index, p in enumerate(old.paragraphs)}
    shared = [p.id for p in new.paragraphs if p.id in old_index]
    kept = _kept_in_order([old_index[pid] for pid in shared])
    moved: dict[str, str] = {}
    for position, pid in enumerate(shared):
        if position not in kept:
            index = old_index[pid]
            moved[pid] = old.paragraphs[index - 1].id if index else ""
    return moved
