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

def too_deep(problems: Iterable[Problem]) -> Problem | None:
    """The first problem of brackets nested deeper than the limit among `problems`, or None."""
    return next((problem for problem in problems if problem.code == NESTING), None)


def nesting_message(deepest: int, limit: int) -> tuple[str, str]:
    """The message and hint of the error at the `[` that goes past `limit`, naming `deepest`, how deep its nest
    goes (the reader locates it, and shows a window of its line: such a line can be one long run of brackets)."""
    return (f"brackets nested {deepest} deep: the limit is {limit}",
            (f"this '[' opens a bracket {limit + 1} deep; real drafts nest fewer than 5 deep: close the "
             "brackets left open before it, or check that the file is the text meant"))
