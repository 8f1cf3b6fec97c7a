"""A cicatext repository on disk: its settings, registry and documents, and committing changes atomically.

Reading goes straight to the working tree with the fast YAML loader. Writing
goes through `Repository.commit`, which holds a lock, writes every file
atomically, and makes exactly one git commit, or puts every file back as it
was and raises (the write journal that makes it so is `cicatext.store.journal`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cicatext.errors import CicatextError, RecordError, RepositoryError, UsageError
from cicatext.store import journal, yamlio
from cicatext.store.files import read_text, remove_leftovers
from cicatext.store.git import identity_env, resolve, run_git
from cicatext.store.gitlocks import clear_stale_locks, take_lock
from cicatext.store.layout import (
    AREAS_DIR,
    BODIES_DIR,
    DIMENSIONS_DIR,
    DOCUMENT_RECORD,
    DOCUMENTS_DIR,
    GROUPS_DIR,
    ROUND_INDEX_GLOB,
    SETTINGS_FILE,
    STATES_DIR,
    TEMP_PREFIX,
    WRITE_LOCK,
    document_record_path,
    document_text_path,
    is_name,
)

MAIN_REF = "refs/heads/main"

if TYPE_CHECKING:
    from subprocess import CompletedProcess

    from cicatext.records.parties import Parties
    from cicatext.store.limits import Limits


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

    def __init__(self, root: Path, *, limits: Limits | None = None) -> None:
        self.root = Path(root).resolve()
        self._primed: dict[str, Any] = {}
        # Limits given here hold whatever the settings say (the server's hook reads a push under main's).
        self._fixed_limits = limits

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

    def path(self, relative: str) -> Path:
        """The absolute path of a repository-relative path."""
        return self.root / relative

    def read_text(self, relative: str) -> str:
        """A file's text exactly as stored; RecordError for a file over the file limit (`limits`), which is not read."""
        from cicatext.store.limits import file_size_error

        too_large = file_size_error(self.root / relative, relative, self._limits_for(relative))
        if too_large is not None:
            raise too_large
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
        return yamlio.load_record(self.read_text(relative), file=relative, bounds=self._limits_for(relative))

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

    @cached_property
    def limits(self) -> Limits:
        """The limits this repository's files are read under: cicatext's, or those `limits:` in cicatext.yaml sets."""
        if self._fixed_limits is not None:
            return self._fixed_limits
        from cicatext.store.limits import Limits

        return Limits.of(self.settings)

    def _limits_for(self, relative: str) -> Limits:
        """cicatext.yaml, which sets the limits, is read under cicatext's own; every other file under `limits`."""
        if relative == SETTINGS_FILE:
            from cicatext.store.limits import DEFAULT

            return self._fixed_limits or DEFAULT
        return self.limits

    @cached_property
    def attribution_style(self) -> str:
        """The attribution style received texts are read in and exports written in (settings `notation: style`)."""
        from cicatext.notation.styles import CICA, STYLES

        notation = self.settings.get("notation") or {}
        style = notation.get("style") if isinstance(notation, dict) else None
        return style if style in STYLES else CICA

    @cached_property
    def bracket_kinds(self):
        """What this repository's texts write as placeholders and status notes (settings `notation:`), compiled."""
        from cicatext.notation.alternatives import Kinds

        notation = self.settings.get("notation") or {}
        if not isinstance(notation, dict):
            notation = {}
        placeholders, notes = notation.get("placeholders"), notation.get("status_notes")
        return Kinds.of(placeholders if isinstance(placeholders, list) else None,
                        notes if isinstance(notes, list) else None)

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
        return {str(r.get("code", key)): r for key, r in self._records_in(STATES_DIR).items()}

    @cached_property
    def groups(self) -> dict[str, dict]:
        """Negotiating groups by code, each with its members."""
        return {str(r.get("code", key)): r for key, r in self._records_in(GROUPS_DIR).items()}

    @cached_property
    def parties(self) -> Parties:
        """Every party a draft may name, by code, name or alias: states, groups and the Secretariat."""
        from cicatext.records.parties import parties_from_records

        return parties_from_records(self.states, self.groups, self.secretariat_code)

    @cached_property
    def bodies(self) -> dict[str, dict]:
        """Governing bodies by code."""
        return {str(r.get("code", key)): r for key, r in self._records_in(BODIES_DIR).items()}

    @cached_property
    def dimensions(self) -> dict[str, dict]:
        """Dimensions of the Catalogue by id."""
        return {str(r.get("id", key)): r for key, r in self._records_in(DIMENSIONS_DIR).items()}

    @cached_property
    def areas(self) -> dict[str, dict]:
        """Priority areas by id."""
        return {str(r.get("id", key)): r for key, r in self._records_in(AREAS_DIR).items()}

    @cached_property
    def secretariat_code(self) -> str:
        """The code the Secretariat uses in attributions (`SEC`)."""
        secretariat = self.settings.get("secretariat") or {}
        return str(secretariat.get("code", "SEC"))

    @cached_property
    def codes(self) -> frozenset[str]:
        """Every code an attribution may name: member states, groups and the Secretariat."""
        return frozenset(self.states) | frozenset(self.groups) | {self.secretariat_code}

    @cached_property
    def languages(self) -> list[str]:
        """The repository's working languages."""
        return list(self.settings.get("languages") or ["en"])

    def documents(self) -> list[DocumentEntry]:
        """Every document whose record loads, in folder order."""
        entries = []
        folder = self.root / DOCUMENTS_DIR
        if not folder.is_dir():
            return entries
        base = str(folder)
        for name in sorted(os.listdir(base)):
            relative = document_record_path(name)
            if relative not in self._primed and not os.path.isfile(os.path.join(base, name, DOCUMENT_RECORD)):
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
        from cicatext.records.symbols import is_symbol, parse_symbol, refuse_overlong

        wanted = reference.strip()
        # No symbol, and so no folder made from one, is longer: refused with the symbol's grammar before any lookup.
        refuse_overlong(wanted)
        base = str(parse_symbol(wanted).base()) if is_symbol(wanted) else None
        # The folder a symbol's document normally lives in first: one record read, not all of them.
        for slug in dict.fromkeys(s for s in (parse_symbol(wanted).slug() if base else None, wanted,
                                              wanted.lower().replace("/", "-")) if s and is_name("slug", s)):
            entry = self.document_in(slug)
            if entry is not None and _names(entry, wanted, base):
                return entry
        entries = self.documents()
        for entry in entries:
            if _names(entry, wanted, base):
                return entry
        from rapidfuzz import process

        choices = [e.current_symbol for e in entries]
        best = process.extractOne(wanted, choices) if choices else None
        listed = ", ".join(choices[:8]) + (", ..." if len(choices) > 8 else "")
        hint = (f"did you mean {best[0]}?" if best and best[1] >= 60
                else f"the documents are: {listed} (`cicatext tui` shows the register)" if choices
                else "the register is empty: `cicatext import FILE --symbol ... --title ...` adds a document")
        raise UsageError(f"no document {wanted!r} in this repository", hint=hint)

    def document_in(self, slug: str) -> DocumentEntry | None:
        """The document whose folder is `slug`, if its record is there and loads as a mapping; None otherwise."""
        if slug in (".", "..") or not (self.root / document_record_path(slug)).is_file():
            return None
        try:
            record = self.load(document_record_path(slug))
        except CicatextError:
            return None
        return DocumentEntry(slug=slug, record=record) if isinstance(record, dict) else None

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
            clear_stale_locks(git_dir, ignore=WRITE_LOCK)
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
        lock_path = self.git_dir() / WRITE_LOCK
        taken_over = take_lock(lock_path)
        if taken_over is None:
            raise RepositoryError("another cicatext command is writing to this repository",
                                  hint=f"wait for it to finish; if none is running, remove {lock_path}")
        try:
            clear_stale_locks(lock_path.parent, ignore=WRITE_LOCK)
            if taken_over or journal.pending(self):
                # A writer was killed holding the lock (or its journal was left): its temporary files may be
                # anywhere it was writing. A writer that finished removed its own, so the tree is walked only now.
                remove_leftovers(self.root)
            # The write journal's own temporary file and a round's temporary index, which only a holder of this
            # lock writes: any found now were left by a command that was killed.
            for pattern in (TEMP_PREFIX + "*", ROUND_INDEX_GLOB):
                for leftover in lock_path.parent.glob(pattern):
                    leftover.unlink(missing_ok=True)
            journal.recover(self)
            yield
        finally:
            lock_path.unlink(missing_ok=True)

    def commit(self, changes: Mapping[str, str | bytes | None], message: str, *,
               author: tuple[str, str] | None = None, date: str | None = None) -> str:
        """Write the files (None deletes) and commit exactly them; on any failure restore them and raise.

        Returns the new commit id. Other uncommitted work in the tree is left alone.
        `author` (name, e-mail) and `date` (ISO 8601) set both author and committer.
        """
        return self.update(lambda: changes, message, author=author, date=date)

    def update(self, build: Callable[[], Mapping[str, str | bytes | None]], message: str, *,
               author: tuple[str, str] | None = None, date: str | None = None,
               message_from: Mapping[str, str] | None = None) -> str:
        """Read, change and commit under one hold of the write lock, so two writers cannot lose each other's change.

        `build` runs with the lock held and returns the files to write (None
        deletes); then it is as `commit`: one commit, or every file put back.
        When `build` can only say the message once it has read the files, it
        puts it in `message_from["message"]`.
        """
        with self.lock():
            self.assert_clean_state()
            self.refresh()
            changes = build()
            if message_from is not None and message_from.get("message"):
                message = message_from["message"]
            if not changes:
                raise UsageError("nothing to commit")
            originals: dict[str, bytes | None] = {}
            for relative in changes:
                target = self.root / relative
                originals[relative] = target.read_bytes() if target.exists() else None
            # What the files were, so that a writer killed half-way is undone by the next one.
            # A failure puts the files back from the journal (`journal.journaled`).
            with journal.journaled(self, journal.commit_entry(self.head(), originals)):
                journal.write_files(self.root, changes)
                paths = list(changes)
                self.run_git("add", "--all", "--", *paths)
                self.run_git("commit", "--quiet", "--no-verify", "-m", message, "--", *paths,
                             env=identity_env(author, date))
            self.refresh()
            return self.head() or ""

    def move_branch(self, branch: str, old: str, new: str, *, tag: tuple[str, str] | None = None,
                    env: Mapping[str, str] | None = None) -> None:
        """Move the checked-out `branch` from `old` to `new` with the working tree, and make `tag` at it, all or
        nothing (`journal.move_branch`). Call with the lock held and a clean working tree."""
        journal.move_branch(self, branch, old, new, tag=tag, env=env)

    def switch_branch(self, branch: str) -> None:
        """Check out the existing local `branch`, each changed file written whole, all or nothing
        (`journal.switch_branch`). Call with the lock held and a clean working tree."""
        journal.switch_branch(self, branch)

    def refresh(self) -> None:
        """Forget cached settings, registry and primed records, after a change on disk."""
        self._primed.clear()
        for name in ("settings", "attribution_style", "states", "groups", "parties", "bodies", "dimensions", "areas",
                     "codes", "languages", "secretariat_code",
                     "bracket_kinds", "limits"):
            self.__dict__.pop(name, None)


def _names(entry: DocumentEntry, wanted: str, base: str | None) -> bool:
    """True when `wanted` (with its base symbol, if it is a symbol) names this document."""
    if entry.slug == wanted or entry.symbol == wanted or (base and entry.symbol == base):
        return True
    revisions = entry.record.get("revisions") or []
    return any(isinstance(r, dict) and r.get("symbol") == wanted for r in revisions)
