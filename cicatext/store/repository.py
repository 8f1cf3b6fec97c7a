"""A cicatext repository on disk: its settings, registry and documents, and committing changes atomically.

Reading goes straight to the working tree with the fast YAML loader. Writing
goes through `Repository.commit`, which holds a lock, writes every file
atomically, and makes exactly one git commit, or puts every file back as it
was and raises.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cicatext.errors import CicatextError, RecordError, RepositoryError, UsageError
from cicatext.store import yamlio
from cicatext.store.files import TEMP_PREFIX, read_text, remove_leftovers, write_atomic
from cicatext.store.git import identity_env, read_objects, resolve, run_git
from cicatext.store.gitlocks import clear_stale_locks
from cicatext.store.layout import SETTINGS_FILE, document_record_path, document_text_path

LOCK_NAME = "cicatext.lock"
MAIN_REF = "refs/heads/main"
JOURNAL_NAME = "cicatext-journal.json"

if TYPE_CHECKING:
    from subprocess import CompletedProcess


@dataclass(frozen=True)
class DocumentEntry:
    """A document as stored: its folder, its record and where its texts are."""

    slug: str
    """The folder name under documents/."""
    record: Mapping[str, Any]
    """The parsed document.yaml."""

    @property
    def symbol(self) -> str:
        """The base symbol (without revision)."""
        return str(self.record.get("symbol", ""))

    @property
    def revision(self) -> int:
        """The latest revision number (0 for the original)."""
        revisions = self.record.get("revisions") or []
        numbers = [r.get("rev", 0) for r in revisions if isinstance(r, dict)]
        return max(numbers, default=0)

    @property
    def current_symbol(self) -> str:
        """The symbol of the latest revision, e.g. `MC/2023/DRAFT/3/Rev.1`."""
        revisions = [r for r in self.record.get("revisions") or [] if isinstance(r, dict)]
        for entry in revisions:
            if entry.get("rev", 0) == self.revision and entry.get("symbol"):
                return str(entry["symbol"])
        return self.symbol

    @property
    def languages(self) -> list[str]:
        """The languages the document declares."""
        return list(self.record.get("languages") or [])

    def title(self, language: str = "en") -> str:
        """The title in a language, falling back to any title there is."""
        titles = self.record.get("title") or {}
        if isinstance(titles, str):
            return titles
        return titles.get(language) or next(iter(titles.values()), "")

    def text_path(self, language: str) -> str:
        """Repository-relative path of the text in one language."""
        return document_text_path(self.slug, language)

    @property
    def record_path(self) -> str:
        """Repository-relative path of document.yaml."""
        return document_record_path(self.slug)


class Repository:
    """One cicatext repository (a git work tree with a cicatext.yaml at its root)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._primed: dict[str, Any] = {}

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> Repository:
        """The repository holding `path` (default: the current directory), searching upwards for cicatext.yaml."""
        start = Path(path or ".").resolve()
        if not start.exists():
            raise RepositoryError(f"{start} does not exist", hint="give the path of a cicatext repository")
        probe = start if start.is_dir() else start.parent
        for candidate in (probe, *probe.parents):
            if (candidate / SETTINGS_FILE).is_file():
                return cls(candidate)
        raise RepositoryError(
            f"{start} is not inside a cicatext repository (no {SETTINGS_FILE} here or above)",
            hint="run `cicatext init PATH` to make one, or `cicatext demo` for the sample repository",
        )

    # Reading -------------------------------------------------------------

    def path(self, relative: str) -> Path:
        """The absolute path of a repository-relative path."""
        return self.root / relative

    def read_text(self, relative: str) -> str:
        """A file's text exactly as stored."""
        try:
            return read_text(self.root / relative)
        except FileNotFoundError:
            raise RepositoryError(f"{relative} does not exist", file=relative) from None
        except UnicodeDecodeError as error:
            raise RecordError(
                f"{relative} is not UTF-8 text (byte {error.start})",
                file=relative,
                hint="save the file as UTF-8",
            ) from None

    def load(self, relative: str) -> Any:
        """A YAML file's content as plain values; RecordError with line and column when it is not valid YAML."""
        primed = self._primed.get(relative)
        if primed is not None:
            return primed
        return yamlio.load_record(self.read_text(relative), file=relative)

    def prime(self, records: Mapping[str, Any]) -> None:
        """Take these records, already read from the files as they are now, as what `load` returns, until `refresh`.

        `cicatext validate` has every record in hand (most from its cache);
        priming spares the checks that follow reading them all again.
        """
        self._primed.update(records)

    def primed(self, relative: str) -> Any:
        """The record primed for this file, or None."""
        return self._primed.get(relative)

    @cached_property
    def settings(self) -> dict:
        """The parsed cicatext.yaml."""
        value = self.load(SETTINGS_FILE)
        if not isinstance(value, dict):
            raise RecordError(f"{SETTINGS_FILE} must be a mapping", file=SETTINGS_FILE, line=1, column=1)
        return value

    def rule(self, name: str, default: int) -> int:
        """One of the rules' parameters from settings (`rules.NAME`)."""
        rules = self.settings.get("rules") or {}
        value = rules.get(name, default)
        return value if isinstance(value, int) else default

    def _records_in(self, folder: str) -> dict[str, dict]:
        found: dict[str, dict] = {}
        directory = self.root / folder
        if not directory.is_dir():
            return found
        for path in sorted(directory.glob("*.yaml")):
            relative = f"{folder}/{path.name}"
            try:
                value = self.load(relative)
            except CicatextError:
                continue
            if isinstance(value, dict):
                found[path.stem] = value
        return found

    @cached_property
    def states(self) -> dict[str, dict]:
        """Member states by code (records that do not load are left out; validation reports them)."""
        return {str(r.get("code", key)): r for key, r in self._records_in("registry/states").items()}

    @cached_property
    def bodies(self) -> dict[str, dict]:
        """Governing bodies by code."""
        return {str(r.get("code", key)): r for key, r in self._records_in("registry/bodies").items()}

    @cached_property
    def dimensions(self) -> dict[str, dict]:
        """Dimensions of the Catalogue by id."""
        return {str(r.get("id", key)): r for key, r in self._records_in("registry/dimensions").items()}

    @cached_property
    def areas(self) -> dict[str, dict]:
        """Priority areas by id."""
        return {str(r.get("id", key)): r for key, r in self._records_in("registry/areas").items()}

    @cached_property
    def secretariat_code(self) -> str:
        """The code the Secretariat uses in attributions (`SEC`)."""
        secretariat = self.settings.get("secretariat") or {}
        return str(secretariat.get("code", "SEC"))

    @cached_property
    def codes(self) -> frozenset[str]:
        """Every code an attribution may name: member states and the Secretariat."""
        return frozenset(self.states) | {self.secretariat_code}

    @cached_property
    def languages(self) -> list[str]:
        """The repository's working languages."""
        return list(self.settings.get("languages") or ["en"])

    def documents(self) -> list[DocumentEntry]:
        """Every document whose record loads, in folder order."""
        entries = []
        folder = self.root / "documents"
        if not folder.is_dir():
            return entries
        base = str(folder)
        for name in sorted(os.listdir(base)):
            relative = document_record_path(name)
            if relative not in self._primed and not os.path.isfile(os.path.join(base, name, "document.yaml")):
                continue
            try:
                record = self.load(relative)
            except CicatextError:
                continue
            if isinstance(record, dict):
                entries.append(DocumentEntry(slug=name, record=record))
        return entries

    def document(self, reference: str) -> DocumentEntry:
        """The document named by a symbol (any revision), a base symbol or a folder slug."""
        from cicatext.records.symbols import is_symbol, parse_symbol

        wanted = reference.strip()
        base = str(parse_symbol(wanted).base()) if is_symbol(wanted) else None
        # The folder a symbol's document normally lives in first: one record read, not all of them.
        for slug in dict.fromkeys(s for s in (parse_symbol(wanted).slug() if base else None, wanted,
                                              wanted.lower().replace("/", "-")) if s and "/" not in s):
            entry = self._document_in(slug)
            if entry is not None and _names(entry, wanted, base):
                return entry
        entries = self.documents()
        for entry in entries:
            if _names(entry, wanted, base):
                return entry
        from rapidfuzz import process

        choices = [e.current_symbol for e in entries]
        best = process.extractOne(wanted, choices) if choices else None
        hint = f"did you mean {best[0]}?" if best and best[1] >= 60 else "`cicatext register` lists the documents"
        raise UsageError(f"no document {wanted!r} in this repository", hint=hint)

    def _document_in(self, slug: str) -> DocumentEntry | None:
        if slug in (".", "..") or not (self.root / "documents" / slug / "document.yaml").is_file():
            return None
        try:
            record = self.load(document_record_path(slug))
        except CicatextError:
            return None
        return DocumentEntry(slug=slug, record=record) if isinstance(record, dict) else None

    def text(self, entry: DocumentEntry, language: str = "en") -> str:
        """A document's text in one language."""
        return self.read_text(entry.text_path(language))

    # Git -----------------------------------------------------------------

    def run_git(self, *args: str, check: bool = True, input: str | bytes | None = None,
                env: Mapping[str, str] | None = None, binary: bool = False) -> CompletedProcess:
        """Run a git command in the repository and return its completed process (text, or bytes with `binary`)."""
        return run_git(self.root, *args, check=check, input=input, env=env, binary=binary)

    def resolve(self, ref: str) -> str | None:
        """The commit a ref names, or None when it names none."""
        return resolve(self.root, ref)

    def git_dir(self) -> Path:
        """The .git folder (asked of git once per repository object)."""
        return self._git_dir

    @cached_property
    def _git_dir(self) -> Path:
        return Path(self.run_git("rev-parse", "--absolute-git-dir").stdout.strip())

    def assert_clean_state(self) -> None:
        """Refuse to write while git is in the middle of a merge, rebase, cherry-pick or revert."""
        git_dir = self.git_dir()
        for marker, what, cure in (
            ("MERGE_HEAD", "a merge is in progress", "finish it with `git commit` or abandon it with `git merge --abort`"),
            ("rebase-merge", "a rebase is in progress", "finish it (`git rebase --continue`) or `git rebase --abort`"),
            ("rebase-apply", "a rebase or `git am` is in progress", "finish it or abort it (`git rebase --abort` / `git am --abort`)"),
            ("CHERRY_PICK_HEAD", "a cherry-pick is in progress", "`git cherry-pick --continue` or `--abort`"),
            ("REVERT_HEAD", "a revert is in progress", "`git revert --continue` or `--abort`"),
        ):
            if (git_dir / marker).exists():
                raise RepositoryError(f"{what} in {self.root}", hint=cure)
        # A lock a killed git left is cleared here too: `propose` checks the state before it takes the lock.
        if (git_dir / "index.lock").exists():
            clear_stale_locks(git_dir, ignore=LOCK_NAME)
        if (git_dir / "index.lock").exists():
            raise RepositoryError(
                "another git command is running here (.git/index.lock exists)",
                hint="wait for it to finish; if none is running, remove .git/index.lock",
            )

    def dirty_paths(self) -> list[str]:
        """Tracked files with uncommitted changes (staged or not)."""
        out = self.run_git("status", "--porcelain", "--untracked-files=no").stdout
        return [line[3:] for line in out.splitlines() if line.strip()]

    def current_branch(self) -> str | None:
        """The checked-out branch, or None on a detached HEAD."""
        process = self.run_git("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return process.stdout.strip() or None

    def main_commit(self) -> tuple[str, str | None]:
        """The main branch's ref and commit; ("HEAD", its commit or None) in a repository with no main branch.

        The agreed texts stand on main: the attribution check reads its
        history, and validate's kept result depends on it.
        """
        commit = resolve(self.root, MAIN_REF)
        return (MAIN_REF, commit) if commit else ("HEAD", self.head())

    def head(self) -> str | None:
        """The commit id of HEAD, or None in a repository with no commits."""
        return resolve(self.root, "HEAD")

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the repository's write lock; a second writer is refused with a clear message."""
        lock_path = self.git_dir() / LOCK_NAME
        try:
            fd = os.open(lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _stale(lock_path):
                lock_path.unlink(missing_ok=True)
                fd = os.open(lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            else:
                raise RepositoryError(
                    "another cicatext command is writing to this repository",
                    hint=f"wait for it to finish; if none is running, remove {lock_path}",
                ) from None
        try:
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            clear_stale_locks(lock_path.parent, ignore=LOCK_NAME)
            remove_leftovers(self.root)
            # The write journal's own temporary file, which only a holder of this lock writes.
            for leftover in lock_path.parent.glob(TEMP_PREFIX + "*"):
                leftover.unlink(missing_ok=True)
            self._recover()
            yield
        finally:
            lock_path.unlink(missing_ok=True)

    def _journal_path(self) -> Path:
        return self.git_dir() / JOURNAL_NAME

    def _recover(self) -> None:
        """Finish what a killed writer left: files of a commit that did not happen put back, a move of main completed or undone."""
        journal = self._journal_path()
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
                self._recover_move(entry["move"])
            elif "switch" in entry:
                self._recover_switch(entry["switch"])
            elif self.head() == entry.get("head"):
                self._restore(originals)
        except (OSError, RepositoryError, KeyError, TypeError) as error:
            # The journal stays, for the next command to try again.
            raise RepositoryError(
                f"a cicatext command was interrupted here, and finishing its work failed: {error}",
                file=str(journal), hint="see `git status`; when no other git command is running, run the command "
                                        "again, and it tries again") from None
        journal.unlink(missing_ok=True)

    def move_branch(self, branch: str, old: str, new: str, *, tag: tuple[str, str] | None = None,
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
            self.run_git("update-ref", "-m", f"cicatext: {tag[0] if tag else branch}", ref, new, old)
            if tag:
                try:
                    self.run_git("tag", "-a", "-F", "-", tag[0], new, input=tag[1], env=env)
                except BaseException:
                    self.run_git("update-ref", ref, old, new, check=False)
                    raise
            self.run_git("update-ref", "--no-deref", "ORIG_HEAD", old, check=False)

        self._refuse_over_untracked(old, new)
        with self._journaled({"move": move}):
            self._move_tree(old, new, finish)

    def switch_branch(self, branch: str) -> None:
        """Check out the existing local `branch`, as `git switch` does, each changed file written whole.

        All or nothing, as `move_branch`: a failure puts back the tree and
        HEAD; a writer killed half-way is completed or undone by the next one,
        by where HEAD points then. Call with the lock held and a clean tree.
        """
        ref = f"refs/heads/{branch}"
        new = self.run_git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").stdout.strip()
        listing = self.run_git("worktree", "list", "--porcelain", "-z", binary=True).stdout.decode("utf-8", "replace")
        for tree in listing.split("\0\0"):
            fields = dict(field.split(" ", 1) for field in tree.split("\0") if " " in field)
            if fields.get("branch") == ref and Path(fields.get("worktree", "")).resolve() != self.root:
                raise RepositoryError(f"{branch} is checked out in another working tree, {fields['worktree']}",
                                      hint="work on it there, or remove that tree with `git worktree remove`")
        old = self.head()
        if old is None:
            self.run_git("checkout", "--quiet", branch)  # nothing checked out: no file to tear
            return
        # The words `git checkout -` looks for in the reflog to find the branch before.
        moving = f"checkout: moving from {self.current_branch() or old} to {branch}"
        self._refuse_over_untracked(old, new)
        with self._journaled({"switch": {"ref": ref, "old": old, "new": new}}):
            self._move_tree(old, new, lambda: self.run_git("symbolic-ref", "-m", moving, "HEAD", ref))

    def _move_tree(self, old: str, new: str, finish: Callable[[], None]) -> None:
        """Index and work tree from commit `old` to `new`, then `finish` (which moves a ref).

        Run in the journal, after `_refuse_over_untracked`: on a failure the
        journal puts the tree where the ref stands (`_recover_move`,
        `_recover_switch`).
        """
        self.run_git("read-tree", "-m", old, new)
        self._check_out(new, changed=(old, new))
        finish()

    def _refuse_over_untracked(self, old: str, new: str) -> None:
        """Refuse, as `git checkout` refuses, when a file git does not track stands where `new` puts a file.

        Asked before the journal is written: the journal's undo removes what
        the move adds, and such a file would go with it.
        """
        dry = self.run_git("read-tree", "-m", "-u", "-n", old, new, check=False)
        if dry.returncode != 0:
            said = dry.stderr.strip()
            standing = re.findall(r"'(.+?)' would be overwritten", said)
            raise RepositoryError(
                "git does not track this file, and the change would write another in its place" if standing
                else f"git refuses to change the work tree: {said.splitlines()[-1] if said else 'no message'}",
                file=standing[0] if standing else None,
                hint="move it away or commit it, then run the command again; nothing was changed")

    def _recover_switch(self, switch: dict) -> None:
        """The working tree made to match where HEAD points: the switch's branch if it got there, else where it was.

        Nothing is done when HEAD stands at neither: someone moved it since.
        """
        points = self.run_git("symbolic-ref", "--quiet", "HEAD", check=False).stdout.strip()
        stands = switch["new"] if points == switch["ref"] else switch["old"]
        if self.head() != stands:
            return
        self._reset_tree(stands, (switch["old"], switch["new"]))

    @contextmanager
    def _journaled(self, entry: dict) -> Iterator[None]:
        """Keep `entry` in the write journal while the block runs: a writer killed in it (no handler runs on
        SIGKILL) leaves the journal, and the next writer finishes or undoes its work (`_recover`)."""
        write_atomic(self._journal_path(), json.dumps(entry))
        try:
            yield
        except BaseException:
            # The block put back what it could; the journal settles the rest (an undo that failed, or a ref that
            # moved just before an interrupt), or stays for the next writer.
            try:
                self._recover()
            except RepositoryError:
                pass
            raise
        self._journal_path().unlink(missing_ok=True)

    def _recover_move(self, move: dict) -> None:
        """The working tree made to match where the branch stands; its tag made if the branch did move."""
        stands = resolve(self.root, move["ref"])
        points = self.run_git("symbolic-ref", "--quiet", "HEAD", check=False).stdout.strip()
        if stands not in (move["old"], move["new"]) or points != move["ref"]:
            return  # moved on since, by hand: the tree is no longer the move's
        # The move ran on a clean tree under the lock: what differs from the branch is the move's own doing.
        self._reset_tree(stands, (move["old"], move["new"]))
        tag = move.get("tag")
        if stands == move["new"] and tag and resolve(self.root, f"refs/tags/{tag[0]}") is None:
            self.run_git("tag", "-a", "-F", "-", tag[0], move["new"], input=tag[1], env=move.get("env") or None)

    def _reset_tree(self, stands: str, changed: tuple[str, str]) -> None:
        """Index and work tree put at `stands`, one of the two `changed` commits of a move cut short."""
        self.run_git("read-tree", "--reset", stands)
        self._check_out(stands, changed=changed)

    def _check_out(self, commit: str, *, changed: tuple[str, str]) -> None:
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
        listing = self.run_git("diff-tree", "-r", "-z", "--no-renames", *changed, binary=True).stdout.split(b"\0")
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
            target = self.root / path
            target.unlink(missing_ok=True)
            _prune_empty_folders(target.parent, self.root)
        converted = self._converted([path for path, _, _ in writes])
        writes = [write for write in writes if write[0] not in converted]
        by_git.extend(converted)
        for (path, _, mode), found in zip(writes, read_objects(self.root, [blob for _, blob, _ in writes])):
            if found is None:
                raise RepositoryError(f"git holds no blob for {path}", hint="run `git fsck`")
            target = self.root / path
            if target.is_dir() and not target.is_symlink():
                try:
                    target.rmdir()  # an empty folder, which git's checkout would replace too
                except OSError:
                    raise RepositoryError("a folder stands where the change writes a file", file=path,
                                          hint="move the folder away, then run the command again") from None
            # Not written through to the disk, as git's checkout does not: the objects hold it.
            write_atomic(target, found[1], executable=mode == "100755", durable=False)
        if by_git:
            self.run_git("checkout-index", "--force", "-z", "--stdin",
                         input="\0".join(by_git).encode("utf-8", "surrogateescape"), binary=True)
        self.run_git("update-index", "-q", "--refresh", check=False)

    def _converted(self, paths: list[str]) -> set[str]:
        """The paths git would change on their way out of the objects: a smudge filter, an encoding, CRLF endings."""
        if not paths:
            return set()
        autocrlf = self.run_git("config", "--type=bool-or-str", "--get", "core.autocrlf", check=False).stdout.strip()
        eol = self.run_git("config", "--get", "core.eol", check=False).stdout.strip().lower()
        crlf = autocrlf not in ("", "false", "input") or eol == "crlf"
        # From the index, which stands at the commit being written: its .gitattributes, not the tree's old one.
        out = self.run_git("check-attr", "--cached", "-z", "--stdin", "filter", "eol", "text", "ident",
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

    def commit(self, changes: Mapping[str, str | bytes | None], message: str, *,
               author: tuple[str, str] | None = None, date: str | None = None) -> str:
        """Write the files (None deletes) and commit exactly them; on any failure restore them and raise.

        Returns the new commit id. Other uncommitted work in the tree is left alone.
        `author` (name, e-mail) and `date` (ISO 8601) set both author and committer.
        """
        return self.update(lambda: changes, message, author=author, date=date)

    def update(self, build: Callable[[], Mapping[str, str | bytes | None]], message: str, *,
               author: tuple[str, str] | None = None, date: str | None = None) -> str:
        """Read, change and commit under one hold of the write lock, so two writers cannot lose each other's change.

        `build` runs with the lock held and returns the files to write (None
        deletes); then it is as `commit`: one commit, or every file put back.
        """
        with self.lock():
            self.assert_clean_state()
            self.refresh()
            changes = build()
            if not changes:
                raise UsageError("nothing to commit")
            originals: dict[str, bytes | None] = {}
            for relative in changes:
                target = self.root / relative
                originals[relative] = target.read_bytes() if target.exists() else None
            # What the files were, so that a writer killed half-way is undone by the next one.
            journal = {"head": self.head(), "files": {
                path: None if data is None else base64.b64encode(data).decode("ascii")
                for path, data in originals.items()}}
            # A failure puts the files back from the journal (`_journaled`).
            with self._journaled(journal):
                self._write_files(changes)
                paths = list(changes)
                self.run_git("add", "--all", "--", *paths)
                self.run_git("commit", "--quiet", "--no-verify", "-m", message, "--", *paths,
                             env=identity_env(author, date))
            self.refresh()
            return self.head() or ""

    def _restore(self, originals: Mapping[str, bytes | None]) -> None:
        paths = list(originals)
        self.run_git("reset", "--quiet", "--", *paths, check=False)
        self._write_files(originals)

    def _write_files(self, files: Mapping[str, str | bytes | None]) -> None:
        """Write each file atomically; None deletes it."""
        for relative, content in files.items():
            target = self.root / relative
            if content is None:
                target.unlink(missing_ok=True)
            else:
                write_atomic(target, content)

    def refresh(self) -> None:
        """Forget cached settings, registry and primed records, after a change on disk."""
        self._primed.clear()
        for name in ("settings", "states", "bodies", "dimensions", "areas", "codes", "languages", "secretariat_code"):
            self.__dict__.pop(name, None)


def _prune_empty_folders(folder: Path, root: Path) -> None:
    """Remove `folder` and the folders above it, up to `root`, while they are empty (as git does when it deletes)."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _names(entry: DocumentEntry, wanted: str, base: str | None) -> bool:
    """True when `wanted` (with its base symbol, if it is a symbol) names this document."""
    if entry.slug == wanted or entry.symbol == wanted or (base and entry.symbol == base):
        return True
    revisions = entry.record.get("revisions") or []
    return any(isinstance(r, dict) and r.get("symbol") == wanted for r in revisions)


def _stale(lock_path: Path) -> bool:
    try:
        written = lock_path.read_text().strip()
        pid = int(written or "0")
    except (OSError, ValueError):
        return True
    if not written:
        # Made by a writer that has not yet written its pid, unless it died doing so.
        try:
            return time.time() - lock_path.stat().st_mtime > 1.0
        except OSError:
            return True
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
