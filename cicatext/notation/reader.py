"""Reading bracketed text into a `Draft`: the lenient `read` and the strict `parse`.

`read` never raises: it returns the best tree it can build and the problems
it found, each located by 1-based line and column. Whatever the input, the
tree renders back to it character for character. `parse` is the same reading
that raises `NotationError` when any problem is an error.

Reading is two steps. One pass over the whole text finds the paragraphs and
every problem without making nodes: it scans only `[`, `]` and paragraph
breaks with one regular expression, matches brackets on a stack of offsets,
and attributions with one anchored match right after each `]`. Then each
paragraph's nodes are made by the same kind of scan over the paragraph. In a
large text (from `LAZY_FROM` characters) a paragraph makes its nodes when its
`content` is first used (`make_nodes` makes them all at once), so a reading
that only wants the problems, or a few paragraphs, never pays for the rest.
Text that looks like an attribution where no bracket took it is found by one
more scan of the whole text.

A large text whose brackets all balance, paragraph by paragraph, and whose
attributions all name known codes needs no loop over its brackets at all:
`_quick` checks that with a few scans of the whole text in C (the brackets
alone, reduced pair by pair; the runs of attributions after `]`; the rare
round bracket after `]` that needs a close look), and the paragraph loop then
scans only paragraph breaks; each paragraph also finds its line (its `pos`)
on first use. Anything else is read by the full loop, which finds and places
every problem. `check` is this reading whatever the text's size, for the
problems alone.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from operator import methodcaller

from cicatext.errors import NotationError, Problem
from cicatext.notation.tree import Attribution, Bracket, Draft, Paragraph, Position, Stance, Text

# The characters that matter: `[`, `]` and a paragraph break (a line break, a
# line of only white space, then any white space), with the next paragraph's
# id marker when it has one.
_BRACKETS = re.compile(r"[\[\]]")
# What may follow `]`: punctuation (before the first attribution only), white
# space without a blank line, then a round-bracketed group: an attribution in
# any spelling, or something else to classify (groups: trailer, lead, sign,
# code, reserving code, "tcb", other).
_ATTRIBUTION = (
    r"([^\S\n]*(?:\n[^\S\n]*)?)\("
    r"(?:\s*([+-])\s*([A-Za-z][A-Za-z0-9]*)\s*|\s*([A-Za-z][A-Za-z0-9]*)\s+([Tt][Cc][Bb])\s*|([^()\[\]\n]{0,64}))\)"
)
_FIRST_ATTRIBUTION = re.compile(r"([.,;:!?]*)" + _ATTRIBUTION)
_NEXT_ATTRIBUTION = re.compile(r"()" + _ATTRIBUTION)
# The usual case, a run of attributions in their normal spelling: one match for
# the run, one findall for its parts (lead, sign, code, reserving code).
_NORMAL = r"[^\S\n]*(?:\n[^\S\n]*)?\((?:[+-][A-Z][A-Z0-9]*|[A-Z][A-Z0-9]* tcb)\)"
# After every `]`: trailer, the run (maybe empty), and whether a round bracket
# follows, to be looked at closely.
_AFTER = re.compile(r"([.,;:!?]*)((?:" + _NORMAL + r")*)(?=([^\S\n]*(?:\n[^\S\n]*)?\())?")
# A paragraph break alone, with the next paragraph's id marker (group 1).
_BREAK = re.compile(r"\n[^\S\n]*\n\s*(?:\{#([A-Za-z0-9][A-Za-z0-9._-]*)\} )?")
# The scanner's one pattern: `[`; `]` with what follows it (groups 1-3 as in
# _AFTER, so the usual bracket needs no second match); a paragraph break with
# the next paragraph's id marker (group 4).
_SCAN = re.compile(r"\[|\]" + _AFTER.pattern + "|" + _BREAK.pattern)
# Every `]` with what follows it as _AFTER finds it: its run of attributions
# in normal spelling (group 1), and "(" when a round bracket follows the run
# (group 2).
_AFTER_RUN = re.compile(r"\][.,;:!?]*+((?:" + _NORMAL + r")*+)(?=[^\S\n]*(?:\n[^\S\n]*)?(\())?")
# A `]` that _AFTER_RUN marks with group 2, with its punctuation and run (groups 1, 2).
_CLOSE_LOOK = re.compile(r"\]([.,;:!?]*+)((?:" + _NORMAL + r")*+)(?=[^\S\n]*(?:\n[^\S\n]*)?\()")
_CODE = re.compile(r"[A-Z][A-Z0-9]*")
# Every byte but `[`, `]` and the line break, to delete from the encoded text.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]\n")
_RUN_PART = re.compile(r"([^\S\n]*(?:\n[^\S\n]*)?)\((?:([+-])([A-Z][A-Z0-9]*)|([A-Z][A-Z0-9]*) tcb)\)")
# Attribution-like text anywhere: reported when it follows no bracket.
_ATTRIBUTION_LIKE = re.compile(r"\((?:[+-] ?[A-Z][A-Z0-9]*|[A-Z][A-Z0-9]* tcb)\)")
_BARE_CODE = re.compile(r"\s*([A-Z][A-Z0-9]*)\s*")
_NO_CODE = re.compile(r"\s*[+-]?\s*|\s*(?i:tcb)\s*")
_LEADING_SPACE = re.compile(r"\s*")
_MARKER = re.compile(r"\{#([A-Za-z0-9][A-Za-z0-9._-]*)\}( ?)")
_LABEL = re.compile(r"\[?(\d{1,3}(?:\.\d{1,3})*[a-z]*\.?)(?=\s|\Z)")
_LINE_BREAK = re.compile(r"\n")
_END = methodcaller("end")

LAZY_FROM = 1 << 16
"""From this many characters, paragraphs make their nodes on first use."""

_PAUSE_FROM = 1 << 16

_STANCE = {"+": Stance.PROPOSE, "-": Stance.OBJECT}
_NOTATION = "notation"


@dataclass(frozen=True)
class Reading:
    """What the lenient reader made of a text."""

    draft: Draft
    """The best tree that could be built; it always renders back to the input."""
    problems: tuple[Problem, ...]
    """Every problem found, in the order of the text."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of severity `error`."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def ok(self) -> bool:
        """True when no problem is an error."""
        return not any(p.severity == "error" for p in self.problems)


def read(text: str, *, codes: Collection[str] | None = None, file: str | None = None) -> Reading:
    """Read bracketed text leniently: never raises; returns the tree and the problems found.

    With `codes`, an attribution naming a code outside them is an error that
    suggests the nearest known code.
    """
    known = frozenset(codes) if codes is not None else None
    # The reader makes many small objects that all live on: pausing the
    # collector meanwhile saves much of the time of a large read.
    pause = len(text) >= _PAUSE_FROM and gc.isenabled()
    if pause:
        gc.disable()
    try:
        return _Reader(_Source(text), known, file).run(lazy=len(text) >= LAZY_FROM)
    finally:
        if pause:
            gc.enable()


def check(text: str, *, codes: Collection[str] | None = None, file: str | None = None) -> tuple[Problem, ...]:
    """The problems `read` finds in a text, found without making its nodes (whatever the text's size)."""
    known = frozenset(codes) if codes is not None else None
    return _Reader(_Source(text), known, file).run(lazy=True).problems


def count_brackets(text: str) -> tuple[int, int] | None:
    """(paragraphs, brackets) of a text as `read` makes them, without reading it; None when its brackets do not balance.

    When every `[` is closed within its own paragraph, each one opens a
    bracket of the reading (an options group and its alternatives alike), so
    counting characters gives the reading's numbers without making a tree.
    When they do not, the text has a notation error and only a reading
    counts it as the reader does.
    """
    brackets = text.count("[")
    if brackets != text.count("]"):
        return None
    start = _LEADING_SPACE.match(text).end()
    if start == len(text):
        return 0, 0
    # Two line breaks added end the last paragraph like any other, as in the reader.
    breaks = _BREAK.finditer(text + "\n\n", start)
    if brackets:
        spans = _brackets_span_lines(text)
        if spans is None:
            return None
        if spans:
            paragraphs = 0
            for found in breaks:
                if text.count("[", start, found.start()) != text.count("]", start, found.start()):
                    return None  # a bracket crosses a paragraph break
                paragraphs += 1
                start = found.end()
            return paragraphs, brackets
    return sum(1 for _ in breaks), brackets


def parse(text: str, *, codes: Collection[str] | None = None, file: str | None = None) -> Draft:
    """Read bracketed text strictly: raises `NotationError` when any problem is an error."""
    reading = read(text, codes=codes, file=file)
    for problem in reading.problems:
        if problem.severity == "error":
            raise NotationError(
                problem.message,
                file=problem.file,
                line=problem.line,
                column=problem.column,
                hint=problem.hint,
                source_line=problem.source_line,
                problems=reading.problems,
            )
    return reading.draft


def make_nodes(draft: Draft) -> Draft:
    """Make now the content of every paragraph of a lazily read draft; returns the draft.

    Walking a whole large draft through `content` would make the nodes one
    paragraph at a time with the garbage collector running; this makes them
    all with the collector paused, several times faster.
    """
    waiting = [p for p in draft.paragraphs if "content" not in p.__dict__]
    if not waiting:
        return draft
    pause = gc.isenabled()
    if pause:
        gc.disable()
    try:
        for paragraph in waiting:
            paragraph.content  # noqa: B018 (made on first use)
    finally:
        if pause:
            gc.enable()
    return draft


class _Source:
    """The text being read and where its lines start: shared by a reading and its paragraphs."""

    __slots__ = ("text", "_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """The offset where each line starts, found when first asked."""
        if self._starts is None:
            starts = [0]
            starts.extend(map(_END, _LINE_BREAK.finditer(self.text)))
            self._starts = starts
        return self._starts

    def position(self, start: int, end: int) -> Position:
        line = bisect_right(self.starts, start)
        return Position(start, end, line, start - self.starts[line - 1] + 1)


class _Reader:
    """One reading of one text: checks paragraphs, collects problems, makes nodes."""

    def __init__(self, source: _Source, known: frozenset[str] | None, file: str | None, silent: bool = False) -> None:
        self.source = source
        self.text = source.text
        self.known = known
        self.file = file
        self.silent = silent
        self.found: list[tuple[int, Problem]] = []
        self.quiet: list[tuple[int, int]] = []
        self.taken = 0  # attributions taken by brackets that _ATTRIBUTION_LIKE finds too
        self.orphans = True  # whether attribution-like text may follow no bracket
        self.each = True  # whether a quick reading checks each paragraph's brackets
        self.close_look = True  # whether a quick reading has a `]` to look at closely

    def problem(self, offset: int, message: str, hint: str, severity: str = "error") -> None:
        """Record a problem at a character offset of the input."""
        if self.silent:
            return
        starts = self.source.starts
        line = bisect_right(starts, offset)
        begin = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        source = self.text[begin:end]
        if source.endswith("\r"):
            source = source[:-1]
        self.found.append(
            (
                offset,
                Problem(
                    message=message,
                    file=self.file,
                    line=line,
                    column=offset - begin + 1,
                    hint=hint,
                    source_line=source,
                    severity=severity,
                    code=_NOTATION,
                ),
            )
        )

    # Paragraphs -------------------------------------------------------------

    def run(self, lazy: bool, quick: bool | None = None) -> Reading:
        """Split the text into paragraphs, check each, and make (or leave to make) its nodes.

        `quick` (by default: when `lazy` and `_quick` finds nothing amiss)
        scans paragraph breaks only; the brackets were checked by `_quick`.
        """
        # One loop over `[`, `]` and paragraph breaks: brackets are matched on
        # a stack of offsets, attributions by one anchored match after each
        # `]`; a paragraph's nodes are made by _build_content, now or on first
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
        label_match = _LABEL.match

        paragraphs: list[Paragraph] = []
        separators: list[str] = []
        seen_ids: dict[str, int] = {}
        taken = 0

        pstart = _LEADING_SPACE.match(text).end()
        separators.append(text[:pstart])
        if pstart == n:
            return self._done(paragraphs, separators)
        if quick is None:
            quick = lazy and self._quick()
        marker, pid, cstart = self._head(pstart, 1, seen_ids)
        if quick:
            return self._run_quick(paragraphs, separators, seen_ids, pstart, marker, pid, cstart)
        line, counted = 1, 0  # the line of offset `counted`
        stack: list[int] = []
        for match in _SCAN.finditer(text + "\n\n", cstart):
            s = match.start()
            char = text[s] if s < n else "\n"
            if char == "[":
                stack.append(s)
            elif char == "]":
                if not stack:
                    self.problem(s, "unmatched ']'", "remove it, or add the '[' that opens this bracket")
                    continue
                stack.pop()
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
                    self._attributions_after(s + 1, after.end(2) if run else None)
            else:
                # The paragraph ends: its Paragraph node.
                pend = s
                while pend > cstart and text[pend - 1].isspace():
                    pend -= 1
                if stack:
                    self._unclosed(stack)
                    stack = []
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
                if cstart >= pend:
                    fields["content"] = ()
                elif lazy:
                    fields["_build"] = (_build_content, source, cstart, pend)
                else:
                    fields["content"] = _build_content(source, cstart, pend)
                paragraphs.append(node)

                head = self._next_head(match, match.group(4), pend, len(paragraphs), separators, seen_ids)
                if head is None:
                    break
                marker, pid, cstart, pstart = head
        self.taken += taken
        return self._done(paragraphs, separators)

    def _run_quick(self, paragraphs: list[Paragraph], separators: list[str], seen_ids: dict[str, int],
                   pstart: int, marker: str, pid: str, cstart: int) -> Reading:
        """`run`'s loop for a text `_quick` checked: over paragraph breaks only, every paragraph left to make.

        The same paragraphs as `run`'s loop (both find the next paragraph's
        head with `_next_head`), written apart for speed; each finds its line
        (its `pos`) on first use too. When a bracket crosses a paragraph break,
        the text is read again by `run`.
        """
        source = self.source
        text = self.text
        new = object.__new__
        set_attribute = object.__setattr__
        count = text.count
        label_match = _LABEL.match
        each = self.each
        place = source.position
        for match in _BREAK.finditer(text + "\n\n", cstart):
            pend = match.start()
            while pend > cstart and text[pend - 1].isspace():
                pend -= 1
            if each and count("[", cstart, pend) != count("]", cstart, pend):
                # A bracket crosses a paragraph break: read it all again, fully.
                self.found.clear()
                self.taken = 0
                self.orphans = True
                return self.run(lazy=True, quick=False)
            node = new(Paragraph)
            if cstart < pend:
                char = text[cstart]
                numbered = label_match(text, cstart) if char == "[" or char.isdigit() else None
                set_attribute(node, "__dict__", {
                    "id": pid, "marker": marker, "label": numbered and numbered.group(1),
                    "_place": (place, pstart, pend), "_build": (_build_content, source, cstart, pend),
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
        return self._done(paragraphs, separators)

    def _quick(self) -> bool:
        """Whether the text's brackets balance and its attributions name known codes; if so, count them.

        The brackets and line breaks alone, reduced pair by pair, must come to
        line breaks only; when a bracket spans lines (and so might cross a
        paragraph break), the brackets alone must come to nothing and the
        paragraph loop checks each paragraph. Attributions in normal spelling
        are counted as taken, as the full loop would, and the full loop's
        closer looks are noted.
        """
        text = self.text
        spans = _brackets_span_lines(text)
        if spans is None:
            return False
        self.each = spans
        found = _AFTER_RUN.findall(text)
        runs = "".join([run for run, _ in found])
        if self.known is not None and not self.known.issuperset(_CODE.findall(runs)):
            return False
        taken = runs.count("(")
        self.taken += taken
        self.close_look = any([close for _, close in found])
        # Every piece of attribution-like text opens with "(+" or "(-", or
        # ends with " tcb)": when there are no more of those than were taken,
        # none follows no bracket.
        count = text.count
        self.orphans = count("(+") + count("(-") + count(" tcb)") != taken
        return True

    def _look_closely(self) -> None:
        """Check what follows each `]` that a round bracket follows, as the full loop does."""
        for after in _CLOSE_LOOK.finditer(self.text):
            self._attributions_after(after.start() + 1, after.end(2) if after.group(2) else None)

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

    def _unclosed(self, stack: list[int]) -> None:
        for opened in stack:
            self.problem(
                opened,
                "'[' is never closed",
                "close it with ']' before the end of the paragraph (a bracket cannot cross a blank line)",
            )

    def _known_codes(self, after: re.Match) -> None:
        """Report the codes of a run of attributions in normal spelling that are not known."""
        cursor = after.start(2)
        for lead, sign, code, reserver in _RUN_PART.findall(after.group(2)):
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

    def _done(self, paragraphs: list[Paragraph], separators: list[str]) -> Reading:
        draft = Draft(tuple(paragraphs), tuple(separators))
        if self.orphans and len(_ATTRIBUTION_LIKE.findall(self.text)) != self.taken:
            self._orphans(draft)
        found = self.found
        found.sort(key=lambda item: item[0])
        return Reading(draft, tuple(problem for _, problem in found))

    def _orphans(self, draft: Draft) -> None:
        """Report attribution-like text that no bracket took and no earlier problem covers."""
        taken = {
            attribution.pos.start
            for paragraph in draft.paragraphs
            for bracket, _ in paragraph.brackets()
            for attribution in bracket.attributions
        }
        for found in _ATTRIBUTION_LIKE.finditer(self.text):
            start = found.start()
            if start in taken or any(begin <= start < end for begin, end in self.quiet):
                continue
            self.problem(
                start,
                f"attribution '{found.group()}' follows no bracket",
                "write it right after the ']' of the bracket it belongs to, or remove it",
            )

    # Attributions -------------------------------------------------------------

    def _attributions_after(self, closed: int, run_end: int | None) -> tuple[list[Attribution], str, int]:
        """What `_more_attributions` finds after the `]` that ends at `closed` and its run of attributions in
        normal spelling, which ends at `run_end` (None: no run, so a trailer may come first)."""
        if run_end is None:
            return self._more_attributions(_FIRST_ATTRIBUTION.match(self.text, closed), True, closed)
        return self._more_attributions(_NEXT_ATTRIBUTION.match(self.text, run_end), False, run_end)

    def _more_attributions(self, found: re.Match | None, first: bool, last: int) -> tuple[list[Attribution], str, int]:
        """Attributions from `found` on, in any spelling, up to the first group that is none.

        Returns them, the trailer (when `first`) and the end of what they took.
        """
        text = self.text
        known = self.known
        attributions: list[Attribution] = []
        trailer = ""
        while found is not None:
            lead, sign, code, reserver, tcb, other = found.group(2, 3, 4, 5, 6, 7)
            if other is not None:
                self._not_attribution(found, other)
                break
            opens = found.end(2)
            closes = found.end()
            if sign is not None:
                stance = _STANCE[sign]
                normal = closes - opens == len(code) + 3 and code.isupper()
            else:
                code = reserver
                stance = Stance.RESERVE
                normal = closes - opens == len(code) + 6 and tcb == "tcb" and code.isupper()
            if not normal and not self._loose(found, code, sign):
                break
            if normal or _ATTRIBUTION_LIKE.fullmatch(text, opens, closes):
                self.taken += 1
            if known is not None and code not in known:
                self._unknown_code(found.start(4 if sign is not None else 5), code)
            if first and not attributions:
                trailer = found.group(1)
            attributions.append(Attribution(code, stance, text[opens:closes], lead, self.source.position(opens, closes)))
            last = closes
            found = _NEXT_ATTRIBUTION.match(text, closes)
        return attributions, trailer, last

    def _loose(self, found: re.Match, code: str, sign: str | None) -> bool:
        """Check an attribution not in its normal spelling: a warning (True) or an error (False)."""
        opens = found.end(2)
        written = self.text[opens : found.end()]
        normal = f"({code.upper()} tcb)" if sign is None else f"({sign}{code.upper()})"
        if not code.isupper():
            self.problem(
                found.start(4 if sign is not None else 5),
                f"delegation code '{code}' is not in capitals",
                f"write {normal}",
            )
            self._quiet_after(found.end())
            return False
        self.problem(
            opens,
            f"attribution '{written}' is not in its normal spelling",
            f"write {normal}",
            severity="warning",
        )
        return True

    def _not_attribution(self, found: re.Match, inner: str) -> None:
        """A round-bracketed group after a bracket that is no attribution: malformed, or plain text."""
        opens = found.end(2)
        if _BARE_CODE.fullmatch(inner) is not None:
            code = inner.strip()
            self.problem(
                opens,
                f"malformed attribution '({inner})'",
                f"write (+{code}), (-{code}) or ({code} tcb)",
            )
        elif _NO_CODE.fullmatch(inner) is not None:
            self.problem(
                opens,
                f"attribution '({inner})' names no delegation",
                "write (+CODE), (-CODE) or (CODE tcb) with a delegation code, e.g. (+IRAN)",
            )
        else:
            return
        self._quiet_after(found.end())

    def _quiet_after(self, offset: int) -> None:
        """Mark the run of attribution-like groups from `offset` as covered by the problem just reported."""
        text = self.text
        end = offset
        following = _NEXT_ATTRIBUTION.match(text, end)
        while following is not None and following.group(7) is None:
            end = following.end()
            following = _NEXT_ATTRIBUTION.match(text, end)
        self.quiet.append((offset, end))

    def _unknown_code(self, offset: int, code: str) -> None:
        from cicatext.notation.codes import suggest

        nearest = suggest(code, self.known)
        if nearest is not None:
            hint = f"did you mean '{nearest}'? Known codes are defined in the registry"
        elif self.known:
            listed = ", ".join(sorted(self.known)[:12])
            more = ", ..." if len(self.known) > 12 else ""
            hint = f"known codes are defined in the registry: {listed}{more}"
        else:
            hint = "no delegation codes are defined yet; add this one to the registry"
        self.problem(offset, f"unknown delegation code '{code}'", hint)


def _brackets_span_lines(text: str) -> bool | None:
    """Whether a text's brackets span lines, so that each paragraph must be checked; None when they do not balance.

    The brackets and line breaks alone are reduced pair by pair: brackets
    balanced line by line leave line breaks only and cannot cross a paragraph
    break; otherwise the brackets alone must come to nothing.
    """
    left = _reduce(text.encode().translate(None, _NOT_BRACKETS))
    if b"[" not in left and b"]" not in left:
        return False
    return None if _reduce(left.replace(b"\n", b"")) else True


def _reduce(brackets: bytes) -> bytes:
    """`brackets` with every `[]` taken out until none is left."""
    while b"[]" in brackets:
        brackets = brackets.replace(b"[]", b"")
    return brackets


def _build_content(source: _Source, start: int, end: int) -> tuple:
    """The nodes of the paragraph content from `start` to `end`: text, brackets, attributions.

    Problems were reported when the paragraph was checked; here a stray `]`
    stays text and a bracket left open is closed by the paragraph's end.
    Written for speed: nodes are made without their dataclass __init__
    (object.__new__, then the instance dict; the nodes are the same), and
    lines are followed as offsets grow instead of being searched each time.
    """
    text = source.text
    starts = source.starts
    lines = len(starts)
    beyond = len(text) + 1
    new = object.__new__
    tuple_new = tuple.__new__
    search = bisect_right
    after_match = _AFTER.match
    split_run = _RUN_PART.findall
    stances = _STANCE
    reserve = Stance.RESERVE
    slow: _Reader | None = None

    line_no = search(starts, start)
    line_at = starts[line_no - 1]
    line_next = starts[line_no] if line_no < lines else beyond
    last = start
    children: list = []
    stack: list = []
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
                fields["text"] = text[last:s]
                fields["pos"] = tuple_new(Position, (last, s, line_no, last - line_at + 1))
                children.append(node)
            if s >= line_next:
                line_no = search(starts, s)
                line_at = starts[line_no - 1]
                line_next = starts[line_no] if line_no < lines else beyond
            stack.append((children, s, line_no, s - line_at + 1))
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
            fields["text"] = text[last:s]
            fields["pos"] = tuple_new(Position, (last, s, line_no, last - line_at + 1))
            children.append(node)
        parent, opened, opened_line, opened_column = stack.pop()
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
                slow = _Reader(source, None, None, silent=True)
            others, other_trailer, last = slow._attributions_after(closed, cursor if run else None)
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
        parent.append(node)
        children = parent
    if last < end:
        children.append(Text(text[last:end], source.position(last, end)))
    while stack:
        parent, opened, opened_line, opened_column = stack.pop()
        parent.append(Bracket(tuple(children), (), "", False, Position(opened, end, opened_line, opened_column)))
        children = parent
    return tuple(children)
