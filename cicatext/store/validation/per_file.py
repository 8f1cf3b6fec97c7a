"""The checks of `validate` that depend on one file alone, on several processes when many files need them.

A record is loaded and checked against its kind's schema, a text is read for
its notation problems: each depends on the file and the repository's
settings alone, so the files not in the per-file cache can be shared out. A
cold run over thousands of files (a fresh clone) starts one process per core
(`fork`, so each has the repository as it is, read once) and gives each a
share of the files; the results come back in file order, the same as one
process gives (tested). A run with few files to check, or a caller that asks
for one process (the TUI, whose threads `fork` would copy), checks them here.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING, Any

from cicatext.errors import CicatextError, Problem
from cicatext.store.layout import (
    DOCUMENT_TEXT_FORM,
    RECORD_PLACES,
    is_document_text,
    is_known_place,
)

if TYPE_CHECKING:
    from cicatext.store.repository import Repository
    from cicatext.store.validation.validate import ValidationCache

PARALLEL_FROM = 400
"""Files to check from which the work is shared out among processes (fewer are checked sooner in one)."""

_REPOSITORY: Repository | None = None
"""The repository the processes sharing the work check (inherited when they start)."""


def workers_for_command() -> int:
    """How many processes a `validate` command may use: the cores this process may run on, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def file_checks(repo: Repository, files: list[str], cache: ValidationCache | None, *, workers: int = 1,
                parallel_from: int | None = None) -> tuple[dict[str, list[Problem]], dict[str, tuple[str, dict]]]:
    """The problems of each file that has any, in file order, and the records that loaded (file → kind, record)."""
    from cicatext.store.validation.validate import _kind_of

    kinds = {file: _kind_of(file) for file in files}
    results: dict[str, tuple[Any, list[Problem]]] = {}
    todo: list[tuple[str, str | None]] = []
    for file in files:
        kind = kinds[file]
        if kind is None and not is_document_text(file):
            continue
        hit = cache.get(file) if cache else None
        if hit is None:
            todo.append((file, kind))
        else:
            results[file] = hit
    least = PARALLEL_FROM if parallel_from is None else parallel_from
    checked = _shared_out(repo, todo, workers) if workers > 1 and len(todo) >= least else None
    if checked is None:
        checked = [check_one(repo, file, kind) for file, kind in todo]
    for (file, _), result in zip(todo, checked):
        results[file] = result
        if cache:
            record, found = result
            cache.put(file, record if isinstance(record, dict) else None, found)
    problems: dict[str, list[Problem]] = {}
    records: dict[str, tuple[str, dict]] = {}
    for file in files:
        if file not in results:
            if kinds[file] is None and not is_document_text(file) and not is_known_place(file):
                places = ", ".join(p for p, _ in RECORD_PLACES)
                problems[file] = [Problem(f"{file} is in no place cicatext knows", file=file,
                                          hint=f"move it to one of: {places}; or {DOCUMENT_TEXT_FORM}", code="place")]
            continue
        record, found = results[file]
        if found:
            problems[file] = list(found)
        if kinds[file] is not None and isinstance(record, dict):
            records[file] = (kinds[file], record)
    return problems, records


def check_one(repo: Repository, file: str, kind: str | None) -> tuple[Any, list[Problem]]:
    """One file's record (None for a text, or one that does not load) and problems."""
    from cicatext.notation.reader import check
    from cicatext.store.validation.validate import check_record

    try:
        text = repo.read_text(file)
    except CicatextError as error:
        return None, [error.problem]
    if kind is None:
        limits = repo.limits
        return None, list(check(text, codes=repo.codes, file=file, max_problems=limits.problems_per_file,
                                max_depth=limits.bracket_depth))
    try:
        return check_record(kind, file, text, repo.limits)
    except CicatextError as error:
        return None, [error.problem]


def _shared_out(repo: Repository, todo: list[tuple[str, str | None]], workers: int) -> list | None:
    """The results of `check_one` for `todo`, from `workers` processes; None where processes cannot be started."""
    global _REPOSITORY
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return None
    repo.codes, repo.limits  # noqa: B018 - read once here, so that each process inherits them
    _REPOSITORY = repo
    try:
        with context.Pool(workers) as pool:
            # Chunks of a few dozen files: few messages, and the shares stay even however the files' sizes vary.
            return pool.map(_check_in_worker, todo, chunksize=max(1, min(64, len(todo) // (workers * 8))))
    except OSError:
        return None
    finally:
        _REPOSITORY = None


def _check_in_worker(item: tuple[str, str | None]) -> tuple[Any, list[Problem]]:
    file, kind = item
    assert _REPOSITORY is not None
    return check_one(_REPOSITORY, file, kind)
