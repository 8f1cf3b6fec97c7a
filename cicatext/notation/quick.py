"""The quick reading of a large text whose brackets balance: a few scans of the whole text in C, no loop over its
brackets, and its paragraphs made from the paragraph breaks alone.

`QuickReading._quick` checks the text: its brackets and line breaks alone,
reduced pair by pair; the run of attributions after each `]`; the
attribution-like text and the groups that may be look-alikes (one more scan,
when some "(" opens no attribution taken); whether it holds a NUL.
`paragraphs_at_once` then makes the paragraphs by steps over all paragraph
breaks at once rather than a loop, each left to make its nodes and find its
line on first use. When the id markers alone tell that it will make them all
(`ids_told_apart`), even that waits: the draft makes its paragraphs when they
are first asked for (`made_later`). The scanner (`cicatext.notation.scanner`)
is a `QuickReading`, and reads anything else with its full loop.
"""

from __future__ import annotations

import re
from collections import deque
from itertools import repeat
from operator import ge

from cicatext.collector import paused
from cicatext.notation.attributions import LIKE, NORMAL, AttributionReader, Source
from cicatext.notation.lookalikes import NON_ASCII_INSIDE, OTHER_OPENERS
from cicatext.notation.nodes import build_content
from cicatext.notation.tree import Paragraph

# Every `]` with what follows it as the scanner finds it: its run of
# attributions in normal spelling, then the white space after it and "("
# when a round bracket follows the run (the group).
_AFTER_RUN = re.compile(r"\][.,;:!?]*+((?:" + NORMAL + r")*+[^\S\n]*+(?:\n[^\S\n]*+)?\(?)")
# Every piece of attribution-like text, and every group in ASCII round
# brackets that may be a look-alike (the group: what its round brackets
# hold), as ATTRIBUTION_LIKE and `suspect_groups` find them (the two never
# overlap), in one scan.
_ROUND = re.compile(r"\((?:" + LIKE + r"\)|(" + NON_ASCII_INSIDE + r")\))")
# A `]` that a round bracket follows after its run, with its punctuation and run (groups 1, 2).
_CLOSE_LOOK = re.compile(r"\]([.,;:!?]*+)((?:" + NORMAL + r")*+)(?=[^\S\n]*(?:\n[^\S\n]*)?\()")
_CODE = re.compile(r"[A-Z][A-Z0-9]*")
# Every byte but `[`, `]` and the line break, to delete from the encoded text; and but those, "(" and "{".
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]\n")
_NOT_MARKS = bytes(b for b in range(256) if b not in b"[]\n({")
# The paragraph's own numbering that its content opens with.
LABEL = re.compile(r"\[?(\d{1,3}(?:\.\d{1,3})*[a-z]*\.?)(?=\s|\Z)")
# An id marker as it opens a paragraph, or anything shaped like one wherever it stands (group: the id); and
# an id as the reader gives a paragraph without one (`p2`), between line breaks.
ID_MARKER = re.compile(r"\{#([A-Za-z0-9][A-Za-z0-9._-]*)\} ")
_ORDINAL_ID = re.compile(r"\np[1-9][0-9]*\n")
# A paragraph break as the scanner's BREAK finds it, for `paragraphs_at_once`: the break (group 1); "" (group
# 2) when white space precedes it on its line; the next paragraph's id (group 3, its ID_MARKER) and the label
# its content opens with (group 4, as LABEL finds it).
_PARAGRAPH_BREAK = re.compile(
    r"(\n(?:(?<=[^\S\n]\n)())?[^\S\n]*\n\s*)(?:" + ID_MARKER.pattern + r")?(?=(?:" + LABEL.pattern + r")?)"
)


class QuickReading(AttributionReader):
    """The quick reading's part of the scanner: the checks of the whole text, and what they found."""

    def __init__(self, source: Source, known: frozenset[str] | None, file: str | None, limit: int) -> None:
        super().__init__(source, known, file, limit=limit)
        self.orphans = True  # whether attribution-like text may follow no bracket
        self.each = True  # whether a quick reading checks each paragraph's brackets
        self.close_look = True  # whether a quick reading has a `]` to look at closely
        # How many pieces of attribution-like text the whole text holds, when `_quick` counted them.
        self.attribution_like: int | None = None
        # What each group of the text that may be a look-alike holds, when `_quick` found them all.
        self.suspects: set[str] | None = None
        self.nul: bool | None = None  # whether the text holds a NUL character, when `_quick` looked
        self.braces: int | None = None  # how many `{` the text holds, when `_quick` counted them
        self.max_depth = 0  # how deep brackets may nest (the scanner sets it)

    def _quick(self) -> bool:
        """Whether the text's brackets balance and its attributions name known codes; if so, count them.

        The brackets and line breaks alone, reduced pair by pair, must come to
        line breaks only; when a bracket spans lines (and so might cross a
        paragraph break), the brackets alone must come to nothing and the
        paragraph loop checks each paragraph. Attributions in normal spelling
        are counted as taken, as the full loop would, and the full loop's
        closer looks are noted. Unless every "(" opens an attribution taken,
        one more scan counts the attribution-like text for the scanner's end
        and collects the groups that may be look-alikes; and whether the text
        holds a NUL is noted, all from the same few scans.
        """
        text = self.text
        kept = _ascii(text)
        self.nul = b"\x00" in kept
        marks = kept.translate(None, _NOT_MARKS)
        self.braces = marks.count(b"{")
        rounds = marks.count(b"(")
        marks = marks.translate(None, b"({")
        spans, depth = _span_lines(marks)
        # Balanced line by line, the pairs' depth is known from reducing them; across lines, from the brackets alone.
        if spans is None or (depth if not spans else _depth(marks.replace(b"\n", b""))) > self.max_depth:
            return False
        self.each = spans
        # Each `]`'s run, written after a `]`: a run that a round bracket follows ends in "(]".
        runs = "]".join(_AFTER_RUN.findall(text)) + "]"
        if self.known is not None and not self.known.issuperset(_CODE.findall(runs)):
            return False
        closer = runs.count("(]")
        taken = runs.count("(") - closer
        self.taken += taken
        self.close_look = closer > 0
        # Groups in other round brackets than ASCII's are found by another scan (`suspect_groups`).
        ascii_groups = text.isascii() or not any(map(text.__contains__, OTHER_OPENERS))
        if rounds == taken:
            # Every piece of attribution-like text opens with "(", and each
            # taken attribution is one: when there are no more "(" than were
            # taken, none follows no bracket, and no other group is in ASCII
            # round brackets.
            self.orphans = False
            if ascii_groups:
                self.suspects = set()
        else:
            found = _ROUND.findall(text)
            self.attribution_like = found.count("")
            if ascii_groups:
                self.suspects = set(found)
                self.suspects.discard("")
        return True

    def _look_closely(self) -> None:
        """Check what follows each `]` that a round bracket follows, as the full loop does."""
        for after in _CLOSE_LOOK.finditer(self.text):
            self.attributions_after(after.start() + 1, after.end(2) if after.group(2) else None)


def paragraphs_at_once(source: Source, pstart: int, marker: str, pid: str, cstart: int,
                       told_apart: bool = False) -> tuple[tuple[Paragraph, ...], tuple[str, ...]] | None:
    """The paragraphs and separators that the scanner's loop over paragraph breaks makes, made by steps over all
    paragraph breaks at once (each in C) rather than a loop; None when a paragraph opens with `{` but no id
    marker, or an id is used twice (the loop reports those), which need not be looked for when `told_apart`
    (`ids_told_apart` said neither is so).

    The first paragraph starts at `pstart` (its `marker` and id `pid` read, its content at `cstart`).
    """
    text = source.text
    found = list(_PARAGRAPH_BREAK.finditer(text + "\n\n", cstart))
    count = len(found)
    # Paragraph k ends where break k starts (or before the white space that precedes it); paragraph k + 1
    # starts where it ends (after its id marker, if any). The last break ends the text.
    starts = list(map(re.Match.start, found))
    ends = list(map(re.Match.end, found))
    pids = list(map(re.Match.group, found, repeat(3)))
    del ends[-1], pids[-1]
    if not told_apart:
        unmarked = [end for end, i in zip(ends, pids) if i is None]
        if unmarked and "{" in "".join(map(text.__getitem__, unmarked)):
            return None  # a paragraph opens with `{` but no id marker
    ids = [pid, *[i if i is not None else f"p{k}" for k, i in enumerate(pids, 2)]]
    if not told_apart and len(set(ids)) < count:
        return None  # an id used twice
    markers = [marker, *[f"{{#{i}}} " if i is not None else "" for i in pids]]
    pstarts = [pstart, *[end - len(i) - 4 if i is not None else end for end, i in zip(ends, pids)]]
    cstarts = [cstart, *ends]
    first = LABEL.match(text, cstart)
    labels = [first and first.group(1), *map(re.Match.group, found, repeat(4))]
    labels.pop()
    separators = [text[:pstart]]
    if max(map(re.Match.start, found, repeat(2))) < 0:
        pends = starts
        separators.extend(map(re.Match.group, found, repeat(1)))
        separators[-1] = text[pends[-1]:]
    else:
        # Some paragraph ends in white space: its end goes back to its last other character.
        pends = []
        for begin, end in zip(cstarts, starts):
            while end > begin and text[end - 1].isspace():
                end -= 1
            pends.append(end)
        separators.extend(map(text.__getitem__, map(slice, pends, pstarts[1:])))
        separators.append(text[pends[-1]:])
    place = source.position
    made = [{"id": i, "marker": m, "label": label, "_place": (place, ps, pe),
             "_build": (build_content, source, cs, pe)}
            for i, m, label, ps, cs, pe in zip(ids, markers, labels, pstarts, cstarts, pends)]
    if any(map(ge, cstarts, pends)):
        for fields in made:
            _, _, cs, pe = fields["_build"]
            if cs >= pe:
                del fields["_build"]
                fields["label"] = None
                fields["content"] = ()
    paragraphs = tuple(map(object.__new__, repeat(Paragraph, count)))
    deque(map(object.__setattr__, paragraphs, repeat("__dict__"), made), maxlen=0)
    return paragraphs, tuple(separators)


def ids_told_apart(text: str, braces: int | None = None) -> bool:
    """Whether `paragraphs_at_once` is sure to make every paragraph of a text, told from its id markers alone:
    each `{` opens something shaped like an id marker, so no paragraph opens with `{` but no id marker, and no
    two of them name one id, nor one the reader gives a paragraph without one. False when that cannot be told.

    `braces`: how many `{` the text holds, when known.
    """
    ids = ID_MARKER.findall(text)
    return (len(ids) == (text.count("{") if braces is None else braces) and len(set(ids)) == len(ids)
            and _ORDINAL_ID.search("\n" + "\n".join(ids) + "\n") is None)


def made_later(source: Source, pstart: int, marker: str,
               pid: str, cstart: int) -> tuple[tuple[Paragraph, ...], tuple[str, ...]]:
    """The paragraphs and separators of a draft the reader left to make them on first use (`ids_told_apart`
    said `paragraphs_at_once` would make them all): its recipe (`cicatext.notation.tree.Draft`)."""
    with paused():
        return paragraphs_at_once(source, pstart, marker, pid, cstart, told_apart=True)


def brackets_span_lines(text: str) -> bool | None:
    """Whether a text's brackets span lines, so that each paragraph must be checked; None when they do not balance.

    The brackets and line breaks alone are reduced pair by pair: brackets
    balanced line by line leave line breaks only and cannot cross a paragraph
    break; otherwise the brackets alone must come to nothing.
    """
    return _span_lines(_ascii(text).translate(None, _NOT_BRACKETS))[0]


def _ascii(text: str) -> bytes:
    """The text's ASCII characters alone (among them every bracket, line break and NUL), encoded."""
    return text.encode("ascii", "ignore")  # quicker than encoding it all; a lone surrogate is no bracket


def _span_lines(marks: bytes) -> tuple[bool | None, int]:
    """Whether the brackets span lines (None: they do not balance), and how deep the pairs balanced line by line
    nest."""
    left, depth = _reduce(marks)
    if b"[" not in left and b"]" not in left:
        return False, depth
    return (None if _reduce(left.replace(b"\n", b""))[0] else True), depth


# How many times brackets are reduced pair by pair in C before a stack finishes the work (in linear time).
_PASSES = 8


def _reduce(marks: bytes) -> tuple[bytes, int]:
    """`marks` with every `[]` taken out until none is left (a line break keeps its neighbours apart), and how
    deep the pairs taken out nested."""
    # Each pass takes out the innermost pairs, one level of depth: a few passes in C are quickest for brackets
    # nested a few deep; brackets nested deeper are finished on a stack, so that any depth costs time in
    # proportion to the text.
    passes = 0
    for _ in range(_PASSES):
        if b"[]" not in marks:
            return marks, passes
        marks = marks.replace(b"[]", b"")
        passes += 1
    left = bytearray()
    opened = deepest = 0  # the `[`s on top of the stack, and the most of them a `]` closed
    for mark in marks:
        if mark == 93 and opened:  # `]` closing the `[` before it
            left.pop()
            deepest = max(deepest, opened)
            opened -= 1
        else:
            left.append(mark)
            opened = opened + 1 if mark == 91 else 0
    return bytes(left), passes + deepest


def _depth(marks: bytes) -> int:
    """How deep balanced brackets (`marks`, brackets alone) nest."""
    return _reduce(marks)[1]
