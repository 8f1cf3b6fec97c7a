"""`cicatext validate`: every record against its schema, every text through the reader, and the links between them.

Problems are collected, never raised: one run reports everything, each as
`FILE:LINE:COL: message` with a hint.

Four caches in `.cicatext/` make a second run cheap. The whole result is
kept under a key made of git's listing of the files (`listing`), main's
commit and what the checks depend on beyond the files (cicatext itself and
its schemas), so a run where nothing changed lists the files and reads one
small file. When only document texts changed, the last run's result in its
parts is brought up to date by checking those texts and their documents'
languages again (`since`), without going over the other files. When more
changed, the results of the checks that depend on one file alone come from
a per-file cache keyed by blob id, and only the changed files are read
again; the checks between records come from `links`, each kept under
exactly what it reads.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable
from dataclasses import asdict
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cicatext.errors import CicatextError, Problem, cap_problems, line_at
from cicatext.records import symbols as _symbols
from cicatext.store import schemas, yamlio
from cicatext.store.files import (
    not_utf8_name,
    read_json,
    read_marshal,
    write_json_quietly,
    write_marshal_quietly,
)
from cicatext.store.layout import (
    CACHE_DIR,
    DOCUMENT_RECORD,
    DOCUMENTS_DIR,
    MEETINGS_DIR,
    POSITIONS_DIR,
    RECORD_PLACES,
    SETTINGS_FILE,
    STATES_DIR,
    VALIDATION_CACHE,
    VALIDATION_RESULT,
    document_folder,
    document_text_path,
    is_name,
    position_owner,
    text_language,
)
from cicatext.store.limits import DEFAULT, Limits, cap_per_file
from cicatext.store.repository import Repository
from cicatext.store.validation.listing import Listing, code_digest
from cicatext.store.validation.per_file import file_checks

if TYPE_CHECKING:
    from cicatext.store.validation.links import RepositoryChecks

# Each document's symbol is parsed several times over; parsed once per run of the process instead.
is_note_number = lru_cache(maxsize=None)(_symbols.is_note_number)
is_symbol = lru_cache(maxsize=None)(_symbols.is_symbol)
parse_symbol = lru_cache(maxsize=None)(_symbols.parse_symbol)
fits_profile = lru_cache(maxsize=None)(_symbols.fits_profile)
PROFILES = _symbols.PROFILES
PROFILE_EXAMPLES = _symbols.PROFILE_EXAMPLES


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
        if blob is None or entry is None or entry[0] != blob:
            self.changed = True
            return None
        self.fresh[file] = entry
        return entry[1], [Problem(**p) for p in entry[2]] if entry[2] else []

    def put(self, file: str, record: dict | None, problems: list[Problem]) -> None:
        """Remember a file's result under its current blob id."""
        blob = self.blobs.get(file)
        if blob is not None:
            self.fresh[file] = [blob, record, [asdict(p) for p in problems]]
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


def _located(file: str, text: str | None, path: tuple, message: str, hint: str | None = None,
             severity: str = "error", code: str = "link") -> Problem:
    where = yamlio.locate(text, path) if text else None
    line, column = where if where else (None, None)
    return Problem(message, file=file, line=line, column=column, hint=hint, source_line=line_at(text, line),
                   severity=severity, code=code)


def _check_document(repo: Repository, slug: str, file: str, text: str, record: dict,
                    meetings: set[str], files: set[str], texts_in: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    symbol = record.get("symbol")
    note = isinstance(symbol, str) and is_note_number(symbol)
    profile = repo.settings.get("symbols")
    if isinstance(symbol, str) and not note:
        if not is_symbol(symbol):
            problems.append(_located(file, text, ("symbol",), f"symbol {symbol!r} does not parse",
                                     "write the body, series and number joined by /, e.g. MC/2023/DRAFT/3 or "
                                     "FCCC/ADP/2015/L.6 (the revision goes in revisions)", code="symbol"))
        elif isinstance(profile, str) and profile in PROFILES and not fits_profile(symbol, profile):
            problems.append(_located(file, text, ("symbol",),
                                     f"symbol {symbol!r} does not follow this repository's {profile} pattern",
                                     f"write {PROFILE_EXAMPLES[profile]}, or remove `symbols: {profile}` from "
                                     f"{SETTINGS_FILE}", code="symbol"))
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
                                         "write the base symbol and /Rev.N, e.g. MC/2023/DRAFT/3/Rev.1", code="symbol"))
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
        expected = parse_symbol(symbol).slug()
        if expected != slug:
            problems.append(_located(file, text, ("symbol",), f"{symbol} lives in {DOCUMENTS_DIR}/{slug}/",
                                     f"move the folder to {document_folder(expected)}/", code="symbol"))
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
            problems.append(_located(file, text, ("status", index, "meeting"), f"no meeting {meeting!r} in {MEETINGS_DIR}/",
                                     _nearest(meeting, meetings) or f"add {MEETINGS_DIR}/<id>.yaml or fix the id"))
    latest_has_text = True
    numbered = [r for r in revisions if isinstance(r, dict) and isinstance(r.get("rev"), int)]
    if numbered:
        latest = max(numbered, key=lambda r: r["rev"])
        latest_has_text = latest.get("text", True) is not False
    for index, language in enumerate(record.get("languages") or []):
        if not is_name("language", language) or not is_name("slug", slug):
            continue  # the schema, or the symbol's check, says what is wrong with it
        path = document_text_path(slug, language)
        if latest_has_text and path not in files:
            problems.append(_located(file, text, ("languages", index), f"language {language!r} is declared but {path} is missing",
                                     f"add {path} or remove {language!r} from languages"))
    for name in texts_in:
        language = text_language(name)
        if language not in (record.get("languages") or []):
            problems.append(Problem(f"text in language {language!r} is not declared in {DOCUMENT_RECORD}",
                                    file=name, hint=f"add {language} to languages in {file}", code="link"))
    return problems


def _nearest(value: str, known: Iterable[str]) -> str | None:
    from cicatext.notation.codes import suggest

    best = suggest(value, list(known))
    return f"did you mean {best!r}?" if best else None


def _check_positions(repo: Repository, file: str, text: str, record: dict, symbols: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    folder_code = position_owner(file)
    delegation = record.get("delegation")
    if isinstance(delegation, str):
        if delegation not in repo.codes:
            problems.append(_located(file, text, ("delegation",), f"unknown delegation code {delegation!r}",
                                     _nearest(delegation, repo.codes)))
        if delegation != folder_code:
            problems.append(_located(file, text, ("delegation",),
                                     f"the position set of {delegation} lies in {POSITIONS_DIR}/{folder_code}/",
                                     f"move it to {POSITIONS_DIR}/{delegation}/: a delegation writes only in its own folder"))
    if folder_code is not None:  # no words in another's mouth (docs/trust.md)
        from cicatext.store.trust.attribution_guard import record_problems
        problems.extend(record_problems(file, text or "", record, folder_code, fields=False,
                                        limit=repo.limits.problems_per_file))
    document = record.get("document")
    if isinstance(document, str) and document not in symbols:
        problems.append(_located(file, text, ("document",), f"no document {document!r} in {DOCUMENTS_DIR}/",
                                 _nearest(document, symbols)))
    return problems


class _Texts:
    """File texts read on demand (cached records need their text only to locate a link problem)."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.known: dict[str, str] = {}

    def __getitem__(self, file: str) -> str | None:
        if file not in self.known:
            try:
                self.known[file] = self.repo.read_text(file)
            except CicatextError:
                return None
        return self.known[file]


def validate(repo: Repository, *, use_cache: bool = True, workers: int = 1) -> list[Problem]:
    """Every problem in the repository, in file order.

    With `workers` over 1, a cold run shares the per-file checks out among
    that many processes (`per_file`).

    With `use_cache`, the result is kept in `.cicatext/` and given again
    while no file, main's commit or cicatext changed; brought up to date from
    its parts when only document texts changed (`since`); otherwise the results
    of the checks that depend on one file alone come from
    `.cicatext/validate.marshal`, keyed by each file's git blob id, so only what
    changed is read again, and those of the checks between records from
    `.cicatext/validate-links.marshal` (`links`), each under what it reads.
    """
    from cicatext.store.validation import since
    from cicatext.store.validation.links import repository_checks

    repo.refresh()
    listing = Listing(repo.root)
    made_under = _made_under(repo)
    key = _result_key(made_under, listing) if use_cache else None
    if key is not None:
        kept = _kept_result(repo, key)
        if kept is not None:
            return kept
        brought = since.brought_up_to_date(repo, listing, made_under)
        if brought is not None:
            problems = _together(repo, *brought, use_cache=True)
            _keep_result(repo, key, problems)
            # Kept again as now, so that the next run checks only what changes after this one.
            since.keep(repo, listing, made_under, repo.codes, *brought)
            return problems
    blobs = listing.ids()
    # A file name that is not UTF-8 names no record: said once, and left out of every check and cache.
    unnamed = [name for name in blobs if not name.isascii() and not_utf8_name(name)]
    if unnamed:
        blobs = {name: blob for name, blob in blobs.items() if name not in unnamed}
    # Only the caches depend on cicatext itself and the schemas.
    context = _context_key(blobs) if use_cache else ""
    files = list(blobs)
    texts = _Texts(repo)
    # What is in hand once the per-file cache is read (every record) lives to the end of the run: set aside from the
    # collector meanwhile (`gc.freeze`), which would otherwise go over all of it again at each of its rounds, and
    # read with the collector paused, so that no round starts before. Given back at the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            cache = ValidationCache.open(repo, blobs, context) if use_cache else None
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
        found, records = file_checks(repo, files, cache, workers=workers)
        if cache:
            cache.save()
        found = _downgraded(found, records)
        # The checks below read records through `repo.load` (the registry, the documents): give them the ones in hand.
        repo.prime({file: record for file, (_, record) in records.items()})
        try:
            linked = repository_checks(repo, blobs, records, texts, context if use_cache else None)
            codes = repo.codes
        finally:
            repo.refresh()
        problems = _together(repo, found, linked, use_cache=use_cache, unnamed=unnamed)
    finally:
        gc.unfreeze()
    if key is not None and not unnamed:
        _keep_result(repo, key, problems)
        since.keep(repo, listing, made_under, codes, found, linked)
    return problems


def _downgraded(found: dict[str, list[Problem]], records: dict) -> dict[str, list[Problem]]:
    """Each file's problems with the known problems of the document texts made warnings (`known.downgrade`)."""
    from cicatext.store.validation.known import downgrade

    every = downgrade([problem for problems in found.values() for problem in problems], records)
    at = 0
    for file, problems in found.items():
        found[file] = every[at : at + len(problems)]
        at += len(problems)
    return found


def _together(repo: Repository, found: dict[str, list[Problem]], linked: RepositoryChecks, *, use_cache: bool,
              unnamed: Iterable[str] = ()) -> list[Problem]:
    """The whole result from its parts (each file's problems, the checks between records), with the attributions'
    check and the file names that are not UTF-8, each file's capped at the limit."""
    from cicatext.store.validation.integrity import check_attributions

    return cap_per_file([*chain.from_iterable(found.values()), *linked.problems(),
                         *check_attributions(repo, use_cache=use_cache), *map(not_utf8_name, unnamed)],
                        repo.limits.problems_per_file)


def _made_under(repo: Repository) -> str:
    """What the result depends on beyond the work tree's files: cicatext, and main's commit (for the attributions)."""
    return f"{code_digest()}\0main\0{repo.main_commit()[1]}"


def _result_key(made_under: str, listing: Listing) -> str:
    """What the whole result depends on: `_made_under` and the files as git lists them (`Listing.digest`, made without
    a value per file)."""
    return hashlib.sha1(f"{made_under}\0{listing.digest()}".encode()).hexdigest()


def _kept_result(repo: Repository, key: str) -> list[Problem] | None:
    """The problems found by the last run, if it was made under `key`."""
    kept = read_json(repo.root / CACHE_DIR / VALIDATION_RESULT)
    if not isinstance(kept, dict) or kept.get("key") != key:
        return None
    try:
        return [Problem(**problem) for problem in kept["problems"]]
    except (KeyError, TypeError):
        return None


def _keep_result(repo: Repository, key: str, problems: list[Problem]) -> None:
    """Keep this run's problems under `key`; never fails the run."""
    write_json_quietly(repo.root / CACHE_DIR / VALIDATION_RESULT,
                       {"key": key, "problems": [asdict(problem) for problem in problems]})


def _group_members(repo: Repository, file: str, text: str, record: dict) -> list[Problem]:
    """A group's members that are neither a member state nor another group of the registry."""
    known, members = set(repo.states) | set(repo.groups), record.get("members")
    return [_located(file, text, ("members", index), f"group member {member!r} is not in the registry",
                     _nearest(member, known))
            for index, member in enumerate(members if isinstance(members, list) else [])
            if isinstance(member, str) and member not in known]
