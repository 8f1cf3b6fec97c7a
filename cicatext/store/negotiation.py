"""Negotiation over git: delegation branches, proposals, rounds, agreement, and reading the history.

Each delegation works on `delegations/CODE` and changes only `positions/CODE/`
there. A round, on `main`, is one merge commit whose parents are `main` and
every delegation branch merged; its tree is `main`'s with each merged
delegation's `positions/CODE/` taken from its branch and the document's next
revision compiled from the position sets. The tree is written through a
temporary index and the commit with `git commit-tree`, so `main` and the
working tree move only once everything has succeeded.

What a round compiled is recorded in its commit message (trailers such as
`Cicatext-Compiled: CHN <blob>`: the position set's blob as compiled), so the
next round compiles only what is new, whichever clone runs it.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cicatext.errors import CicatextError, NotationError, Problem, RecordError, RepositoryError, UsageError
from cicatext.notation.bracket_diff import ParagraphDiff, diff_drafts
from cicatext.notation.compile import (CompiledRound, Entry, PositionSet, check_entries, compile_round,
                                       entries_from_edit, normalise, paragraph_text)
from cicatext.notation.tree import Draft
from cicatext.store import yamlio
from cicatext.store.files import blob_id
from cicatext.store.layout import document_record_path, document_text_path
from cicatext.store.git import identity_env, read_objects
from cicatext.store.repository import DocumentEntry, Repository

MAIN = "main"
BRANCH_PREFIX = "delegations/"
WORKTREE = "WORKTREE"
"""The ref that names the working tree in `diff_refs`."""
ROUND_TRAILER = "Cicatext-Round"
DIFF_DRIVER = "cicatext"

_ZERO = "0" * 40
_TRAILER = re.compile(r"^(Cicatext-[A-Za-z]+): (.*)$", re.MULTILINE)


# Values -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StartResult:
    """What `delegation start` did."""

    code: str
    branch: str
    created: bool
    """True when the branch was made now."""
    updated: str | None
    """How the branch was brought up to date with main, if it was: `fast-forward` or `merge`."""
    base: str
    """The commit the branch stands on now."""


@dataclass(frozen=True)
class ProposeResult:
    """What `propose` turned the edit into."""

    delegation: str
    symbol: str
    path: str
    """The position set written."""
    entries: tuple[Entry, ...]
    """The entries added."""
    commit: str
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """The result as a plain dict."""
        return {"delegation": self.delegation, "document": self.symbol, "position_set": self.path,
                "commit": self.commit, "entries": [e.to_record() for e in self.entries],
                "warnings": list(self.warnings)}


@dataclass(frozen=True)
class RoundResult:
    """What a round merged and compiled."""

    symbol: str
    slug: str
    tag: str
    revision: str
    """The new revision's symbol."""
    commit: str
    delegations: tuple[str, ...]
    """The delegations whose branches were merged."""
    compiled: CompiledRound
    brackets_before: int
    brackets_after: int
    message: str
    idle: tuple[str, ...] = ()
    """Delegations considered that had nothing new on this document."""

    def to_json(self) -> dict:
        """The result as a plain dict."""
        table = self.compiled.by_delegation()
        return {
            "document": self.symbol, "slug": self.slug, "tag": self.tag, "revision": self.revision,
            "commit": self.commit, "delegations": list(self.delegations),
            "brackets_before": self.brackets_before, "brackets_after": self.brackets_after,
            "proposed": {code: [e.describe() for e in placed] for code, (placed, _) in table.items()},
            "unplaced": [u.to_json() for u in self.compiled.unplaced],
            "nothing_new": list(self.idle),
        }


@dataclass(frozen=True)
class DocumentDiff:
    """The bracket diff of one document between two refs."""

    symbol: str
    slug: str
    paragraphs: list[ParagraphDiff]

    def to_json(self) -> dict:
        """The diff as a plain dict."""
        return {"document": self.symbol, "slug": self.slug, "paragraphs": [p.to_json() for p in self.paragraphs]}


@dataclass(frozen=True)
class RoundEntry:
    """One round of one document, as its merge commit records it."""

    tag: str
    date: str
    """ISO 8601 commit date."""
    revision: str
    """The revision symbol the round produced (MC/2023/DRAFT/5/Rev.1)."""
    delegations: tuple[str, ...]
    brackets_before: int
    brackets_after: int
    commit: str
    unplaced: int = 0
    """Entries reported and left out."""

    def to_json(self) -> dict:
        """The round as a plain dict."""
        return {"tag": self.tag, "date": self.date, "revision": self.revision, "delegations": list(self.delegations),
                "brackets_before": self.brackets_before, "brackets_after": self.brackets_after,
                "commit": self.commit, "unplaced": self.unplaced}


# Git helpers -----------------------------------------------------------------------


def _git_output(repo: Repository, *args: str, input: bytes | None = None, env: dict | None = None) -> bytes:
    """What a git command prints, as bytes."""
    return repo.run_git(*args, input=input, env=env, binary=True).stdout


def _cat_files(repo: Repository, specs: Sequence[str]) -> list[tuple[str, bytes] | None]:
    """(type, content) of each `rev:path` or object id, None where there is none."""
    return read_objects(repo.root, list(specs))


def _text_at(repo: Repository, ref: str, path: str) -> str | None:
    found = _cat_files(repo, [f"{ref}:{path}"])[0]
    return found[1].decode("utf-8") if found and found[0] == "blob" else None


def _resolve(repo: Repository, ref: str) -> str:
    commit = repo.resolve(ref)
    if not commit:
        raise UsageError(f"unknown revision {ref!r}",
                         hint="give a round tag (`git tag -l 'round/*'`), a branch, a commit id, or WORKTREE")
    return commit


def _resolve_both(repo: Repository, ref_a: str, ref_b: str) -> tuple[str | None, str | None]:
    """The commits of two revisions, with one git call when both are known; None for `WORKTREE`."""
    refs = [ref for ref in (ref_a, ref_b) if ref != WORKTREE]
    process = repo.run_git("rev-parse", *(f"{ref}^{{commit}}" for ref in refs), "--", check=False)
    commits = process.stdout.split()[:len(refs)]
    if process.returncode != 0 or len(commits) != len(refs):
        # Each on its own, so that the message names the one unknown.
        commits = [_resolve(repo, ref) for ref in refs]
    found = iter(commits)
    return tuple(None if ref == WORKTREE else next(found) for ref in (ref_a, ref_b))


def _is_ancestor(repo: Repository, older: str, newer: str) -> bool:
    return repo.run_git("merge-base", "--is-ancestor", older, newer, check=False).returncode == 0


def _tree_entries(raw: bytes) -> list[tuple[str, str, str]]:
    """(mode, name, object id) of a raw tree object."""
    entries = []
    at = 0
    while at < len(raw):
        space = raw.index(b" ", at)
        nul = raw.index(b"\0", space)
        mode = raw[at:space].decode()
        name = raw[space + 1:nul].decode("utf-8")
        oid = raw[nul + 1:nul + 21].hex()
        entries.append((mode, name, oid))
        at = nul + 21
    return entries


def _require_repository_state(repo: Repository) -> None:
    if repo.head() is None:
        raise RepositoryError("this repository has no commits yet", hint="`cicatext init` makes the first one")
    repo.assert_clean_state()


def _require_clean(repo: Repository, doing: str) -> None:
    dirty = repo.dirty_paths()
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise RepositoryError(f"the working tree has uncommitted changes ({shown}); {doing} needs a clean tree",
                              hint="commit them, or put them aside with `git stash`")


def _known_code(repo: Repository, code: str) -> str:
    from cicatext.notation.codes import suggest

    wanted = code.strip().upper()
    if wanted not in repo.codes:
        nearest = suggest(wanted, repo.codes)
        hint = f"did you mean {nearest}? " if nearest else ""
        raise UsageError(f"unknown delegation {code!r}",
                         hint=hint + "delegation codes are the member states in registry/states and "
                                     f"{repo.secretariat_code}")
    return wanted


def _upstream_check(repo: Repository, branch: str) -> None:
    """Refuse when the branch's remote-tracking branch has commits it lacks (behind or diverged)."""
    upstream = repo.run_git("rev-parse", "--abbrev-ref", "--verify", "--quiet", f"{branch}@{{upstream}}",
                            check=False).stdout.strip()
    if not upstream:
        return
    local = _resolve(repo, branch)
    remote = _resolve(repo, upstream)
    if local == remote or _is_ancestor(repo, remote, local):
        return
    if _is_ancestor(repo, local, remote):
        raise RepositoryError(f"{branch} is behind {upstream}: the shared repository has commits you have not pulled",
                              hint=f"run `git pull` on {branch} first")
    raise RepositoryError(f"{branch} and {upstream} have diverged: each has commits the other lacks",
                          hint=f"reconcile them first (`git pull` on {branch}, resolve, push); nothing was changed")


def _document(repo: Repository, symbol: str) -> DocumentEntry:
    return repo.document(symbol)


def _read_draft(text: str, *, codes=None, file: str | None = None) -> Draft:
    from cicatext.notation.reader import read

    reading = read(text, codes=codes, file=file)
    errors = reading.errors
    if errors:
        first = errors[0]
        raise NotationError(first.message, file=first.file, line=first.line, column=first.column,
                            hint=first.hint, source_line=first.source_line, problems=errors)
    return reading.draft


# Delegations ---------------------------------------------------------------------


def delegation_branch(code: str) -> str:
    """The branch of a delegation: `delegations/CODE`."""
    return f"{BRANCH_PREFIX}{code}"


def current_delegation(repo: Repository) -> str | None:
    """The delegation whose branch is checked out, or None."""
    branch = repo.current_branch() or ""
    return branch[len(BRANCH_PREFIX):] if branch.startswith(BRANCH_PREFIX) else None


def _remote_tips(repo: Repository, code: str) -> list[tuple[str, str]]:
    out = repo.run_git("for-each-ref", "--format=%(refname) %(objectname)", "refs/remotes/").stdout
    tips = []
    for line in out.splitlines():
        name, oid = line.split()
        parts = name.split("/", 3)
        if len(parts) == 4 and parts[3] == delegation_branch(code):
            tips.append((name[len("refs/remotes/"):], oid))
    return tips


def start_delegation(repo: Repository, code: str) -> StartResult:
    """Create `delegations/CODE` from main (or from the shared repository's copy), or switch to it; bring it up to date with main."""
    code = _known_code(repo, code)
    branch = delegation_branch(code)
    with repo.lock():
        _require_repository_state(repo)
        _require_clean(repo, "switching to a delegation branch")
        if repo.run_git("rev-parse", "--verify", "--quiet", f"refs/heads/{MAIN}", check=False).returncode != 0:
            raise RepositoryError(f"there is no {MAIN} branch here", hint="delegation branches start from main")
        _upstream_check(repo, MAIN)
        local = repo.run_git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False).stdout.strip()
        remotes = _remote_tips(repo, code)
        for remote_name, oid in remotes if local else ():
            if oid != local and not _is_ancestor(repo, oid, local) and not _is_ancestor(repo, local, oid):
                raise RepositoryError(
                    f"{branch} and {remote_name} have diverged: each has commits the other lacks",
                    hint=f"reconcile them with `git switch {branch} && git pull`; nothing was changed")
        was_on = repo.current_branch()
        try:
            if not local:
                repo.run_git("branch", "--quiet", *(["--track", branch, remotes[0][0]] if remotes else [branch, MAIN]))
            if was_on != branch:
                repo.switch_branch(branch)
            tip = local
            for _, oid in remotes if local else ():
                if oid != tip and _is_ancestor(repo, tip, oid):
                    repo.move_branch(branch, tip, oid)  # a fast-forward to the shared copy
                    tip = oid
            updated = _bring_up_to_date(repo, branch)
        except BaseException:
            _put_back(repo, branch, local, was_on)
            raise
        return StartResult(code, branch, not local, updated, repo.head() or "")


def _put_back(repo: Repository, branch: str, local: str, was_on: str | None) -> None:
    """After a refusal part-way through `start_delegation`: the branch where it stood (or gone, if it was made),
    and the branch checked out before checked out again. What cannot be put back is left for `git status`."""
    try:
        if repo.current_branch() == branch:
            tip = repo.head()
            if local and tip and tip != local:
                repo.move_branch(branch, tip, local)
            if was_on and was_on != branch:
                repo.switch_branch(was_on)
        if not local and repo.current_branch() != branch:
            repo.run_git("branch", "--quiet", "-D", branch, check=False)
    except CicatextError:
        pass


def _bring_up_to_date(repo: Repository, branch: str) -> str | None:
    """Merge main into the checked-out delegation branch when main has moved on."""
    head = repo.head()
    main = _resolve(repo, MAIN)
    if head == main or _is_ancestor(repo, main, head):
        return None
    if _is_ancestor(repo, head, main):
        repo.move_branch(branch, head, main)
        return "fast-forward"
    process = repo.run_git("merge", "--quiet", "--no-edit", "-m", f"Bring {branch} up to date with {MAIN}", MAIN,
                           check=False)
    if process.returncode != 0:
        repo.run_git("merge", "--abort", check=False)
        raise RepositoryError(f"{MAIN} could not be merged into {branch}",
                              hint="a delegation branch should change only positions/CODE/; see `git status`")
    return "merge"


def position_set_path(code: str, slug: str) -> str:
    """Where a delegation's position set on a document lives."""
    return f"positions/{code}/{slug}.yaml"


def load_position_set(text: str, *, file: str) -> PositionSet:
    """A position set from its YAML text; RecordError with the file when it is not one."""
    return PositionSet.from_record(yamlio.load(text, file=file), file=file)


def propose(repo: Repository, symbol: str, *, language: str = "en", justification: str | None = None,
            message: str | None = None) -> ProposeResult:
    """Turn the delegation's edit of a document's text into entries of its position set, restore the text, commit.

    The edit is read against the text as committed on the delegation's branch
    (main's text when the branch was started or brought up to date).
    """
    code = current_delegation(repo)
    if code is None:
        branch = repo.current_branch() or "a detached HEAD"
        raise UsageError(f"propose runs on a delegation branch; you are on {branch}",
                         hint="run `cicatext delegation start CODE` first")
    entry = _document(repo, symbol)
    text_path = entry.text_path(language)
    positions = position_set_path(code, entry.slug)
    _require_repository_state(repo)
    committed = _text_at(repo, "HEAD", text_path)
    if committed is None:
        raise UsageError(f"{entry.symbol} has no {language} text on this branch ({text_path})",
                         hint=f"the document's languages are {', '.join(entry.languages) or 'none'}")
    edited = repo.read_text(text_path)
    old = _read_draft(committed, file=text_path)
    new = _read_draft(edited, codes=repo.codes, file=text_path)
    existing_text = None
    target = repo.path(positions)
    if target.exists():
        existing_text = repo.read_text(positions)
        position_set = load_position_set(existing_text, file=positions)
        if position_set.delegation != code:
            raise RecordError(f"{positions} names delegation {position_set.delegation}, not {code}",
                              file=positions, hint=f"a delegation writes only its own positions ({code})")
    else:
        position_set = PositionSet(code, entry.symbol)
    reading = entries_from_edit(old, new, code, first_id=position_set.next_id(), justification=justification)
    if reading.problems:
        first = reading.problems[0]
        raise UsageError(first.message, hint=first.hint, problems=tuple(
            Problem(p.message, file=text_path, hint=p.hint) for p in reading.problems))
    committed_positions = _text_at(repo, "HEAD", positions)
    if not reading.entries and existing_text == committed_positions:
        raise UsageError(f"nothing to propose: {text_path} is as committed",
                         hint="edit the text in your editor, then run propose again")
    based_on = _current_revision_at(repo, "HEAD", entry)
    updated = PositionSet(code, entry.symbol, position_set.entries + reading.entries,
                          based_on=based_on or position_set.based_on)
    problems = check_entries(old, PositionSet(code, entry.symbol, reading.entries), file=positions)
    if problems:
        raise RecordError(problems[0].message, file=positions, hint=problems[0].hint, problems=tuple(problems))
    summary = message or _propose_message(code, entry.symbol, reading.entries)
    # The edited text stays in place until the commit has succeeded; Repository.commit takes the write lock.
    commit = repo.commit({positions: yamlio.dump(updated.to_record())}, summary)
    if edited != committed:
        from cicatext.store.files import write_atomic

        write_atomic(repo.path(text_path), committed)
    warnings = []
    main_text = _text_at(repo, MAIN, text_path)
    if main_text is not None and main_text != committed:
        warnings.append(f"{MAIN} has a newer text of {entry.symbol}; run `cicatext delegation start {code}` "
                        "to bring your branch up to date before the next proposal")
    return ProposeResult(code, entry.symbol, positions, reading.entries, commit, tuple(warnings))


def _propose_message(code: str, symbol: str, entries: Sequence[Entry]) -> str:
    if not entries:
        return f"{code} on {symbol}: update the position set"
    lines = [f"{code} proposes on {symbol}: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}", ""]
    lines.extend(f"- {e.describe()}" for e in entries)
    return "\n".join(lines)


def _current_revision_at(repo: Repository, ref: str, entry: DocumentEntry) -> str | None:
    record_text = _text_at(repo, ref, entry.record_path)
    if record_text is None:
        return None
    try:
        return DocumentEntry(entry.slug, yamlio.load(record_text, file=entry.record_path)).current_symbol
    except CicatextError:
        return None


# Rounds -------------------------------------------------------------------------


@dataclass(frozen=True)
class _RoundCommit:
    commit: str
    date: str
    parents: tuple[str, ...]
    trailers: tuple[tuple[str, str], ...]

    def values(self, key: str) -> list[str]:
        return [value for name, value in self.trailers if name == key]

    def value(self, key: str, default: str = "") -> str:
        found = self.values(key)
        return found[0] if found else default


def _round_commits(repo: Repository, slug: str, ref: str) -> list[_RoundCommit]:
    """The round commits of a document in ref's history, oldest first."""
    process = repo.run_git("log", "--format=%H%x1f%cI%x1f%P%x1f%B%x1e", "--fixed-strings",
                           f"--grep={ROUND_TRAILER}: round/{slug}/", ref, check=False)
    if process.returncode != 0:
        return []
    found = []
    for block in process.stdout.split("\x1e"):
        block = block.strip("\n")
        if not block:
            continue
        commit, date, parents, body = block.split("\x1f", 3)
        trailers = tuple(_TRAILER.findall(body))
        if not any(name == ROUND_TRAILER and value.startswith(f"round/{slug}/") for name, value in trailers):
            continue
        found.append(_RoundCommit(commit, date, tuple(parents.split()), trailers))
    found.reverse()
    return found


def _history_ref(repo: Repository) -> str:
    exists = repo.run_git("rev-parse", "--verify", "--quiet", f"refs/heads/{MAIN}", check=False).returncode == 0
    return MAIN if exists else "HEAD"


def _delegation_tips(repo: Repository, codes: Iterable[str] | None) -> dict[str, tuple[str, str]]:
    """Code → (ref name, commit) of the most advanced delegation branch, local or remote-tracking."""
    out = repo.run_git("for-each-ref", "--format=%(refname) %(objectname)",
                       f"refs/heads/{BRANCH_PREFIX}", "refs/remotes/").stdout
    candidates: dict[str, list[tuple[str, str]]] = {}
    for line in out.splitlines():
        name, oid = line.split()
        if name.startswith(f"refs/heads/{BRANCH_PREFIX}"):
            code = name[len(f"refs/heads/{BRANCH_PREFIX}"):]
            short = name[len("refs/heads/"):]
        else:
            parts = name.split("/", 4)
            if len(parts) < 5 or f"{parts[3]}/" != BRANCH_PREFIX:
                continue
            code, short = parts[4], name[len("refs/remotes/"):]
        if "/" in code:
            continue
        candidates.setdefault(code, []).append((short, oid))
    wanted = sorted(candidates) if codes is None else list(codes)
    tips: dict[str, tuple[str, str]] = {}
    for code in wanted:
        found = candidates.get(code)
        if not found:
            raise UsageError(f"no branch {delegation_branch(code)} here or in any remote",
                             hint=f"{code} proposes with `cicatext delegation start {code}` and `cicatext propose`; "
                                  "fetch the shared repository with `git fetch` first")
        best_name, best = found[0]
        for name, oid in found[1:]:
            if oid == best or _is_ancestor(repo, oid, best):
                continue
            if _is_ancestor(repo, best, oid):
                best_name, best = name, oid
                continue
            raise RepositoryError(f"{best_name} and {name} have diverged: each has commits the other lacks",
                                  hint=f"ask {code} to reconcile its branch, or leave it out with --delegations")
        tips[code] = (best_name, best)
    return tips


def _new_commits(repo: Repository, main: str, tips: Sequence[str]) -> dict[str, tuple[tuple[str, ...], list[str]]]:
    """Commits reachable from the tips but not from main: id → (parents, files they change)."""
    if not tips:
        return {}
    out = repo.run_git("log", "--no-renames", "--format=%x1e%H %P", "--name-only", "--diff-merges=dense-combined",
                       f"^{main}", *tips).stdout
    commits: dict[str, tuple[tuple[str, ...], list[str]]] = {}
    for block in out.split("\x1e"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        ids = lines[0].split()
        commits[ids[0]] = (tuple(ids[1:]), lines[1:])
    return commits


def _branch_files(commits: dict, tip: str) -> set[str]:
    seen, files, stack = set(), set(), [tip]
    while stack:
        commit = stack.pop()
        if commit in seen or commit not in commits:
            continue
        seen.add(commit)
        parents, changed = commits[commit]
        files.update(changed)
        stack.extend(parents)
    return files


def _compiled_keys(repo: Repository, rounds: Sequence[_RoundCommit]) -> dict[str, set[str]]:
    """Code → keys of the entries earlier rounds compiled (placed), from the blobs their trailers name."""
    wanted: list[tuple[_RoundCommit, str, str]] = []
    for round_commit in rounds:
        for value in round_commit.values("Cicatext-Compiled"):
            code, _, blob = value.partition(" ")
            if blob:
                wanted.append((round_commit, code, blob.strip()))
    blobs = sorted({blob for _, _, blob in wanted})
    contents = dict(zip(blobs, _cat_files(repo, blobs)))
    keys_of: dict[str, set[str]] = {}
    for blob, found in contents.items():
        if found is None:
            continue
        try:
            position_set = load_position_set(found[1].decode("utf-8"), file=blob)
        except CicatextError:
            continue
        keys_of[blob] = {e.key for e in position_set.entries}
    compiled: dict[str, set[str]] = {}
    for round_commit, code, blob in wanted:
        left_out = {v.split(" ", 1)[1] for v in round_commit.values("Cicatext-Unplaced") if v.startswith(code + " ")}
        compiled.setdefault(code, set()).update(keys_of.get(blob, set()) - left_out)
    return compiled


def run_round(repo: Repository, symbol: str, *, delegations: Sequence[str] | None = None, language: str = "en",
              date: str | None = None, author: tuple[str, str] | None = None) -> RoundResult:
    """Merge the delegations' branches into main and compile their new positions into the next revision.

    One merge commit (parents: main and each merged branch), `Rev.N+1` in
    document.yaml, an annotated tag `round/<slug>/<N>`. Nothing changes unless
    everything succeeds.
    """
    entry = _document(repo, symbol)
    slug = entry.slug
    codes = None
    if delegations:
        codes = [_known_code(repo, code) for code in delegations]
    with repo.lock():
        _require_repository_state(repo)
        if repo.current_branch() != MAIN:
            raise UsageError(f"a round runs on {MAIN}; you are on {repo.current_branch() or 'a detached HEAD'}",
                             hint=f"`git switch {MAIN}` first")
        _require_clean(repo, "a round")
        _upstream_check(repo, MAIN)
        main = _resolve(repo, MAIN)
        tips = _delegation_tips(repo, codes)
        for code in tips:
            if codes is None and code not in repo.codes:
                raise UsageError(f"branch {delegation_branch(code)} names an unknown delegation {code!r}",
                                 hint="leave it out with --delegations, or add the state to registry/states")
        history = _round_commits(repo, slug, MAIN)
        number = len(history) + 1
        tag = f"round/{slug}/{number}"
        if repo.run_git("rev-parse", "--verify", "--quiet", f"refs/tags/{tag}", check=False).returncode == 0:
            raise RepositoryError(f"tag {tag} already exists but main's history holds {number - 1} round(s) of {slug}",
                                  hint="this clone's main is not the one that ran that round: `git pull` first")
        commits = _new_commits(repo, main, [oid for _, oid in tips.values()])
        positions = {code: position_set_path(code, slug) for code in tips}
        text_path = entry.text_path(language)
        specs = [f"{main}:{text_path}", f"{main}:{entry.record_path}"]
        for code, (_, oid) in tips.items():
            source = oid if oid in commits else main
            specs.append(f"{source}:{positions[code]}")
        found = _cat_files(repo, specs)
        if found[0] is None:
            raise UsageError(f"{entry.symbol} has no {language} text on {MAIN}")
        base_text = found[0][1].decode("utf-8")
        record_text = found[1][1].decode("utf-8")
        draft = _read_draft(base_text, codes=repo.codes, file=text_path)
        compiled_before = _compiled_keys(repo, history)

        position_sets: list[PositionSet] = []
        pending: dict[str, set[str]] = {}
        merged: list[str] = []
        idle: list[str] = []
        blobs: dict[str, str] = {}
        problems: list[Problem] = []
        for (code, (ref_name, oid)), content in zip(tips.items(), found[2:]):
            if oid in commits:
                outside = sorted(f for f in _branch_files(commits, oid) if not f.startswith(f"positions/{code}/"))
                if outside:
                    shown = ", ".join(outside[:4]) + (" ..." if len(outside) > 4 else "")
                    raise RepositoryError(
                        f"{ref_name} changes files outside positions/{code}/ ({shown})",
                        hint=f"a delegation branch changes only its own position sets; ask {code} to use "
                             "`cicatext propose`, or leave it out with --delegations")
            if content is None:
                idle.append(code)
                continue
            file = f"{ref_name}:{positions[code]}"
            position_set = load_position_set(content[1].decode("utf-8"), file=file)
            if position_set.delegation != code:
                raise RecordError(f"{file} names delegation {position_set.delegation!r}, not {code}", file=file,
                                  hint=f"a delegation writes only its own positions; fix it on {ref_name}")
            if position_set.document != entry.symbol:
                raise RecordError(f"{file} is about {position_set.document!r}, not {entry.symbol}", file=file,
                                  hint=f"write document: {entry.symbol}")
            new_keys = {e.key for e in position_set.entries} - compiled_before.get(code, set())
            if not new_keys:
                idle.append(code)
                continue
            fresh = PositionSet(code, position_set.document,
                                tuple(e for e in position_set.entries if e.key in new_keys), position_set.based_on)
            problems.extend(check_entries(draft, fresh, file=file))
            position_sets.append(position_set)
            pending[code] = new_keys
            blobs[code] = blob_id(content[1])
            if oid in commits:
                merged.append(code)
        if problems:
            raise RecordError(problems[0].message, file=problems[0].file, hint=problems[0].hint,
                              problems=tuple(problems))
        if not position_sets:
            who = ", ".join(codes) if codes else "no delegation"
            raise UsageError(f"nothing to compile: {who} has new positions on {entry.symbol}",
                             hint="delegations propose with `cicatext propose` on their branches; "
                                  "`git fetch` brings in what they pushed")

        compiled = compile_round(draft, position_sets, pending=pending)
        revision_number = entry.revision + 1
        from cicatext.records.symbols import parse_symbol

        revision = str(parse_symbol(entry.symbol).with_revision(revision_number))
        day = (date or datetime.now(timezone.utc).astimezone().isoformat())[:10]
        record = yamlio.load_roundtrip(record_text, file=entry.record_path)
        record.setdefault("revisions", []).append({"rev": revision_number, "symbol": revision, "date": day,
                                                   "round": tag})
        new_record = yamlio.dump(record)
        before, after = draft.bracket_count(), compiled.draft.bracket_count()
        message = _round_message(entry.symbol, number, revision, tag, compiled, merged, blobs, before, after)
        parents = [main] + [tips[code][1] for code in merged]
        env = identity_env(author, date)
        commit = _write_round_commit(repo, main, parents, message, env, {
            text_path: compiled.text.encode("utf-8"),
            entry.record_path: new_record.encode("utf-8"),
        }, {code: tips[code][1] for code in merged})
        _move_main(repo, main, commit, tag, message, env)
    return RoundResult(entry.symbol, slug, tag, revision, commit, tuple(merged), compiled, before, after, message,
                       tuple(idle))


def _round_message(symbol: str, number: int, revision: str, tag: str, compiled: CompiledRound, merged: Sequence[str],
                   blobs: dict[str, str], before: int, after: int) -> str:
    table = compiled.by_delegation()
    names = ", ".join(merged) if len(merged) <= 6 else f"{len(merged)} delegations"
    lines = [f"Round {number} on {symbol}: {revision.rsplit('/', 1)[-1]} ({names or 'no new branches'})", ""]
    lines.append(f"Brackets: {before} before, {after} after.")
    lines.append("")
    for code, (placed, left_out) in table.items():
        lines.append(f"{code} proposed:")
        lines.extend(f"  - {e.describe()}" for e in placed)
        lines.extend(f"  - NOT PLACED: {u.entry.describe()}: {u.reason}" for u in left_out)
    lines.append("")
    lines.append(f"{ROUND_TRAILER}: {tag}")
    lines.append(f"Cicatext-Revision: {revision}")
    lines.append(f"Cicatext-Brackets: {before} -> {after}")
    lines.append(f"Cicatext-Delegations: {' '.join(merged)}")
    for code in sorted(blobs):
        lines.append(f"Cicatext-Compiled: {code} {blobs[code]}")
    for unplaced in compiled.unplaced:
        lines.append(f"Cicatext-Unplaced: {unplaced.delegation} {unplaced.entry.key}")
    return "\n".join(lines) + "\n"


def _write_round_commit(repo: Repository, main: str, parents: Sequence[str], message: str, env: dict,
                        files: dict[str, bytes], folders: dict[str, str]) -> str:
    """Write the round's tree through a temporary index and commit it with every parent; touches no ref."""
    git_dir = repo.git_dir()
    index = git_dir / f"cicatext-round-{os.getpid()}.index"
    index_env = dict(env, GIT_INDEX_FILE=str(index))
    try:
        _git_output(repo, "read-tree", main, env=index_env)
        lines: list[str] = []
        listing = _git_output(repo, "ls-tree", "-r", "-z", main, "--", "positions/").decode("utf-8")
        for item in listing.split("\0"):
            if not item:
                continue
            _, path = item.split("\t", 1)
            code = path.split("/")[1]
            if code in folders:
                lines.append(f"0 {_ZERO}\t{path}")
        lines.extend(_folder_entries(repo, folders))
        for path, content in files.items():
            oid = _git_output(repo, "hash-object", "-w", "--stdin", input=content).decode().strip()
            lines.append(f"100644 {oid}\t{path}")
        _git_output(repo, "update-index", "--index-info", input=("\n".join(lines) + "\n").encode("utf-8"),
                   env=index_env)
        tree = _git_output(repo, "write-tree", env=index_env).decode().strip()
        arguments = ["commit-tree", tree]
        signing = _signs_commits(repo)
        if signing:
            # commit-tree, unlike `git commit`, does not follow commit.gpgSign by itself.
            arguments.append("-S")
        for parent in parents:
            arguments += ["-p", parent]
        try:
            return _git_output(repo, *arguments, input=message.encode("utf-8"), env=env).decode().strip()
        except RepositoryError as error:
            if not signing:
                raise
            raise RepositoryError(f"the round's commit could not be signed ({error.message})",
                                  hint="git is set to sign every commit (commit.gpgSign): check user.signingkey "
                                       "and gpg.format, or `git config commit.gpgSign false`; "
                                       "the repository was left as it was") from None
    finally:
        index.unlink(missing_ok=True)


def _signs_commits(repo: Repository) -> bool:
    """Whether git is set to sign every commit here (`commit.gpgSign`)."""
    said = repo.run_git("config", "--type=bool", "--get", "commit.gpgSign", check=False).stdout.strip()
    return said == "true"


def _folder_entries(repo: Repository, folders: dict[str, str]) -> list[str]:
    """Index lines for every file under positions/CODE/ at each delegation's tip."""
    lines: list[str] = []
    queue = [(f"positions/{code}", f"{tip}:positions/{code}") for code, tip in sorted(folders.items())]
    while queue:
        found = _cat_files(repo, [spec for _, spec in queue])
        next_queue = []
        for (path, _), item in zip(queue, found):
            if item is None or item[0] != "tree":
                continue
            for mode, name, oid in _tree_entries(item[1]):
                if mode == "40000":
                    next_queue.append((f"{path}/{name}", oid))
                else:
                    lines.append(f"{mode} {oid}\t{path}/{name}")
        queue = next_queue
    return lines


def _move_main(repo: Repository, old: str, new: str, tag: str, message: str, env: dict) -> None:
    """Move the working tree, main and the tag to the round commit, all or nothing (`Repository.move_branch`)."""
    repo.move_branch(MAIN, old, new, tag=(tag, message), env=env)


# Agreement ---------------------------------------------------------------------


def _bracket_operation(repo: Repository, symbol: str, bracket_id: str, language: str, verb: str) -> str:
    if current_delegation(repo) is not None:
        raise UsageError(f"the secretariat records what the room {verb}d on {MAIN}, not on a delegation branch",
                         hint=f"`git switch {MAIN}` first")
    entry = _document(repo, symbol)
    text_path = entry.text_path(language)
    # The message is made from a first reading; the change itself is made from the text as it stands
    # under the write lock, so a concurrent agree or drop is never overwritten. The checks of git's
    # state run under the lock too: a concurrent cicatext commit holds git's index lock for a moment.
    message, _ = _bracket_change(repo, entry, text_path, bracket_id, verb)

    def build() -> dict[str, str]:
        _require_repository_state(repo)
        if text_path in repo.dirty_paths():
            raise RepositoryError(f"{text_path} has uncommitted changes", hint="commit or stash them first")
        again, changed = _bracket_change(repo, entry, text_path, bracket_id, verb)
        if again != message:
            raise RepositoryError(f"bracket {bracket_id} of {entry.current_symbol} changed while {verb} ran",
                                  hint="look at the text again and rerun the command")
        return {text_path: changed}

    return repo.update(build, message)


def _bracket_change(repo: Repository, entry: DocumentEntry, text_path: str, bracket_id: str,
                    verb: str) -> tuple[str, str]:
    """(commit message, new text) for agreeing or dropping one bracket of the text as it is on disk now."""
    from cicatext.notation import operations
    from cicatext.notation.render import render
    from cicatext.notation.views import find_bracket

    draft = _read_draft(repo.read_text(text_path), file=text_path)
    try:
        _, bracket = find_bracket(draft, bracket_id)
    except NotationError as error:
        raise UsageError(f"{entry.current_symbol} has {error.message}", hint=error.hint) from None
    changed = operations.agree(draft, bracket_id) if verb == "agree" else operations.drop(draft, bracket_id)
    body = normalise(render(bracket.body))
    shown = body if len(body) <= 72 else body[:71] + "…"
    attributions = " ".join(a.canonical() for a in bracket.attributions)
    past = "Agree" if verb == "agree" else "Drop"
    message = f"{past} {bracket_id} in {entry.current_symbol}\n\n[{shown}] {attributions}".rstrip() + "\n"
    return message, render(changed)


def agree_bracket(repo: Repository, symbol: str, bracket_id: str, *, language: str = "en") -> str:
    """Lift a bracket (keep its text) and commit; returns the commit id."""
    return _bracket_operation(repo, symbol, bracket_id, language, "agree")


def drop_bracket(repo: Repository, symbol: str, bracket_id: str, *, language: str = "en") -> str:
    """Remove a bracket with its text and commit; returns the commit id."""
    return _bracket_operation(repo, symbol, bracket_id, language, "drop")


# Reading the history ------------------------------------------------------------------


def _documents_at(repo: Repository, ref: str | None, language: str, slug: str | None = None) -> dict[str, str]:
    """slug → text path of the documents (or the one) with a text in `language` at a commit (None: the working tree)."""
    if ref is None:
        if slug is not None:
            path = document_text_path(slug, language)
            return {slug: path} if repo.path(path).exists() else {}
        return {e.slug: e.text_path(language) for e in repo.documents() if repo.path(e.text_path(language)).exists()}
    folder = f"documents/{slug}/" if slug is not None else "documents/"
    listing = repo.run_git("ls-tree", "-r", "--name-only", ref, "--", folder).stdout.splitlines()
    found = {}
    for path in listing:
        parts = path.split("/")
        if len(parts) == 3 and parts[2] == f"{language}.txt":
            found[parts[1]] = path
    return found


def diff_refs(repo: Repository, ref_a: str, ref_b: str, symbol: str | None = None, *,
              language: str = "en") -> list[DocumentDiff]:
    """The bracket diff of each document (or one) from ref_a to ref_b; `WORKTREE` names the working tree."""
    only, unknown = _slug_of(repo, symbol) if symbol is not None else (None, None)
    checks: list[str] = []
    if only is not None and WORKTREE not in (ref_a, ref_b):
        # One document at two commits: its paths are known, and the one cat-file that reads its
        # texts also checks both revisions and says where the document has no text.
        commit_a, commit_b = checks = [f"{ref_a}^{{commit}}", f"{ref_b}^{{commit}}"]
        docs_a = docs_b = {only: document_text_path(only, language)}
    else:
        commit_a, commit_b = _resolve_both(repo, ref_a, ref_b)
        docs_a = _documents_at(repo, commit_a, language, only)
        docs_b = _documents_at(repo, commit_b, language, only)
    slugs = sorted(set(docs_a) | set(docs_b))
    texts: dict[tuple[str, str], str | None] = {}
    records: dict[tuple[str, str], bytes | Path | None] = {}
    at_commits: list[tuple[tuple[str, str], str, str]] = []
    for side, commit, docs in (("a", commit_a, docs_a), ("b", commit_b, docs_b)):
        for slug in (s for s in slugs if s in docs):
            if commit is None:
                texts[(side, slug)] = repo.read_text(docs[slug])
                records[(side, slug)] = repo.path(document_record_path(slug))
            else:
                at_commits.append(((side, slug), f"{commit}:{docs[slug]}", f"{commit}:{document_record_path(slug)}"))
    # Both sides' texts and records from one cat-file; records are read only for documents that changed.
    found = _cat_files(repo, checks + [spec for _, text, record in at_commits for spec in (text, record)])
    for ref, item in zip((ref_a, ref_b), found[:len(checks)]):
        if item is None or item[0] != "commit":
            _resolve(repo, ref)  # raises, naming the revision git does not know
    found = found[len(checks):]
    for index, (key, _, _) in enumerate(at_commits):
        text, record = found[2 * index], found[2 * index + 1]
        texts[key] = text[1].decode("utf-8") if text and text[0] == "blob" else None
        records[key] = record[1] if record and record[0] == "blob" else None
    if only is not None and texts.get(("a", only)) is None and texts.get(("b", only)) is None:
        hint = None
        if unknown is not None:
            nearest = unknown.problem.hint or "`cicatext search SYMBOL` finds documents by symbol"
            hint = f"it is not in the register now either; {nearest}"
        raise UsageError(f"{symbol} has no {language} text at {ref_a} or {ref_b}", hint=hint)
    from cicatext.notation.reader import read

    result = []
    empty = read("").draft
    for slug in slugs:
        old_text, new_text = texts.get(("a", slug)), texts.get(("b", slug))
        if old_text == new_text:
            continue
        old = read(old_text).draft if old_text is not None else empty
        new = read(new_text).draft if new_text is not None else empty
        paragraphs = diff_drafts(old, new, texts=(old_text or "", new_text or ""))
        if paragraphs:
            symbol_of = _record_symbol(records.get(("b", slug))) or _record_symbol(records.get(("a", slug)))
            result.append(DocumentDiff(symbol_of or slug, slug, paragraphs))
    return result


def _record_symbol(record: bytes | Path | None) -> str | None:
    """The symbol a document record (its bytes, or its file) gives, if it is readable and gives one."""
    if record is None:
        return None
    try:
        loaded = _safe_load(record) if isinstance(record, Path) else yamlio.load(record.decode("utf-8"))
    except (CicatextError, UnicodeDecodeError):
        return None
    return str(loaded["symbol"]) if isinstance(loaded, dict) and loaded.get("symbol") else None


def _safe_load(path: Path):
    try:
        from cicatext.store.files import read_text

        return yamlio.load(read_text(path))
    except (OSError, CicatextError):
        return None


def _slug_of(repo: Repository, symbol: str) -> tuple[str, UsageError | None]:
    """The folder of a document, and the error that the register does not hold it (then the folder its symbol names)."""
    try:
        return repo.document(symbol).slug, None
    except UsageError as error:
        from cicatext.records.symbols import is_symbol, parse_symbol

        if is_symbol(symbol):
            return parse_symbol(symbol).slug(), error
        raise


def document_log(repo: Repository, symbol: str) -> list[RoundEntry]:
    """The rounds of a document, oldest first: date, revision, delegations merged, brackets before and after."""
    slug, _ = _slug_of(repo, symbol)
    entries = []
    for round_commit in _round_commits(repo, slug, _history_ref(repo)):
        brackets = round_commit.value("Cicatext-Brackets", "0 -> 0")
        before, _, after = brackets.partition(" -> ")
        entries.append(RoundEntry(
            tag=round_commit.value(ROUND_TRAILER),
            date=round_commit.date,
            revision=round_commit.value("Cicatext-Revision"),
            delegations=tuple(round_commit.value("Cicatext-Delegations").split()),
            brackets_before=int(before or 0),
            brackets_after=int(after or 0),
            commit=round_commit.commit,
            unplaced=len(round_commit.values("Cicatext-Unplaced")),
        ))
    return entries


def round_refs(repo: Repository, symbol: str | None = None) -> list[str]:
    """The round tags (of one document, or all), oldest first."""
    prefix = f"refs/tags/round/{_slug_of(repo, symbol)[0]}/" if symbol else "refs/tags/round/"
    out = repo.run_git("for-each-ref", "--format=%(refname:short)%00%(creatordate:unix)", prefix).stdout

    def order(line: str):
        name, _, stamp = line.partition("\0")
        number = name.rsplit("/", 1)[-1]
        return (int(stamp or 0), name.rsplit("/", 1)[0], int(number) if number.isdigit() else 0)

    return [line.partition("\0")[0] for line in sorted(out.splitlines(), key=order) if line]


def bracket_origin(repo: Repository, symbol: str, bracket_id: str, *, language: str = "en") -> RoundEntry | None:
    """The round that introduced a bracket of the current text (best effort: the first round whose text holds
    a bracket with its words where the text before did not); None when it predates the rounds."""
    from cicatext.notation.views import find_bracket

    entry = _document(repo, symbol)
    text_path = entry.text_path(language)
    draft = _read_draft(repo.read_text(text_path), file=text_path)
    try:
        paragraph, bracket = find_bracket(draft, bracket_id)
    except NotationError as error:
        raise UsageError(error.message, hint=error.hint) from None
    text = paragraph_text(paragraph)
    ordinal = int(bracket_id.rsplit(":", 1)[1])
    words = normalise(text.body_reading(text.brackets[ordinal - 1]))
    rounds = document_log(repo, symbol)
    if not rounds:
        return None
    specs = []
    for item in rounds:
        specs += [f"{item.commit}^1:{text_path}", f"{item.commit}:{text_path}"]
    found = _cat_files(repo, specs)
    from cicatext.notation.reader import read

    def holds(content) -> bool:
        if content is None:
            return False
        other = read(content[1].decode("utf-8")).draft.paragraph(paragraph.id)
        if other is None:
            return False
        reading = paragraph_text(other)
        return any(normalise(reading.body_reading(span)) == words for span in reading.brackets)

    for index, item in enumerate(rounds):
        if holds(found[2 * index + 1]) and not holds(found[2 * index]):
            return item
    return None


# The git diff driver --------------------------------------------------------------------


WORD_REGEX = r"\([+-][A-Z][A-Z0-9]*\)|\([A-Z][A-Z0-9]* tcb\)|[^[:space:]]+"
"""Words for `git diff --word-diff` on document texts: an attribution such as `(CHN tcb)` is one word."""


def _cicatext_command() -> str:
    import shutil

    found = shutil.which("cicatext")
    if found:
        return shlex.quote(found)
    return f"{shlex.quote(sys.executable)} -m cicatext"


def git_setup(repo: Repository) -> dict[str, str]:
    """Configure this clone's git to show document texts through cicatext's diff driver; returns the settings."""
    command = _cicatext_command()
    settings = {
        f"diff.{DIFF_DRIVER}.command": f"{command} diff-driver",
        f"diff.{DIFF_DRIVER}.textconv": f"{command} diff-textconv",
        f"diff.{DIFF_DRIVER}.wordRegex": WORD_REGEX,
        f"diff.{DIFF_DRIVER}.cachetextconv": "false",
    }
    for key, value in settings.items():
        repo.run_git("config", "--local", key, value)
    attributes = repo.path(".gitattributes")
    named = attributes.exists() and f"diff={DIFF_DRIVER}" in attributes.read_text(encoding="utf-8")
    if not named:
        info = repo.git_dir() / "info" / "attributes"
        info.parent.mkdir(parents=True, exist_ok=True)
        current = info.read_text(encoding="utf-8") if info.exists() else ""
        line = f"documents/*/*.txt diff={DIFF_DRIVER}\n"
        if line not in current:
            info.write_text(current + ("" if not current or current.endswith("\n") else "\n") + line, encoding="utf-8")
        settings["attributes"] = str(info)
    else:
        settings["attributes"] = ".gitattributes"
    return settings


def textconv_view(text: str) -> str:
    """A document text as git shows it: negotiating brackets as ⟦ ⟧, so `[-…-]` and `{+…+}` stay git's own."""
    return text.replace("[", "⟦").replace("]", "⟧")


def driver_view(path: str, old_text: str | None, new_text: str | None) -> str:
    """What `git diff` prints for a document text: the changed paragraphs, word by word, bracket-aware."""
    from cicatext.notation.bracket_diff import word_diff_view
    from cicatext.notation.reader import read

    old = read(old_text or "").draft
    new = read(new_text or "").draft
    header = [f"diff --cicatext a/{path} b/{path}",
              "--- " + (f"a/{path}" if old_text is not None else "/dev/null"),
              "+++ " + (f"b/{path}" if new_text is not None else "/dev/null")]
    body = word_diff_view(old, new)
    return "\n".join(header) + "\n" + body


__all__ = [
    "DocumentDiff", "ProposeResult", "RoundEntry", "RoundResult", "StartResult", "WORKTREE", "agree_bracket",
    "bracket_origin", "current_delegation", "delegation_branch", "diff_refs", "document_log", "drop_bracket",
    "git_setup", "position_set_path", "propose", "round_refs", "run_round", "start_delegation",
]
