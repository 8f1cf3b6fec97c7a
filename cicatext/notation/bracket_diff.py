"""What changed between two bracketed texts, paragraph by paragraph.

Paragraphs are aligned by id. Within a paragraph, brackets are matched by the
words they hold (their reading text), so a bracket whose inner bracket was
agreed is still the same bracket. A bracket with no partner in the new text
was agreed when its words are still there, and dropped when they are gone;
one with no partner in the old text was added. Attributions that differ
between partners were joined or withdrawn. The paragraph's words are
compared word by word.

`word_diff_view` renders the same comparison for people, as the git diff
driver prints it, with markers `⟨-…-⟩` and `⟨+…+⟩` that cannot be taken for
negotiating brackets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from cicatext.notation.attributions import ATTRIBUTION_LIKE
from cicatext.notation.bracket_ids import shown_by_bracket
from cicatext.notation.matching import opcodes
from cicatext.notation.paragraph_text import (
    BracketSpan,
    ParagraphText,
    ParagraphTexts,
    normalise,
    paragraph_text,
)
from cicatext.notation.tree import Draft, Paragraph

# A word (with inner apostrophes and hyphens) or a single other character that is not white space.
_TOKEN = r"\w+(?:['’\-]\w+)*|[^\w\s]"
# Words, runs of white space, single other characters.
_WORD = re.compile(r"\s+|" + _TOKEN)
# The same without the white space, which word diffs step over. One capturing group around
# the whole, so that `split` gives the white space and the words in turn (see `_words`).
_WORDS = re.compile(f"({_TOKEN})")
# The same, with bracket marks and attribution-like text as tokens of their own.
_MARKED = re.compile(r"(" + ATTRIBUTION_LIKE.pattern + r"|\{#[^}\s]+\}|[\[\]]|" + _TOKEN + ")")
MATCH_SIMILARITY = 80
"""rapidfuzz ratio (0-100) from which two brackets in the same place count as one whose text changed."""


@dataclass(frozen=True)
class WordOp:
    """One step of a word-by-word comparison."""

    op: str
    """equal, insert, delete or replace."""
    old: str
    """The old words and the white space after them (no words for insert)."""
    new: str
    """The new words and the white space after them (no words for delete)."""

    def to_json(self) -> dict:
        """The step as a plain dict."""
        return {"op": self.op, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class BracketChange:
    """A bracket added, agreed or dropped."""

    id: str
    """Its id: in the new text when added, in the old text when agreed or dropped."""
    text: str
    """Its body as written."""
    reading: str
    """Its words, bracket marks and attributions taken out."""
    attributions: tuple[str, ...]
    """Its attributions in normal spelling: `(+IRAN)`, `(CHN tcb)`."""
    depth: int
    """1 for an outermost bracket."""

    def to_json(self) -> dict:
        """The bracket as a plain dict."""
        return {"id": self.id, "text": self.text, "reading": self.reading,
                "attributions": list(self.attributions), "depth": self.depth}


@dataclass(frozen=True)
class AttributionChange:
    """An attribution joined to or withdrawn from a bracket present in both texts."""

    bracket: str
    """The bracket's id in the new text."""
    code: str
    """The delegation code."""
    stance: str
    """`+`, `-` or `tcb`."""
    reading: str
    """The bracket's words."""

    def to_json(self) -> dict:
        """The change as a plain dict."""
        return {"bracket": self.bracket, "code": self.code, "stance": self.stance, "reading": self.reading}

    def attribution(self) -> str:
        """The attribution in normal spelling."""
        return f"({self.code} tcb)" if self.stance == "tcb" else f"({self.stance}{self.code})"


@dataclass(frozen=True)
class ParagraphDiff:
    """What changed in one paragraph."""

    paragraph: str
    """The paragraph id."""
    status: str
    """added, removed or changed."""
    brackets_added: tuple[BracketChange, ...] = ()
    brackets_agreed: tuple[BracketChange, ...] = ()
    """Brackets lifted, their words kept."""
    brackets_dropped: tuple[BracketChange, ...] = ()
    """Brackets removed with their words."""
    attributions_joined: tuple[AttributionChange, ...] = ()
    attributions_withdrawn: tuple[AttributionChange, ...] = ()
    words: tuple[WordOp, ...] = ()
    """The paragraph's words compared word by word; empty when the words are the same."""
    old_text: str = ""
    """The paragraph as written before (marker excluded); empty when added."""
    new_text: str = ""
    """The paragraph as written after; empty when removed."""
    was: str | None = None
    """When the paragraphs were paired by content: the id the paragraph had before, if another."""
    moved_after: str | None = None
    """When it moved: the paragraph it now follows (`""` when it now comes first); None when it did not move."""
    split_from: str | None = None
    """For a paragraph added by splitting another: that paragraph's id."""
    merged_into: str | None = None
    """For a paragraph removed by merging it into another: that paragraph's id."""

    @property
    def text_changed(self) -> bool:
        """True when the paragraph's words changed."""
        return any(op.op != "equal" for op in self.words)

    def summary(self) -> str:
        """One line: `op9: 2 brackets added, 1 agreed, words changed`; `op7: moved after op12`."""
        name = f"{self.paragraph} (was {self.was})" if self.was else self.paragraph
        if self.split_from:
            return f"{name}: split off {self.split_from}"
        if self.merged_into:
            return f"{name}: merged into {self.merged_into}"
        if self.status == "moved":
            return f"{name}: {self._moved()}"
        if self.status != "changed":
            return f"{name}: paragraph {self.status}"
        parts = []
        for label, items in (("added", self.brackets_added), ("agreed", self.brackets_agreed),
                             ("dropped", self.brackets_dropped)):
            if items:
                noun = "bracket" if len(items) == 1 else "brackets"
                parts.append(f"{len(items)} {noun} {label}")
        if self.attributions_joined:
            parts.append(f"{len(self.attributions_joined)} attribution(s) joined")
        if self.attributions_withdrawn:
            parts.append(f"{len(self.attributions_withdrawn)} attribution(s) withdrawn")
        if self.text_changed:
            parts.append("words changed")
        if self.moved_after is not None:
            parts.insert(0, self._moved())
        return f"{name}: " + (", ".join(parts) or "spacing changed")

    def _moved(self) -> str:
        return f"moved after {self.moved_after}" if self.moved_after else "moved to the start"

    def to_json(self) -> dict:
        """The paragraph's changes as a plain dict."""
        shown = {
            "paragraph": self.paragraph,
            "status": self.status,
            "brackets_added": [b.to_json() for b in self.brackets_added],
            "brackets_agreed": [b.to_json() for b in self.brackets_agreed],
            "brackets_dropped": [b.to_json() for b in self.brackets_dropped],
            "attributions_joined": [a.to_json() for a in self.attributions_joined],
            "attributions_withdrawn": [a.to_json() for a in self.attributions_withdrawn],
            "text_changed": self.text_changed,
            "words": [w.to_json() for w in self.words] if self.text_changed else [],
        }
        for key, value in (("was", self.was), ("moved_after", self.moved_after), ("split_from", self.split_from),
                           ("merged_into", self.merged_into)):
            if value is not None:
                shown[key] = value
        return shown


def word_ops(old: str, new: str, *, pattern: re.Pattern = _WORDS) -> list[WordOp]:
    """Two texts compared word by word; the steps cover both texts from start to end.

    Words are aligned without the white space between them (which would
    otherwise anchor the alignment everywhere); each step carries the white
    space that follows its words. With the plain word pattern, a beginning
    and an end the texts share are passed over whole and the words between
    compared: a change within a long paragraph costs what the change does.
    """
    head, tail = _shared_ends(old, new) if pattern is _WORDS else (0, 0)
    if not head and not tail:
        return _aligned(old, new, pattern)
    ops: list[WordOp] = [WordOp("equal", old[:head], new[:head])] if head else []
    middle = _aligned(old[head:len(old) - tail], new[head:len(new) - tail], pattern)
    if tail:
        middle.append(WordOp("equal", old[len(old) - tail:], new[len(new) - tail:]))
    for op in middle:
        if ops and op.op == "equal" and ops[-1].op == "equal":
            ops[-1] = WordOp("equal", ops[-1].old + op.old, ops[-1].new + op.new)
        else:
            ops.append(op)
    return ops


def _shared_ends(old: str, new: str) -> tuple[int, int]:
    """How long a beginning and an end the texts share, each cut where a word starts after white space in both.

    Words never span white space, so the words of the shared ends are the
    same in both texts and the words between them are read alike on their own.
    """
    if old == new:
        return 0, 0
    size = min(len(old), len(new))
    head = _shared_length(old, new, size, 1)
    while head > 0 and not (head < size and old[head - 1].isspace()
                            and not old[head].isspace() and not new[head].isspace()):
        head -= 1
    if old[:head].isspace():
        head = 0  # white space before the first word goes with that word's step, as without the passing over
    tail = _shared_length(old, new, size - head, -1)
    while tail > 0 and not (old[len(old) - tail - 1].isspace() and new[len(new) - tail - 1].isspace()
                            and not old[len(old) - tail].isspace()):
        tail -= 1
    return head, tail


def _shared_length(old: str, new: str, limit: int, direction: int) -> int:
    """The length (up to `limit`) of the beginning (direction 1) or end (-1) both texts share, by halving in C."""
    low, high = 0, limit
    a, b = len(old), len(new)
    while low < high:
        mid = (low + high + 1) // 2
        if direction > 0:
            same = old[low:mid] == new[low:mid]
        else:
            same = old[a - mid:a - low] == new[b - mid:b - low]
        if same:
            low = mid
        else:
            high = mid - 1
    return low


def _aligned(old: str, new: str, pattern: re.Pattern) -> list[WordOp]:
    """`word_ops` without passing over shared ends: the longest common subsequence of all the words."""
    from rapidfuzz.distance import Indel

    a_words, a_bounds = _words(old, pattern)
    b_words, b_bounds = _words(new, pattern)
    if not a_words or not b_words:
        # One step, which carries the white space of a side without words too.
        if not a_words and not b_words:
            return [WordOp("equal", old, new)] if old or new else []
        return [WordOp("delete" if a_words else "insert", old, new)]
    ops: list[WordOp] = []
    change: list[int] | None = None  # [i1, i2, j1, j2] of the run of insertions and deletions being gathered

    def close() -> None:
        if change is not None:
            i1, i2, j1, j2 = change
            tag = "replace" if i1 < i2 and j1 < j2 else ("delete" if i1 < i2 else "insert")
            ops.append(_step(tag, old[a_bounds[i1]:a_bounds[i2]], new[b_bounds[j1]:b_bounds[j2]]))

    # The longest common subsequence of words: a minimal diff, unlike difflib's longest-block heuristic.
    for op in Indel.opcodes(a_words, b_words):
        if op.tag == "equal":
            close()
            change = None
            ops.append(_step("equal", old[a_bounds[op.src_start]:a_bounds[op.src_end]],
                             new[b_bounds[op.dest_start]:b_bounds[op.dest_end]]))
        elif change is None:
            change = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            change[1], change[3] = op.src_end, op.dest_end
    close()
    return ops


def _step(op: str, old: str, new: str) -> WordOp:
    """A `WordOp`, made without the frozen dataclass's __init__ (three object.__setattr__ calls)."""
    step = object.__new__(WordOp)
    step.__dict__.update(op=op, old=old, new=new)
    return step


def _words(text: str, pattern: re.Pattern) -> tuple[list[str], list[int]]:
    """The words of a text, and where each step starts (the first at 0, so leading space is kept; the last at the end).

    `pattern` matches the words only, in one capturing group: `split` then
    gives white space and words in turn, and their lengths summed give where
    each word starts, all without a Python step per word.
    """
    pieces = pattern.split(text)
    words = pieces[1::2]
    if not words:
        return [], [0, len(text)]
    # The sums at even places are where each word starts; the last one is the end of the text.
    starts = list(accumulate(map(len, pieces)))[0::2]
    starts[0] = 0
    return words, starts


def match_brackets(old: Paragraph, new: Paragraph, texts: tuple[ParagraphText, ParagraphText] | None = None
                   ) -> tuple[list[tuple[BracketSpan, BracketSpan]], list[BracketSpan], list[BracketSpan]]:
    """Old and new brackets paired by their words: (pairs, old ones without partner, new ones without).

    `texts`: the two paragraphs' `paragraph_text`, when the caller has them.
    """
    from rapidfuzz import fuzz

    before, after = texts or (paragraph_text(old), paragraph_text(new))
    a, b = before.bracket_readings, after.bracket_readings
    if a == b:
        # One run of equals, as the matcher would find: every bracket is its partner's.
        return list(zip(before.brackets, after.brackets)), [], []
    pairs: list[tuple[BracketSpan, BracketSpan]] = []
    removed: list[BracketSpan] = []
    added: list[BracketSpan] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            pairs.extend(zip(before.brackets[i1:i2], after.brackets[j1:j2]))
            continue
        free = list(range(j1, j2))
        for i in range(i1, i2):
            best = None
            for j in free:
                if before.brackets[i].depth != after.brackets[j].depth:
                    continue
                score = fuzz.ratio(a[i], b[j])
                if score >= MATCH_SIMILARITY and (best is None or score > best[0]):
                    best = (score, j)
            if best is None:
                removed.append(before.brackets[i])
            else:
                pairs.append((before.brackets[i], after.brackets[best[1]]))
                free.remove(best[1])
        added.extend(after.brackets[j] for j in free)
    pairs.sort(key=lambda pair: pair[1].ordinal)
    return pairs, removed, added


def same_spanning_parts(pairs: list, removed: list, added: list) -> tuple[list, list, list]:
    """Pair the parts of a bracket spanning paragraphs that the edit left in place but whose words it changed:
    a part is not a new bracket because the words inside it changed."""
    def part(span) -> tuple[bool, bool] | None:
        bracket = span.bracket
        return (bracket.continued, bracket.continues) if bracket.continued or bracket.continues else None

    for new_span in list(added):
        kind = part(new_span)
        twin = next((old for old in removed if kind is not None and part(old) == kind), None)
        if twin is not None:
            removed.remove(twin)
            added.remove(new_span)
            pairs.append((twin, new_span))
    return pairs, removed, added


def _change(paragraph: Paragraph, text: ParagraphText, span: BracketSpan, names: dict[int, str]) -> BracketChange:
    bracket = span.bracket
    # Made without the frozen dataclass's __init__ (five object.__setattr__ calls): the change is the same.
    change = object.__new__(BracketChange)
    change.__dict__.update(id=names.get(id(bracket), f"{paragraph.id}:"),
                           text=text.raw[span.start + (0 if bracket.continued else 1):span.close],
                           reading=text.bracket_readings[span.ordinal - 1],
                           attributions=tuple(a.canonical() for a in bracket.attributions), depth=span.depth)
    return change


def diff_paragraphs(old: Paragraph | None, new: Paragraph | None,
                    texts: ParagraphTexts | None = None) -> ParagraphDiff | None:
    """What changed from `old` to `new` (either may be None); None when nothing did.

    `texts` makes the paragraphs' texts, when the caller has made them already.
    """
    if old is None and new is None:
        return None
    texts = texts or paragraph_text
    if old is None:
        text = texts(new)
        names = shown_by_bracket(new, text) if text.brackets else {}
        return ParagraphDiff(new.id, "added",
                             brackets_added=tuple(_change(new, text, s, names) for s in text.brackets),
                             words=(WordOp("insert", "", text.reading),), new_text=text.raw)
    if new is None:
        text = texts(old)
        names = shown_by_bracket(old, text) if text.brackets else {}
        return ParagraphDiff(old.id, "removed",
                             brackets_dropped=tuple(_change(old, text, s, names) for s in text.brackets),
                             words=(WordOp("delete", text.reading, ""),), old_text=text.raw)
    if isinstance(texts, ParagraphTexts) and texts.raw(old) == texts.raw(new):
        return None  # written alike: told without making their nodes
    before, after = texts(old), texts(new)
    old_raw, new_raw = before.raw, after.raw
    if old_raw == new_raw:
        return None
    pairs, removed, added = same_spanning_parts(*(list(found) for found in match_brackets(old, new, (before, after))))
    read_before, read_after = before.bracket_readings, after.bracket_readings
    joined: list[AttributionChange] = []
    withdrawn: list[AttributionChange] = []
    # The new text's ids, named only when a change shows one.
    ids = shown_by_bracket(new, after) if added else None
    for old_span, new_span in pairs:
        # Told apart by the stances themselves first, whose values are read only where they differ.
        was = [(a.code, a.stance) for a in old_span.bracket.attributions]
        now = [(a.code, a.stance) for a in new_span.bracket.attributions]
        if was == now:
            continue
        was = [(code, stance.value) for code, stance in was]
        now = [(code, stance.value) for code, stance in now]
        ids = shown_by_bracket(new, after) if ids is None else ids
        bracket_id = ids.get(id(new_span.bracket), f"{new.id}:")
        reading = read_after[new_span.ordinal - 1]
        for code, stance in now:
            if (code, stance) not in was:
                joined.append(AttributionChange(bracket_id, code, stance, reading))
        for code, stance in was:
            if (code, stance) not in now:
                withdrawn.append(AttributionChange(bracket_id, code, stance, reading))
    agreed, dropped = [], []
    old_names = shown_by_bracket(old, before) if removed else {}
    new_reading = normalise(after.reading) if removed else ""
    for span in removed:
        words = read_before[span.ordinal - 1]
        (agreed if words and words in new_reading else dropped).append(_change(old, before, span, old_names))
    words = tuple(word_ops(before.reading, after.reading)) if before.reading != after.reading else ()
    return ParagraphDiff(
        new.id, "changed",
        brackets_added=tuple(_change(new, after, s, ids or {}) for s in added),
        brackets_agreed=tuple(agreed),
        brackets_dropped=tuple(dropped),
        attributions_joined=tuple(joined),
        attributions_withdrawn=tuple(withdrawn),
        words=words,
        old_text=old_raw,
        new_text=new_raw,
    )


def diff_drafts(old: Draft, new: Draft, *, texts: tuple[str, str] | None = None) -> list[ParagraphDiff]:
    """The changes from `old` to `new`, paragraph by paragraph, in the new text's order.

    A removed paragraph is listed where it stood: after the paragraph that preceded it.
    `texts`, the two texts the drafts were read from, lets a paragraph written
    the same in both be passed over without making its nodes.
    """
    from cicatext.notation import paired_diff

    made = ParagraphTexts(paired_diff.written_in_both(old, new))
    if not paired_diff.ids_correspond(old, new, made):
        return paired_diff.diff_aligned(old, new, made)
    old_by_id = {p.id: p for p in old.paragraphs}
    new_ids = {p.id for p in new.paragraphs}
    removed_after: dict[str | None, list[Paragraph]] = {}
    previous: str | None = None
    for paragraph in old.paragraphs:
        if paragraph.id not in new_ids:
            removed_after.setdefault(previous, []).append(paragraph)
        else:
            previous = paragraph.id
    diffs: list[ParagraphDiff] = []

    def flush(key: str | None) -> None:
        for gone in removed_after.pop(key, []):
            diffs.append(diff_paragraphs(gone, None, made))

    flush(None)
    shared_old = [p.id for p in old.paragraphs if p.id in new_ids]
    shared_new = [p.id for p in new.paragraphs if p.id in old_by_id]
    if shared_old != shared_new:
        from cicatext.notation.alignment import moved_ids

        moved = moved_ids(old, new)
    else:
        moved = {}
    previous = ""
    for paragraph in new.paragraphs:
        before = old_by_id.get(paragraph.id)
        if paragraph.id in moved:
            from dataclasses import replace

            change = diff_paragraphs(before, paragraph, made) or ParagraphDiff(
                paragraph.id, "moved", old_text=made.raw(before), new_text=made.raw(paragraph))
            diffs.append(replace(change, moved_after=previous))
            flush(paragraph.id)
            previous = paragraph.id
            continue
        previous = paragraph.id
        if texts is not None and before is not None and _written_alike(before, paragraph, texts):
            flush(paragraph.id)
            continue
        change = diff_paragraphs(before, paragraph, made)
        if change is not None:
            diffs.append(change)
        flush(paragraph.id)
    for key in list(removed_after):
        flush(key)
    return diffs


def _written_alike(old: Paragraph, new: Paragraph, texts: tuple[str, str]) -> bool:
    """Whether two paragraphs (of one id) are written the same, marker to end, in the texts they were read from."""
    if old.pos is None or new.pos is None:
        return False
    (old_text, new_text), a, b = texts, old.pos, new.pos
    return a.end - a.start == b.end - b.start and old_text[a.start:a.end] == new_text[b.start:b.end]


def word_diff_view(old: Draft, new: Draft, *, context: int = 6) -> str:
    """The changed paragraphs for people: `@@ op9 @@` and the words, with `⟨-…-⟩` and `⟨+…+⟩` marking changes.

    Unchanged runs longer than `context` words on either side are shortened to `…`.
    """
    from cicatext.notation.render import render

    lines: list[str] = []
    for change in diff_drafts(old, new):
        old_text = change.old_text
        new_text = change.new_text
        if change.status == "added":
            new_text = render(next(p for p in new.paragraphs if p.id == change.paragraph).content)
        lines.append(f"@@ {change.paragraph} ({change.summary().split(': ', 1)[1]}) @@")
        lines.append(marked_words(word_ops(old_text, new_text, pattern=_MARKED), context).replace("\n", " "))
    return "\n".join(lines) + ("\n" if lines else "")


def marked_words(ops: list[WordOp] | tuple[WordOp, ...], context: int) -> str:
    """Word steps for people: changes marked, unchanged runs cut to `context` words either side of a change."""
    last = len(ops) - 1
    return "".join(shorten(op.new, context, first=index == 0, last=index == last) if op.op == "equal" else marked(op)
                   for index, op in enumerate(ops))


def marked(op: WordOp) -> str:
    """A changed step as `⟨-old-⟩⟨+new+⟩`, the white space that follows the words kept outside the markers."""
    if op.op == "equal":
        return op.new
    old, new = op.old.rstrip(), op.new.rstrip()
    trail_old, trail_new = op.old[len(old):], op.new[len(new):]
    trail = trail_new if new else trail_old
    if old and new and trail_old != trail_new:
        old, new, trail = op.old, op.new, ""
    return (f"⟨-{old}-⟩" if old else "") + (f"⟨+{new}+⟩" if new else "") + trail


def shorten(text: str, words: int, *, first: bool, last: bool) -> str:
    """Unchanged text cut to its first and last `words` words around ` … `.

    None are kept before the cut when the text comes `first`, none after it when `last`.
    """
    keep_head = 0 if first else words
    keep_tail = 0 if last else words
    # The words are counted only until there are more than are kept: a long unchanged run is not split whole.
    if _first_words(keep_head + keep_tail + 3).match(text) is None:
        return text
    head = _first_words(keep_head).match(text).group() if keep_head else ""
    tail = _last_tokens(text, keep_tail)
    before, after = head.rstrip(), "".join(reversed(tail)).lstrip()
    return (before + " " if before else "") + "…" + (" " + after if after else " ")


@cache
def _first_words(count: int) -> re.Pattern:
    """What a text holds up to its `count`th word (`_WORD`'s words, white space between): one match in C.

    Each word is matched whole, never again shorter (an atomic group), so the words are those `_WORD` finds."""
    return re.compile(rf"(?>\s*(?>{_TOKEN})){{{count}}}")


def _last_tokens(text: str, words: int) -> list[str]:
    """The text's last tokens (`_WORD`'s), last first, back to its `words`th word from the end, split from a window."""
    tail: list[str] = []
    width = 256
    while words:
        start = max(0, len(text) - width)
        # Where white space follows other characters a token starts: from there the end splits as the whole does.
        while 0 < start < len(text) and not (text[start].isspace() and not text[start - 1].isspace()):
            start += 1
        tail, seen = [], 0
        for token in reversed(_WORD.findall(text, start)):
            if seen >= words:
                return tail
            tail.append(token)
            seen += not token.isspace()
        if start == 0 or seen >= words:
            return tail
        width *= 4
    return tail
