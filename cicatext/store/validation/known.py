"""Known problems: the notation problems a text had as it was circulated, recorded with its revision.

A circulated text is the official text whatever its notation: `import` takes
it with its problems and records each in the revision's entry of
`document.yaml` (`known_problems`: language, line, column, message and the
text around the place). `validate` reports a problem of that text as a
warning while it is one of those: the same message with the same text
around it (the line may have moved). A problem that is not among them is an
error as ever, and one the text no longer has is simply gone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace

from cicatext.errors import MAX_PROBLEMS, Problem
from cicatext.notation.nesting import MAX_DEPTH
from cicatext.store.layout import (
    document_record_path,
    document_slug,
    is_document_text,
    text_language,
)

_AROUND = 24
"""How many characters either side of a problem's column stand for its place."""


def excerpt(problem: Problem) -> str:
    """The text around a problem's place, as its line shows it."""
    line = problem.source_line or ""
    column = (problem.column or 1) - problem.source_column  # where the column falls in a shortened line
    return line[max(0, column - _AROUND) : column + _AROUND]


def record_problems(text: str, codes: Iterable[str], file: str, language: str,
                    limit: int = MAX_PROBLEMS, depth: int = MAX_DEPTH) -> tuple[list[dict], tuple[Problem, ...]]:
    """The errors of a text's notation (the first `limit`), as `known_problems` entries and as problems located in
    `file`."""
    from cicatext.notation.reader import check

    errors = tuple(p for p in check(text, codes=codes, file=file, max_problems=limit, max_depth=depth) if p.severity == "error")
    # The problem counting those past the limit has no place to record: only the listed ones become known.
    entries = [{"language": language, "line": p.line, "column": p.column, "message": p.message,
                "excerpt": excerpt(p)} for p in errors if p.line is not None]
    return entries, errors


def _known_of(record: Mapping) -> dict[str, Counter]:
    """Per language, the (message, excerpt) of every known problem of every revision."""
    known: dict[str, Counter] = {}
    for revision in record.get("revisions") or []:
        if not isinstance(revision, Mapping):
            continue
        for entry in revision.get("known_problems") or []:
            if isinstance(entry, Mapping) and isinstance(entry.get("language"), str):
                known.setdefault(entry["language"], Counter())[(entry.get("message"), entry.get("excerpt"))] += 1
    return known


def _symbol_of(record: Mapping) -> str:
    revisions = [r for r in record.get("revisions") or [] if isinstance(r, Mapping) and r.get("known_problems")]
    return str(revisions[-1].get("symbol") if revisions else record.get("symbol"))


def downgrade(problems: list[Problem], records: Mapping[str, tuple[str, dict]]) -> list[Problem]:
    """`problems` with the known problems of each document text made warnings; the rest unchanged.

    `records` maps each record file to its kind and record, as `validate` loaded them.
    """
    remaining: dict[str, Counter] = {}
    symbols: dict[str, str] = {}
    result: list[Problem] = []
    for problem in problems:
        file = problem.file
        if problem.severity != "error" or not file or not is_document_text(file):
            result.append(problem)
            continue
        if file not in remaining:
            found = records.get(document_record_path(document_slug(file)))
            record = found[1] if found and found[0] == "document" else {}
            remaining[file] = _known_of(record).get(text_language(file), Counter())
            symbols[file] = _symbol_of(record) if record else ""
        key = (problem.message, excerpt(problem))
        if remaining[file][key] > 0:
            remaining[file][key] -= 1
            problem = replace(
                problem,
                severity="warning",
                message=f"{problem.message} (a known problem of {symbols[file]} as circulated)",
                hint=(f"{problem.hint}; " if problem.hint else "")
                + "the text was circulated so and imported with it: a corrected revision removes it",
            )
        result.append(problem)
    return result


def unknown_errors(problems: Iterable[Problem], record: Mapping, language: str) -> list[Problem]:
    """The errors among a document text's `problems` that are not known problems of the document `record`."""
    remaining = _known_of(record).get(language, Counter())
    left: list[Problem] = []
    for problem in problems:
        if problem.severity != "error":
            continue
        key = (problem.message, excerpt(problem))
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            left.append(problem)
    return left
