"""Reading bracketed text into a `Draft`: the lenient `read` and the strict `parse`.

`read` never raises: it returns the best tree it can build and the problems
it found, each located by 1-based line and column. Whatever the input, the
tree renders back to it character for character. `parse` is the same reading
that raises `NotationError` when any problem is an error.

Reading is two steps. One pass over the whole text
(`cicatext.notation.scanner`) finds the paragraphs and every problem without
making nodes: it scans only `[`, `]` and paragraph breaks with one regular
expression, matches brackets on a stack of offsets, and attributions
(`cicatext.notation.attributions`) with one anchored match right after each
`]`. Then each paragraph's nodes are made by the same kind of scan over the
paragraph (`cicatext.notation.nodes`). In a large text (from `LAZY_FROM`
characters) a paragraph makes its nodes when its `content` is first used
(`make_nodes` makes them all at once), so a reading that only wants the
problems, or a few paragraphs, never pays for the rest. Text that looks like
an attribution where no bracket took it is found by one more scan of the
whole text.

A large text whose brackets all balance, paragraph by paragraph, and whose
attributions all name known codes needs no loop over its brackets at all:
the quick reading (`cicatext.notation.quick`) checks that with a few scans
of the whole text in C (the brackets alone, reduced pair by pair; the runs
of attributions after `]`; the rare round bracket after `]` that needs a
close look), and the paragraphs are then made from the paragraph breaks
alone, found by one scan and turned into paragraphs by steps over all of
them at once rather than a loop; each paragraph also finds its line (its
`pos`) on first use. When the id markers alone tell that every paragraph
will be made so, without a problem, even that waits: the draft makes its
paragraphs when they are first asked for, so that a reading for the
problems alone never makes them. Anything else is read by the full loop,
which finds and places every problem. `check` is this reading whatever the
text's size, for the problems alone.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from cicatext.collector import paused
from cicatext.errors import MAX_PROBLEMS, NotationError, Problem, place_of
from cicatext.notation.attributions import Source
from cicatext.notation.nesting import MAX_DEPTH
from cicatext.notation.quick import brackets_span_lines
from cicatext.notation.scanner import BREAK, LEADING_SPACE, Scanner
from cicatext.notation.tree import Draft

LAZY_FROM = 1 << 16
"""From this many characters, paragraphs make their nodes on first use."""

_PAUSE_FROM = 1 << 16


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


def read(text: str, *, codes: Collection[str] | None = None, file: str | None = None,
         max_depth: int = MAX_DEPTH, max_problems: int = MAX_PROBLEMS) -> Reading:
    """Read bracketed text leniently: never raises; returns the tree and the problems found.

    With `codes`, an attribution naming a code outside them is an error that
    suggests the nearest known code. Brackets nested deeper than `max_depth`
    are one error, at the first bracket past it (`cicatext.notation.nesting`).
    Past `max_problems`, the problems first in the text are listed and one
    more counts the rest.
    """
    known = frozenset(codes) if codes is not None else None
    # The reader makes many small objects that all live on: pausing the
    # collector meanwhile saves much of the time of a large read.
    scanner = Scanner(Source(text), known, file, max_depth, max_problems)
    with paused(len(text) >= _PAUSE_FROM):
        draft, problems = scanner.run(lazy=len(text) >= LAZY_FROM)
    return Reading(draft, _with_nul_problems(problems, text, file, scanner.nul))


def check(text: str, *, codes: Collection[str] | None = None, file: str | None = None,
          max_depth: int = MAX_DEPTH, max_problems: int = MAX_PROBLEMS) -> tuple[Problem, ...]:
    """The problems `read` finds in a text, found without making its nodes (whatever the text's size)."""
    known = frozenset(codes) if codes is not None else None
    scanner = Scanner(Source(text), known, file, max_depth, max_problems)
    return _with_nul_problems(scanner.run(lazy=True)[1], text, file, scanner.nul)


_NUL_SHOWN = 10
"""How many NUL characters a reading reports one by one; the rest are counted."""


def nul_problems(text: str, file: str | None) -> list[Problem]:
    """An error for each NUL character (U+0000) of a text, the first few located, the rest counted: no text holds one."""
    if "\x00" not in text:
        return []
    found: list[Problem] = []
    at = text.find("\x00")
    total = text.count("\x00")
    while at >= 0 and len(found) < _NUL_SHOWN:
        more = f" (and {total - _NUL_SHOWN} more)" if len(found) == _NUL_SHOWN - 1 and total > _NUL_SHOWN else ""
        line, column, shown, shown_from = place_of(text, at)
        found.append(Problem(f"a NUL character (U+0000) is no text{more}", file=file, line=line, column=column,
                             hint="the file is binary or damaged: remove it, or save the text again as UTF-8 plain "
                             "text", source_line=shown.replace("\x00", "\\0"), source_column=shown_from,
                             code="notation"))
        at = text.find("\x00", at + 1)
    return found


def _with_nul_problems(problems, text: str, file: str | None, holds: bool | None) -> tuple[Problem, ...]:
    """The problems with those of the text's NUL characters added (`holds`: whether it holds one, if known)."""
    nul = nul_problems(text, file) if holds is not False else []
    if not nul:
        return tuple(problems)
    # The problem that counts those not listed (no line) stays last.
    return tuple(sorted((*problems, *nul), key=lambda p: (p.line is None, p.line or 0, p.column or 0)))


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
    start = LEADING_SPACE.match(text).end()
    if start == len(text):
        return 0, 0
    # Two line breaks added end the last paragraph like any other, as in the reader.
    breaks = BREAK.finditer(text + "\n\n", start)
    if brackets:
        spans = brackets_span_lines(text)
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


def parse(text: str, *, codes: Collection[str] | None = None, file: str | None = None,
          max_depth: int = MAX_DEPTH) -> Draft:
    """Read bracketed text strictly: raises `NotationError` when any problem is an error."""
    reading = read(text, codes=codes, file=file, max_depth=max_depth)
    for problem in reading.problems:
        if problem.severity == "error":
            raise NotationError(
                problem.message,
                file=problem.file,
                line=problem.line,
                column=problem.column,
                hint=problem.hint,
                source_line=problem.source_line,
                source_column=problem.source_column,
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
    with paused():
        for paragraph in waiting:
            paragraph.content  # noqa: B018 (made on first use)
    return draft
