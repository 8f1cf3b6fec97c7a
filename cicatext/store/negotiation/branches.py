"""Delegation branches: `delegations/CODE`, starting one or switching to it, and bringing it up to date with main.

Each delegation works on its own branch and changes only `positions/CODE/`
there. A branch is made from main (or from the shared repository's copy of it)
and brought up to date with main when main has moved on; the round finds each
delegation's most advanced branch, local or remote-tracking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cicatext.errors import CicatextError, RepositoryError, UsageError
from cicatext.store.layout import delegation_folder
from cicatext.store.negotiation.checks import (
    known_code,
    require_clean,
    require_repository_state,
    upstream_check,
)
from cicatext.store.negotiation.refs import BRANCH_PREFIX, MAIN, is_ancestor, resolve
from cicatext.store.repository import Repository


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


def delegation_branch(code: str) -> str:
    """The branch of a delegation: `delegations/CODE`."""
    return f"{BRANCH_PREFIX}{code}"


def current_delegation(repo: Repository) -> str | None:
    """The delegation whose branch is checked out, or None."""
    branch = repo.current_branch() or ""
    return branch[len(BRANCH_PREFIX):] if branch.startswith(BRANCH_PREFIX) else None


def require_delegation(repo: Repository, command: str = "propose") -> str:
    """The delegation whose branch is checked out; UsageError saying how to get on one when none is."""
    code = current_delegation(repo)
    if code is None:
        branch = repo.current_branch() or "a detached HEAD"
        raise UsageError(f"{command} runs on a delegation branch; you are on {branch}",
                         hint="run `cicatext delegation start CODE` first")
    return code


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
    code = known_code(repo, code)
    branch = delegation_branch(code)
    with repo.lock():
        require_repository_state(repo)
        require_clean(repo, "switching to a delegation branch")
        if repo.resolve(f"refs/heads/{MAIN}") is None:
            raise RepositoryError(f"there is no {MAIN} branch here", hint="delegation branches start from main")
        upstream_check(repo, MAIN)
        local = repo.resolve(f"refs/heads/{branch}") or ""
        remotes = _remote_tips(repo, code)
        for remote_name, oid in remotes if local else ():
            if oid != local and not is_ancestor(repo, oid, local) and not is_ancestor(repo, local, oid):
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
                if oid != tip and is_ancestor(repo, tip, oid):
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
    main = resolve(repo, MAIN)
    if head == main or is_ancestor(repo, main, head):
        return None
    if is_ancestor(repo, head, main):
        repo.move_branch(branch, head, main)
        return "fast-forward"
    process = repo.run_git("merge", "--quiet", "--no-edit", "-m", f"Bring {branch} up to date with {MAIN}", MAIN,
                           check=False)
    if process.returncode != 0:
        repo.run_git("merge", "--abort", check=False)
        raise RepositoryError(f"{MAIN} could not be merged into {branch}",
                              hint=f"a delegation branch should change only {delegation_folder('CODE')}/; see `git status`")
    return "merge"


def delegation_tips(repo: Repository, codes: Iterable[str] | None) -> dict[str, tuple[str, str]]:
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
            if oid == best or is_ancestor(repo, oid, best):
                continue
            if is_ancestor(repo, best, oid):
                best_name, best = name, oid
                continue
            raise RepositoryError(f"{best_name} and {name} have diverged: each has commits the other lacks",
                                  hint=f"ask {code} to reconcile its branch, or leave it out with --delegations")
        tips[code] = (best_name, best)
    return tips
