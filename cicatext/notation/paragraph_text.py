"""A paragraph's text as written and as read, and the map between the two.

A paragraph's *reading text* is what stands there with the bracket marks and
attributions taken out, so `cultural [and religious] (-CHN)` reads `cultural
and religious`. `paragraph_text` gives both texts with every bracket located
in the written one; the compiler, the bracket diff and the reading of an edit
all work from it. `normalise`, `quote` and `LABEL` are the small text rules
they share.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import chain
from typing import TypeVar

from cicatext.notation.nodes import Layout, build_content, build_laid, reading_of
from cicatext.notation.tree import Bracket, Paragraph, Text

T = TypeVar("T")

LABEL = re.compile(r"^\[?\d{1,3}(?:\.\d{1,3})*[a-z]*\.?(?=\s)")
"""A paragraph's own number at the start of its text (`12.`, `3.1a`), white space after it."""


@dataclass(frozen=True)
class BracketSpan:
    """Where one bracket stands in its paragraph's written content."""

    ordinal: int
    """1-based pre-order number in the paragraph (the N of `op11:N`)."""
    start: int
    """Offset of its `[`."""
    close: int
    """Offset of its `]` (the end of the body)."""
    attributions_start: int
    """Offset just past `]` and its punctuation trailer."""
    end: int
    """Offset just past its last attribution."""
    depth: int
    """1 for an outermost bracket."""
    parent: int | None
    """The ordinal of the bracket directly around it."""
    bracket: Bracket
    """The bracket itself."""


@dataclass(frozen=True)
class ParagraphText:
    """A paragraph's content as written and as read, and the map between the two."""

    raw: str
    """The content as written (id marker excluded)."""
    reading: str
    """The content without bracket marks and attributions."""
    runs: tuple[tuple[int, ...], tuple[int, ...]]
    """Where each run of `reading` starts, in `reading` and in `raw`: a run is
    text written in one piece (a text node or a bracket's trailer)."""
    brackets: tuple[BracketSpan, ...]
    """Every bracket, in pre-order."""
    bodies: tuple[tuple[int, int] | None, ...] = ()
    """Where each bracket's body stands in `reading`, in the order of `brackets`, as the text was made (None for
    the part of a bracket begun in an earlier paragraph); `body_range` finds what is not given."""

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        """For each character of `reading`, its offset in `raw`."""
        read_at, raw_at = self.runs
        ends = read_at[1:] + (len(self.reading),)
        return tuple(chain.from_iterable(range(raw, raw + end - read) for read, raw, end in zip(read_at, raw_at, ends)))

    @cached_property
    def bracket_readings(self) -> tuple[str, ...]:
        """Each bracket's words, white space made single, in the order of `brackets`."""
        bodies, reading = self.bodies, self.reading
        if bodies and None not in bodies:
            # Every body placed as the text was made (none begun in an earlier paragraph): read from there.
            return tuple(" ".join(reading[start:end].split()) for start, end in bodies)
        return tuple(normalise(self.body_reading(span)) for span in self.brackets)

    def read_before(self, raw_offset: int) -> int:
        """How many characters of `reading` are written before `raw_offset`."""
        read_at, raw_at = self.runs
        run = bisect_right(raw_at, raw_offset) - 1
        if run < 0:
            return 0
        end = read_at[run + 1] if run + 1 < len(read_at) else len(self.reading)
        return min(end, read_at[run] + raw_offset - raw_at[run])

    def body_range(self, span: BracketSpan) -> tuple[int, int]:
        """Where a bracket's body stands in `reading`: (start, end)."""
        known = self.bodies[span.ordinal - 1] if self.bodies else None
        if known is not None:
            return known
        # Runs grow in both texts: the body's characters are one stretch of `reading`.
        return self.read_before(span.start + 1), self.read_before(span.close)

    def body_reading(self, span: BracketSpan) -> str:
        """The reading text of a bracket's body."""
        start, end = self.body_range(span)
        return self.reading[start:end]


def paragraph_text(paragraph: Paragraph) -> ParagraphText:
    """The written and reading text of a paragraph's content, with its brackets located."""
    fields = paragraph.__dict__
    recipe = fields.get("_build")
    if recipe is not None and recipe[0] is build_content:
        # Nodes yet to be made (a large text, read lazily): the scan that makes them lays the text out too.
        content, layout = build_laid(*recipe[1:])
        if fields.setdefault("content", content) is content:
            fields.pop("_build", None)
            return _laid_text(recipe[1].text[recipe[2]:recipe[3]], layout)
    return _walked_text(paragraph)


def _laid_text(raw: str, layout: Layout) -> ParagraphText:
    """A paragraph's text from its written content and the layout its nodes were made with."""
    new = object.__new__
    spans = []
    for ordinal, start, close, attributions_start, end, depth, parent, bracket in layout.spans:
        # Made without the frozen dataclass's __init__, as `_walked_text` does.
        span = new(BracketSpan)
        span.__dict__.update(ordinal=ordinal, start=start, close=close, attributions_start=attributions_start,
                             end=end, depth=depth, parent=parent, bracket=bracket)
        spans.append(span)
    return ParagraphText(raw, "".join(layout.pieces), (tuple(layout.read_at), tuple(layout.raw_at)), tuple(spans),
                         tuple(layout.bodies))


def _walked_text(paragraph: Paragraph) -> ParagraphText:
    """`paragraph_text`, from the paragraph's nodes."""
    raw: list[str] = []
    reading: list[str] = []
    read_at: list[int] = []
    raw_at: list[int] = []
    spans: list[BracketSpan | None] = []
    bodies: list[tuple[int, int] | None] = []
    new = object.__new__
    at = 0
    read = 0

    # The brackets entered, each with its ordinal, where it starts (written and read) and what is left of its
    # body: an explicit stack, for brackets nest to any depth.
    stack: list[tuple[Bracket | None, int | None, int, int, Iterator]] = [(None, None, 0, 0, iter(paragraph.content))]
    while stack:
        for node in stack[-1][4]:
            if type(node) is Text:
                piece = node.text
                raw.append(piece)
                reading.append(piece)
                read_at.append(read)
                raw_at.append(at)
                read += len(piece)
                at += len(piece)
                continue
            ordinal = len(spans) + 1
            spans.append(None)
            bodies.append(None)
            start = at
            if not node.continued:
                raw.append("[")
                at += 1
            stack.append((node, ordinal, start, read, iter(node.body)))
            break
        else:
            node, ordinal, start, read_start, _ = stack.pop()
            if node is None:
                break
            close = at
            if not node.continued:
                bodies[ordinal - 1] = (read_start, read)
            if node.closed:
                raw.append("]")
                at += 1
            if node.trailer:
                raw.append(node.trailer)
                reading.append(node.trailer)
                read_at.append(read)
                raw_at.append(at)
                read += len(node.trailer)
                at += len(node.trailer)
            attributions_start = at
            for attribution in node.attributions:
                piece = attribution.lead + attribution.source()
                raw.append(piece)
                at += len(piece)
            # Made without the frozen dataclass's __init__ (eight object.__setattr__ calls): the span is the same.
            span = new(BracketSpan)
            span.__dict__.update(ordinal=ordinal, start=start, close=close, attributions_start=attributions_start,
                                 end=at, depth=len(stack), parent=stack[-1][1], bracket=node)
            spans[ordinal - 1] = span

    return ParagraphText("".join(raw), "".join(reading), (tuple(read_at), tuple(raw_at)), tuple(s for s in spans if s),
                         tuple(bodies))


class ParagraphTexts:
    """Each paragraph's `paragraph_text`, made once while the drafts it was asked of are alive.

    For one comparison of two drafts (the bracket diff, the alignment), where
    the same paragraph's text is asked for several times; kept by the
    paragraph object's identity, so it must not outlive those drafts.
    `alone`: contents as written whose paragraphs are likely only read, never
    compared bracket by bracket (those both drafts hold): their reading is
    found without making their nodes where it can be (`reading`).
    """

    __slots__ = ("_alone", "_made", "_texts")

    def __init__(self, alone: Collection[str] = frozenset()) -> None:
        self._alone = alone
        self._texts: dict[int, tuple[Paragraph, ParagraphText]] = {}
        self._made: dict[object, tuple[Paragraph, object]] = {}

    def __call__(self, paragraph: Paragraph) -> ParagraphText:
        known = self._texts.get(id(paragraph))
        if known is not None and known[0] is paragraph:
            return known[1]
        text = paragraph_text(paragraph)
        # The paragraph is kept with its text, so its id cannot be another's while it is here.
        self._texts[id(paragraph)] = (paragraph, text)
        return text

    def raw(self, paragraph: Paragraph) -> str:
        """The paragraph's content as written (its text's `raw`), read from the text when its nodes are yet to be made."""
        written = paragraph.written()
        return written[0] if written is not None else self(paragraph).raw

    def reading(self, paragraph: Paragraph) -> str:
        """The paragraph's reading text (its text's `reading`); read from its written content without making its
        nodes when they are yet to be made and it is written as one of `alone`, where that can be done."""
        known = self._texts.get(id(paragraph))
        if known is not None and known[0] is paragraph:
            return known[1].reading
        recipe = paragraph.__dict__.get("_build")
        if self._alone and recipe is not None and recipe[0] is build_content and \
                recipe[1].text[recipe[2]:recipe[3]] in self._alone:
            found = reading_of(*recipe[1:])
            if found is not None:
                return found
        return self(paragraph).reading

    def once(self, make: Callable[[Paragraph, ParagraphTexts], T], paragraph: Paragraph) -> T:
        """`make(paragraph, self)`, made once for the paragraph (kept with what was made of it).

        `make` depends on the paragraph's content alone: it is made once for paragraphs written alike (with no
        bracket carried in) whose nodes are yet to be made, and the nodes of only the first of them are made.
        """
        key = (make, id(paragraph))
        known = self._made.get(key)
        if known is not None and known[0] is paragraph:
            return known[1]
        written = paragraph.written()
        alike = (make, written[0]) if written is not None and not written[1] else None
        if alike is not None and alike in self._made:
            return self._made[alike][1]
        # The paragraph is kept with what was made of it, so its id cannot be another's while it is here.
        made = make(paragraph, self)
        self._made[key] = (paragraph, made)
        if alike is not None:
            self._made[alike] = (paragraph, made)
        return made


def reading_text(paragraph: Paragraph) -> str:
    """A paragraph's reading text: its words without bracket marks or attributions."""
    return paragraph_text(paragraph).reading


def normalise(text: str) -> str:
    """White space collapsed to single spaces, ends stripped."""
    # str.split() splits at exactly the characters `\s` matches, in C.
    return " ".join(text.split())


_IDEOGRAPHS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_PLAIN_WORD = re.compile(r"\w+")


def words_of(text: str) -> list[str]:
    """The words of a text, for comparing; in scripts written without spaces (CJK, Hangul), each character is one."""
    # ASCII (told at once) or below the first of those scripts: words are runs of word characters.
    if not text or text.isascii() or max(text) < "\u3040":
        return _PLAIN_WORD.findall(text)
    return _mixed_words().findall(text)


@cache
def _mixed_words() -> re.Pattern:
    # Compiled when first needed: classes spanning these scripts take milliseconds to compile.
    return re.compile(f"[{_IDEOGRAPHS}]|[^\\W{_IDEOGRAPHS}]+")


def shortened(text: str, width: int = 60) -> str:
    """Text for one line of output: white space made single, cut at `width` with an ellipsis."""
    flat = normalise(text)
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def quote(text: str, width: int = 60) -> str:
    """Text for a message: white space made single, cut at `width` with an ellipsis, in curly quotes."""
    text = normalise(text)
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return f"“{text}”"


__all__ = ["LABEL", "BracketSpan", "ParagraphText", "ParagraphTexts", "normalise", "paragraph_text", "quote",
           "reading_text", "words_of"]
