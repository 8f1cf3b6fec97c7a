r"""The attributions after a `]` in any spelling, and the text a reading locates its problems in.

A bracket's attributions follow its `]`: punctuation first (the trailer),
then round-bracketed groups such as `(+IRAN)`, `(-CHN)` or `(KAZ tcb)`.
`AttributionReader` reads them in whatever spelling they come, takes the
loose ones with a warning, tells a malformed group or one naming an unknown
code from plain text in round brackets, and records each problem at its line
and column of `Source`, the text being read. A group written with look-alike
characters (`(+\u0421HN)` with a Cyrillic Es, a zero-width space, a
direction override, fullwidth letters: `cicatext.notation.lookalikes`) is read
as the attribution it looks like and reported as an error naming it;
`lookalike_orphans` reports those that follow no bracket. It is the base of the scan over
a whole text (`cicatext.notation.scanner`), and node making
(`cicatext.notation.nodes`) uses it for what follows a `]` beyond the usual
run.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from heapq import heappush, heapreplace
from operator import methodcaller

from cicatext.errors import MAX_PROBLEMS, Problem, excerpt_of, more_problems
from cicatext.notation.lookalikes import Lookalike, lookalike, shown, suspect_groups
from cicatext.notation.tree import Attribution, Position, Stance

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
NORMAL = r"[^\S\n]*(?:\n[^\S\n]*)?\((?:[+-][A-Z][A-Z0-9]*|[A-Z][A-Z0-9]* tcb)\)"
# After every `]`: trailer, the run (maybe empty), and whether a round bracket
# follows, to be looked at closely.
AFTER = re.compile(r"([.,;:!?]*)((?:" + NORMAL + r")*)(?=([^\S\n]*(?:\n[^\S\n]*)?\())?")
RUN_PART = re.compile(r"([^\S\n]*(?:\n[^\S\n]*)?)\((?:([+-])([A-Z][A-Z0-9]*)|([A-Z][A-Z0-9]*) tcb)\)")
# Attribution-like text anywhere: reported when it follows no bracket (LIKE: what stands within its round
# brackets).
LIKE = r"(?:[+-] ?[A-Z][A-Z0-9]*|[A-Z][A-Z0-9]* tcb)"
ATTRIBUTION_LIKE = re.compile(r"\(" + LIKE + r"\)")
_BARE_CODE = re.compile(r"\s*([A-Z][A-Z0-9]*)\s*")
_NO_CODE = re.compile(r"\s*[+-]?\s*|\s*(?i:tcb)\s*")
# Another house's way of saying who wants a bracket, as the text after `(`: a signed party of any spelling
# (`+G-77`, `+EU, +US`, `+U.S.`), a party's note (`US: retain`, `Norway: delete`), a list of parties
# (`EU, US, JPN`), or a party and tcb in another case or with more words.
_PARTY = r"[A-Z][A-Za-z0-9]*(?:[.\-/ ][A-Za-z0-9]+)*\.?"
_LOOKS_ATTRIBUTED = re.compile(
    rf"\s*(?:[+-]\s*{_PARTY}"
    rf"|{_PARTY}\s*:\s*(?i:retain|delete|support|supports|oppose|opposes|object|objects|reserve|reserves|"
    rf"tcb|bracket|insert|add|replace|keep|no)\b"
    rf"|[A-Z][A-Z0-9.\-/]*(?:\s*,\s*[A-Z][A-Z0-9.\-/]*)+\s*$"
    rf"|{_PARTY}\s+(?i:tcb)\b)"
)
_LINE_BREAK = re.compile(r"\n")
_END = methodcaller("end")

STANCE = {"+": Stance.PROPOSE, "-": Stance.OBJECT}
_NOTATION = "notation"


class Source:
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


class AttributionReader:
    """The attributions after a `]`, in any spelling, read for one text, and the problems its reading records."""

    def __init__(self, source: Source, known: frozenset[str] | None, file: str | None, silent: bool = False,
                 limit: int = MAX_PROBLEMS) -> None:
        self.source = source
        self.text = source.text
        self.known = known
        self.file = file
        self.silent = silent
        self.limit = limit
        """How many problems are kept: those first in the text; the rest are counted (`more`)."""
        # The problems kept, as a heap whose top is the one last in the text: (-offset, -order, message, hint,
        # severity, code). A Problem (and its line) is made only for those kept, at the end (`problems`).
        self.found: list[tuple[int, int, str, str, str, str]] = []
        self.more = 0
        self.more_errors = 0
        self.lookalikes: set[int] = set()  # where groups written with look-alike characters were reported
        self.quiet: list[tuple[int, int]] = []
        self.taken = 0  # attributions taken by brackets that ATTRIBUTION_LIKE finds too

    def problem(self, offset: int, message: str, hint: str, severity: str = "error", code: str = _NOTATION) -> None:
        """Record a problem at a character offset of the input; past `limit` problems, only the first in the
        text are kept and the rest counted."""
        if self.silent:
            return
        found = self.found
        if len(found) < self.limit:
            heappush(found, (-offset, -len(found) - self.more, message, hint, severity, code))
            return
        self.more += 1
        if found and offset < -found[0][0]:
            severity = heapreplace(found, (-offset, -len(found) - self.more, message, hint, severity, code))[4]
        if severity == "error":
            self.more_errors += 1

    def count_more(self, count: int, severity: str = "error") -> None:
        """Count `count` problems that come after every problem kept, without recording them."""
        self.more += count
        if severity == "error":
            self.more_errors += count

    def forget_problems(self) -> None:
        """Forget every problem recorded, to read the text again."""
        self.found.clear()
        self.more = self.more_errors = 0

    def problems(self) -> tuple[Problem, ...]:
        """The problems kept, in the order of the text, each located at its line; then one standing for the rest."""
        if not self.found and not self.more:
            return ()  # the lines are not looked for: a text without problems may never need them
        starts = self.source.starts
        text = self.text
        made = []
        for negated, _, message, hint, severity, code in sorted(self.found, reverse=True):
            offset = -negated
            line = bisect_right(starts, offset)
            begin = starts[line - 1]
            end = starts[line] - 1 if line < len(starts) else len(text)
            if end > begin and text[end - 1] == "\r":
                end -= 1
            source, source_column = excerpt_of(text, begin, end, offset)
            made.append(Problem(message=message, file=self.file, line=line, column=offset - begin + 1, hint=hint,
                                source_line=source, severity=severity, code=code, source_column=source_column))
        if self.more:
            made.append(more_problems(self.more, self.more_errors, self.file, self.limit))
        return tuple(made)

    def attributions_after(self, closed: int, run_end: int | None) -> tuple[list[Attribution], str, int]:
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
            opens = found.end(2)
            closes = found.end()
            if other is not None:
                seen = None if other.isascii() else lookalike(text[opens:closes])
                if seen is None:
                    self._not_attribution(found, other)
                    break
                # Written with look-alike characters: read as what it looks like, and refused.
                self._lookalike(opens, closes, seen)
                if first and not attributions:
                    trailer = found.group(1)
                stance = Stance.RESERVE if seen.sign is None else STANCE[seen.sign]
                attributions.append(Attribution(seen.code, stance, text[opens:closes], lead,
                                                self.source.position(opens, closes)))
                last = closes
                found = _NEXT_ATTRIBUTION.match(text, closes)
                continue
            if sign is not None:
                stance = STANCE[sign]
                normal = closes - opens == len(code) + 3 and code.isupper()
            else:
                code = reserver
                stance = Stance.RESERVE
                normal = closes - opens == len(code) + 6 and tcb == "tcb" and code.isupper()
            if not normal and not self._loose(found, code, sign):
                break
            if normal or ATTRIBUTION_LIKE.fullmatch(text, opens, closes):
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
        """A round-bracketed group after a bracket that is no attribution: malformed, or text (with a warning
        when it looks like an attribution in another house's spelling)."""
        opens = found.end(2)
        if _BARE_CODE.fullmatch(inner) is not None:
            code = inner.strip()
            if self.known is not None and code not in self.known:
                return  # an abbreviation such as (NDMC): it names no registered party, so it is text
            if self.known is None:
                self.problem(
                    opens,
                    f"'({inner})' after a bracket is read as text, not as an attribution",
                    f"if {code} is a delegation, write (+{code}), (-{code}) or ({code} tcb)",
                    severity="warning",
                )
                return
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
            if _LOOKS_ATTRIBUTED.match(inner):
                self.problem(
                    opens,
                    f"'({inner})' after a bracket looks like an attribution but is not read as one: it stays text",
                    "write one group per delegation with a registered code: (+CODE), (-CODE) or (CODE tcb); a text "
                    "written in another house's style reads with --style party-note (or party-inside, party-prefix)",
                    severity="warning",
                )
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

    def lookalike_orphans(self) -> None:
        """Report the groups written with look-alike characters that no bracket took (call on a non-ASCII text)."""
        for found in suspect_groups(self.text):
            if found.start() in self.lookalikes or found.group().isascii():
                continue
            seen = lookalike(found.group())
            if seen is not None:
                self._lookalike(found.start(), found.end(), seen, orphan=True)

    def _lookalike(self, opens: int, closes: int, seen: Lookalike, *, orphan: bool = False) -> None:
        """Report a group written with look-alike characters as the attribution it looks like, refused."""
        self.lookalikes.add(opens)
        written = shown(self.text[opens:closes])
        odd = ", ".join(seen.odd[:2]) + (", ..." if len(seen.odd) > 2 else "")
        where = ", which follows no bracket" if orphan else ""
        if self.known is None or seen.code in self.known:
            named = f"it looks like {seen.reads_as()}{where}"
        else:
            from cicatext.notation.codes import suggest

            nearest = suggest(seen.code, self.known)
            named = (f"it looks like {seen.reads_as()}{where}, and '{seen.code}' is no known delegation code"
                     + (f" (did you mean '{nearest}'?)" if nearest else ""))
        self.problem(
            opens,
            f"attribution '{written}' is written with look-alike characters ({odd}): {named}",
            f"write {seen.reads_as()} in plain Latin capitals if it is one; otherwise reword it so that it does "
            "not look like an attribution",
        )

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
