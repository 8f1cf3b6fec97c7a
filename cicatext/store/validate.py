"""`cicatext validate`: every record against its schema, every text through the reader, and the links between them.

Problems are collected, never raised: one run reports everything, each as
`FILE:LINE:COL: message` with a hint.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cicatext.errors import CicatextError, Problem
from cicatext.records.symbols import is_note_number, is_symbol, parse_symbol
from cicatext.store import schemas, yamlio
from cicatext.store.languages import check_languages
from cicatext.store.layout import CACHE_DIR, RECORD_PLACES, is_known_place, kind_of
from cicatext.store.repository import Repository


def repository_files(root: Path) -> list[str]:
    """Repository-relative paths of the files to check: tracked and untracked but not ignored."""
    process = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
    )
    if process.returncode == 0:
        names = process.stdout.decode("utf-8", "surrogateescape").split("\0")
        return sorted({n for n in names if n and (root / n).is_file()})
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in (".git", CACHE_DIR)]
        for name in filenames:
            found.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    return sorted(found)


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
    lines = text.splitlines()
    source = lines[where[0] - 1] if 0 < where[0] <= len(lines) else None
    return Problem(message, file=file, line=where[0], column=where[1], hint=hint, source_line=source, code="schema")


def check_record(kind: str, file: str, text: str) -> tuple[Any, list[Problem]]:
    """Load one YAML record and check it against its kind's schema."""
    try:
        record = yamlio.load(text, file=file)
    except CicatextError as error:
        return None, [error.problem]
    if record is None:
        return None, [Problem("the file is empty", file=file, line=1, column=1,
                              hint=f"write a {kind} record (see docs/records.md) or delete the file", code="schema")]
    try:
        found = schemas.errors(kind, record)
    except KeyError:
        return record, []
    return record, [_schema_problem(error, file, text) for error in found]


def _text_problems(repo: Repository, file: str, codes: Iterable[str]) -> tuple[Any, list[Problem]]:
    from cicatext.notation.reader import read

    try:
        text = repo.read_text(file)
    except CicatextError as error:
        return None, [error.problem]
    reading = read(text, codes=codes, file=file)
    return reading.draft, list(reading.problems)


def _located(file: str, text: str | None, path: tuple, message: str, hint: str | None = None,
             severity: str = "error", code: str = "link") -> Problem:
    where = yamlio.locate(text, path) if text else None
    line, column = where if where else (None, None)
    source = None
    if text and line:
        lines = text.splitlines()
        source = lines[line - 1] if line <= len(lines) else None
    return Problem(message, file=file, line=line, column=column, hint=hint, source_line=source,
                   severity=severity, code=code)


def _check_document(repo: Repository, slug: str, file: str, text: str, record: dict,
                    meetings: set[str], files: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    symbol = record.get("symbol")
    note = isinstance(symbol, str) and is_note_number(symbol)
    if isinstance(symbol, str) and not note:
        if not is_symbol(symbol):
            problems.append(_located(file, text, ("symbol",), f"symbol {symbol!r} does not parse",
                                     "write BODY/YEAR/SERIES/NUMBER, e.g. MC/2023/DRAFT/3 (the revision goes in revisions)",
                                     code="symbol"))
        elif parse_symbol(symbol).revision:
            problems.append(_located(file, text, ("symbol",), f"symbol {symbol!r} names a revision",
                                     f"write the base symbol {parse_symbol(symbol).base()} and list revisions under revisions",
                                     code="symbol"))
    revisions = record.get("revisions") or []
    seen_revs: set[int] = set()
    for index, revision in enumerate(revisions):
        if not isinstance(revision, dict):
            continue
        rev, rsym = revision.get("rev"), revision.get("symbol")
        if isinstance(rev, int):
            if rev in seen_revs:
                problems.append(_located(file, text, ("revisions", index, "rev"), f"revision {rev} is listed twice",
                                         "give each revision its own number", code="symbol"))
            seen_revs.add(rev)
        if isinstance(rsym, str) and note:
            if rsym != symbol:
                problems.append(_located(file, text, ("revisions", index, "symbol"),
                                         f"{rsym} is not the note {symbol}", "a note keeps its number", code="symbol"))
        elif isinstance(rsym, str):
            if not is_symbol(rsym):
                problems.append(_located(file, text, ("revisions", index, "symbol"), f"symbol {rsym!r} does not parse",
                                         "write e.g. MC/2023/DRAFT/3/Rev.1", code="symbol"))
            else:
                parsed = parse_symbol(rsym)
                if isinstance(rev, int) and parsed.revision != rev:
                    problems.append(_located(file, text, ("revisions", index, "symbol"),
                                             f"{rsym} is revision {parsed.revision}, but this entry says rev {rev}",
                                             f"write {parsed.with_revision(rev)} or rev: {parsed.revision}", code="symbol"))
                if isinstance(symbol, str) and is_symbol(symbol) and str(parsed.base()) != str(parse_symbol(symbol).base()):
                    problems.append(_located(file, text, ("revisions", index, "symbol"),
                                             f"{rsym} is not a revision of {symbol}",
                                             "a document's revisions share its base symbol", code="symbol"))
    for index, predecessor in enumerate(record.get("predecessors") or []):
        psym = predecessor.get("symbol") if isinstance(predecessor, dict) else None
        if isinstance(psym, str) and not is_symbol(psym):
            problems.append(_located(file, text, ("predecessors", index, "symbol"), f"symbol {psym!r} does not parse",
                                     "write e.g. MC/2023/SEC/1", code="symbol"))
    if isinstance(symbol, str) and (is_symbol(symbol) or note):
        expected = symbol.lower().replace("/", "-") if note else parse_symbol(symbol).slug()
        if expected != slug:
            problems.append(_located(file, text, ("symbol",), f"{symbol} lives in documents/{slug}/",
                                     f"move the folder to documents/{expected}/", code="symbol"))
    sponsor = record.get("sponsor")
    if isinstance(sponsor, str) and sponsor not in ("CHAIR", repo.secretariat_code) and sponsor not in repo.states:
        problems.append(_located(file, text, ("sponsor",), f"sponsor {sponsor!r} is neither CHAIR, "
                                 f"{repo.secretariat_code} nor a member state", _nearest(sponsor, repo.codes | {"CHAIR"})))
    body = record.get("body")
    if isinstance(body, str) and repo.bodies and body not in repo.bodies:
        problems.append(_located(file, text, ("body",), f"unknown body {body!r}", _nearest(body, repo.bodies)))
    for index, step in enumerate(record.get("status") or []):
        if not isinstance(step, dict):
            continue
        if isinstance(step.get("body"), str) and repo.bodies and step["body"] not in repo.bodies:
            problems.append(_located(file, text, ("status", index, "body"), f"unknown body {step['body']!r}",
                                     _nearest(step["body"], repo.bodies)))
        meeting = step.get("meeting")
        if isinstance(meeting, str) and meeting not in meetings:
            problems.append(_located(file, text, ("status", index, "meeting"), f"no meeting {meeting!r} in meetings/",
                                     _nearest(meeting, meetings) or "add meetings/<id>.yaml or fix the id"))
    latest_has_text = True
    numbered = [r for r in revisions if isinstance(r, dict) and isinstance(r.get("rev"), int)]
    if numbered:
        latest = max(numbered, key=lambda r: r["rev"])
        latest_has_text = latest.get("text", True) is not False
    for index, language in enumerate(record.get("languages") or []):
        path = f"documents/{slug}/{language}.txt"
        if latest_has_text and path not in files:
            problems.append(_located(file, text, ("languages", index), f"language {language!r} is declared but {path} is missing",
                                     f"add {path} or remove {language!r} from languages"))
    for name in sorted(files):
        if name.startswith(f"documents/{slug}/") and name.endswith(".txt"):
            language = name.rsplit("/", 1)[1][:-4]
            if language not in (record.get("languages") or []):
                problems.append(Problem(f"text in language {language!r} is not declared in document.yaml",
                                        file=name, hint=f"add {language} to languages in {file}", code="link"))
    return problems


def _nearest(value: str, known: Iterable[str]) -> str | None:
    from cicatext.notation.codes import suggest

    best = suggest(value, list(known))
    return f"did you mean {best!r}?" if best else None


def _check_positions(repo: Repository, file: str, text: str, record: dict, symbols: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    folder_code = file.split("/")[1]
    delegation = record.get("delegation")
    if isinstance(delegation, str):
        if delegation not in repo.codes:
            problems.append(_located(file, text, ("delegation",), f"unknown delegation code {delegation!r}",
                                     _nearest(delegation, repo.codes)))
        if delegation != folder_code:
            problems.append(_located(file, text, ("delegation",),
                                     f"the position set of {delegation} lies in positions/{folder_code}/",
                                     f"move it to positions/{delegation}/: a delegation writes only in its own folder"))
    document = record.get("document")
    if isinstance(document, str) and document not in symbols:
        problems.append(_located(file, text, ("document",), f"no document {document!r} in documents/",
                                 _nearest(document, symbols)))
    return problems


def validate(repo: Repository) -> list[Problem]:
    """Every problem in the repository, in file order."""
    problems: list[Problem] = []
    files = repository_files(repo.root)
    file_set = set(files)
    records: dict[str, tuple[str, str, Any]] = {}
    for file in files:
        kind = kind_of(file)
        if kind is None:
            if not is_known_place(file):
                places = ", ".join(p for p, _ in RECORD_PLACES)
                problems.append(Problem(f"{file} is in no place cicatext knows", file=file,
                                        hint=f"move it to one of: {places}; or documents/<slug>/<lang>.txt", code="place"))
            continue
        try:
            text = repo.read_text(file)
        except CicatextError as error:
            problems.append(error.problem)
            continue
        record, found = check_record(kind, file, text)
        problems.extend(found)
        if isinstance(record, dict):
            records[file] = (kind, text, record)

    for file, (kind, text, record) in records.items():
        stem = file.rsplit("/", 1)[-1].removesuffix(".yaml")
        if kind == "member-state" and record.get("code") not in (None, stem):
            problems.append(_located(file, text, ("code",), f"code {record.get('code')!r} differs from the file name {stem}.yaml",
                                     f"rename the file to {record.get('code')}.yaml"))
        if kind == "priority-area":
            dimension = record.get("dimension")
            if isinstance(dimension, str) and dimension not in repo.dimensions:
                problems.append(_located(file, text, ("dimension",), f"unknown dimension {dimension!r}",
                                         _nearest(dimension, repo.dimensions)))

    # A meeting file that does not load is reported once, not again by every document naming it.
    meetings = {f.rsplit("/", 1)[-1].removesuffix(".yaml") for f in files if kind_of(f) == "meeting"}
    meetings |= {str(r["id"]) for f, (k, _, r) in records.items() if k == "meeting" and "id" in r}
    symbols: dict[str, str] = {}
    for file, (kind, text, record) in records.items():
        if kind == "document" and isinstance(record.get("symbol"), str):
            if record["symbol"] in symbols:
                problems.append(_located(file, text, ("symbol",), f"symbol {record['symbol']} is also used by {symbols[record['symbol']]}",
                                         "each document has its own symbol"))
            symbols[record["symbol"]] = file
    for file, (kind, text, record) in records.items():
        if kind == "document":
            slug = file.split("/")[1]
            problems.extend(_check_document(repo, slug, file, text, record, meetings, file_set))
        elif kind == "position-set":
            problems.extend(_check_positions(repo, file, text, record, symbols))

    codes = repo.codes
    for file in files:
        if file.startswith("documents/") and file.endswith(".txt") and file.count("/") == 2:
            _, found = _text_problems(repo, file, codes)
            problems.extend(found)

    problems.extend(check_languages(repo))
    try:
        from cicatext.store.modalities_store import check_repository
    except ImportError:
        check_repository = None
    if check_repository is not None:
        problems.extend(check_repository(repo))
    return problems
