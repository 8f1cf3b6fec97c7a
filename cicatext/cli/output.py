"""What the command line prints: JSON for scripts, located problems for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from cicatext.errors import Problem


def emit_json(value) -> None:
    """Print a value as indented JSON on stdout (UTF-8, not ASCII-escaped)."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_problems(problems: Iterable[Problem], stream=None) -> int:
    """Print each problem in `FILE:LINE:COL: message` form; return how many were errors."""
    stream = stream or sys.stderr
    errors = 0
    for problem in problems:
        print(problem.format(), file=stream)
        if problem.severity == "error":
            errors += 1
    return errors


def warn_awaiting(awaiting: dict[str, tuple[str, ...]], symbol: str) -> None:
    """Warn of the paragraphs of other languages left awaiting translation."""
    for language, ids in awaiting.items():
        print(f"warning: awaiting translation in {language}: {', '.join(ids)} (marked in the document's record; "
              f"translate them, then `cicatext translated {symbol} --lang {language} {' '.join(ids)}`)",
              file=sys.stderr)
