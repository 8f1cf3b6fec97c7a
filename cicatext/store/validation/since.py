"""The last `validate` run's result in its parts, brought up to date when only document texts changed since.

A full run, even with every file's result cached, goes over every file:
git's listing made into one value per file, the per-file cache read whole,
every record in hand for the checks between records. An edit of one text
changes only what reads that text: its own notation check and its
document's languages. So a run keeps, beside its result, the parts it made
it from (`.cicatext/validate-parts.marshal`): each file's problems, each
document's languages' problems, and the rest as they stand; and what it was
made under (cicatext, main's commit, git's listing as bytes, the files git
said differ from it, the codes an attribution may name).

The next run takes the parts when cicatext, main's commit and git's
listing (the index) are the same and every file whose state differs from
the last run's is a document text that was there then and is there now:
it checks those texts again and their documents' languages, and puts the
result together as a full run does. Anything else (a record edited, a file
added or removed, a commit, `git add`) is a full run, which keeps the parts
again. While a file git ignores lies where the checks read (a declared
text, a record: `Listing.ignored_read`), no listing stands for what it
holds: every run is a full one and keeps no parts. Tests compare every run so brought up to date with a full run
without caches.
"""

from __future__ import annotations

from cicatext.errors import Problem
from cicatext.store.files import not_utf8_name, read_marshal, write_marshal_quietly
from cicatext.store.layout import (
    CACHE_DIR,
    VALIDATION_PARTS,
    document_slug,
    is_document_text,
)
from cicatext.store.repository import DocumentEntry, Repository
from cicatext.store.validation.links import RepositoryChecks
from cicatext.store.validation.listing import Listing
from cicatext.store.validation.stored import as_stored, problems_from

VERSION = 2
"""2: the index kept as its digest alone, and what the watcher needs (`watched`)."""


def keep(repo: Repository, listing: Listing, made_under: str, codes: frozenset[str],
         files: dict[str, list[Problem]], linked: RepositoryChecks) -> None:
    """Keep a full run's parts (`files`: each file's problems, `linked`: the checks between records), made under
    `made_under` (cicatext and main's commit) from the files as `listing` lists them; never fails the run."""
    path = repo.root / CACHE_DIR / VALIDATION_PARTS
    if listing.staged_digest is None or not linked.listed_only or listing.ignored_read:
        forget(repo)  # what a file git ignores holds is part of the result: no listing stands for it
        return
    write_marshal_quietly(path, {
        "version": VERSION,
        "made_under": made_under,
        # What a later run needs to take this listing as it stands while the watcher names no other change.
        "watched": _watched(listing),
        "staged": listing.staged_digest,
        "stale": listing.stale,
        "untracked": sorted(listing.untracked),
        "deleted": sorted(listing.deleted),
        "codes": sorted(codes),
        "files": _stored(files),
        "records": as_stored(linked.records),
        "languages": _stored(linked.languages),
        "modalities": as_stored(linked.modalities),
        "lifecycles": _stored(linked.lifecycles),
    })


def watched_as(repo: Repository, listing: Listing) -> None:
    """Keep with the parts what the watcher needs, when the last run's result was given again under `listing` (the
    same files as the parts were made from) and the parts lack it or hold an older token; never fails the run."""
    if not listing.token or listing.outside is None:
        return
    path = repo.root / CACHE_DIR / VALIDATION_PARTS
    kept = read_marshal(path)
    if (not isinstance(kept, dict) or kept.get("version") != VERSION or kept.get("staged") != listing.staged_digest
            or kept.get("stale") != listing.stale or kept.get("untracked") != sorted(listing.untracked)
            or kept.get("deleted") != sorted(listing.deleted)):
        return  # parts of another listing (their writing failed since): the token would vouch for what they miss
    seen = kept.get("watched")
    if isinstance(seen, dict) and seen.get("token") == listing.token and seen.get("outside") == listing.outside:
        return
    kept["watched"] = _watched(listing)
    write_marshal_quietly(path, kept)


def _watched(listing: Listing) -> dict | None:
    return ({"token": listing.token, "outside": listing.outside, "excludes": listing.excludes, "at": listing.at}
            if listing.token and listing.outside is not None else None)


def forget(repo: Repository) -> None:
    """Remove the kept parts; never fails the run."""
    try:
        (repo.root / CACHE_DIR / VALIDATION_PARTS).unlink(missing_ok=True)
    except OSError:
        pass


def brought_up_to_date(repo: Repository, listing: Listing,
                       made_under: str) -> tuple[dict[str, list[Problem]], RepositoryChecks] | None:
    """The last run's parts with the document texts changed since checked again; None when more than those changed
    (or there are no parts made under `made_under` to start from): a full run is needed."""
    from cicatext.store.register.languages import document_languages
    from cicatext.store.validation.known import downgrade
    from cicatext.store.validation.per_file import check_one

    path = repo.root / CACHE_DIR / VALIDATION_PARTS
    kept = read_marshal(path) if listing.staged_digest is not None else None
    if not isinstance(kept, dict) or kept.get("version") != VERSION or kept.get("made_under") != made_under:
        return None
    changed = _texts_changed(kept, listing)
    if changed is None:
        return None
    try:
        files = _problems_of(kept["files"])
        linked = RepositoryChecks(_problems(kept["records"]), _problems_of(kept["languages"]),
                                  _problems(kept["modalities"]), _problems_of(kept["lifecycles"]))
        # The codes an attribution may name: from the registry and the settings, which have not changed.
        repo.codes = frozenset(kept["codes"])
    except (KeyError, TypeError, ValueError):
        return None
    # Each changed text's document as the full run has it among the records that loaded (None: it has none).
    documents: dict[str, DocumentEntry | None] = {}
    for file in changed:
        slug = document_slug(file)
        if slug not in documents:
            documents[slug] = repo.document_in(slug)
        found = check_one(repo, file, None)[1]
        entry = documents[slug]
        if any(p.severity == "error" for p in found) and entry is not None:
            found = downgrade(found, {entry.record_path: ("document", entry.record)})
        files[file] = found
    for slug, entry in documents.items():
        linked.languages[slug] = document_languages(repo, entry) if entry else []
    return _in_order(files), RepositoryChecks(linked.records, _in_order(linked.languages), linked.modalities,
                                              linked.lifecycles)


def _texts_changed(kept: dict, listing: Listing) -> list[str] | None:
    """The files whose state differs from the kept run's, when git's listing is the same and each of them is a
    document text that was there then and is there now; None otherwise."""
    stale, untracked = kept.get("stale"), kept.get("untracked")
    if (kept.get("staged") != listing.staged_digest or not isinstance(stale, dict)
            or not isinstance(untracked, list) or kept.get("deleted") != sorted(listing.deleted)):
        return None
    changed = sorted(name for name in stale.keys() | listing.stale.keys() if stale.get(name) != listing.stale.get(name))
    for name in changed:
        if not isinstance(name, str) or not is_document_text(name) or (not name.isascii() and not_utf8_name(name)):
            return None
        # A file git does not track is there only while git lists it as such: one that came or went is no edit.
        if name in listing.untracked or name in untracked:
            if name not in stale or name not in listing.stale:
                return None
        if stale.get(name, "") is None or listing.stale.get(name, "") is None:
            return None  # unreadable, then or now
    return changed


def _stored(parts: dict[str, list[Problem]]) -> list:
    return [[name, as_stored(found)] for name, found in parts.items() if found]


def _problems(stored: object) -> list[Problem]:
    found = problems_from(stored)
    if found is None:
        raise ValueError("not problems as kept")
    return found


def _problems_of(stored: list) -> dict[str, list[Problem]]:
    return {name: _problems(found) for name, found in stored}


def _in_order(parts: dict[str, list[Problem]]) -> dict[str, list[Problem]]:
    """The parts that hold a problem, by name in order: files and document folders are listed sorted."""
    return {name: parts[name] for name in sorted(parts) if parts[name]}
