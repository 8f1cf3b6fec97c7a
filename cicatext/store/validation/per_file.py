"""The checks of `validate` that depend on one file alone, on several processes when many files need them.

A record is loaded and checked against its kind's schema, a text is read for
its notation problems: each depends on the file and the repository's
settings alone, so each result is kept by the file's blob id
(`ValidationCache`, `.cicatext/validate.marshal`), and the files not in that
cache can be shared out. A
cold run over thousands of files (a fresh clone) starts one process per core
(`fork`, so each has the repository as it is, read once) and gives each a
share of the files; the results come back in file order, the same as one
process gives (tested). A run with few files to check, or a caller that asks
for one process (the TUI, whose threads `fork` would copy), checks them here.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cicatext.errors import CicatextError, Problem, cap_problems, line_at
from cicatext.store import schemas, yamlio
from cicatext.store.files import read_marshal, write_marshal_quietly
from cicatext.store.layout import (
    CACHE_DIR,
    DOCUMENT_TEXT_FORM,
    RECORD_PLACES,
    SETTINGS_FILE,
    STATES_DIR,
    VALIDATION_CACHE,
    is_document_text,
    is_known_place,
)
from cicatext.store.limits import DEFAULT, Limits
from cicatext.store.validation.listing import code_digest
from cicatext.store.validation.stored import as_stored, problems_from

if TYPE_CHECKING:
    from cicatext.store.repository import Repository

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


class ValidationCache:
    """Per-file results by git blob id, for the checks that depend on one file alone."""

    VERSION = 1

    def __init__(self, path: Path, context: str, blobs: dict[str, str], entries: dict) -> None:
        self.path = path
        self.context = context
        self.blobs = blobs
        self.entries = entries
        self.fresh: dict = {}
        self.changed = False

    @classmethod
    def open(cls, repo: Repository, blobs: dict[str, str], context: str) -> ValidationCache:
        """The cache of this repository, keyed for the files as they are now (`Listing.ids`)."""
        path = repo.root / CACHE_DIR / VALIDATION_CACHE
        stored = read_marshal(path)
        entries: dict = {}
        if isinstance(stored, dict) and stored.get("version") == cls.VERSION and stored.get("context") == context:
            found = stored.get("files")
            entries = found if isinstance(found, dict) else {}
        return cls(path, context, blobs, entries)

    def get(self, file: str) -> tuple[dict | None, list[Problem]] | None:
        """The cached record and problems of a file, if its blob is unchanged."""
        blob = self.blobs.get(file)
        entry = self.entries.get(file)
        problems = problems_from(entry[2]) if isinstance(entry, list) and len(entry) == 3 and entry[0] == blob \
            and blob is not None else None
        if problems is None:
            self.changed = True
            return None
        self.fresh[file] = entry
        return entry[1], problems

    def put(self, file: str, record: dict | None, problems: list[Problem]) -> None:
        """Remember a file's result under its current blob id."""
        blob = self.blobs.get(file)
        if blob is not None:
            self.fresh[file] = [blob, record, as_stored(problems)]
            self.changed = True

    def save(self) -> None:
        """Write the cache (only the files that still exist) if anything changed; never fails the run."""
        if not self.changed and len(self.fresh) == len(self.entries):
            return
        write_marshal_quietly(self.path, {"version": self.VERSION, "context": self.context, "files": self.fresh})


def _context_key(blobs: dict[str, str]) -> str:
    """What per-file results depend on beyond the file: cicatext, its schemas, and the codes.

    cicatext stands as its version and the size and time of each of its
    modules (`listing.code_digest`), so results made by other code are not
    taken. The codes come from the settings (the Secretariat's code) and the
    member states' records: their blob ids stand for them, so the key is
    known without reading the registry.
    """
    digest = hashlib.sha1(code_digest().encode())
    for name, blob in blobs.items():  # in order already
        if name == SETTINGS_FILE or name.startswith(f"{STATES_DIR}/"):
            digest.update(f"{name}\0{blob}\n".encode())
    return digest.hexdigest()


def _place_matcher():
    """`layout.kind_of` as one regular expression: `*` matches within one folder, the first place wins."""
    import re

    alternatives = []
    for number, (pattern, _) in enumerate(RECORD_PLACES):
        body = "[^/]*".join(re.escape(part) for part in pattern.split("*"))
        alternatives.append(f"(?P<k{number}>{body})")
    matcher = re.compile("|".join(alternatives))
    kinds = {f"k{number}": kind for number, (_, kind) in enumerate(RECORD_PLACES)}

    def kind(path: str) -> str | None:
        found = matcher.fullmatch(path)
        return kinds[found.lastgroup] if found else None

    return kind


_kind_of = _place_matcher()


def _schema_problem(error: Any, file: str, text: str) -> Problem:
    path = tuple(error.absolute_path)
    where = yamlio.locate(text, path) or (1, 1)
    field = "/".join(str(p) for p in path) or "(the record)"
    validator = error.validator
    if validator == "additionalProperties":
        message = f"{field}: {error.message}"
        hint = "remove the field or fix its spelling; docs/records.md lists the fields"
    elif validator == "required":
        message = f"{field}: {error.message}"
        hint = "add the missing field"
    elif validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        message = f"{field}: {error.instance!r} is not one of the allowed values"
        hint = f"use one of: {allowed}"
    elif validator == "pattern" or validator == "format":
        message = f"{field}: {error.instance!r} does not have the expected form"
        expected = str(error.validator_value)
        if "date" in expected or r"\d{4}" in expected:
            hint = "write dates as YYYY-MM-DD, e.g. 2023-06-14"
        elif "A-Z" in expected:
            hint = "write codes in capitals, e.g. IRAN, CHN, SOC"
        else:
            hint = f"the expected form is {expected}"
    elif validator == "false" or error.message.startswith("False schema"):
        message = f"{field}: this field is not allowed here"
        hint = "docs/records.md says which fields each kind and action takes"
    else:
        message = f"{field}: {error.message}"
        hint = None
    return Problem(message, file=file, line=where[0], column=where[1], hint=hint, source_line=line_at(text, where[0]),
                   code="schema")


def check_record(kind: str, file: str, text: str, bounds: Limits = DEFAULT) -> tuple[Any, list[Problem]]:
    """Load one YAML record and check it against its kind's schema (the errors past the limit counted, not located)."""
    try:
        record = yamlio.load_record(text, file=file, bounds=bounds)
    except CicatextError as error:
        return None, [error.problem]
    if record is None:
        return None, [Problem("the file is empty", file=file, line=1, column=1,
                              hint=f"write a {kind} record (see docs/records.md) or delete the file", code="schema")]
    try:
        found = schemas.errors(kind, record)
    except KeyError:
        return record, []
    limit = bounds.problems_per_file
    return record, cap_problems([_schema_problem(e, file, text) for e in found[:limit]], limit, file, more=len(found) - limit)
