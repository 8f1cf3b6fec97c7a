"""What cicatext believes of the history: the `Cicatext-` trailers of the Secretariat's commits on main's line.

Rounds, decisions, translations and revisions record what they did in
commit-message trailers (`Cicatext-Round:`, `Cicatext-Compiled:`,
`Cicatext-Decision:`, `Cicatext-Bracket:`, ...). Anyone can write such a line
into a commit message, so a trailer is believed only from a commit that

- lies on the first-parent line of the ref read (`main`): a commit that came
  to main as a merge's second parent (a delegation's branch) is never read, and
- was made by the Secretariat: its signature verifies with a Secretariat key,
  or a round or revision tag the Secretariat signed names it (`git tag -s`).
  The key registry and the Secretariat's code are read as they stood at the
  commit's first parent, so a commit cannot bring the key that vouches for it,
  and a key revoked later does not unmake what it signed before.

Where the registry at that point has no key of the Secretariat (a repository
that has not set up signing, or not yet), nothing can be verified: the
first-parent line alone decides, and what guards it is who may move `main`
(the shared repository's hook). `believed_commits` is the one way the store
reads trailers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cicatext.store.git import read_texts, run_git
from cicatext.store.layout import ALLOWED_SIGNERS_PATH, REVOKED_PATH

TRAILER = re.compile(r"^(Cicatext-[A-Za-z]+): (.*)$", re.MULTILINE)
"""One `Cicatext-Name: value` line of a commit message."""

# Commits found believed, by repository: a commit and the registry before it never change.
_BELIEVED: dict[tuple[str, str], bool] = {}


@dataclass(frozen=True)
class TrailerCommit:
    """A commit on main's first-parent line and the `Cicatext-` trailers of its message."""

    commit: str
    date: str
    """ISO 8601 commit date."""
    parents: tuple[str, ...]
    trailers: tuple[tuple[str, str], ...]
    """(name, value) of each trailer, in the message's order."""
    message: str = ""
    """The whole message."""

    def values(self, key: str) -> list[str]:
        """Every value of one trailer."""
        return [value for name, value in self.trailers if name == key]

    def value(self, key: str, default: str = "") -> str:
        """The first value of one trailer, or `default`."""
        found = self.values(key)
        return found[0] if found else default


def believed_commits(root: str | Path, ref: str, *, grep: str | None = None,
                     paths: Sequence[str] = ()) -> list[TrailerCommit]:
    """The commits on `ref`'s first-parent line whose `Cicatext-` trailers are believed, newest first.

    `grep` keeps the commits whose message holds that string; `paths`, those that changed one of the paths.
    """
    found = first_parent_commits(root, ref, grep=grep, paths=paths)
    verdicts = believed(root, found)
    return [item for item in found if verdicts[item.commit]]


def first_parent_commits(root: str | Path, ref: str, *, grep: str | None = None,
                         paths: Sequence[str] = ()) -> list[TrailerCommit]:
    """Every commit on `ref`'s first-parent line with a `Cicatext-` trailer, believed or not, newest first."""
    args = ["log", "--first-parent", "--format=%H%x1f%cI%x1f%P%x1f%B%x1e"]
    if grep:
        args += ["--fixed-strings", f"--grep={grep}"]
    process = run_git(Path(root), *args, ref, "--", *paths, check=False)
    if process.returncode != 0:
        return []
    found = []
    for block in process.stdout.split("\x1e"):
        block = block.strip("\n")
        if not block:
            continue
        commit, date, parents, body = block.split("\x1f", 3)
        trailers = tuple(TRAILER.findall(body))
        if trailers:
            found.append(TrailerCommit(commit, date, tuple(parents.split()), trailers, body))
    return found


def believed(root: str | Path, commits: Sequence[TrailerCommit]) -> dict[str, bool]:
    """Whether each commit (taken to be on main's first-parent line) is the Secretariat's, as the module says."""
    root = str(root)
    verdicts = {c.commit: _BELIEVED.get((root, c.commit), False) for c in commits}
    todo = [c for c in commits if not verdicts[c.commit]]
    if not todo:
        return verdicts
    from cicatext.store.trust.keys import KeyRing
    from cicatext.store.trust.tags import vouching_tags
    from cicatext.store.trust.verify import Git, Verifier, _secretariat

    git = Git(Path(root))
    bases = [item.parents[0] for item in todo if item.parents]
    texts = iter(read_texts(Path(root), [f"{base}:{path}" for base in bases for path in (ALLOWED_SIGNERS_PATH, REVOKED_PATH)]))
    registries = [(next(texts), next(texts)) if item.parents else (None, None) for item in todo]
    needing: list[tuple[TrailerCommit, KeyRing, str]] = []
    for item, (allowed, revoked) in zip(todo, registries):
        ring = KeyRing.from_texts(allowed, revoked)
        secretariat = _secretariat(git, item.parents[0]) if ring and item.parents else "SEC"
        if not ring.keys_of(secretariat, include_revoked=True):
            verdicts[item.commit] = True  # no Secretariat key to verify with: main's first-parent line decides
        else:
            needing.append((item, ring, secretariat))
    if needing:
        raws = dict(zip([i.commit for i, _, _ in needing], git.objects([i.commit for i, _, _ in needing])))
        tags = vouching_tags(git, {i.commit for i, _, _ in needing})
        for item, ring, secretariat in needing:
            with Verifier(ring) as verifier:
                raw = raws.get(item.commit)
                good = raw is not None and verifier.commit(raw[1]).code == secretariat
                if not good:
                    good = any(verifier.tag(tag.raw).code == secretariat for _, tag in tags.get(item.commit, ()))
            verdicts[item.commit] = good
    for commit, verdict in verdicts.items():
        if verdict:
            _BELIEVED[(root, commit)] = True
    return verdicts
