"""The write journal, and the writes it makes all or nothing: a commit's files, a branch moved with the work tree.

A writer keeps in `.git/cicatext-journal.json` what it is about to change,
for as long as it changes it (`journaled`): the files a commit overwrites,
or the commits a branch moves between. A writer killed half-way (no handler
runs on SIGKILL) leaves the journal, and the next writer, once it holds the
lock, finishes or undoes the work (`recover`). A branch moves with each
changed file written whole (`move_branch`, `switch_branch`), never torn as
git's own checkout may leave it.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cicatext.errors import RepositoryError
from cicatext.store.files import write_atomic
from cicatext.store.git import read_objects, resolve
from cicatext.store.layout import JOURNAL

if TYPE_CHECKING:
    from cicatext.store.repository import Repository


@contextmanager
def journaled(repo: Repository, entry: dict) -> Iterator[None]:
    """Keep `entry` in the write journal while the block runs: a writer killed in it (no handler runs on
    SIGKILL) leaves the journal, and the next writer finishes or undoes its work (`recover`)."""
    write_atomic(_journal_path(repo), json.dumps(entry))
    try:
        yield
    except BaseException:
        # The block put back what it could; the journal settles the rest (an undo that failed, or a ref that
        # moved just before an interrupt), or stays for the next writer.
        try:
            recover(repo)
        except RepositoryError:
            pass
        raise
    _journal_path(repo).unlink(missing_ok=True)


def commit_entry(head: str | None, originals: Mapping[str, bytes | None]) -> dict:
    """The journal of a commit about to be made: where HEAD stood, and what each of its files was (None: absent)."""
    return {"head": head, "files": {path: None if data is None else base64.b64encode(data).decode("ascii")
                                    for path, data in originals.items()}}


def pending(repo: Repository) -> bool:
    """Whether a killed writer left its journal, for `recover` to act on."""
    return _journal_path(repo).exists()


def recover(repo: Repository) -> None:
    """Finish what a killed writer left: files of a commit that did not happen put back, a move of main completed or undone."""
    journal = _journal_path(repo)
    if not journal.exists():
        return
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
        originals = None if "move" in entry or "switch" in entry else {
            path: None if data is None else base64.b64decode(data) for path, data in entry["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # Written whole by cicatext, so only a hand could have spoilt it: nothing in it can be acted on.
        journal.unlink(missing_ok=True)
        return
    try:
        if "move" in entry:
            _recover_move(repo, entry["move"])
        elif "switch" in entry:
            _recover_switch(repo, entry["switch"])
        elif repo.head() == entry.get("head"):
            _restore(repo, originals)
    except (OSError, RepositoryError, KeyError, TypeError) as error:
        # The journal stays, for the next command to try again.
        raise RepositoryError(
            f"a cicatext command was interrupted here, and finishing its work failed: {error}",
            file=str(journal), hint="see `git status`; when no other git command is running, run the command "
                                    "again, and it tries again") from None
    journal.unlink(missing_ok=True)


def _journal_path(repo: Repository) -> Path:
    return repo.git_dir() / JOURNAL


def _restore(repo: Repository, originals: Mapping[str, bytes | None]) -> None:
    paths = list(originals)
    repo.run_git("reset", "--quiet", "--", *paths, check=False)
    write_files(repo.root, originals)


def write_files(root: Path, files: Mapping[str, str | bytes | None]) -> None:
    """Write each file atomically; None deletes it."""
    for relative, content in files.items():
        target = root / relative
        if content is None:
            target.unlink(missing_ok=True)
        else:
            write_atomic(target, content)


def move_branch(repo: Repository, branch: str, old: str, new: str, *, tag: tuple[str, str] | None = None,
                env: Mapping[str, str] | None = None) -> None:
    """Move the checked-out `branch` from `old` to `new` with the working tree, and make `tag` (name, message) at it.

    All or nothing: a failure puts back the tree and the branch; a writer
    killed half-way is completed or undone by the next one (by where the
    branch stands then), through the write journal. Call with the lock
    held and a clean working tree. ORIG_HEAD is left at `old`, as a merge
    leaves it.
    """
    ref = f"refs/heads/{branch}"
    move = {"ref": ref, "old": old, "new": new, "tag": list(tag) if tag else None, "env": dict(env or {})}

    def finish() -> None:
        repo.run_git("update-ref", "-m", f"cicatext: {tag[0] if tag else branch}", ref, new, old)
        if tag:
            try:
                repo.run_git("tag", "-a", *_sign(repo), "-F", "-", tag[0], new, input=tag[1], env=env)
            except BaseException:
                repo.run_git("update-ref", ref, old, new, check=False)
                raise
        repo.run_git("update-ref", "--no-deref", "ORIG_HEAD", old, check=False)

    _refuse_over_untracked(repo, old, new)
    with journaled(repo, {"move": move}):
        _move_tree(repo, old, new, finish)


def switch_branch(repo: Repository, branch: str) -> None:
    """Check out the existing local `branch`, as `git switch` does, each changed file written whole.

    All or nothing, as `move_branch`: a failure puts back the tree and
    HEAD; a writer killed half-way is completed or undone by the next one,
    by where HEAD points then. Call with the lock held and a clean tree.
    """
    ref = f"refs/heads/{branch}"
    new = repo.run_git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").stdout.strip()
    listing = repo.run_git("worktree", "list", "--porcelain", "-z", binary=True).stdout.decode("utf-8", "replace")
    for tree in listing.split("\0\0"):
        fields = dict(field.split(" ", 1) for field in tree.split("\0") if " " in field)
        if fields.get("branch") == ref and Path(fields.get("worktree", "")).resolve() != repo.root:
            raise RepositoryError(f"{branch} is checked out in another working tree, {fields['worktree']}",
                                  hint="work on it there, or remove that tree with `git worktree remove`")
    old = repo.head()
    if old is None:
        repo.run_git("checkout", "--quiet", branch)  # nothing checked out: no file to tear
        return
    # The words `git checkout -` looks for in the reflog to find the branch before.
    moving = f"checkout: moving from {repo.current_branch() or old} to {branch}"
    _refuse_over_untracked(repo, old, new)
    with journaled(repo, {"switch": {"ref": ref, "old": old, "new": new}}):
        _move_tree(repo, old, new, lambda: repo.run_git("symbolic-ref", "-m", moving, "HEAD", ref))


def _move_tree(repo: Repository, old: str, new: str, finish: Callable[[], None]) -> None:
    """Index and work tree from commit `old` to `new`, then `finish` (which moves a ref).

    Run in the journal, after `_refuse_over_untracked`: on a failure the
    journal puts the tree where the ref stands (`_recover_move`,
    `_recover_switch`).
    """
    repo.run_git("read-tree", "-m", old, new)
    _check_out(repo, new, changed=(old, new))
    finish()


def _refuse_over_untracked(repo: Repository, old: str, new: str) -> None:
    """Refuse, as `git checkout` refuses, when a file git does not track stands where `new` puts a file.

    Asked before the journal is written: the journal's undo removes what
    the move adds, and such a file would go with it.
    """
    dry = repo.run_git("read-tree", "-m", "-u", "-n", old, new, check=False)
    if dry.returncode != 0:
        said = dry.stderr.strip()
        standing = re.findall(r"'(.+?)' would be overwritten", said)
        raise RepositoryError(
            "git does not track this file, and the change would write another in its place" if standing
            else f"git refuses to change the work tree: {said.splitlines()[-1] if said else 'no message'}",
            file=standing[0] if standing else None,
            hint="move it away or commit it, then run the command again; nothing was changed")


def _recover_move(repo: Repository, move: dict) -> None:
    """The working tree made to match where the branch stands; its tag made if the branch did move."""
    stands = resolve(repo.root, move["ref"])
    points = repo.run_git("symbolic-ref", "--quiet", "HEAD", check=False).stdout.strip()
    if stands not in (move["old"], move["new"]) or points != move["ref"]:
        return  # moved on since, by hand: the tree is no longer the move's
    # The move ran on a clean tree under the lock: what differs from the branch is the move's own doing.
    _reset_tree(repo, stands, (move["old"], move["new"]))
    tag = move.get("tag")
    if stands == move["new"] and tag and resolve(repo.root, f"refs/tags/{tag[0]}") is None:
        repo.run_git("tag", "-a", *_sign(repo), "-F", "-", tag[0], move["new"], input=tag[1],
                     env=move.get("env") or None)


def _sign(repo: Repository) -> list[str]:
    """`-s` when git signs every commit here (`commit.gpgSign`): a round's tag is signed as its commit is, as the
    shared repository requires of round tags."""
    said = repo.run_git("config", "--type=bool", "--get", "commit.gpgSign", check=False).stdout.strip()
    return ["-s"] if said == "true" else []


def _recover_switch(repo: Repository, switch: dict) -> None:
    """The working tree made to match where HEAD points: the switch's branch if it got there, else where it was.

    Nothing is done when HEAD stands at neither: someone moved it since.
    """
    points = repo.run_git("symbolic-ref", "--quiet", "HEAD", check=False).stdout.strip()
    stands = switch["new"] if points == switch["ref"] else switch["old"]
    if repo.head() != stands:
        return
    _reset_tree(repo, stands, (switch["old"], switch["new"]))


def _reset_tree(repo: Repository, stands: str, changed: tuple[str, str]) -> None:
    """Index and work tree put at `stands`, one of the two `changed` commits of a move cut short."""
    repo.run_git("read-tree", "--reset", stands)
    _check_out(repo, stands, changed=changed)


def _check_out(repo: Repository, commit: str, *, changed: tuple[str, str]) -> None:
    """Write `commit`'s version of every file that differs between the two `changed` commits, each whole.

    The index must already stand at `commit`. Git's own checkout writes a
    file in place, so a writer killed in it leaves the file empty or torn;
    here each file is replaced at once (`write_atomic`), and one killed
    half-way leaves every file either as it was or as it is to be.
    Removals come first, deepest first, so that a folder a file replaces
    is gone before the file is written. A file git would convert on the
    way out (a smudge filter, CRLF line endings) and a symbolic link are
    left to git's `checkout-index`.
    """
    listing = repo.run_git("diff-tree", "-r", "-z", "--no-renames", *changed, binary=True).stdout.split(b"\0")
    side = 1 if commit == changed[1] else 0
    removals: list[str] = []
    writes: list[tuple[str, str, str]] = []
    by_git: list[str] = []
    # Each entry is ":OLDMODE NEWMODE OLDID NEWID STATUS", then its path.
    for header, raw in zip(listing[0::2], listing[1::2]):
        fields = header[1:].decode("ascii").split(" ")
        mode, other_mode, blob = fields[side], fields[1 - side], fields[2 + side]
        path = os.fsdecode(raw)
        if mode == "000000":
            if other_mode != "160000":  # a submodule's folder is left to `git submodule`
                removals.append(path)
        elif mode in ("100644", "100755"):
            writes.append((path, blob, mode))
        elif mode == "120000":
            by_git.append(path)
    for path in sorted(removals, key=lambda p: p.count("/"), reverse=True):
        target = repo.root / path
        target.unlink(missing_ok=True)
        _prune_empty_folders(target.parent, repo.root)
    converted = _converted(repo, [path for path, _, _ in writes])
    writes = [write for write in writes if write[0] not in converted]
    by_git.extend(converted)
    for (path, _, mode), found in zip(writes, read_objects(repo.root, [blob for _, blob, _ in writes])):
        if found is None:
            raise RepositoryError(f"git holds no blob for {path}", hint="run `git fsck`")
        target = repo.root / path
        if target.is_dir() and not target.is_symlink():
            try:
                target.rmdir()  # an empty folder, which git's checkout would replace too
            except OSError:
                raise RepositoryError("a folder stands where the change writes a file", file=path,
                                      hint="move the folder away, then run the command again") from None
        # Not written through to the disk, as git's checkout does not: the objects hold it.
        write_atomic(target, found[1], executable=mode == "100755", durable=False)
    if by_git:
        repo.run_git("checkout-index", "--force", "-z", "--stdin",
                     input="\0".join(by_git).encode("utf-8", "surrogateescape"), binary=True)
    repo.run_git("update-index", "-q", "--refresh", check=False)


def _converted(repo: Repository, paths: list[str]) -> set[str]:
    """The paths git would change on their way out of the objects: a smudge filter, an encoding, CRLF endings."""
    if not paths:
        return set()
    autocrlf = repo.run_git("config", "--type=bool-or-str", "--get", "core.autocrlf", check=False).stdout.strip()
    eol = repo.run_git("config", "--get", "core.eol", check=False).stdout.strip().lower()
    crlf = autocrlf not in ("", "false", "input") or eol == "crlf"
    # From the index, which stands at the commit being written: its .gitattributes, not the tree's old one.
    out = repo.run_git("check-attr", "--cached", "-z", "--stdin", "filter", "eol", "text", "ident",
                       "working-tree-encoding",
                       input="\0".join(paths).encode("utf-8", "surrogateescape"), binary=True).stdout
    fields = [os.fsdecode(field) for field in out.split(b"\0")]
    converted = set()
    for path, attribute, value in zip(fields[0::3], fields[1::3], fields[2::3]):
        if attribute == "text":
            if crlf and value != "unset":
                converted.add(path)
        elif attribute == "eol":
            if value == "crlf":
                converted.add(path)
        elif value not in ("unspecified", "unset"):
            converted.add(path)
    return converted


def _prune_empty_folders(folder: Path, root: Path) -> None:
    """Remove `folder` and the folders above it, up to `root`, while they are empty (as git does when it deletes)."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
