"""Rounds: the delegations' branches merged into main, their new positions compiled into the next revision.

A round, on `main`, is one merge commit whose parents are `main` and every
delegation branch merged; its tree is `main`'s with each merged delegation's
`positions/CODE/` taken from its branch and the document's next revision
compiled from the position sets. The tree is written through a temporary
index and the commit with `git commit-tree`, so `main` and the working tree
move only once everything has succeeded.

What a round compiled is recorded in its commit message (trailers such as
`Cicatext-Compiled: CHN <blob>`: the position set's blob as compiled), so the
next round compiles only what is new, whichever clone runs it. Those records
are read only from the rounds on main's first-parent line whose trailers are
believed (`cicatext.store.trust.believed`): a trailer a delegation wrote into
one of its own commits never makes a round skip a proposal.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cicatext.errors import (
    CicatextError,
    Problem,
    RecordError,
    RepositoryError,
    UsageError,
)
from cicatext.notation.compile import CompiledRound, compile_round
from cicatext.notation.position_sets import PositionSet, check_entries
from cicatext.store import yamlio
from cicatext.store.files import blob_id, decoded
from cicatext.store.git import commit_day, identity_env
from cicatext.store.layout import (
    POSITIONS_DIR,
    STATES_DIR,
    delegation_folder,
    position_set_path,
    provided_by,
    round_index,
)
from cicatext.store.negotiation.branches import delegation_branch, delegation_tips
from cicatext.store.negotiation.checks import (
    known_code,
    read_draft,
    require_clean,
    require_repository_state,
    upstream_check,
)
from cicatext.store.negotiation.history import RoundCommit, round_commits
from cicatext.store.negotiation.refs import (
    MAIN,
    ROUND_TRAILER,
    cat_files,
    resolve,
    tree_entries,
)
from cicatext.store.negotiation.round_tree import round_tree
from cicatext.store.repository import Repository
from cicatext.store.trust.attribution_guard import parsed_position_set_problems

_ZERO = "0" * 40


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
    awaiting: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Paragraphs of the document's other languages the round could not carry its change to."""

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
            **({"awaiting_translation": {lang: list(ids) for lang, ids in self.awaiting.items()}}
               if self.awaiting else {}),
        }


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


class _PositionSets:
    """The position sets one round reads, by blob id: each blob read from git once, and parsed and checked once,
    whether a delegation's branch holds it now or an earlier round compiled it. Only what a branch holds now is
    kept once parsed: an earlier round's blob is wanted for its keys alone."""

    def __init__(self, repo: Repository) -> None:
        self._repo = repo
        self._contents: dict[str, bytes] = {}
        self._held: set[str] = set()
        self._read: dict[str, tuple[str, Any, PositionSet]] = {}

    def hold(self, content: bytes) -> str:
        """Keep a position set a branch holds, read from git with the rest of the round's files; its blob id."""
        blob = blob_id(content)
        self._contents.setdefault(blob, content)
        self._held.add(blob)
        return blob

    def fetch(self, blobs: Sequence[str]) -> None:
        """Read from git, in one call, the blobs not already in hand; those git does not have stay unread."""
        missing = sorted({blob for blob in blobs if blob not in self._contents})
        for blob, found in zip(missing, cat_files(self._repo, missing)):
            if found is not None:
                self._contents[blob] = found[1]

    def content(self, blob: str) -> bytes | None:
        """A blob's bytes, None when git has none (or an earlier round's blob already parsed)."""
        return self._contents.get(blob)

    def read(self, blob: str, *, file: str) -> tuple[str, Any, PositionSet]:
        """A blob's text, its YAML record and its position set; RecordError naming `file` when it is not one. A branch's blob
        parsed once is not parsed again; one that failed fails again, naming the file it is read as this time."""
        found = self._read.get(blob)
        if found is None:
            content = self._contents[blob] if blob in self._held else self._contents.pop(blob)
            bounds = self._repo.limits
            # A byte that is not UTF-8 is kept (surrogateescape) for the loader to refuse at its line and column.
            text = content.decode("utf-8", "surrogateescape")
            record = yamlio.load_record(text, file=file, bounds=bounds)
            found = (text, record, PositionSet.from_record(record, file=file))
            if blob in self._held:
                self._read[blob] = found
        return found


def _compiled_keys(sets: _PositionSets, rounds: Sequence[RoundCommit]) -> dict[str, set[str]]:
    """Code → keys of the entries earlier rounds compiled (placed), from the blobs their trailers name."""
    wanted: list[tuple[RoundCommit, str, str]] = []
    for round_commit in rounds:
        for value in round_commit.values("Cicatext-Compiled"):
            code, _, blob = value.partition(" ")
            if blob:
                wanted.append((round_commit, code, blob.strip()))
    blobs = sorted({blob for _, _, blob in wanted})
    sets.fetch(blobs)
    keys_of: dict[str, set[str]] = {}
    for blob in blobs:
        if sets.content(blob) is None:
            continue
        try:
            _, _, position_set = sets.read(blob, file=blob)
        except CicatextError:
            continue
        keys_of[blob] = {e.key for e in position_set.entries}
    compiled: dict[str, set[str]] = {}
    for round_commit, code, blob in wanted:
        left_out = {v.split(" ", 1)[1] for v in round_commit.values("Cicatext-Unplaced") if v.startswith(code + " ")}
        compiled.setdefault(code, set()).update(keys_of.get(blob, set()) - left_out)
    return compiled


def _refuse_doubtful(slug: str, claimed: Sequence[RoundCommit], believed: Sequence[RoundCommit]) -> None:
    """Refuse a round while main's line holds a commit that claims to be a round the Secretariat did not sign."""
    trusted = {c.commit for c in believed}
    doubtful = [c for c in claimed if c.commit not in trusted]
    if doubtful:
        raise RepositoryError(
            f"main's commit {doubtful[0].commit[:10]} claims to be a round of {slug} "
            f"({doubtful[0].value(ROUND_TRAILER)}), but the Secretariat did not sign it: its record is not believed",
            hint="a round's record counts only from a commit signed by a Secretariat key registered before it, or "
                 "named by a round tag the Secretariat signed (docs/trust.md); `cicatext verify main` shows who "
                 "signed what")


def run_round(repo: Repository, symbol: str, *, delegations: Sequence[str] | None = None, language: str = "en",
              date: str | None = None, author: tuple[str, str] | None = None) -> RoundResult:
    """Merge the delegations' branches into main and compile their new positions into the next revision.

    One merge commit (parents: main and each merged branch), `Rev.N+1` in
    document.yaml, an annotated tag `round/<slug>/<N>`. Nothing changes unless
    everything succeeds.
    """
    entry = repo.document(symbol)
    slug = entry.slug
    codes = None
    if delegations:
        codes = [known_code(repo, code) for code in delegations]
    with repo.lock():
        require_repository_state(repo)
        if repo.current_branch() != MAIN:
            raise UsageError(f"a round runs on {MAIN}; you are on {repo.current_branch() or 'a detached HEAD'}",
                             hint=f"`git switch {MAIN}` first")
        require_clean(repo, "a round")
        upstream_check(repo, MAIN)
        main = resolve(repo, MAIN)
        tips = delegation_tips(repo, codes)
        for code in tips:
            if codes is None and code not in repo.codes:
                raise UsageError(f"branch {delegation_branch(code)} names an unknown delegation {code!r}",
                                 hint=f"leave it out with --delegations, or add the state to {STATES_DIR}")
        claimed = round_commits(repo, slug, MAIN, believed_only=False)
        history = round_commits(repo, slug, MAIN)
        _refuse_doubtful(slug, claimed, history)
        number = len(history) + 1
        tag = f"round/{slug}/{number}"
        if repo.resolve(f"refs/tags/{tag}") is not None:
            raise RepositoryError(f"tag {tag} already exists but main's history holds {number - 1} round(s) of {slug}",
                                  hint="this clone's main is not the one that ran that round: `git pull` first")
        commits = _new_commits(repo, main, [oid for _, oid in tips.values()])
        positions = {code: position_set_path(code, slug) for code in tips}
        text_path = entry.text_path(language)
        specs = [f"{main}:{text_path}", f"{main}:{entry.record_path}"]
        for code, (_, oid) in tips.items():
            source = oid if oid in commits else main
            specs.append(f"{source}:{positions[code]}")
        found = cat_files(repo, specs)
        if found[0] is None:
            raise UsageError(f"{entry.symbol} has no {language} text on {MAIN}")
        base_text = decoded(found[0][1], text_path, MAIN)
        record_text = decoded(found[1][1], entry.record_path, MAIN)
        draft = read_draft(base_text, codes=repo.codes, file=text_path,
                           record=yamlio.load(record_text, file=entry.record_path, bounds=repo.limits), language=language)
        sets = _PositionSets(repo)
        held = [None if content is None else sets.hold(content[1]) for content in found[2:]]
        compiled_before = _compiled_keys(sets, history)

        position_sets: list[PositionSet] = []
        pending: dict[str, set[str]] = {}
        merged: list[str] = []
        idle: list[str] = []
        blobs: dict[str, str] = {}
        problems: list[Problem] = []
        provided: list[str] = []
        for (code, (ref_name, oid)), blob in zip(tips.items(), held):
            if oid in commits:
                changed = _branch_files(commits, oid)
                outside = sorted(f for f in changed if not f.startswith(f"{delegation_folder(code)}/"))
                if outside:
                    shown = ", ".join(outside[:4]) + (" ..." if len(outside) > 4 else "")
                    raise RepositoryError(
                        f"{ref_name} changes files outside {delegation_folder(code)}/ ({shown})",
                        hint=f"a delegation branch changes only its own position sets; ask {code} to use "
                             "`cicatext propose`, or leave it out with --delegations")
                if any(provided_by(f) == code for f in changed):
                    provided.append(code)  # confidential records it provided come to main with this round
            if blob is None:
                idle.append(code)
                continue
            file = f"{ref_name}:{positions[code]}"
            text, record, position_set = sets.read(blob, file=file)
            problems.extend(replace(p, file=file) for p in parsed_position_set_problems(positions[code], text, record, code))
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
            blobs[code] = blob
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
        day = (date or commit_day())[:10]
        record = yamlio.load_roundtrip(record_text, file=entry.record_path, bounds=repo.limits)
        record.setdefault("revisions", []).append({"rev": revision_number, "symbol": revision, "date": day,
                                                   "round": tag})
        record["date"] = day
        # The document's other languages follow where the change can be placed; the rest awaits translation.
        other_texts: dict[str, str] = {}
        awaiting = {}
        if len(entry.languages) > 1:
            from cicatext.store.negotiation.languages_apply import follow_change

            awaiting = follow_change(repo, entry, language, draft, compiled.draft, record, other_texts)
        new_record = yamlio.dump(record)
        before, after = draft.bracket_count(), compiled.draft.bracket_count()
        message = _round_message(entry.symbol, number, revision, tag, compiled, merged, blobs, before, after)
        carried = [*merged, *(code for code in provided if code not in merged)]
        parents = [main] + [tips[code][1] for code in carried]
        env = identity_env(author, date)
        commit = _write_round_commit(repo, main, parents, message, env, {
            text_path: compiled.text.encode("utf-8"),
            entry.record_path: new_record.encode("utf-8"),
            **{path: text.encode("utf-8") for path, text in other_texts.items()},
        }, {code: tips[code][1] for code in carried})
        _move_main(repo, main, commit, tag, message, env)
    return RoundResult(entry.symbol, slug, tag, revision, commit, tuple(merged), compiled, before, after, message,
                       tuple(idle), awaiting)


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


def _git_output(repo: Repository, *args: str, input: bytes | None = None, env: dict | None = None) -> bytes:
    """What a git command prints, as bytes."""
    return repo.run_git(*args, input=input, env=env, binary=True).stdout


def _write_round_commit(repo: Repository, main: str, parents: Sequence[str], message: str, env: dict,
                        files: dict[str, bytes], folders: dict[str, str]) -> str:
    """Write the round's tree and commit it with every parent; touches no ref."""
    blobs = {path: _git_output(repo, "hash-object", "-w", "--stdin", input=content).decode().strip()
             for path, content in files.items()}
    tree = round_tree(repo, main, blobs, folders)
    if tree is None:
        tree = _index_tree(repo, main, blobs, folders, env)
    arguments = ["commit-tree", tree]
    signing = signs_commits(repo)
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


def _index_tree(repo: Repository, main: str, blobs: dict[str, str], folders: dict[str, str], env: dict) -> str:
    """The round's tree written through a temporary index of main's whole tree, for a tree `round_tree` leaves."""
    index = repo.git_dir() / round_index(os.getpid())
    index_env = dict(env, GIT_INDEX_FILE=str(index))
    try:
        _git_output(repo, "read-tree", main, env=index_env)
        lines: list[str] = []
        listing = _git_output(repo, "ls-tree", "-r", "-z", main, "--", f"{POSITIONS_DIR}/").decode("utf-8")
        for item in listing.split("\0"):
            if not item:
                continue
            _, path = item.split("\t", 1)
            code = path.split("/")[1]
            if code in folders:
                lines.append(f"0 {_ZERO}\t{path}")
        lines.extend(_folder_entries(repo, folders))
        lines.extend(f"100644 {oid}\t{path}" for path, oid in blobs.items())
        _git_output(repo, "update-index", "--index-info", input=("\n".join(lines) + "\n").encode("utf-8"),
                   env=index_env)
        return _git_output(repo, "write-tree", env=index_env).decode().strip()
    finally:
        index.unlink(missing_ok=True)


def signs_commits(repo: Repository) -> bool:
    """Whether git is set to sign every commit here (`commit.gpgSign`)."""
    said = repo.run_git("config", "--type=bool", "--get", "commit.gpgSign", check=False).stdout.strip()
    return said == "true"


def _folder_entries(repo: Repository, folders: dict[str, str]) -> list[str]:
    """Index lines for every file under positions/CODE/ at each delegation's tip."""
    lines: list[str] = []
    queue = [(delegation_folder(code), f"{tip}:{delegation_folder(code)}") for code, tip in sorted(folders.items())]
    while queue:
        found = cat_files(repo, [spec for _, spec in queue])
        next_queue = []
        for (path, _), item in zip(queue, found):
            if item is None or item[0] != "tree":
                continue
            for mode, name, oid in tree_entries(item[1]):
                inside = f"{path}/{name.decode('utf-8')}"
                if mode == b"40000":
                    next_queue.append((inside, oid))
                else:
                    lines.append(f"{mode.decode()} {oid}\t{inside}")
        queue = next_queue
    return lines


def _move_main(repo: Repository, old: str, new: str, tag: str, message: str, env: dict) -> None:
    """Move the working tree, main and the tag to the round commit, all or nothing (`Repository.move_branch`)."""
    repo.move_branch(MAIN, old, new, tag=(tag, message), env=env)
