"""The round's tree: main's tree with the round's files written and the merged delegations' folders taken from their
branches, written tree by tree along the changed paths.

Only the trees on the way to a change are read (`git ls-tree`) and written
(`git mktree`); every other tree keeps the id it has on main, so the cost
follows the change, not the size of the repository. The tree is the one a
temporary index of main's whole tree would write (`git read-tree`, the
changes, `git write-tree`), which is how it was written before: an index
writes each file's mode as 100644, 100755, 120000 or 160000 and leaves out
a folder holding no file. Where a tree this writes or reuses could differ
from that (a mode of another form, an empty folder, a name git would check
or refuse on the way into an index), `round_tree` says so by giving None,
and the round writes its tree through the index instead. One difference is
kept: a folder beside the changed paths that holds only empty folders (a
tree no `git add` makes; only a hand-made commit has one) keeps the id it
has on main, where an index would leave it out. Finding one would mean
reading every tree beside the changed paths; a round leaves what it does
not change as main has it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cicatext.store.files import object_id
from cicatext.store.layout import delegation_folder
from cicatext.store.negotiation.refs import cat_files, tree_entries
from cicatext.store.repository import Repository

_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_TREE_MODE = "40000"
# A listing line's head as `git ls-tree` prints it, for each mode an index keeps as it is.
_PLAIN_HEADS = (b"100644 blob ", b"100755 blob ", b"120000 blob ", b"160000 commit ", b"040000 tree ")
_ODD_HEAD = re.compile(rb"(?:^|\0)(?!" + b"|".join(re.escape(head) for head in _PLAIN_HEADS) + rb")[^\0]")
# A name an index takes as it is, whatever git's checks of names are set to.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+@-]*")

Change = tuple[str, str, str] | None
"""What a path becomes: (mode, type, object id), or None for nothing there."""


class _NotPlain(Exception):
    """A tree on the way holds what an index would write otherwise."""


def round_tree(repo: Repository, main: str, blobs: Mapping[str, str], folders: Mapping[str, str]) -> str | None:
    """The id of main's tree with each path of `blobs` set to that blob (mode 100644) and, for each delegation of
    `folders` (code to its branch's tip), its folder of position sets as the tip has it, or gone when the tip has
    none; None where only an index would write it as the round always has (the module's note)."""
    changes: dict[str, Change] = {path: ("100644", "blob", blob) for path, blob in blobs.items()}
    try:
        for code, tree in _folder_trees(repo, folders).items():
            changes[delegation_folder(code)] = None if tree is None else (_TREE_MODE, "tree", tree)
        return _write(repo, f"{main}^{{tree}}", changes)
    except _NotPlain:
        return None


def _folder_trees(repo: Repository, folders: Mapping[str, str]) -> dict[str, str | None]:
    """Each delegation's folder as its tip holds it: the tree's id, None when there is none (or no file in it)."""
    codes = sorted(folders)
    found = cat_files(repo, [f"{folders[code]}:{delegation_folder(code)}" for code in codes])
    trees: dict[str, str | None] = {}
    queue: list[bytes] = []
    for code, item in zip(codes, found):
        if item is None or item[0] != "tree":
            trees[code] = None
        elif not item[1]:
            trees[code] = None  # an empty folder: an index holds nothing of it either
        else:
            trees[code] = object_id("tree", item[1])
            queue.append(item[1])
    # Every tree inside, read level by level, must be one an index would write back the same.
    while queue:
        inner = [oid for raw in queue for oid in _plain_entries(raw)]
        queue = []
        for oid, item in zip(inner, cat_files(repo, inner)):
            if item is None or item[0] != "tree" or not item[1]:
                raise _NotPlain(oid)
            queue.append(item[1])
    return trees


def _plain_entries(raw: bytes) -> list[str]:
    """The ids of the trees a raw tree holds; _NotPlain unless each entry is as an index would write it, in order."""
    trees: list[str] = []
    previous = b""
    for mode, name, oid in tree_entries(raw):
        try:
            text = name.decode("ascii")
        except UnicodeDecodeError:
            raise _NotPlain(name) from None
        if not _plain(text) or mode not in (b"100644", b"100755", b"120000", b"160000", b"40000"):
            raise _NotPlain(name)
        key = name + (b"/" if mode == b"40000" else b"")
        if key <= previous:
            raise _NotPlain(name)
        previous = key
        if mode == b"40000":
            trees.append(oid)
    return trees


def _plain(name: str) -> bool:
    return bool(_PLAIN_NAME.fullmatch(name)) and not name.endswith(".") and not name.lower().startswith("git~")


def _write(repo: Repository, tree: str | None, changes: Mapping[str, Change]) -> str | None:
    """The id of `tree` (None: an empty one) with `changes` made (paths inside it); None when nothing is left."""
    listing = repo.run_git("ls-tree", "-z", tree, binary=True).stdout if tree else b""
    if _ODD_HEAD.search(listing) or f" {_EMPTY_TREE}\t".encode() in listing:
        raise _NotPlain(tree)
    here: dict[str, Change] = {}
    below: dict[str, dict[str, Change]] = {}
    for path, change in changes.items():
        name, _, rest = path.partition("/")
        if rest:
            below.setdefault(name, {})[rest] = change
        else:
            here[name] = change
    added: list[bytes] = []
    for name in sorted(here.keys() | below.keys()):
        if not _plain(name):
            raise _NotPlain(name)
        start, end, head = _entry(listing, name)
        change = here.get(name)
        if name in below:
            if head is not None and not head.startswith(b"040000 tree "):
                raise _NotPlain(name)  # a file where a folder is to be
            inner = _write(repo, head[12:].decode() if head is not None else None, below[name])
            change = None if inner is None else (_TREE_MODE, "tree", inner)
        listing = listing[:start] + listing[end:]
        if change is not None:
            mode, kind, oid = change
            added.append(f"{mode.rjust(6, '0')} {kind} {oid}\t{name}".encode() + b"\0")
    listing += b"".join(added)
    if not listing:
        return None
    # mktree puts the entries in git's order; every object named is in the repository already.
    return repo.run_git("mktree", "-z", "--missing", input=listing, binary=True).stdout.decode().strip()


def _entry(listing: bytes, name: str) -> tuple[int, int, bytes | None]:
    """Where a name's line is in a `git ls-tree -z` listing (start, end), and its head (mode, type, id); the end
    of the listing and None when it holds no such name."""
    wanted = b"\t" + name.encode() + b"\0"
    at = listing.find(wanted)
    while at >= 0:
        start = listing.rfind(b"\0", 0, at) + 1
        if listing.find(b"\t", start) == at:  # the line's first tab: the name is the whole of it
            return start, at + len(wanted), listing[start:at]
        at = listing.find(wanted, at + 1)
    return len(listing), len(listing), None
