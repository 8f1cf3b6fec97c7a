"""What the command line prints: JSON for scripts, located problems for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from cicatext.errors import Problem


def require_terminal(hint: str) -> None:
    """Refuse to start the terminal UI without a terminal to draw on and read keys from (it would wait unseen)."""
    from cicatext.errors import UsageError

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the terminal UI needs a terminal (its input and output are not one)", hint=hint)


def emit_json(value) -> None:
    """Print a value as indented JSON on stdout (UTF-8, not ASCII-escaped)."""
    sys.stdout.write(json_text(value) + "\n")


def json_text(value) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, character for character, made in a fraction of the time
    for plain data (dicts with text keys, lists, text, numbers, booleans, None): json indents in a generator per
    value, and this joins the pieces once, each run of text values written at once."""
    from json.encoder import encode_basestring

    parts: list[str] = []
    add = parts.append

    def scalar(item) -> str | None:
        # In json's order: a bool is an int, and a str subclass is written as text.
        if isinstance(item, str):
            return encode_basestring(item)
        if item is None:
            return "null"
        if item is True:
            return "true"
        if item is False:
            return "false"
        if isinstance(item, int):
            return int.__repr__(item)
        return None

    def emit(item, indent: str) -> None:
        written = scalar(item)
        if written is not None:
            add(written)
            return
        keyed = isinstance(item, dict)
        if not (keyed or isinstance(item, (list, tuple))) or keyed and not all(type(key) is str for key in item):
            raise _NotPlain
        ends = "{}" if keyed else "[]"
        if not item:
            add(ends)
            return
        inner = indent + "  "
        between = ",\n" + inner
        add(ends[0] + "\n" + inner)
        first = True
        for key, one in item.items() if keyed else zip(item, item):
            if first:
                first = False
            else:
                add(between)
            if keyed:
                add(encode_basestring(key) + ": ")
            kind = type(one)
            if kind is str:
                add(encode_basestring(one))
            elif kind is bool:
                add("true" if one else "false")
            elif kind is int:
                add(int.__repr__(one))
            else:
                emit(one, inner)
        add("\n" + indent + ends[1])

    try:
        emit(value, "")
    except _NotPlain:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(parts)


class _NotPlain(Exception):
    """A value `json_text` leaves to json (a float, a key that is not text, an object of another kind)."""


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


def report_conversion(converted, warnings, file: str, style: str | None) -> None:
    """What a text received in another attribution style became: one line each on standard output, and the
    attributions left as written as warnings on standard error."""
    if converted:
        named = f" from the {style} style" if style else ""
        print(f"Converted {len(converted)} attribution{'s' if len(converted) != 1 else ''}{named}:")
        for item in converted:
            where = f"{file}:{item.line}:{item.column}" if item.line else file
            print(f"  {where}: {item.written} → {item.now}")
    print_problems(warnings)


def output_target(output: str, repo):
    """The file to write; a warning when it lies inside the repository, where it is no record and `validate`
    reports it (unless git ignores it)."""
    from pathlib import Path

    from cicatext.errors import UsageError

    target = Path(output)
    if target.is_dir():
        raise UsageError(f"{output} is a folder", hint="give the name of the file to write")
    if not target.parent.exists():
        raise UsageError(f"the folder {target.parent} does not exist", hint="create it first, or write elsewhere")
    inside = target.resolve().parent.is_relative_to(repo.root.resolve())
    if inside and repo.run_git("check-ignore", "-q", str(target.resolve()), check=False).returncode != 0:
        print(f"warning: {output} is inside the repository, where it is no record: `cicatext validate` will "
              "report it until it is moved or deleted; write exports outside the repository (e.g. -o ../FILE)",
              file=sys.stderr)
    return target
