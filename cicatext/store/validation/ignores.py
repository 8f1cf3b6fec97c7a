"""Whether a rule git ignores files by could hide a file validate's checks read, told without walking the tree.

Finding the files git ignores means git walking every folder (`git status
--ignored`), which no cache of git's spares: in a repository of 20,000
documents that walk is most of a run of `validate` where nothing changed.
Most repositories' rules never touch the files the checks read (`.cicatext/`,
an editor's `*.swp`, a `build/` folder): so the rules are read instead, and
the walk is made only when one of them could.

The rules are those git reads: `.git/info/exclude`, the user's
`core.excludesFile` (or git's default, `git/ignore` in the user's
configuration folder), and each `.gitignore` git lists (tracked, or untracked
and not ignored). A rule could hide a read file when it could match one of
the paths `READ_PLACES` spells, or a folder on the way to one. Where a place's
name is free (a document's folder, a delegation's folder), the names there
now are looked at (one folder listed, not the tree): `*.bak` hides nothing
until a folder so named stands in `documents/`. A rule this module cannot
read for sure (a `**`, an escape, a `.gitignore` below a data folder, a rule
that could hide a `.gitignore`) counts as one that could.

What it cannot see: a `.gitignore` that git ignores by its own rules alone
(it names itself, and nothing else names it) is in no listing; its rules are
not read.
"""

from __future__ import annotations

import fnmatch
import os
import re
from functools import lru_cache
from pathlib import Path

from cicatext.store.layout import (
    DOCUMENT_TEXTS,
    GITIGNORE_FILE,
    RECORD_PLACES,
    TEMPLATES_DIR,
)

ANY = "**"
"""In a read place: any path below (the templates' folder, read to any depth)."""

READ_PLACES: tuple[tuple[str, ...], ...] = (
    *(tuple(place.split("/")) for place, _ in RECORD_PLACES),
    tuple(DOCUMENT_TEXTS.split("/")),
    (*TEMPLATES_DIR.split("/"), ANY),
)
"""The paths validate's checks read from the disk, as globs one per path segment (cf. `listing._read_by_checks`)."""

_WILD = "*?["
_LISTED_AT_MOST = 2_000
"""The most entries looked at under the templates' folder before a rule counts as one that could hide a file."""


def could_hide_read_files(root: Path, excludes_file: str | None, gitignores: list[str], *,
                          ignore_case: bool = False) -> bool:
    """Whether a rule in force could make git ignore a file the checks read, or a folder holding one.

    `excludes_file`: `core.excludesFile` as git's configuration gives it (None when unset); `gitignores`: the
    repository-relative paths of the `.gitignore` files git lists; `ignore_case`: git's `core.ignoreCase`.
    """
    if any(os.environ.get(name) for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR")):
        return True  # git's folder is elsewhere: its exclude file is not where this looks
    git_dir = root / ".git"
    if not git_dir.is_dir():
        return True  # a worktree's or a submodule's: its exclude file is found through git
    sources: list[tuple[tuple[str, ...], Path]] = [((), git_dir / "info" / "exclude")]
    user_file = user_excludes(root, excludes_file)
    if user_file is not None:
        sources.append(((), user_file))
    for name in gitignores:
        base = tuple(name.split("/")[:-1])
        if base and not _base_holds_read_places(base):
            continue  # its rules reach only below its folder, where nothing is read
        sources.append((base, root / name))
    places = _Places(root, ignore_case)
    for base, path in sources:
        try:
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
        except FileNotFoundError:
            continue
        except OSError:
            return True
        if base and any(rule_of(line) is not None for line in text.splitlines()):
            return True  # rules below a data folder: not read here
        if any(_could_hide(rule, places) for line in text.splitlines() if (rule := rule_of(line)) is not None):
            return True
    return False


def rule_of(line: str) -> str | None:
    """A line of an ignore file as the rule that ignores (comments, blank lines and `!` rules, which ignore
    nothing, give None); a line ending in an escaped space keeps its escape and so counts as unsure."""
    if line.endswith("\r"):
        line = line[:-1]
    if not line.endswith("\\ "):
        line = line.rstrip(" ")
    if not line or line.startswith(("#", "!")):
        return None
    return line


def _could_hide(rule: str, places: _Places) -> bool:
    pattern = rule.rstrip("/")
    if "\\" in rule or ANY in rule or _meets(pattern.rsplit("/", 1)[-1], GITIGNORE_FILE):
        return True
    if not pattern:
        return False
    if "/" in pattern:
        return _anchored_could_hide(pattern.lstrip("/").split("/"), places)
    return any(_unanchored_could_hide(pattern, place, places) for place in READ_PLACES)


def _anchored_could_hide(segments: list[str], places: _Places) -> bool:
    """A rule with a `/` matches paths from the root down, one segment a segment (a folder it matches hides all
    below)."""
    for place in READ_PLACES:
        if len(segments) > len(place) and place[-1] != ANY:
            continue
        if all(i < len(place) and (place[i] == ANY or _meets(segment, place[i])) for i, segment in enumerate(segments)):
            concrete = [segment if not _wild(segment) else place[i] for i, segment in enumerate(segments)]
            if any(_wild(segment) or segment == ANY for segment in concrete) or places.exists(concrete):
                return True
    return False


def _unanchored_could_hide(pattern: str, place: tuple[str, ...], places: _Places) -> bool:
    """A rule without `/` matches a file's or a folder's name at any depth: at each depth of the place, the names
    there now (the folders reached so far, listed) are matched; past `_LISTED_AT_MOST` names, any could be."""
    parents: list[tuple[str, ...]] | None = [()]
    for i, segment in enumerate(place):
        if segment == ANY:
            return parents is None or any(places.any_below(parent, pattern) for parent in parents)
        if _meets(pattern, segment) and (parents is None or any(places.any_named(parent, pattern, segment)
                                                                for parent in parents)):
            return True
        if not any(later == ANY or _meets(pattern, later) for later in place[i + 1:]):
            return False  # nothing deeper it could match: the folders here need no listing
        if parents is not None:
            parents = places.folders(parents, segment) if _wild(segment) else [(*p, segment) for p in parents]
    return False


class _Places:
    """The names that stand in the read places' folders now, listed once each."""

    def __init__(self, root: Path, ignore_case: bool) -> None:
        self.root = root
        self.ignore_case = ignore_case
        self._listed: dict[tuple[str, ...], list[str]] = {}

    def exists(self, segments: list[str]) -> bool:
        """Whether a path stands there (git told to ignore case may match it in another case: then it may)."""
        return self.ignore_case or os.path.lexists(os.path.join(self.root, *segments))

    def any_named(self, parent: tuple[str, ...], pattern: str, segment: str) -> bool:
        """Whether a name in the folder `parent` matches both the rule's `pattern` and the place's `segment`."""
        if not _wild(pattern) and not self.ignore_case:
            # One name: looked for, not listed (in a case-blind file system, found in any case).
            return fnmatch.fnmatchcase(pattern, segment) and self.exists([*parent, pattern])
        matches = _matcher(pattern)
        return any(matches(name) and fnmatch.fnmatchcase(name, segment) for name in self._names(parent))

    def folders(self, parents: list[tuple[str, ...]], segment: str) -> list[tuple[str, ...]] | None:
        """The names matching `segment` in each of the folders `parents`; None when they hold too many to list."""
        found = []
        for parent in parents:
            names = self._names(parent)
            if len(names) + len(found) > _LISTED_AT_MOST:
                return None
            found += [(*parent, name) for name in names if fnmatch.fnmatchcase(name, segment)]
        return found

    def _names(self, parent: tuple[str, ...]) -> list[str]:
        if parent not in self._listed:
            try:
                self._listed[parent] = os.listdir(os.path.join(self.root, *parent))
            except OSError:
                self._listed[parent] = []
        return self._listed[parent]

    def any_below(self, parent: tuple[str, ...], pattern: str) -> bool:
        """Whether a name at any depth below `parent` matches the rule's `pattern` (a large folder: assumed so)."""
        seen = 0
        for _, folders, files in os.walk(os.path.join(self.root, *parent)):
            for name in (*folders, *files):
                seen += 1
                if seen > _LISTED_AT_MOST or _matcher(pattern)(name):
                    return True
        return False


def _base_holds_read_places(base: tuple[str, ...]) -> bool:
    """Whether a read place lies at or below the folder `base`."""
    return any(all(i < len(place) and (place[i] == ANY or _meets(name, place[i])) for i, name in enumerate(base))
               for place in READ_PLACES)


def user_excludes(root: Path, configured: str | None) -> Path | None:
    """The user's excludes file: as configured (git reads a relative path from the work tree's top), or git's
    default."""
    if configured:
        return root / Path(configured).expanduser()
    folder = user_config_folder()
    return folder / "git" / "ignore" if folder else None


def user_config_folder() -> Path | None:
    """Where git looks for the user's own configuration folder: `XDG_CONFIG_HOME`, else `~/.config`; None
    without either."""
    home = os.environ.get("HOME")
    base = os.environ.get("XDG_CONFIG_HOME") or (os.path.join(home, ".config") if home else None)
    return Path(base) if base else None


def _wild(text: str) -> bool:
    return any(c in text for c in _WILD)


@lru_cache(maxsize=64)
def _matcher(pattern: str):
    """Whether git could match a name by `pattern` (in either case: git may be told to ignore it); a `[...]` class,
    which git reads otherwise than Python in places, matches any name."""
    if "[" in pattern:
        return lambda name: True
    return re.compile(fnmatch.translate(pattern), re.IGNORECASE).match


@lru_cache(maxsize=1024)
def _meets(a: str, b: str) -> bool:
    """Whether two one-segment globs could match the same name (either case): when one is a plain name, whether the
    other matches it; else whether the plain text each starts and ends with agree."""
    a, b = a.lower(), b.lower()
    if not _wild(a) and not _wild(b):
        return a == b
    if not _wild(a) and "[" not in b:
        return fnmatch.fnmatchcase(a, b)
    if not _wild(b) and "[" not in a:
        return fnmatch.fnmatchcase(b, a)
    start_a, start_b = _plain_start(a), _plain_start(b)
    end_a, end_b = _plain_end(a), _plain_end(b)
    return (start_a.startswith(start_b) or start_b.startswith(start_a)) and \
        (end_a.endswith(end_b) or end_b.endswith(end_a))


def _plain_start(glob: str) -> str:
    cut = min((glob.index(c) for c in _WILD if c in glob), default=len(glob))
    return glob[:cut]


def _plain_end(glob: str) -> str:
    cut = max((glob.rindex(c) for c in "*?[]" if c in glob), default=-1)
    return glob[cut + 1:]
