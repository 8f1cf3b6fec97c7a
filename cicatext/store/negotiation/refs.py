"""The negotiation's names for branches and refs, and resolving what a command names: a ref, a document.

`main` holds the agreed texts and the rounds; each delegation works on
`delegations/CODE`; `WORKTREE` stands for the working tree where a ref is
expected; a round's merge commit names its tag in a `Cicatext-Round` trailer.
Here too: a ref's commit, whether one commit is an ancestor of another, the
objects at a ref (many read with one `git cat-file --batch`) and the entries
of a tree read so, and the folder of a document named by a symbol the
register may no longer hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from cicatext.errors import UsageError
from cicatext.store.git import read_objects, start_reading_objects
from cicatext.store.repository import Repository

MAIN = "main"
BRANCH_PREFIX = "delegations/"
WORKTREE = "WORKTREE"
"""The ref that names the working tree in `diff_refs`."""
ROUND_TRAILER = "Cicatext-Round"


def cat_files(repo: Repository, specs: Sequence[str]) -> list[tuple[str, bytes] | None]:
    """(type, content) of each `rev:path` or object id, None where there is none."""
    return read_objects(repo.root, list(specs))


def start_cat_files(repo: Repository, specs: Sequence[str]) -> Callable[[], list[tuple[str, bytes] | None]]:
    """`cat_files`, begun: git reads while the caller goes on; what this returns, called, gives what `cat_files`
    does."""
    return start_reading_objects(repo.root, list(specs))


def tree_entries(raw: bytes) -> Iterator[tuple[bytes, bytes, str]]:
    """(mode, name, object id) of each entry of a raw tree object (as `cat_files` gives it), in its order."""
    at = 0
    while at < len(raw):
        space = raw.index(b" ", at)
        nul = raw.index(b"\0", space)
        yield raw[at:space], raw[space + 1:nul], raw[nul + 1:nul + 21].hex()
        at = nul + 21


def resolve(repo: Repository, ref: str) -> str:
    """The commit a ref names; UsageError naming the ref when git does not know it."""
    commit = repo.resolve(ref)
    if not commit:
        raise UsageError(f"unknown revision {ref!r}",
                         hint="give a round tag (`git tag -l 'round/*'`), a branch, a commit id, or WORKTREE")
    return commit


def resolve_both(repo: Repository, ref_a: str, ref_b: str) -> tuple[str | None, str | None]:
    """The commits of two revisions, with one git call when both are known; None for `WORKTREE`."""
    refs = [ref for ref in (ref_a, ref_b) if ref != WORKTREE]
    process = repo.run_git("rev-parse", *(f"{ref}^{{commit}}" for ref in refs), "--", check=False)
    commits = process.stdout.split()[:len(refs)]
    if process.returncode != 0 or len(commits) != len(refs):
        # Each on its own, so that the message names the one unknown.
        commits = [resolve(repo, ref) for ref in refs]
    found = iter(commits)
    return tuple(None if ref == WORKTREE else next(found) for ref in (ref_a, ref_b))


def is_ancestor(repo: Repository, older: str, newer: str) -> bool:
    """Whether `older` is `newer` or one of its ancestors."""
    return repo.run_git("merge-base", "--is-ancestor", older, newer, check=False).returncode == 0


def slug_of(repo: Repository, symbol: str) -> tuple[str, UsageError | None]:
    """The folder of a document, and the error that the register does not hold it (then the folder its symbol names)."""
    try:
        return repo.document(symbol).slug, None
    except UsageError as error:
        from cicatext.records.symbols import is_symbol, parse_symbol

        if is_symbol(symbol):
            return parse_symbol(symbol).slug(), error
        raise
