"""Which document folders differ from what the search index file holds, found by looking at as few files as can tell.

The file keeps each document folder's modification time and its files'
names, sizes and times (`folder_state`). A folder differs when its time or a
file's size or time does; a file changed too recently to be known by its
time (`files.settled_time`) is looked at again until it settles.

Telling an edit in place needs every file looked at (`stat`), by Python or by
git. In a small repository Python looks at each. From `GIT_FROM` documents,
git does it (`git diff-index` against the commit checked out compares every
tracked file with git's index, in C) and names the files that differ from
that commit; Python looks only at the folders (a file added or removed moves
a folder's time) and at the files git names or cannot vouch for. For that the
file keeps a mark: the tree of documents/ at the commit last looked from, and
the files it watches, whose indexed content is not known to be that tree's
(changed since, staged, untracked, a symbolic link, or flagged in git's index
to be left unlooked at). Every other file's indexed content is the tree's:
so a file git does not name, that the commits since did not change and that
is not watched, is as it was indexed. A file whose raw bytes change while git
sees the same content (line ends converted under `core.autocrlf`) is then not
read again: its words, and so every answer, are the same. A build makes the
mark from git's listing before and after it reads the texts (`built_mark`); a
look without one (an index file an earlier cicatext wrote) looks at every
file and makes it from git's listing. A writer that changes the documents' rows
without keeping the mark (an earlier cicatext) drops it (the file's
triggers).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cicatext.errors import CicatextError
from cicatext.store.files import UNSETTLED, document_files, settled_time
from cicatext.store.git import run_git
from cicatext.store.layout import DOCUMENTS_DIR
from cicatext.store.watch import client as watch

if TYPE_CHECKING:
    from cicatext.store.repository import Repository

GIT_FROM = 2_000
"""From this many documents, git's listing narrows the files looked at: below, starting git costs more than it saves."""

State = tuple[int, str]
"""A folder's modification time (0 when too recent to trust) and its files, each `name/size/time`, joined by NUL."""

_MARK = "mark"
_DIFFER = ("diff-index", "--name-only", "-z", "--no-renames")
# git's index of documents/, each entry with its flags and mode, as `_flagged` reads it.
_INDEX = ("ls-files", "-s", "-v", "-z", "--", f"{DOCUMENTS_DIR}/")
_TREE_FILES = ("ls-tree", "-r", "--name-only", "-z")
_PLAIN = (b"H 100644 ", b"H 100755 ")
# What forgets the mark: any change to a document's row or paragraphs, by any writer (a writer that keeps the mark
# writes it again after its changes).
_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS forget_mark_{event.lower()} AFTER {event} ON documents "
    f"BEGIN DELETE FROM meta WHERE key = '{_MARK}'; END" for event in ("INSERT", "UPDATE", "DELETE"))


@dataclass(frozen=True)
class Look:
    """What differs, and what to keep of it."""

    changed: dict[str, State | None]
    """Each folder that differs from what the index holds: what it holds now, None when gone (or no document)."""
    stored: dict[str, tuple[int, int, str]]
    """What the index holds of (at least) those folders: id, folder time, files."""
    count: int
    """How many documents the index holds."""
    mark: str | None
    """The mark to keep once the changes are indexed; None for none."""
    kept: str | None
    """The mark the file held."""


def look(repo: Repository, database: sqlite3.Connection) -> Look:
    """The folders that differ from what the index file holds, and the mark to keep after."""
    documents = repo.root / DOCUMENTS_DIR
    count = database.execute("SELECT count(*) FROM documents").fetchone()[0]
    kept = _kept(database)
    if count < GIT_FROM:
        stored = stored_rows(database)
        return Look(changed_folders(documents, stored), stored, count, None, kept)
    baseline, since, watched, token = _parse_mark(kept)
    # The watcher, when one runs, names the paths changed since the look that made the mark: only those are
    # looked at. Its answer comes before any folder is looked at: a change meanwhile is named next time.
    answer = watch.changed_since(repo.root, token or "")
    if answer is None:
        watch.start_when_large(repo.root)  # for the looks after this one
    elif baseline is not None and answer[1] is not None:
        through = _look_through_watcher(documents, database, count, kept, (baseline, since, watched), answer)
        if through is not None:
            return through
    head = _head(repo.root)
    if head is None:
        stored = stored_rows(database)
        return Look(changed_folders(documents, stored), stored, count, None, kept)
    commit, tree = head
    new_token = answer[0] if answer is not None else None
    listing = _Listing(repo.root, commit, tree, baseline)
    # Before the folders are listed: a folder added meanwhile moves the time again, and shows next time.
    folders_time = _settled_folder_time(documents)
    if baseline is None:
        return _look_at_every_file(documents, database, listing, count, kept, folders_time, new_token)
    # Meanwhile, the folders: one whose time moved gained or lost a file.
    moved = _moved_folders(documents, database, folders_time == 0 or folders_time != since)
    if not listing.wait():
        stored = stored_rows(database)
        return Look(changed_folders(documents, stored), stored, count, None, kept)
    named = listing.differ | listing.flagged | listing.committed | watched
    candidates = moved | {name.split("/", 1)[0] for name in named}
    stored = stored_rows(database, candidates)
    changed = _changed_among(documents, candidates, stored, set())
    still = _still_watched(listing, candidates, changed, stored)
    return Look(changed, stored, count, _mark(tree, folders_time, still, count, new_token), kept)


def _look_through_watcher(documents: Path, database: sqlite3.Connection, count: int, kept: str | None,
                          mark: tuple[str, int, set[str]], answer: tuple[str, list[str]]) -> Look | None:
    """The folders the watcher names (a file in one changed, even to the same size and time) and those the mark
    watches, looked at; None when the watcher names documents/ itself (made, moved or removed as a whole)."""
    baseline, since, watched = mark
    token, paths = answer
    prefix = f"{DOCUMENTS_DIR}/"
    named: set[str] = set()
    for path in paths:
        if path in (DOCUMENTS_DIR, prefix):
            return None
        if path.startswith(prefix) and (slug := path[len(prefix):].split("/", 1)[0]):
            named.add(slug)
    candidates = named | {name.split("/", 1)[0] for name in watched}
    stored = stored_rows(database, candidates)
    changed = _changed_among(documents, candidates, stored, named)
    # A file read again now is watched, as after git's look: the commit may not hold what was read.
    still = {name for name in watched if name.split("/", 1)[0] not in changed}
    for slug, state in changed.items():
        if state is not None:
            still.update(_file_names(slug, state[1]))
    return Look(changed, stored, count, _mark(baseline, since, still, count, token), kept)


def _changed_among(documents: Path, candidates: set[str], stored: dict[str, tuple[int, int, str]],
                   named: set[str]) -> dict[str, State | None]:
    """Of the folders `candidates`, those that differ from what the index holds (those in `named` whenever they hold a
    document): what each holds now, None when gone."""
    changed: dict[str, State | None] = {}
    for slug in candidates:
        folder = f"{documents}/{slug}"
        known = stored.get(slug)
        if not os.path.isdir(folder):
            if known is not None:
                changed[slug] = None
            continue
        differs, state = _differs(folder, known)
        if not differs and slug in named:
            state = folder_state(folder)
            differs = state is not None or known is not None
        if differs:
            changed[slug] = state
    return changed


def keep_mark(database: sqlite3.Connection, mark: str | None) -> None:
    """Write a look's mark (None: keep none), after the changes it found are indexed (in the same transaction)."""
    if mark is None:
        database.execute("DELETE FROM meta WHERE key = ?", (_MARK,))
        return
    for trigger in _TRIGGERS:
        database.execute(trigger)
    database.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_MARK, mark))


def mark_start(repo: Repository) -> tuple[tuple[str, str] | None, int, set[str] | None]:
    """What a build takes before it lists the folders, for its mark: the commit checked out and its tree of
    documents/, the documents folder's time, and the files git says differ from that commit."""
    head = _head(repo.root)
    folders_time = _settled_folder_time(repo.root / DOCUMENTS_DIR)
    return head, folders_time, None if head is None else _differing(repo.root, head[0])


def built_mark(repo: Repository, start: tuple[tuple[str, str] | None, int, set[str] | None],
               indexed: dict[str, State]) -> str | None:
    """The mark of a file just built from the folders as `indexed` found them (their state before they were read).

    A file is not watched when git named it neither before the folders were
    listed nor now, the commit holds it, and its size and time are still the
    state's: its content was the commit's all along, and that is what was
    indexed. None below `GIT_FROM` documents, or without git.
    """
    head, folders_time, before = start
    if head is None or before is None or len(indexed) < GIT_FROM:
        return None
    commit, tree = head
    now = _differing(repo.root, commit)
    listed = run_git(repo.root, *_TREE_FILES, tree, check=False, binary=True)
    index = run_git(repo.root, *_INDEX, check=False, binary=True)
    if now is None or listed.returncode != 0 or index.returncode != 0:
        return None
    held = set(_names(listed.stdout))
    named = before | now | _flagged(index.stdout, f"{DOCUMENTS_DIR}/")
    documents = repo.root / DOCUMENTS_DIR
    watched = set()
    for slug, (_, files) in indexed.items():
        for known in files.split("\0"):
            name, size, mtime = known.rsplit("/", 2)
            relative = f"{slug}/{name}"
            try:
                stat = os.stat(f"{documents}/{relative}")
            except OSError:
                watched.add(relative)
                continue
            if (relative in named or relative not in held or stat.st_size != int(size)
                    or stat.st_mtime_ns != int(mtime)):
                watched.add(relative)
    return _mark(tree, folders_time, watched, len(indexed))


def _differing(root: Path, commit: str) -> set[str] | None:
    """The files under documents/ (relative to it) git says differ from a commit; None when git cannot say."""
    try:
        found = run_git(root, *_DIFFER, commit, "--", f"{DOCUMENTS_DIR}/", check=False, binary=True)
    except CicatextError:
        return None
    if found.returncode != 0:
        return None
    return _in_documents(found.stdout)


def marks_changed(look: Look) -> bool:
    """Whether the file's mark is to be written (or dropped) though no folder changed."""
    return look.mark != look.kept and not (look.mark is None and look.kept is None)


def _look_at_every_file(documents: Path, database: sqlite3.Connection, listing: _Listing, count: int,
                        kept: str | None, folders_time: int, token: str | None) -> Look:
    """Every folder and file looked at, as in a small repository, with the mark made from git's listing as well."""
    # git's look first: a file it finds as the commit has it and that is as indexed since before is the commit's.
    ready = listing.wait(every=True)
    stored = stored_rows(database)
    changed = changed_folders(documents, stored)
    if not ready:
        return Look(changed, stored, count, None, kept)
    watched = set()
    for slug, (_, _, files) in stored.items():
        if slug in changed:
            continue
        for name in _file_names(slug, files):
            if name in listing.differ or name in listing.flagged or name not in listing.files:
                watched.add(name)
    for slug, state in changed.items():
        if state is not None:
            watched.update(_file_names(slug, state[1]))
    return Look(changed, stored, count, _mark(listing.tree, folders_time, watched, count, token), kept)


def _still_watched(listing: _Listing, candidates: set[str], changed: dict[str, State | None],
                   stored: dict[str, tuple[int, int, str]]) -> set[str]:
    """The files to watch after this look: those of the folders that changed (read again now), and those of the
    folders looked at that git names, flags or the commit does not hold."""
    watched: set[str] = set()
    unsure: list[str] = []
    for slug in candidates:
        if slug in changed:
            state = changed[slug]
            if state is not None:
                watched.update(_file_names(slug, state[1]))
            continue
        known = stored.get(slug)
        if known is None:
            continue
        for name in _file_names(slug, known[2]):
            if name in listing.differ or name in listing.flagged:
                watched.add(name)
            else:
                unsure.append(name)
    if unsure:
        watched.update(set(unsure) - listing.held(unsure))
    return watched


def _mark(tree: str, folders: int, watched: set[str], count: int, token: str | None = None) -> str | None:
    """The mark to keep (with the watcher's token, when one answered); none when it would watch more files than there
    are documents (git's index not knowing the files as they are, as in a copy it was not refreshed for: each look
    then looks at every file)."""
    if len(watched) > max(count, 50):
        return None
    head = f"{tree} {token}" if token and " " not in token and "\n" not in token else tree
    return f"{head}\n{folders}\n" + "\0".join(sorted(watched))


def _parse_mark(mark: str | None) -> tuple[str | None, int, set[str], str | None]:
    """(tree, documents folder's time, watched files, the watcher's token) of a kept mark; (None, 0, empty, None)
    for none or a damaged one."""
    if mark is None:
        return None, 0, set(), None
    try:
        head, folders, watched = mark.split("\n", 2)
        tree, _, token = head.partition(" ")
        return tree, int(folders), set(watched.split("\0")) - {""}, token or None
    except ValueError:
        return None, 0, set(), None


def _kept(database: sqlite3.Connection) -> str | None:
    row = database.execute("SELECT value FROM meta WHERE key = ?", (_MARK,)).fetchone()
    return row[0] if row else None


def _head(root: Path) -> tuple[str, str] | None:
    """The commit checked out and its tree of documents/; None when there is none (or no git to ask)."""
    try:
        found = run_git(root, "rev-parse", "HEAD", f"HEAD:{DOCUMENTS_DIR}", check=False)
    except CicatextError:
        return None
    ids = found.stdout.split()
    return (ids[0], ids[1]) if found.returncode == 0 and len(ids) == 2 else None


def _settled_folder_time(documents: Path) -> int:
    """The documents folder's modification time, 0 when too recent to trust (or unknown)."""
    try:
        return max(settled_time(os.stat(documents).st_mtime_ns, time.time_ns()), 0)
    except OSError:
        return 0


def _moved_folders(documents: Path, database: sqlite3.Connection, listed: bool) -> set[str]:
    """The folders whose time is not the one the index holds (gone ones too), and, when `listed` (the documents
    folder's time moved since the mark was made), the folders the index does not hold."""
    base = str(documents)
    rows = database.execute("SELECT slug, folder FROM documents").fetchall()
    moved = set()
    for slug, modified in rows:
        try:
            if os.stat(f"{base}/{slug}").st_mtime_ns != modified:
                moved.add(slug)
        except OSError:
            moved.add(slug)
    if listed:
        slugs = {slug for slug, _ in rows}
        try:
            with os.scandir(documents) as entries:
                moved.update(entry.name for entry in entries if entry.is_dir() and entry.name not in slugs)
        except OSError:
            pass
    return moved


class _Listing:
    """git's listings of documents/, read in threads of their own while Python looks at the folders."""

    def __init__(self, root: Path, commit: str, tree: str, baseline: str | None) -> None:
        self.tree = tree
        self._root = root
        commands = {
            # Tracked files whose content or index entry differs from the commit's (by git's index's record of
            # each file's size and times, and its content where those cannot tell).
            "differ": (*_DIFFER, commit, "--", f"{DOCUMENTS_DIR}/"),
            "index": _INDEX,
        }
        if baseline is None:
            commands["files"] = (*_TREE_FILES, tree)
        elif baseline != tree:
            commands["committed"] = ("diff-tree", "-r", "--name-only", "-z", "--no-renames", baseline, tree)
        self._out: dict[str, bytes | None] = {}
        self._threads = [threading.Thread(target=self._run, args=(name, command), daemon=True)
                         for name, command in commands.items()]
        for thread in self._threads:
            thread.start()
        self.differ: set[str] = set()
        self.flagged: set[str] = set()
        self.committed: set[str] = set()
        self.files: set[str] = set()

    def _run(self, name: str, command: tuple[str, ...]) -> None:
        try:
            found = run_git(self._root, *command, check=False, binary=True)
        except CicatextError:
            self._out[name] = None
            return
        self._out[name] = found.stdout if found.returncode == 0 else None

    def wait(self, *, every: bool = False) -> bool:
        """Wait for git; whether every listing came (then `differ`, `flagged`, `committed` and, with `every`,
        `files` hold the names, relative to documents/)."""
        for thread in self._threads:
            thread.join()
        if any(out is None for out in self._out.values()):
            return False
        prefix = f"{DOCUMENTS_DIR}/"
        self.differ = _in_documents(self._out["differ"])
        self.flagged = _flagged(self._out["index"], prefix)
        self.committed = set(_names(self._out.get("committed") or b""))
        if every:
            self.files = set(_names(self._out["files"]))
        return True

    def held(self, names: list[str]) -> set[str]:
        """Those of `names` (relative to documents/) the commit's tree holds."""
        found = set()
        for at in range(0, len(names), 500):
            listed = run_git(self._root, *_TREE_FILES, self.tree, "--", *names[at:at + 500], check=False, binary=True)
            if listed.returncode != 0:
                return set()
            found.update(_names(listed.stdout))
        return found


def _names(out: bytes) -> list[str]:
    return [os.fsdecode(name) for name in out.split(b"\0") if name]


def _in_documents(out: bytes) -> set[str]:
    """The names git lists (NUL-separated, from the repository's top) that are under documents/, relative to it."""
    prefix = f"{DOCUMENTS_DIR}/"
    return {name[len(prefix):] for name in _names(out) if name.startswith(prefix)}


def _file_names(slug: str, files: str) -> list[str]:
    """The names, relative to documents/, of a folder's files as its state lists them."""
    return [f"{slug}/{known.split('/', 1)[0]}" for known in files.split("\0")]


def _flagged(index: bytes, prefix: str) -> set[str]:
    """The files git's index holds other than as a plain file, unflagged and merged (`H`; `h` is a file git is told
    to take as unchanged, `S` one it leaves out of the work tree), relative to documents/."""
    entries = index.count(b"\0")
    plain = sum(index.count(b"\0" + head) + index.startswith(head) for head in _PLAIN)
    if plain == entries:
        return set()
    flagged = set()
    for entry in index.split(b"\0"):
        if entry and not entry.startswith(_PLAIN):
            name = os.fsdecode(entry.split(b"\t", 1)[-1])
            if name.startswith(prefix):
                flagged.add(name[len(prefix):])
    return flagged


def stored_rows(database: sqlite3.Connection, slugs: set[str] | None = None) -> dict[str, tuple[int, int, str]]:
    """Each indexed document's id, folder time and files, by slug (of `slugs` alone when given)."""
    query = "SELECT id, slug, folder, files FROM documents"
    if slugs is None:
        return {slug: (document, folder, files) for document, slug, folder, files in database.execute(query)}
    found = {}
    ordered = sorted(slugs)
    for at in range(0, len(ordered), 500):
        part = ordered[at:at + 500]
        rows = database.execute(f"{query} WHERE slug IN ({', '.join('?' * len(part))})", part)
        found.update((slug, (document, folder, files)) for document, slug, folder, files in rows)
    return found


def changed_folders(documents: Path, stored: dict[str, tuple[int, int, str]]) -> dict[str, State | None]:
    """The document folders that differ from what the index holds: what each holds now, None when gone.

    A folder is a document when it holds a `document.yaml`, as for the
    catalogue. When a folder's modification time is what the index holds, no
    file came or went, so only the files it knows are looked at.
    """
    try:
        with os.scandir(documents) as entries:
            present = {entry.name for entry in entries if entry.is_dir()}
    except OSError:
        present = set()
    changed: dict[str, State | None] = {}
    for slug in present:
        known = stored.get(slug)
        differs, state = _differs(f"{documents}/{slug}", known)
        if differs:
            changed[slug] = state
    for slug in stored.keys() - present:
        changed[slug] = None
    return changed


def _differs(folder: str, known: tuple[int, int, str] | None) -> tuple[bool, State | None]:
    """Whether a folder that is there differs from what the index holds of it (`known`, None for nothing), and what
    it holds now (None when no document); a folder whose files are as held is not read again."""
    if known is not None and _unchanged(folder, known[1], known[2]):
        return False, None
    state = folder_state(folder)
    return state != (known[1:] if known is not None else None) or (state is not None and unsettled(state[1])), state


def _unchanged(folder: str, modified: int, files: str) -> bool:
    """Whether a folder still holds the files it held, at the sizes and times it held them."""
    try:
        if os.stat(folder).st_mtime_ns != modified:
            return False
        for known in files.split("\0"):
            name, size, mtime = known.split("/")
            stat = os.stat(f"{folder}/{name}")
            if stat.st_size != int(size) or stat.st_mtime_ns != int(mtime):
                return False
    except OSError:
        return False
    return True


def folder_state(folder: str) -> State | None:
    """A document folder's modification time (0 when too recent to trust) and its files, or None if not a document."""
    try:
        modified = os.stat(folder).st_mtime_ns  # before the entries: an entry added meanwhile shows next time
    except OSError:
        return None
    now = time.time_ns()
    files = document_files(folder, now)
    if not files:
        return None
    # A file added within the same clock tick as the last change would not move the time.
    settled = max(settled_time(modified, now), 0)
    return settled, "\0".join(sorted(f"{name}/{size}/{mtime}" for name, size, mtime in files))


def unsettled(files: str) -> bool:
    """Whether a folder's files (as `folder_state` lists them) hold one changed too recently to be known by its time."""
    return any(known.rsplit("/", 1)[1] == str(UNSETTLED) for known in files.split("\0"))
