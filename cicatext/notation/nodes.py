"""Making a paragraph's nodes: its text, brackets and attributions, from its written content.

The scan (`cicatext.notation.scanner`) has checked the paragraph and
reported its problems; `build_content` makes the nodes by the same kind of
scan over the paragraph alone, now or when the paragraph's `content` is first
used. `build_laid` makes them by the same scan and lays the paragraph's
text out meanwhile (what `cicatext.notation.paragraph_text` would otherwise
find by walking the nodes once made).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from cicatext.notation.attributions import AFTER, RUN_PART, STANCE, AttributionReader, Source
from cicatext.notation.tree import Attribution, Bracket, Position, Stance, Text

# The characters that matter in a paragraph's content: `[` and `]`.
_BRACKETS = re.compile(r"[\[\]]")


def build_content(source: Source, start: int, end: int, carried: int = 0,
                  continuing: frozenset[int] = frozenset()) -> tuple:
    """The nodes of the paragraph content from `start` to `end`: text, brackets, attributions.

    `carried` brackets opened in earlier paragraphs are still open where this
    one starts (a bracket spanning paragraphs): their parts here are brackets
    marked `continued`, and those still open where the paragraph ends, with
    the brackets opened here at the offsets in `continuing`, are marked
    `continues`: the scan found their `]` in a later paragraph.

    Problems were reported when the paragraph was checked; here a stray `]`
    stays text and a bracket never closed is closed by the paragraph's end.
    Written for speed: nodes are made without their dataclass __init__
    (object.__new__, then the instance dict; the nodes are the same), and
    lines are followed as offsets grow instead of being searched each time.
    """
    return _scan(source, start, end, carried, continuing, None)


def build_laid(source: Source, start: int, end: int, carried: int = 0,
               continuing: frozenset[int] = frozenset()) -> tuple[tuple, Layout]:
    """`build_content`'s nodes, and how the paragraph is laid out, found by the same scan (see `Layout`)."""
    layout = Layout()
    return _scan(source, start, end, carried, continuing, layout), layout


def reading_of(source: Source, start: int, end: int, carried: int = 0,
               continuing: frozenset[int] = frozenset()) -> str | None:
    """The reading text of the paragraph content from `start` to `end` (what its nodes read, bracket marks and
    attributions taken out), found by the same scan without making them; None where an attribution after a
    `]` needs the close look that making them gives (`AttributionReader`).

    `carried` brackets are open where the paragraph starts; `continuing` does not change the reading.
    """
    text = source.text
    after_match = AFTER.match
    pieces: list[str] = []
    last = start
    depth = carried
    for match in _BRACKETS.finditer(text, start, end):
        s = match.start()
        if text[s] == "[":
            pieces.append(text[last:s])
            depth += 1
            last = s + 1
            continue
        if not depth:
            continue  # a stray `]` stays text
        depth -= 1
        pieces.append(text[last:s])
        punctuation, run, following = after_match(text, s + 1).groups()
        if following is not None:
            return None
        if run:
            # The trailer is read; the run of attributions after it is not.
            pieces.append(punctuation)
            last = s + 1 + len(punctuation) + len(run)
        else:
            last = s + 1
    pieces.append(text[last:end])
    return "".join(pieces)


class Layout:
    """Where the reading text's runs and each bracket stand in a paragraph's written content, as
    `cicatext.notation.paragraph_text` walks its nodes to find them: offsets from the content's start.

    `runs` holds the reading's pieces (the text written outside bracket marks and attributions, and the
    brackets' trailers) with where each starts in the reading and as written; `spans` each bracket's ordinal,
    `[`, `]`, attributions' start, end, depth, enclosing ordinal and node, by ordinal (pre-order); `bodies` where
    each body stands in the reading (None for the part of a bracket begun in an earlier paragraph).
    """

    __slots__ = ("pieces", "read_at", "raw_at", "spans", "bodies")

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.read_at: list[int] = []
        self.raw_at: list[int] = []
        self.spans: list[tuple | None] = []
        self.bodies: list[tuple[int, int] | None] = []


def _scan(source: Source, start: int, end: int, carried: int, continuing: frozenset[int],
          laid: Layout | None) -> tuple:
    """`build_content`; with `laid`, the layout of the paragraph is recorded in it as the nodes are made."""
    text = source.text
    starts = source.starts
    lines = len(starts)
    beyond = len(text) + 1
    new = object.__new__
    tuple_new = tuple.__new__
    search = bisect_right
    after_match = AFTER.match
    split_run = RUN_PART.findall
    stances = STANCE
    reserve = Stance.RESERVE
    slow: AttributionReader | None = None

    line_no = search(starts, start)
    line_at = starts[line_no - 1]
    line_next = starts[line_no] if line_no < lines else beyond
    last = start
    children: list = []
    stack: list = []
    if laid is not None:
        pieces, read_at, raw_at, spans, bodies = laid.pieces, laid.read_at, laid.raw_at, laid.spans, laid.bodies
    read = 0  # how much of the reading is laid out so far
    ordinal = 0
    for _ in range(carried):
        # A bracket begun in an earlier paragraph: its part here starts with the paragraph.
        if laid is not None:
            ordinal += 1
            spans.append(None)
            bodies.append(None)
        stack.append((children, start, line_no, start - line_at + 1, ordinal, 0))
        children = []
    for match in _BRACKETS.finditer(text, start, end):
        s = match.start()
        if text[s] == "[":
            if last < s:
                if last >= line_next:
                    line_no = search(starts, last)
                    line_at = starts[line_no - 1]
                    line_next = starts[line_no] if line_no < lines else beyond
                node = new(Text)
                fields = node.__dict__
                fields["text"] = piece = text[last:s]
                fields["pos"] = tuple_new(Position, (last, s, line_no, last - line_at + 1))
                children.append(node)
                if laid is not None:
                    pieces.append(piece)
                    read_at.append(read)
                    raw_at.append(last - start)
                    read += len(piece)
            if s >= line_next:
                line_no = search(starts, s)
                line_at = starts[line_no - 1]
                line_next = starts[line_no] if line_no < lines else beyond
            if laid is not None:
                ordinal = len(spans) + 1
                spans.append(None)
                bodies.append(None)
            stack.append((children, s, line_no, s - line_at + 1, ordinal, read))
            children = []
            last = s + 1
            continue
        if not stack:
            continue
        if last < s:
            if last >= line_next:
                line_no = search(starts, last)
                line_at = starts[line_no - 1]
                line_next = starts[line_no] if line_no < lines else beyond
            node = new(Text)
            fields = node.__dict__
            fields["text"] = piece = text[last:s]
            fields["pos"] = tuple_new(Position, (last, s, line_no, last - line_at + 1))
            children.append(node)
            if laid is not None:
                pieces.append(piece)
                read_at.append(read)
                raw_at.append(last - start)
                read += len(piece)
        parent, opened, opened_line, opened_column, ordinal, read_start = stack.pop()
        closed = last = s + 1
        trailer = ""
        attributions: list = []
        after = after_match(text, closed)
        punctuation, run, following = after.groups()
        if run:
            trailer = punctuation
            cursor = after.start(2)
            for lead, sign, code, reserver in split_run(run):
                opens = cursor + len(lead)
                if sign:
                    cursor = opens + len(code) + 3
                    stance = stances[sign]
                else:
                    code = reserver
                    cursor = opens + len(code) + 6
                    stance = reserve
                if opens >= line_next:
                    line_no = search(starts, opens)
                    line_at = starts[line_no - 1]
                    line_next = starts[line_no] if line_no < lines else beyond
                node = new(Attribution)
                fields = node.__dict__
                fields["code"] = code
                fields["stance"] = stance
                fields["raw"] = text[opens:cursor]
                fields["lead"] = lead
                fields["pos"] = tuple_new(Position, (opens, cursor, line_no, opens - line_at + 1))
                attributions.append(node)
            last = cursor
        if following is not None:
            if slow is None:
                slow = AttributionReader(source, None, None, silent=True)
            others, other_trailer, last = slow.attributions_after(closed, cursor if run else None)
            if others and not attributions:
                trailer = other_trailer
            attributions.extend(others)
        node = new(Bracket)
        fields = node.__dict__
        fields["body"] = tuple(children)
        fields["attributions"] = tuple(attributions)
        fields["trailer"] = trailer
        fields["closed"] = True
        fields["pos"] = tuple_new(Position, (opened, closed, opened_line, opened_column))
        continued = False
        if carried and len(stack) < carried:
            fields["continued"] = continued = True
            carried -= 1
        parent.append(node)
        children = parent
        if laid is not None:
            if not continued:
                bodies[ordinal - 1] = (read_start, read)
            # As written: `]`, the trailer (read too), then the attributions, each after its lead.
            attributions_start = closed - start
            if trailer:
                pieces.append(trailer)
                read_at.append(read)
                raw_at.append(attributions_start)
                read += len(trailer)
                attributions_start += len(trailer)
            written_end = last - start if following is None else attributions_start + sum(
                len(a.lead) + len(a.source()) for a in node.attributions)
            spans[ordinal - 1] = (ordinal, opened - start, s - start, attributions_start, written_end,
                                  len(stack) + 1, stack[-1][4] if stack else None, node)
    if last < end:
        children.append(Text(text[last:end], source.position(last, end)))
        if laid is not None:
            pieces.append(text[last:end])
            read_at.append(read)
            raw_at.append(last - start)
            read += end - last
    while stack:
        parent, opened, opened_line, opened_column, ordinal, read_start = stack.pop()
        continued = len(stack) < carried
        node = Bracket(tuple(children), (), "", False, Position(opened, end, opened_line, opened_column),
                       continued=continued, continues=continued or opened in continuing)
        parent.append(node)
        children = parent
        if laid is not None:
            if not continued:
                bodies[ordinal - 1] = (read_start, read)
            spans[ordinal - 1] = (ordinal, opened - start, end - start, end - start, end - start, len(stack) + 1,
                                  stack[-1][4] if stack else None, node)
    return tuple(children)
