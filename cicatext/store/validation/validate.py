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
from itertools import chain
from typing import TYPE_CHECKING

from cicatext.errors import Problem
from cicatext.store.files import (
    not_utf8_name,
    read_json,
    write_json_quietly,
)
from cicatext.store.layout import (
    CACHE_DIR,
    VALIDATION_RESULT,
)
from cicatext.store.limits import cap_per_file
from cicatext.store.repository import Repository
from cicatext.store.validation.listing import Listing, code_digest
from cicatext.store.validation.per_file import (
    ValidationCache,
    _context_key,
    file_checks,
)
from cicatext.store.validation.stored import as_stored, problems_from

if TYPE_CHECKING:
    from cicatext.store.validation.links import RepositoryChecks

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
    from cicatext.store.validation.links import _Texts, repository_checks
    from cicatext.store.validation.watched import watched_listing

    repo.refresh()
    # With a watcher, the last run's listing and what the watcher names since stand for git's (`watched`).
    listing = watched_listing(repo.root) if use_cache else None
    from_watcher = listing is not None
    if listing is None:
        listing = Listing(repo.root)
    made_under = _made_under(repo)
    # A file git ignores that the checks read (`Listing.ignored_read`) is read afresh: no kept result stands for it.
    key = _result_key(made_under, listing) if use_cache and not listing.ignored_read else None
    if key is not None:
        kept = _kept_result(repo, key)
        if kept is not None:
            since.watched_as(repo, listing)
            return kept
        brought = since.brought_up_to_date(repo, listing, made_under)
        if brought is not None:
            problems = _together(repo, *brought, use_cache=True)
            _keep_result(repo, key, problems)
            # Kept again as now, so that the next run checks only what changes after this one.
            since.keep(repo, listing, made_under, repo.codes, *brought)
            return problems
    if from_watcher:
        # More than texts changed: a full run, from git's listing.
        listing = Listing(repo.root)
        key = _result_key(made_under, listing) if use_cache and not listing.ignored_read else None
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
    elif use_cache:
        since.forget(repo)
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
    return problems_from(kept.get("problems"))


def _keep_result(repo: Repository, key: str, problems: list[Problem]) -> None:
    """Keep this run's problems under `key`; never fails the run."""
    write_json_quietly(repo.root / CACHE_DIR / VALIDATION_RESULT,
                       {"key": key, "problems": as_stored(problems)})
