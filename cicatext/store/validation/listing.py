"""The files `validate` checks, with their git blob ids, from git's own listing; and a digest of that listing.

The digest is made from git's bytes as they come (`git ls-files -s`, the
index's names and blob ids) and from the few entries `git status` reports,
so a run where nothing changed knows it without building a value per file.
The blob ids, one per file, are made only when something did change.
"""

from __future__ import annotations

import hashlib
import os
import time
from functools import lru_cache
from pathlib import Path

from cicatext.resources import schemas_dir
from cicatext.store.files import blob_id
from cicatext.store.git import run_git
from cicatext.store.layout import (
    CACHE_DIR,
    DOCUMENTS_DIR,
    GITIGNORE_FILE,
    RECORD_PLACES,
    TEMPLATES_DIR,
    is_document_text,
    kind_of,
)
from cicatext.store.validation.ignores import (
    could_hide_read_files,
    user_config_folder,
    user_excludes,
)
from cicatext.store.watch.client import changed_since, git_options


class Listing:
    """The work tree's files as git lists them (the tracked ones still there and the untracked ones git does not
    ignore), read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # Before git looks: the watcher's token (a change meanwhile is named next time) and the state of what git
        # reads beyond the work tree, for a later run to take this listing as it stands (`watched`).
        self.at = time.time_ns()
        answer = changed_since(root, "")
        self.token: str | None = answer[0] if answer is not None else None
        settings = _git_settings(root)
        self.excludes = settings.get("core.excludesfile")
        before = outside_state(root, self.excludes) if self.token else None
        staged = run_git(root, "ls-files", "-s", "-z", check=False, binary=True)
        careful = staged.returncode != 0 or could_hide_read_files(
            root, settings.get("core.excludesfile"), _gitignores(staged.stdout),
            ignore_case=settings.get("core.ignorecase") == "true")
        entries = _entries(root, settings, careful)
        if not careful and entries is not None:
            added = [entry[3:] for entry in entries if entry.startswith("?? ") and _is_gitignore(entry[3:])]
            if added and could_hide_read_files(root, settings.get("core.excludesfile"), added,
                                               ignore_case=settings.get("core.ignorecase") == "true"):
                entries = _entries(root, settings, careful=True)
        self.staged: bytes | None = staged.stdout if staged.returncode == 0 and entries is not None else None
        self.staged_digest: str | None = hashlib.sha1(self.staged).hexdigest() if self.staged is not None else None
        """A digest of git's index as `git ls-files -s` lists it; None when git could not list."""
        after = outside_state(root, self.excludes) if self.token else None
        self.outside: list | None = after if after == before else None
        """What git reads beyond the work tree (its index, its exclude file, the configurations), as it stood
        throughout this listing; None when it changed meanwhile (git may write its index as it looks)."""
        self.deleted: set[str] = set()
        self.stale: dict[str, str | None] = {}
        """The files git says differ from the index, or does not track, with the blob id of their content here."""
        self.untracked: set[str] = set()
        """Those of them git does not track."""
        self.ignored_read: list[str] = []
        """The files (or whole folders) git ignores where validate's checks may read them: a document's text or
        record, a record of the registry or the Modalities, a note's template. No blob id stands for what they
        hold, so a result kept under this listing cannot stand for them either."""
        if self.staged is None or entries is None:
            return
        for entry in entries:
            # XY PATH: X the index against HEAD, Y the work tree against the index; ?? untracked.
            state, name = entry[:2], entry[3:]
            if not name or name.startswith(CACHE_DIR + "/"):
                continue
            if state == "!!":
                if _read_by_checks(name):
                    self.ignored_read.append(name)
                continue
            if state[1] == "D":
                self.deleted.add(name)
            elif state[1] != " " or state[0] in "?U":
                self.stale[name] = _hash_file(root / name)
                if state == "??":
                    self.untracked.add(name)

    @classmethod
    def kept(cls, root: Path, *, at: int, token: str, excludes: str | None, outside: list, staged_digest: str,
             stale: dict[str, str | None], untracked: set[str], deleted: set[str]) -> Listing:
        """The listing as a run kept it (`since`), brought up to date by the caller (`watched`): git is not asked."""
        listing = cls.__new__(cls)
        listing.root, listing.at, listing.token, listing.excludes, listing.outside = root, at, token, excludes, outside
        listing.staged, listing.staged_digest = None, staged_digest
        listing.stale, listing.untracked, listing.deleted, listing.ignored_read = stale, untracked, deleted, []
        return listing

    def digest(self) -> str:
        """A digest of what `ids()` is made from (git's listing as bytes, the files hashed here): the same digest, the
        same ids."""
        if self.staged_digest is None:
            return _digest_of(self.ids())
        digest = hashlib.sha1(self.staged_digest.encode())
        for name in sorted(self.deleted):
            digest.update(f"\0deleted\0{name}".encode("utf-8", "surrogateescape"))
        for name, blob in sorted(self.stale.items()):
            digest.update(f"\0changed\0{name}\0{blob}".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def ids(self) -> dict[str, str]:
        """Every file to check, in order, with its git blob id as it is in the work tree.

        A tracked file's id is the index's, unless git says the file differs
        from it; those and untracked files are hashed here. Without git, every
        file but git's and cicatext's own is hashed.
        """
        if self.staged is None:
            return {name: blob for name in _walk(self.root) if (blob := _hash_file(self.root / name)) is not None}
        ids: dict[str, str] = {}
        for entry in self.staged.decode("utf-8", "surrogateescape").split("\0"):
            meta, tab, name = entry.partition("\t")
            if tab and not meta.startswith("160000"):  # a submodule is no file
                ids[name] = meta.split(" ", 2)[1]
        for name in self.deleted:
            ids.pop(name, None)
        cache_prefix = CACHE_DIR + "/"
        found: dict[str, str] = {}
        for name in sorted(ids.keys() | self.stale.keys()):
            if name.startswith(cache_prefix):
                continue
            if name in self.stale:
                blob = self.stale[name]
                if blob is not None:
                    found[name] = blob
            else:
                found[name] = ids[name]
        return found


def outside_state(root: Path, excludes: str | None) -> list:
    """The size, time and inode of each file git reads beyond the work tree when it lists it: its index, its exclude
    file, the repository's and the user's configurations and excludes files (`[path, None]` for one not there)."""
    home = os.environ.get("HOME")
    config = user_config_folder()
    paths = [root / ".git" / "index", root / ".git" / "info" / "exclude", root / ".git" / "info" / "attributes",
             root / ".git" / "config", Path("/etc/gitconfig")]
    paths += [Path(os.environ["GIT_CONFIG_GLOBAL"])] if os.environ.get("GIT_CONFIG_GLOBAL") else []
    paths += [Path(home, ".gitconfig")] if home else []
    paths += [config / "git" / "config", config / "git" / "ignore", config / "git" / "attributes"] if config else []
    if excludes:
        paths.append(user_excludes(root, excludes))
    # Settings given through the environment count as much as those of the files.
    found: list = [sorted([name, value] for name, value in os.environ.items()
                          if name.startswith("GIT_CONFIG") or name in ("GIT_ATTR_NOSYSTEM", "HOME"))]
    for path in paths:
        try:
            stat = os.stat(path)
            found.append([str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino])
        except OSError:
            found.append([str(path), None])
    return found


_DATA_FOLDERS = frozenset(place.split("/", 1)[0] for place, _ in RECORD_PLACES if "/" in place) | {
    DOCUMENTS_DIR, TEMPLATES_DIR.split("/", 1)[0]}
"""The top folders where cicatext's records, texts and templates live."""


def _git_settings(root: Path) -> dict[str, str]:
    """The settings of git's that decide how the listing is asked for, as git's configuration gives them."""
    found = run_git(root, "config", "-z", "--type=path", "--get-regexp",
                    r"^core\.(excludesfile|untrackedcache|ignorecase)$", check=False).stdout
    settings = {}
    for item in found.split("\0"):
        key, _, value = item.partition("\n")
        if key:
            settings[key.lower()] = value.lower() if key.lower() != "core.excludesfile" else value
    return settings


def _entries(root: Path, settings: dict[str, str], careful: bool) -> list[str] | None:
    """`git status`'s entries (`XY name`), each untracked folder's files named one by one; None when git fails.

    `git status` (rather than `ls-files -m`) refreshes the index's record of each file when it can, so that a
    copied or touched tree is hashed by git once, not on every run. It names a folder git tracks nothing in
    rather than each file in it (`--untracked-files=normal`, in half the time of `all` in a large tree): those
    folders' files are listed apart, by the same rules.

    `careful`: when a rule could hide a file the checks read (`ignores.could_hide_read_files`), the files git
    ignores are named too (`--ignored=matching`, a folder as a whole), for `ignored_read`; that walks every
    folder. Otherwise git keeps what it found untracked in each folder in its index (the untracked cache,
    `core.untrackedCache`, unless the repository says otherwise) and looks again only in the folders that changed.
    """
    # In a large repository, git asks the watcher which files changed rather than looking at each (`store.watch`).
    watched = git_options(root)
    if careful:
        changed = run_git(root, *watched, "status", "--porcelain", "-z", "--untracked-files=normal",
                          "--ignored=matching", "--no-renames", check=False, binary=True)
    else:
        cache = () if "core.untrackedcache" in settings else ("-c", "core.untrackedCache=true")
        changed = run_git(root, *watched, *cache, "status", "--porcelain", "-z", "--untracked-files=normal",
                          "--no-renames", check=False, binary=True)
    if changed.returncode != 0:
        return None
    entries = changed.stdout.decode("utf-8", "surrogateescape").split("\0")
    folders = [entry[3:] for entry in entries if entry.startswith("?? ") and entry.endswith("/")
               and not entry[3:].startswith(CACHE_DIR + "/")]
    if not folders:
        return entries
    # The folders' names are taken as written (the gateway gives git no patterns): a folder may be named `:notes`.
    inside = run_git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", *folders, check=False,
                     binary=True)
    if inside.returncode != 0:
        return None
    untracked = inside.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [entry for entry in entries if entry[3:] not in folders] + [f"?? {name}" for name in untracked]


def _gitignores(staged: bytes) -> list[str]:
    """The `.gitignore` files in `git ls-files -s -z`'s listing."""
    found = []
    at = staged.find(b".gitignore\0")
    while at >= 0:
        # The entry's name follows the first tab after the NUL ending the entry before (a name may hold a tab).
        entry = staged.rfind(b"\0", 0, at) + 1
        start = staged.find(b"\t", entry, at) + 1
        name = staged[start:at + len(b".gitignore")].decode("utf-8", "surrogateescape")
        if _is_gitignore(name):
            found.append(name)
        at = staged.find(b".gitignore\0", at + 1)
    return found


def _is_gitignore(name: str) -> bool:
    return name == GITIGNORE_FILE or name.endswith("/" + GITIGNORE_FILE)


def _read_by_checks(name: str) -> bool:
    """Whether validate's checks may read this file (or, for `folder/`, a file in this folder) from the disk."""
    if name.endswith("/"):
        return name.split("/", 1)[0] in _DATA_FOLDERS
    return kind_of(name) is not None or is_document_text(name) or name.startswith(f"{TEMPLATES_DIR}/")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """cicatext as it runs in this process: its version, the size and time of each of its modules, its schemas.

    Kept for the life of the process, which runs the code it loaded whatever
    is later written over it on disk.
    """
    import cicatext

    digest = hashlib.sha1(cicatext.__version__.encode())
    package = Path(cicatext.__file__).parent
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    for path in sorted(schemas_dir().glob("*.schema.json")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _digest_of(ids: dict[str, str]) -> str:
    digest = hashlib.sha1()
    for name, blob in ids.items():
        digest.update(f"{name}\0{blob}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _hash_file(path: Path) -> str | None:
    """The git blob id of a file's content; None when it cannot be read (gone, or a folder)."""
    try:
        return blob_id(path.read_bytes())
    except OSError:
        return None


def _walk(root: Path) -> list[str]:
    """Every file under `root` but git's and cicatext's own, when git cannot list them."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in (".git", CACHE_DIR)]
        for name in filenames:
            found.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    return sorted(found)
