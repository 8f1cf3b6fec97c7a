"""The checks of `validate` between records, each kept under exactly what it reads, so an edit runs again only what it touches.

A document's checks (its symbol, sponsor, bodies, meetings and declared
texts; its languages' alignment; its lifecycle) read its folder (every file's
name and blob id) and a few facts of the whole repository: the registry's
codes and bodies, the meetings' ids, the bodies' order, the symbol profile.
A position set's read its own file, the codes and the documents' symbols.
The Modalities' rules read the records outside documents/ and positions/,
the documents' names and whether the templates the notes name exist. Each
result is kept in `.cicatext/validate-links.marshal` under the digest of its
own inputs and of the facts it reads, all of it under the per-file cache's
context (cicatext, its schemas, the settings and the member states), so a
one-letter edit of one text runs that document's checks alone.

What does not come from git's listing is looked at before a result is
taken: a text a document declares that is on disk but not listed (ignored
by git), a record in a registry or Modalities folder that is not listed, or
a document folder whose record is not, makes the checks that read it run
every time. The checks that are cheap whatever the size (a registry
record's code and members, a confidential record's place, the documents'
duplicate symbols) run every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from cicatext.errors import CicatextError, Problem, line_at
from cicatext.records import symbols as _symbols
from cicatext.store import yamlio
from cicatext.store.files import read_marshal, write_marshal_quietly
from cicatext.store.layout import (
    AREAS_DIR,
    BODIES_DIR,
    CACHE_DIR,
    DIMENSIONS_DIR,
    DOCUMENT_RECORD,
    DOCUMENTS_DIR,
    GROUPS_DIR,
    MEETINGS_DIR,
    MODALITIES_FOLDERS,
    POSITIONS_DIR,
    SETTINGS_FILE,
    STATES_DIR,
    TEXT_SUFFIX,
    VALIDATION_LINKS,
    document_folder,
    document_slug,
    document_text_path,
    is_document_text,
    is_name,
    position_owner,
    text_language,
)
from cicatext.store.repository import DocumentEntry, Repository
from cicatext.store.validation.per_file import _kind_of
from cicatext.store.validation.stored import as_stored, problems_from

# Each document's symbol is parsed several times over; parsed once per run of the process instead.
is_note_number = lru_cache(maxsize=None)(_symbols.is_note_number)
is_symbol = lru_cache(maxsize=None)(_symbols.is_symbol)
parse_symbol = lru_cache(maxsize=None)(_symbols.parse_symbol)
fits_profile = lru_cache(maxsize=None)(_symbols.fits_profile)
PROFILES = _symbols.PROFILES
PROFILE_EXAMPLES = _symbols.PROFILE_EXAMPLES

_FOLDERS_READ_BY_RULES = (STATES_DIR, GROUPS_DIR, BODIES_DIR, DIMENSIONS_DIR, AREAS_DIR, *MODALITIES_FOLDERS.values())
"""The folders whose records the Modalities' rules (and the registry they read) find by listing the disk."""


def _digest(*parts: object) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


class _Section:
    """The kept results of one kind of check, by file, valid while the repository-wide `facts` they read are the same."""

    def __init__(self, kept: object, facts: str) -> None:
        valid = isinstance(kept, dict) and kept.get("facts") == facts and isinstance(kept.get("entries"), dict)
        self.facts = facts
        self.kept: dict = kept["entries"] if valid else {}  # type: ignore[index]
        self.fresh: dict = {}
        self.changed = not valid

    def get(self, file: str, key: str, parts: int) -> list | None:
        """The `parts` lists of problems of a file's result, if it was made from the same inputs (`key`)."""
        entry = self.kept.get(file)
        if not isinstance(entry, list) or not entry or entry[0] != key or len(entry) not in (1, parts + 1):
            self.changed = True
            return None
        self.fresh[file] = entry
        if len(entry) == 1:  # nothing found: kept as the key alone
            return [()] * parts
        found = [problems_from(part) for part in entry[1:]]
        if any(part is None for part in found):
            del self.fresh[file]
            self.changed = True
            return None
        return found

    def put(self, file: str, key: str, parts: list[list[Problem]]) -> None:
        self.fresh[file] = [key, *map(as_stored, parts)] if any(parts) else [key]
        self.changed = True

    def saved(self) -> dict:
        return {"facts": self.facts, "entries": self.fresh}


class LinkCache:
    """`.cicatext/validate-links.marshal`: the results of the checks between records, under what each read."""

    VERSION = 1

    def __init__(self, repo: Repository, context: str) -> None:
        self.path = repo.root / CACHE_DIR / VALIDATION_LINKS
        self.context = context
        stored = read_marshal(self.path)
        valid = isinstance(stored, dict) and stored.get("version") == self.VERSION and stored.get("context") == context
        self.stored: dict = stored if valid else {}  # type: ignore[assignment]
        self.sections: dict[str, _Section] = {}
        self.modalities: list | None = None
        self.modalities_changed = False

    def section(self, name: str, facts: str) -> _Section:
        self.sections[name] = _Section(self.stored.get(name), facts)
        return self.sections[name]

    def kept_modalities(self, key: str) -> list[Problem] | None:
        kept = self.stored.get("modalities")
        if isinstance(kept, list) and len(kept) == 2 and kept[0] == key:
            problems = problems_from(kept[1])
            if problems is not None:
                self.modalities = kept
                return problems
        self.modalities_changed = True
        return None

    def keep_modalities(self, key: str | None, problems: list[Problem]) -> None:
        self.modalities = None if key is None else [key, as_stored(problems)]
        self.modalities_changed = True

    def save(self) -> None:
        """Write the results kept this run, if any changed; never fails the run."""
        if not self.modalities_changed and not any(s.changed or len(s.fresh) != len(s.kept)
                                                   for s in self.sections.values()):
            return
        value: dict = {"version": self.VERSION, "context": self.context, "modalities": self.modalities}
        value.update({name: section.saved() for name, section in self.sections.items()})
        write_marshal_quietly(self.path, value)


@dataclass(frozen=True)
class RepositoryChecks:
    """What the checks between records found, in the parts `validate` lists them in: those a document text's edit can
    change (its document's languages) kept by document."""

    records: list[Problem]
    """The registry's, the duplicate symbols, and each document's, position set's and confidential record's links."""
    languages: dict[str, list[Problem]]
    """By document folder, in `repo.documents()`'s order: how its languages' texts align."""
    modalities: list[Problem]
    """The Modalities' rules."""
    lifecycles: dict[str, list[Problem]]
    """By document folder, in `repo.documents()`'s order: its status history."""
    listed_only: bool = True
    """Whether every file the checks read is one git lists (none that git ignores), so that the listing stands for
    what they read."""

    def problems(self) -> list[Problem]:
        """Every problem, in `validate`'s order."""
        return [*self.records, *chain.from_iterable(self.languages.values()), *self.modalities,
                *chain.from_iterable(self.lifecycles.values())]


def repository_checks(repo: Repository, blobs: dict[str, str], records: dict, texts: _Texts,
                      context: str | None) -> RepositoryChecks:
    """The checks between records and over the whole repository; with a `context`, kept in the links cache."""
    from cicatext.store.modalities.checking import (
        check_modalities,
        document_names,
        lifecycle_problems,
    )
    from cicatext.store.modalities.settings import body_order
    from cicatext.store.register.languages import document_languages

    cache = LinkCache(repo, context) if context is not None else None
    problems: list[Problem] = []
    # Each document folder's files with their blob ids, and the blobs of every file the Modalities' rules may read.
    folders: dict[str, list[str]] = {}
    languages_listed: dict[str, set[str]] = {}
    outside = hashlib.sha1()
    named = hashlib.sha1()  # the documents' records, whose symbols name them
    meetings: set[str] = set()
    documents_prefix, positions_prefix, meetings_prefix = f"{DOCUMENTS_DIR}/", f"{POSITIONS_DIR}/", f"{MEETINGS_DIR}/"
    cut = len(documents_prefix)
    for name, blob in blobs.items():
        if name.startswith(documents_prefix):
            slug, slash, rest = name[cut:].partition("/")  # documents/<slug>/<rest>
            if slash:
                folders.setdefault(slug, []).append(f"{name}\0{blob}")
                if "/" not in rest and rest.endswith(TEXT_SUFFIX):  # `is_document_text`
                    languages_listed.setdefault(slug, set()).add(rest[:-len(TEXT_SUFFIX)])
                elif rest == DOCUMENT_RECORD:
                    named.update(f"{name}\0{blob}\n".encode("utf-8", "surrogateescape"))
        elif not name.startswith(positions_prefix):
            outside.update(f"{name}\0{blob}\n".encode("utf-8", "surrogateescape"))
            # A meeting file that does not load is reported once, not again by every document naming it.
            if name.startswith(meetings_prefix) and _kind_of(name) == "meeting":
                meetings.add(name.rsplit("/", 1)[-1].removesuffix(".yaml"))
    linked: list[tuple[str, str, dict]] = []
    symbols: dict[str, str] = {}
    twice: list[Problem] = []
    for file, (kind, record) in records.items():
        if kind in ("member-state", "group", "priority-area"):
            problems.extend(_registry_problems(repo, file, kind, record, texts))
        elif kind == "meeting" and "id" in record:
            meetings.add(str(record["id"]))
        if kind in ("document", "position-set", "confidential"):
            linked.append((file, kind, record))
        if kind == "document" and isinstance(record.get("symbol"), str):
            if record["symbol"] in symbols:
                twice.append(_located(file, texts[file], ("symbol",), f"symbol {record['symbol']} is also used by {symbols[record['symbol']]}",
                                      "each document has its own symbol"))
            symbols[record["symbol"]] = file
    problems.extend(twice)

    order = body_order(repo)
    limit = repo.limits.problems_per_file
    documents_facts = _digest(repo.settings.get("symbols"), repo.secretariat_code, list(repo.states), sorted(repo.codes),
                              list(repo.bodies), sorted(meetings), order, limit)
    positions_facts = _digest(sorted(repo.codes), list(symbols), limit)
    documents = cache.section("documents", documents_facts) if cache else None
    positions = cache.section("positions", positions_facts) if cache else None
    # A document's result, in three parts: its own checks, its languages, its lifecycle; the last two are
    # found in `repo.documents()`'s order, after every record's own.
    parts: dict[str, list[list[Problem]]] = {}
    keys: dict[str, str] = {}
    record_of: dict[str, str] = {}
    for file, kind, record in linked:
        if kind == "document":
            slug = document_slug(file)
            record_of[slug] = file
            folder = folders.get(slug, [])
            key = keys[file] = hashlib.sha1("\n".join(folder).encode("utf-8", "surrogateescape")).hexdigest()
            hit = documents.get(file, key, 3) if documents else None
            if hit is not None:
                parts[file] = hit
                problems.extend(hit[0])
                continue
            names = [entry.partition("\0")[0] for entry in folder]
            file_set = set(names)
            texts_in = [name for name in names if is_document_text(name)]
            found = _check_document(repo, slug, file, None, record, meetings, file_set, texts_in)
            if found:  # located again with the file's text, now that there is something to show
                found = _check_document(repo, slug, file, texts[file], record, meetings, file_set, texts_in)
            parts[file] = [found]
        elif kind == "position-set":
            key = blobs[file]
            hit = positions.get(file, key, 1) if positions else None
            if hit is not None:
                found = hit[0]
            else:
                found = _check_positions(repo, file, None, record, symbols)
                if found:
                    found = _check_positions(repo, file, texts[file], record, symbols)
                if positions:
                    positions.put(file, key, [found])
        else:
            from cicatext.store.trust.confidential import provider_problems

            found = [_located(file, texts[file], (field,), message, code="rule")
                     for field, message in provider_problems(file, record)]
        problems.extend(found)

    listed = _documents(repo, record_of)
    languages: dict[str, list[Problem]] = {}
    lifecycles: dict[str, list[Problem]] = {}
    listed_only = True
    for entry, file in listed:
        known = parts.get(file) if file else None
        cacheable = known is not None and _texts_listed(repo, entry, languages_listed.get(entry.slug, ()))
        listed_only = listed_only and cacheable
        if cacheable and len(known) == 3:
            languages[entry.slug] = list(known[1])
            lifecycles[entry.slug] = list(known[2])
            continue
        found_languages = document_languages(repo, entry)
        found_lifecycle = lifecycle_problems(repo, entry, order)
        languages[entry.slug] = found_languages
        lifecycles[entry.slug] = found_lifecycle
        if documents and cacheable and len(known) == 1:
            documents.put(file, keys[file], [known[0], found_languages, found_lifecycle])

    # The documents' names come from their records: while every document's record is listed, their blob ids stand
    # for the names.
    every_listed = all(file for _, file in listed)
    key = _modalities_key(repo, blobs, records, outside.hexdigest(), named.hexdigest()) if cache and every_listed else None
    kept = cache.kept_modalities(key) if cache and key else None
    if kept is None:
        kept = check_modalities(repo, document_names(entry for entry, _ in listed))
        if cache:
            cache.keep_modalities(key, kept)
    if cache:
        cache.save()
    # The rules look on disk for the templates the notes name: one git does not list is read past the listing.
    listed_only = listed_only and key is not None and all(path in blobs for _, path in _templates(records))
    return RepositoryChecks(problems, languages, kept, lifecycles, listed_only)


def _documents(repo: Repository, record_of: dict[str, str]) -> list[tuple[DocumentEntry, str | None]]:
    """`repo.documents()` (the records in hand, which validate has primed) with each one's listed record file (None
    for one git does not list)."""
    return [(entry, record_of.get(entry.slug)) for entry in repo.documents()]


def _registry_problems(repo: Repository, file: str, kind: str, record: dict, texts: _Texts) -> list[Problem]:
    """A registry record's code against its file's name, a group's members, a priority area's dimension."""
    problems: list[Problem] = []
    stem = file.rsplit("/", 1)[-1].removesuffix(".yaml")
    if kind in ("member-state", "group") and record.get("code") not in (None, stem):
        problems.append(_located(file, texts[file], ("code",), f"code {record.get('code')!r} differs from the file name {stem}.yaml",
                                 f"rename the file to {record.get('code')}.yaml"))
    if kind == "group":
        problems.extend(_group_members(repo, file, texts[file], record))
    if kind == "priority-area":
        dimension = record.get("dimension")
        if isinstance(dimension, str) and dimension not in repo.dimensions:
            problems.append(_located(file, texts[file], ("dimension",), f"unknown dimension {dimension!r}",
                                     _nearest(dimension, repo.dimensions)))
    return problems


def _texts_listed(repo: Repository, entry: DocumentEntry, listed: Collection[str]) -> bool:
    """True when every text the document declares is listed by git (`listed`: the languages of its folder's listed
    texts) or absent from the disk: the languages' check reads no file that no blob id stands for."""
    for language in entry.record.get("languages") or ():
        if not is_name("language", language):
            return False
        if language not in listed and repo.path(entry.text_path(language)).exists():
            return False
    return True


def _modalities_key(repo: Repository, blobs: dict[str, str], records: dict, outside: str, named: str) -> str | None:
    """What the Modalities' rules read: every listed file outside documents/ and positions/ (`outside`), the
    documents' names (`named`: their records' blob ids), and whether the notes' templates exist; None when a folder
    they list on disk holds a record git does not list (ignored), whose content no blob id stands for."""
    for folder in _FOLDERS_READ_BY_RULES:
        directory = repo.root / folder
        if directory.is_dir() and any(f"{folder}/{path.name}" not in blobs for path in directory.glob("*.yaml")):
            return None
    templates = [(file, path, (repo.root / path).is_file()) for file, path in _templates(records)]
    return _digest(outside, named, templates)


def _templates(records: dict) -> list[tuple[str, str]]:
    """The templates the notes name: (the note's file, the template's path)."""
    return [(file, path) for file, (kind, record) in records.items()
            if kind == "note" and isinstance(record.get("template"), dict)
            for path in record["template"].values() if isinstance(path, str)]


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
        if not is_name("language", language):
            problems.append(Problem(f"{name} is no text of the document: {language!r} is not a language", file=name,
                                    hint="rename it LANG.txt (e.g. fr.txt), or move it out of the document's folder",
                                    code="place"))
        elif language not in (record.get("languages") or []):
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


def _group_members(repo: Repository, file: str, text: str, record: dict) -> list[Problem]:
    """A group's members that are neither a member state nor another group of the registry."""
    known, members = set(repo.states) | set(repo.groups), record.get("members")
    return [_located(file, text, ("members", index), f"group member {member!r} is not in the registry",
                     _nearest(member, known))
            for index, member in enumerate(members if isinstance(members, list) else [])
            if isinstance(member, str) and member not in known]
