"""The checks the negotiation's writing commands make before they change anything, and reading a text strictly.

A command refuses, saying what to do, when the repository has no commit or
git is in the middle of an operation, when the working tree has uncommitted
changes, when a delegation code is unknown, or when a branch is behind (or has
diverged from) its remote-tracking branch. A text it compiles or changes must
read without a notation error.
"""

from __future__ import annotations

from cicatext.errors import NotationError, RepositoryError, UsageError
from cicatext.notation.tree import Draft
from cicatext.store.layout import GROUPS_DIR, STATES_DIR
from cicatext.store.negotiation.refs import is_ancestor, resolve
from cicatext.store.repository import Repository


def require_repository_state(repo: Repository) -> None:
    """Refuse a repository with no commit yet, or with git in the middle of an operation."""
    if repo.head() is None:
        raise RepositoryError("this repository has no commits yet", hint="`cicatext init` makes the first one")
    repo.assert_clean_state()


def require_clean(repo: Repository, doing: str) -> None:
    """Refuse a working tree with uncommitted changes to tracked files; `doing` says what needs it clean."""
    dirty = repo.dirty_paths()
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise RepositoryError(f"the working tree has uncommitted changes ({shown}); {doing} needs a clean tree",
                              hint="commit them, or put them aside with `git stash`")


def known_code(repo: Repository, code: str) -> str:
    """A delegation code as the registry spells it; UsageError suggesting the nearest when it is unknown."""
    from cicatext.notation.codes import suggest

    wanted = code.strip().upper()
    if wanted not in repo.codes:
        nearest = suggest(wanted, repo.codes)
        hint = f"did you mean {nearest}? " if nearest else ""
        raise UsageError(f"unknown delegation {code!r}",
                         hint=hint + f"delegation codes are the member states in {STATES_DIR}, the groups in "
                                     f"{GROUPS_DIR} and {repo.secretariat_code}")
    return wanted


def upstream_check(repo: Repository, branch: str) -> None:
    """Refuse when the branch's remote-tracking branch has commits it lacks (behind or diverged)."""
    upstream = repo.run_git("rev-parse", "--abbrev-ref", "--verify", "--quiet", f"{branch}@{{upstream}}",
                            check=False).stdout.strip()
    if not upstream:
        return
    local = resolve(repo, branch)
    remote = resolve(repo, upstream)
    if local == remote or is_ancestor(repo, remote, local):
        return
    if is_ancestor(repo, local, remote):
        raise RepositoryError(f"{branch} is behind {upstream}: the shared repository has commits you have not pulled",
                              hint=f"run `git pull` on {branch} first")
    raise RepositoryError(f"{branch} and {upstream} have diverged: each has commits the other lacks",
                          hint=f"reconcile them first (`git pull` on {branch}, resolve, push); nothing was changed")


def read_draft(text: str, *, codes=None, file: str | None = None, record=None, language: str = "en") -> Draft:
    """A text's draft; NotationError carrying every problem when the text has a notation error.

    With the document's `record`, the problems its text was circulated with (`known_problems`, recorded when it
    was imported) are no error: the official text is what it is, and the rest works on it.
    """
    from cicatext.notation.reader import read

    reading = read(text, codes=codes, file=file)
    errors = reading.errors
    if errors and record is not None:
        from cicatext.store.validation.known import unknown_errors

        errors = tuple(unknown_errors(errors, record, language))
    if errors:
        first = errors[0]
        raise NotationError(first.message, file=first.file, line=first.line, column=first.column,
                            hint=first.hint, source_line=first.source_line, problems=errors)
    return reading.draft
