"""Attribution integrity: every bracket attribution on main is accounted for by a round or a recorded decision.

The rule, over the first-parent history of `main` (HEAD when there is no main),
one document text at a time:

- the attributions in the first committed version of a text are its imported
  baseline (the text as the Secretariat received it);
- an attribution that appears later, `(+IND)` in paragraph op11, say, is
  accounted for when the commit that brought it is a round (its message
  carries `Cicatext-Round:`) that names that code among its delegations or
  compiled position sets, or a Secretariat decision (its message carries a
  `Cicatext-Decision:` trailer);
- anything else is an attribution typed into the text by hand: it is reported
  while it is still in the text (removing it settles it).

Attributions are counted per paragraph id, code and stance, so a moved or
re-worded bracket keeps its account.
"""

from __future__ import annotations

import re
from collections import Counter

from cicatext.errors import Problem
from cicatext.store.repository import Repository

_TRAILER = re.compile(r"^(Cicatext-[A-Za-z]+): (.*)$", re.MULTILINE)


def _attributions(text: str) -> tuple[Counter, dict]:
    from cicatext.notation.reader import read

    draft = read(text).draft
    counts: Counter = Counter()
    where: dict = {}
    for paragraph in draft.paragraphs:
        for bracket, _ in paragraph.brackets():
            for attribution in bracket.attributions:
                key = (paragraph.id, attribution.code, attribution.stance.value)
                counts[key] += 1
                if attribution.pos is not None:
                    where[key] = (attribution.pos.line, attribution.pos.column)
    return counts, where


def _accounts_for(message: str, code: str) -> bool:
    trailers = _TRAILER.findall(message)
    names = {name for name, _ in trailers}
    if "Cicatext-Decision" in names:
        return True
    if "Cicatext-Round" in names:
        for name, value in trailers:
            if name == "Cicatext-Delegations" and code in value.split():
                return True
            if name == "Cicatext-Compiled" and value.split()[:1] == [code]:
                return True
    return False


def check_attributions(repo: Repository) -> list[Problem]:
    """Attributions on main that no round, decision or imported baseline accounts for."""
    from cicatext.store.verify import Git

    git = Git(repo.root)
    ref = "refs/heads/main" if git.resolve("refs/heads/main") else "HEAD"
    if git.resolve(ref) is None:
        return []
    commits = git.text("rev-list", "--first-parent", "--reverse", ref).split()
    paths = sorted(p for p in git.text("ls-tree", "-r", "--name-only", ref, "--", "documents/").splitlines()
                   if p.endswith(".txt") and p.count("/") == 2)
    if not paths or not commits:
        return []
    messages = {}
    for commit, item in zip(commits, git.objects(commits)):
        messages[commit] = item[1].partition(b"\n\n")[2].decode("utf-8", "replace") if item else ""
    problems: list[Problem] = []
    for path in paths:
        blobs = git.run("cat-file", "--batch-check=%(objectname)",
                        input="".join(f"{c}:{path}\n" for c in commits).encode()).decode().split("\n")
        previous_blob, previous = None, None
        unaccounted: Counter = Counter()
        introduced: dict = {}
        final_where: dict = {}
        for commit, blob in zip(commits, blobs):
            blob = blob.split()[0] if blob.strip() and not blob.endswith("missing") else None
            if blob is None or blob == previous_blob:
                continue
            text = git.blob_text(blob) or ""
            counts, final_where = _attributions(text)
            if previous is not None:
                for key, extra in (counts - previous).items():
                    if not _accounts_for(messages[commit], key[1]):
                        unaccounted[key] += extra
                        introduced[key] = commit
            for key in list(unaccounted):
                unaccounted[key] = min(unaccounted[key], counts.get(key, 0))
            unaccounted += Counter()
            previous_blob, previous = blob, counts
        for key, count in sorted(unaccounted.items()):
            paragraph, code, stance = key
            shown = f"({code} tcb)" if stance == "tcb" else f"({stance}{code})"
            line, column = final_where.get(key, (None, None))
            commit = introduced.get(key, "")
            subject = messages.get(commit, "").split("\n", 1)[0]
            problems.append(Problem(
                f"{shown} in paragraph {paragraph} was added by commit {commit[:10]} ({subject!r}), "
                "which is no round naming it and no recorded decision",
                file=path, line=line, column=column, code="attribution",
                hint=f"attributions come from {code}'s position set through `cicatext round`; remove it, or record "
                     "the room's decision in a commit with a `Cicatext-Decision:` trailer"))
    return problems
