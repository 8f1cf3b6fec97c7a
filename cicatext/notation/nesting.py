"""How deep brackets may nest: the limit the reader holds a text to, and the problem it reports past it.

Real drafts nest brackets fewer than five deep. A text nested far deeper is
damaged or made by a program, and would make every view that shows a
bracket's whole text (its listing, its id from its words) as slow as the
depth times the text. The reader reads such a text all the same (its tree
renders back to it exactly, and every walk over the tree keeps an explicit
stack rather than recursing), and reports one located error for each nest
that goes past the limit, at its first bracket past it; commands that would
list or store the text refuse it.
"""

from __future__ import annotations

from collections.abc import Iterable

from cicatext.errors import Problem

MAX_DEPTH = 100
"""How deep brackets may nest before the reader reports an error (the outermost bracket is depth 1)."""

NESTING = "nesting"
"""The `code` of the problem the reader reports at the first bracket of a nest that goes deeper than the limit."""

# How many characters of the line before and after the bracket the problem shows; a longer prefix is not shown.
_SHOWN_BEFORE = 200
_SHOWN_AFTER = 40


def too_deep(problems: Iterable[Problem]) -> Problem | None:
    """The first problem of brackets nested deeper than the limit among `problems`, or None."""
    return next((problem for problem in problems if problem.code == NESTING), None)


def nesting_problem(text: str, offset: int, line: int, begin: int, deepest: int, limit: int,
                    file: str | None) -> Problem:
    """The error at the `[` at `offset` (on `line`, which starts at `begin`) that goes past `limit`,
    naming `deepest`, how deep its nest goes."""
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    column = offset - begin + 1
    # A line nested thousands deep is one long run of brackets: show its start, never the whole of it.
    shown = text[begin:min(end, offset + _SHOWN_AFTER)].rstrip("\r") if column <= _SHOWN_BEFORE else None
    return Problem(
        message=f"brackets nested {deepest} deep: the limit is {limit}",
        file=file,
        line=line,
        column=column,
        hint=f"this '[' opens a bracket {limit + 1} deep; real drafts nest fewer than 5 deep: close the "
             "brackets left open before it, or check that the file is the text meant",
        source_line=shown,
        code=NESTING,
    )
