"""The one pass over a whole text that finds its paragraphs and every notation problem, without making nodes.

`Scanner` scans only `[`, `]` and paragraph breaks with one regular
expression, matches brackets on a stack of offsets, and attributions with one
anchored match right after each `]`; each paragraph gets its id, its label
and its nodes, made now or left to make on first use
(`cicatext.notation.nodes`). A large text whose brackets all balance and
whose attributions all name known codes is checked by `_quick` with a few
scans of the whole text in C, and its paragraphs are then made from the
paragraph breaks alone, or left to make on first use
(`cicatext.notation.quick`).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from cicatext.errors import MAX_PROBLEMS, Problem
from cicatext.notation.attributions import AFTER, ATTRIBUTION_LIKE, RUN_PART, Source
from cicatext.notation.lookalikes import lookalike
from cicatext.notation.nesting import MAX_DEPTH, NESTING, nesting_message
from cicatext.notation.nodes import build_content
from cicatext.notation.quick import (
    ID_MARKER,
    LABEL,
    QuickReading,
    ids_told_apart,
    made_later,
    paragraphs_at_once,
)
from cicatext.notation.tree import Draft, Paragraph, Position

# A paragraph break alone, with the next paragraph's id marker (group 1).
BREAK = re.compile(r"\n[^\S\n]*\n\s*(?:" + ID_MARKER.pattern + ")?")
# The scanner's one pattern: `[`; `]` with what follows it (groups 1-3 as in
# AFTER, so the usual bracket needs no second match); a paragraph break with
# the next paragraph's id marker (group 4).
_SCAN = re.compile(r"\[|\]" + AFTER.pattern + "|" + BREAK.pattern)
# What comes before the first paragraph: a byte-order mark (no part of the text) and white space.
LEADING_SPACE = re.compile(r"\ufeff?\s*")
_MARKER = re.compile(r"\{#([A-Za-z0-9][A-Za-z0-9._-]*)\}( ?)")
# A paragraph that heads a part of the text: no bracket is searched for past one. An article, chapter,
# section, part or annex heading, a heading numbered in Roman numerals, or a line in capitals.
_HEADING = re.compile(
    r"(?:\[?(?:Article|Chapter|Section|Part|Annex|Appendix|ARTICLE|CHAPTER|SECTION|PART|ANNEX|APPENDIX)"
    r"[ \t]+[0-9IVXLC]+\b"
    r"|[IVXLC]+\.[ \t]+[A-Z]"
    r"|[^a-z\n\[\]]*[A-Z]{3}[^a-z\n\[\]]*(?:\n|\Z))"
)


def is_boundary(text: str, start: int) -> bool:
    """Whether the paragraph starting at `start` is a heading, past which a bracket is not searched for."""
    return _HEADING.match(text, start) is not None


class Scanner(QuickReading):
    """One reading of one text: checks paragraphs, collects problems, makes nodes."""

    def __init__(self, source: Source, known: frozenset[str] | None, file: str | None,
                 max_depth: int = MAX_DEPTH, limit: int = MAX_PROBLEMS) -> None:
        super().__init__(source, known, file, limit)
        self.max_depth = max_depth  # how deep brackets may nest
        # Each nest that goes deeper than that: the `[` at the limit's depth that holds it, the first `[` past
        # the limit within it, and how deep the nest goes.
        self.over: list[list[int]] = []

    def run(self, lazy: bool, quick: bool | None = None) -> tuple[Draft, tuple[Problem, ...]]:
        """Split the text into paragraphs, check each, and make (or leave to make) its nodes.

        `quick` (by default: when `lazy` and `_quick` finds nothing amiss)
        scans paragraph breaks only; the brackets were checked by `_quick`.
        """
        # One loop over `[`, `]` and paragraph breaks: brackets are matched on
        # a stack of offsets, attributions by one anchored match after each
        # `]`; a paragraph's nodes are made by build_content, now or on first
        # use. Two blank lines added to the scanned copy end the last
        # paragraph like any other. Written for speed: the usual paragraph is
        # handled inline, nodes are made without their dataclass __init__.
        # A quick reading scans only paragraph breaks, and only checks that
        # no bracket crosses one; the full loop reads the text again if one does.
        source = self.source
        text = self.text
        n = len(text)
        known = self.known
        new = object.__new__
        tuple_new = tuple.__new__
        count = text.count
        label_match = LABEL.match

        paragraphs: list[Paragraph] = []
        separators: list[str] = []
        seen_ids: dict[str, int] = {}
        taken = 0

        pstart = LEADING_SPACE.match(text).end()
        separators.append(text[:pstart])
        if pstart == n:
            return self._done(Draft((), (text,)))
        if quick is None:
            quick = lazy and self._quick()
        marker, pid, cstart = self._head(pstart, 1, seen_ids)
        if quick:
            return self._run_quick(paragraphs, separators, seen_ids, pstart, marker, pid, cstart)
        line, counted = 1, 0  # the line of offset `counted`
        stack: list[int] = []
        limit = self.max_depth
        # Paragraphs a bracket crosses, waiting for their nodes (`_settle`); how many brackets were open where
        # the current paragraph began, and the fewest open since (brackets deeper than that opened in it).
        spanning: list = []
        start_height = low = 0
        for match in _SCAN.finditer(text + "\n\n", cstart):
            s = match.start()
            char = text[s] if s < n else "\n"
            if char == "[":
                stack.append(s)
                if len(stack) > limit:
                    self._too_deep(stack)
            elif char == "]":
                if not stack:
                    self.problem(s, "unmatched ']'", "remove it, or add the '[' that opens this bracket")
                    continue
                stack.pop()
                if len(stack) < low:
                    low = len(stack)
                after = match
                # lastindex: 2 when only a run follows, 3 when a round bracket follows it.
                group = after.lastindex
                if group == 2:
                    taken += after.group(2).count("(")
                    if known is not None:
                        self._known_codes(after)
                elif group == 3:
                    run = after.group(2)
                    if run:
                        taken += run.count("(")
                        if known is not None:
                            self._known_codes(after)
                    self.attributions_after(s + 1, after.end(2) if run else None)
            else:
                # The paragraph ends: its Paragraph node.
                pend = s
                while pend > cstart and text[pend - 1].isspace():
                    pend -= 1
                label = None
                char = text[cstart : cstart + 1]
                if char == "[" or char.isdigit():
                    numbered = label_match(text, cstart)
                    if numbered is not None:
                        label = numbered.group(1)
                line += count("\n", counted, pstart)
                counted = pstart
                column = pstart - text.rfind("\n", 0, pstart)
                node = new(Paragraph)
                fields = node.__dict__
                fields["id"] = pid
                fields["marker"] = marker
                fields["label"] = label
                fields["pos"] = tuple_new(Position, (pstart, pend, line, column))
                if spanning or stack:
                    # A bracket crosses this paragraph's end or began before it: its nodes wait until the
                    # scan knows which open brackets close in a later paragraph.
                    spanning.append((fields, cstart, pend, start_height, low, tuple(stack[low:])))
                elif cstart >= pend:
                    fields["content"] = ()
                elif lazy:
                    fields["_build"] = (build_content, source, cstart, pend)
                else:
                    fields["content"] = build_content(source, cstart, pend)
                paragraphs.append(node)

                head = self._next_head(match, match.group(4), pend, len(paragraphs), separators, seen_ids)
                if head is None:
                    break
                marker, pid, cstart, pstart = head
                if stack and is_boundary(text, cstart):
                    self._unclosed(stack, boundary=cstart)
                    self._settle(spanning, lazy)
                    stack = []
                elif spanning and not stack:
                    self._settle(spanning, lazy)
                start_height = low = len(stack)
        if stack:
            self._unclosed(stack)
        if spanning:
            self._settle(spanning, lazy)
        self.taken += taken
        return self._done(Draft(tuple(paragraphs), tuple(separators)))

    def _too_deep(self, stack: list[int]) -> None:
        """Note the `[` last on `stack`, which opens a bracket past the limit: the first of its nest, or deeper."""
        holder = stack[self.max_depth - 1] if self.max_depth > 0 else -1
        if self.over and self.over[-1][0] == holder:
            self.over[-1][2] = max(self.over[-1][2], len(stack))
        else:
            self.over.append([holder, stack[-1], len(stack)])

    def _settle(self, spanning: list, lazy: bool) -> None:
        """Give the paragraphs a bracket crossed their nodes (or their recipe), now that the scan has found
        which of the brackets open in them close in a later paragraph and which never close.

        The brackets open at any moment are a stack: those of an earlier moment
        that never close are the bottom of it, as many as the fewest brackets
        open since. So one pass backwards, keeping the fewest open after each
        paragraph, tells each paragraph how many of the brackets open where it
        began close later (`carried`) and which of those it opened close in a
        later paragraph (`continuing`), in time as the brackets, not as the
        brackets open times the paragraphs.
        """
        source = self.source
        later: int | None = None  # the fewest brackets open from the end of the paragraph in hand on
        for fields, cstart, pend, start_height, low, opened in reversed(spanning):
            end_height = low + len(opened)
            since_end = end_height if later is None else min(end_height, later)
            since_start = low if later is None else min(low, later)
            later = since_start
            carried = start_height - since_start
            continuing = frozenset(opened[max(0, since_end - low):])
            if cstart >= pend and not carried:
                fields["content"] = ()
            elif lazy:
                fields["_build"] = (build_content, source, cstart, pend, carried, continuing)
            else:
                fields["content"] = build_content(source, cstart, pend, carried, continuing)
        spanning.clear()

    def _run_quick(self, paragraphs: list[Paragraph], separators: list[str], seen_ids: dict[str, int],
                   pstart: int, marker: str, pid: str, cstart: int) -> tuple[Draft, tuple[Problem, ...]]:
        """`run`'s loop for a text `_quick` checked: over paragraph breaks only, every paragraph left to make.

        The same paragraphs as `run`'s loop (both find the next paragraph's
        head with `_next_head`), written apart for speed; each finds its line
        (its `pos`) on first use too. When a bracket crosses a paragraph break,
        the text is read again by `run`. When no bracket spans lines, the
        paragraphs are made at once by `paragraphs_at_once` (when the id
        markers alone tell that it will make them all, only when the draft's
        paragraphs are first asked for), and this loop makes them only when
        that finds an odd head or an id used twice.
        """
        source = self.source
        text = self.text
        new = object.__new__
        set_attribute = object.__setattr__
        count = text.count
        label_match = LABEL.match
        each = self.each
        place = source.position
        if not each:
            if ids_told_apart(text, self.braces):
                draft = new(Draft)
                set_attribute(draft, "__dict__", {"_made": (made_later, source, pstart, marker, pid, cstart)})
            else:
                made = paragraphs_at_once(source, pstart, marker, pid, cstart)
                draft = Draft(*made) if made is not None else None
            if draft is not None:
                if self.close_look:
                    self._look_closely()
                return self._done(draft)
        for match in BREAK.finditer(text + "\n\n", cstart):
            pend = match.start()
            while pend > cstart and text[pend - 1].isspace():
                pend -= 1
            if each and count("[", cstart, pend) != count("]", cstart, pend):
                # A bracket crosses a paragraph break: read it all again, fully.
                self.forget_problems()
                self.taken = 0
                self.orphans = True
                return self.run(lazy=True, quick=False)
            node = new(Paragraph)
            if cstart < pend:
                char = text[cstart]
                numbered = label_match(text, cstart) if char == "[" or char.isdigit() else None
                set_attribute(node, "__dict__", {
                    "id": pid, "marker": marker, "label": numbered and numbered.group(1),
                    "_place": (place, pstart, pend), "_build": (build_content, source, cstart, pend),
                })
            else:
                set_attribute(node, "__dict__", {
                    "id": pid, "marker": marker, "label": None, "_place": (place, pstart, pend), "content": (),
                })
            paragraphs.append(node)

            head = self._next_head(match, match.group(1), pend, len(paragraphs), separators, seen_ids)
            if head is None:
                break
            marker, pid, cstart, pstart = head
        if self.close_look:
            self._look_closely()
        return self._done(Draft(tuple(paragraphs), tuple(separators)))

    def _next_head(self, found: re.Match, pid: str | None, pend: int, made: int, separators: list[str],
                   seen_ids: dict[str, int]) -> tuple[str, str, int, int] | None:
        """After the paragraph break `found` (which took the next id marker's id, `pid`, if any), the next
        paragraph's marker, id, content start and start; None when the text ends there.

        The separator since the paragraph that ended at `pend` (the `made`-th) is kept, and its id noted as seen.
        """
        text = self.text
        if pid is not None:
            cstart = found.end()
            pstart = cstart - len(pid) - 4
            marker = text[pstart:cstart]
            separators.append(text[pend:pstart])
        elif (pstart := found.end()) >= len(text):
            separators.append(text[pend:])
            return None
        elif text[pstart] == "{":
            separators.append(text[pend:pstart])
            return (*self._head(pstart, made + 1, seen_ids), pstart)
        else:
            separators.append(text[pend:pstart])
            marker = ""
            cstart = pstart
            pid = f"p{made + 1}"
        if pid in seen_ids:
            self._duplicate_id(pstart, pid, marker, seen_ids)
        else:
            seen_ids[pid] = pstart
        return marker, pid, cstart, pstart

    def _head(self, pstart: int, ordinal: int, seen_ids: dict[str, int]) -> tuple[str, str, int]:
        """The marker, id and content start of the paragraph at `pstart`; its id noted as seen."""
        text = self.text
        head = _MARKER.match(text, pstart)
        if head is not None and head.group(2):
            cstart = head.end()
            marker = text[pstart:cstart]
            pid = head.group(1)
        elif text.startswith("{", pstart):
            marker, pid, cstart = self._odd_head(pstart, ordinal)
        else:
            marker, pid, cstart = "", f"p{ordinal}", pstart
        if pid in seen_ids:
            self._duplicate_id(pstart, pid, marker, seen_ids)
        else:
            seen_ids[pid] = pstart
        return marker, pid, cstart

    def _unclosed(self, stack: list[int], boundary: int | None = None) -> None:
        if boundary is None:
            where = "before the end of the text"
        else:
            line = bisect_right(self.source.starts, boundary)
            where = f"before the heading on line {line}"
        # The stack is in the order of the text: past the limit, the rest are counted, not made.
        self.count_more(max(0, len(stack) - self.limit))
        for opened in stack[: self.limit]:
            self.problem(
                opened,
                "'[' is never closed",
                f"close it with ']' {where} (a bracket may span paragraphs, but not past a heading "
                "such as 'Article 3' or 'Chapter II', nor past the end of the text)",
            )

    def _known_codes(self, after: re.Match) -> None:
        """Report the codes of a run of attributions in normal spelling that are not known."""
        cursor = after.start(2)
        for lead, sign, code, reserver in RUN_PART.findall(after.group(2)):
            opens = cursor + len(lead)
            code = code or reserver
            cursor = opens + len(code) + (3 if sign else 6)
            if code not in self.known:
                self._unknown_code(opens + 2 if sign else opens + 1, code)

    def _odd_head(self, pstart: int, ordinal: int) -> tuple[str, str, int]:
        """The marker, id and content start of a paragraph opening with `{` but no `{#id} `."""
        text = self.text
        found = _MARKER.match(text, pstart)
        if found is None:
            if text.startswith("{#", pstart):
                self.problem(
                    pstart,
                    "malformed paragraph id marker",
                    "write {#ID} and one space, with an ID of letters, digits, '.', '_' or '-'",
                )
            return "", f"p{ordinal}", pstart
        content = found.end()
        marker = text[pstart:content]
        if content < len(text) and not text[content].isspace():
            self.problem(
                content,
                f"no space after the paragraph id marker '{marker}'",
                f"write '{marker} ' with one space before the text",
            )
        return marker, found.group(1), content

    def _duplicate_id(self, pstart: int, pid: str, marker: str, seen_ids: dict[str, int]) -> None:
        first = bisect_right(self.source.starts, seen_ids[pid])
        if marker:
            self.problem(
                pstart,
                f"duplicate paragraph id '{pid}'",
                f"paragraph ids must be unique; '{pid}' is first used on line {first}",
            )
        else:
            self.problem(
                pstart,
                f"paragraph id '{pid}' is already taken by the marker on line {first}",
                f"give this paragraph its own marker, e.g. '{{#{pid}b}} '",
            )

    def _done(self, draft: Draft) -> tuple[Draft, tuple[Problem, ...]]:
        for _, opened, deepest in self.over:
            self.problem(opened, *nesting_message(deepest, self.max_depth), code=NESTING)
        if self.orphans:
            like = self.attribution_like
            if (len(ATTRIBUTION_LIKE.findall(self.text)) if like is None else like) != self.taken:
                self._orphans(draft)
        # Groups written with look-alike characters (cicatext.notation.lookalikes) that no bracket took: none
        # when `_quick` found every group that may be one and none reads as one.
        suspects = self.suspects
        if not self.text.isascii() and (suspects is None
                                        or any(lookalike(f"({inside})") is not None for inside in suspects)):
            self.lookalike_orphans()
        return draft, self.problems()

    def _orphans(self, draft: Draft) -> None:
        """Report attribution-like text that no bracket took and no earlier problem covers."""
        taken = {
            attribution.pos.start
            for paragraph in draft.paragraphs
            for bracket, _ in paragraph.brackets()
            for attribution in bracket.attributions
        }
        for found in ATTRIBUTION_LIKE.finditer(self.text):
            start = found.start()
            if start in taken or any(begin <= start < end for begin, end in self.quiet):
                continue
            self.problem(
                start,
                f"attribution '{found.group()}' follows no bracket",
                "write it right after the ']' of the bracket it belongs to, or remove it",
            )
