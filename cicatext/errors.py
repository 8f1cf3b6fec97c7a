"""The one error family of cicatext: every problem a person can act on.

Each error carries where it happened (file, 1-based line and column), the
offending source line when known, and a hint saying what to do. The command
line prints `format()`; the TUI shows the same text. Nothing in cicatext lets
bad user input end in a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PROBLEMS = 1000
"""How many problems of one file are listed by default; the rest are counted in one more problem (`more_problems`)."""

SHOWN_AROUND = 60
"""How many characters either side of a problem's column a long source line keeps (`Problem.source_line`)."""

_LONG_LINE = 3 * SHOWN_AROUND
"""A source line longer than this is shown shortened around the problem's column."""

ELLIPSIS = "\u2026"


def excerpt_of(text: str, begin: int, end: int, offset: int | None) -> tuple[str, int]:
    """The line `text[begin:end]` as a problem shows it, and the column its first character stands at.

    A long line is cut around `offset` (the start when None) with `…` on the
    cut sides, so a problem on a line of megabytes keeps a few dozen
    characters of it, sliced without copying the line.
    """
    if end - begin <= _LONG_LINE:
        return text[begin:end], 1
    at = begin if offset is None else min(max(offset, begin), end)
    start = max(begin, at - SHOWN_AROUND)
    stop = min(end, at + SHOWN_AROUND)
    shown = text[start:stop]
    column = 1
    if start > begin:
        shown = ELLIPSIS + shown
        column = start - begin  # the ellipsis stands at the column before the first character kept
    if stop < end:
        shown += ELLIPSIS
    return shown, column


def place_of(text: str, offset: int) -> tuple[int, int, str, int]:
    """Where `offset` falls in `text`: its line and column (from 1), and its line as a problem shows it
    (`excerpt_of`) with the column that excerpt starts at."""
    begin = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    shown, shown_from = excerpt_of(text, begin, end if end >= 0 else len(text), offset)
    return text.count("\n", 0, offset) + 1, offset - begin + 1, shown, shown_from


@dataclass(frozen=True)
class Problem:
    """One located problem, as reported by validation or the lenient reader."""

    message: str
    """What is wrong, in one sentence."""
    file: str | None = None
    """The file, relative to the repository root where there is one."""
    line: int | None = None
    """1-based line, or None when the problem belongs to the whole file."""
    column: int | None = None
    """1-based column, or None."""
    hint: str | None = None
    """What to do about it."""
    source_line: str | None = None
    """The text of the offending line, for the caret display."""
    severity: str = "error"
    """`error` or `warning`."""
    code: str = "error"
    """A short machine-readable kind, such as `yaml`, `schema`, `notation`, `link`, `rule`."""
    source_column: int = 1
    """The column of the line that `source_line`'s first character stands at: above 1 when a long line is
    shown shortened around `column` (it then begins with `…`)."""

    def __post_init__(self) -> None:
        # A long line is kept shortened, whoever made the problem: problems are many and lines can be megabytes.
        line = self.source_line
        if line is not None and len(line) > _LONG_LINE and self.source_column == 1:
            offset = None if self.column is None else self.column - 1
            shown, column = excerpt_of(line, 0, len(line), offset)
            object.__setattr__(self, "source_line", shown)
            object.__setattr__(self, "source_column", column)

    def location(self) -> str:
        """`FILE:LINE:COL` with whatever parts are known."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def headline(self) -> str:
        """`FILE:LINE:COL: message` (warnings say so); `cicatext: message` when no file is concerned."""
        prefix = "warning: " if self.severity == "warning" else ""
        where = self.location() if self.file or self.line is not None else "cicatext"
        return f"{where}: {prefix}{self.message}"

    def format(self) -> str:
        """The headline, the source line with a caret under the column, and the hint."""
        lines = [self.headline()]
        if self.source_line is not None and self.column is not None:
            shown = self.source_line.rstrip("\n")
            lines.append(f"    {shown}")
            # Keep tabs so the caret lines up under tab-indented text.
            pad = "".join("\t" if ch == "\t" else " " for ch in shown[: self.column - self.source_column])
            lines.append(f"    {pad}^")
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        """The problem as a plain dict for `--json` output."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def line_at(text: str | None, number: int | None) -> str | None:
    """Line `number` (1-based) of `text`, without its line break; None when there is no such line.

    Found without splitting the whole text, so locating many problems in a large file costs no copy of it.
    """
    if not text or number is None or number < 1:
        return None
    start = 0
    for _ in range(number - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    end = text.find("\n", start)
    line = text[start : end if end >= 0 else len(text)]
    return line.removesuffix("\r")


def more_problems(more: int, errors: int, file: str | None, listed: int) -> Problem:
    """The one problem that stands for the `more` problems of a file left unlisted (`errors` of them errors)."""
    return Problem(f"{ELLIPSIS} and {more:,} more problems of this file not listed", file=file,
                   hint=f"only the first {listed:,} problems of a file are listed: mend those and check again",
                   severity="error" if errors else "warning", code="more")


def more_count(problem: Problem) -> int:
    """How many problems a problem made by `more_problems` stands for (0 for any other)."""
    found = re.search(r"([\d,]+) more problems", problem.message) if problem.code == "more" else None
    return int(found.group(1).replace(",", "")) if found else 0


def cap_problems(problems, limit: int, file: str | None, *, more: int = 0) -> list[Problem]:
    """At most `limit` of `problems` (any iterable, read to its end), and one more standing for the rest and for
    `more` errors left out beforehand.

    The problems past the limit are counted, not kept.
    """
    kept: list[Problem] = []
    more = errors = max(more, 0)
    for problem in problems:
        if len(kept) < limit:
            kept.append(problem)
        else:
            more += 1
            errors += problem.severity == "error"
    if more:
        kept.append(more_problems(more, errors, file, limit))
    return kept


class CicatextError(Exception):
    """A problem the user can act on; the CLI prints it and exits non-zero."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
        source_line: str | None = None,
        problems: tuple[Problem, ...] = (),
        source_column: int = 1,
    ) -> None:
        super().__init__(message)
        self.problem = Problem(
            message=message,
            file=file,
            line=line,
            column=column,
            hint=hint,
            source_line=source_line,
            code=self.kind,
            source_column=source_column,
        )
        self.problems = tuple(problems)

    kind = "error"

    @property
    def message(self) -> str:
        return self.problem.message

    @property
    def hint(self) -> str | None:
        return self.problem.hint

    def format(self) -> str:
        """The error, with every attached problem, as the CLI prints it."""
        if self.problems:
            return "\n".join(p.format() for p in self.problems)
        return self.problem.format()


class NotationError(CicatextError):
    """Bracketed text that does not parse: unbalanced brackets, bad attributions, unknown codes."""

    kind = "notation"


class RecordError(CicatextError):
    """A YAML record that does not load or does not match its schema."""

    kind = "record"


class RepositoryError(CicatextError):
    """The git repository is missing, in a half-finished state, or refuses an operation."""

    kind = "repository"


class RuleError(CicatextError):
    """An action the Modalities of Implementation forbid; the message names the paragraph."""

    kind = "rule"


class UsageError(CicatextError):
    """A command-line argument that cannot be used: a bad date, an unknown symbol."""

    kind = "usage"
    exit_code = 2
