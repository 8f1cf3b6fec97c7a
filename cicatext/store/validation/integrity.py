"""Attribution integrity: every bracket attribution on main is accounted for by a round or a recorded decision.

The rule, over the first-parent history of `main` (HEAD when there is no main),
one document text at a time:

- the attributions in the first committed version of a text are its imported
  baseline (the text as the Secretariat received it);
- an attribution that appears later, `(+IND)` in paragraph op11, say, is
  accounted for when the commit that brought it is a round (its message
  carries `Cicatext-Round:`) that names that code among its delegations or
  compiled position sets, or a Secretariat decision (its message carries a
  `Cicatext-Decision:` trailer), or, for a paragraph awaiting translation, the
  commit that translated it (`cicatext translated`, which first checks that
  the paragraph has the other languages' brackets and attributions; its
  message carries `Cicatext-Translated: LANG PARAGRAPH...`);
- anything else is an attribution typed into the text by hand: it is reported
  while it is still in the text (removing it settles it).

A trailer counts only where it is believed (`cicatext.store.trust.believed`):
a commit on main's line that the Secretariat did not sign, in a repository
that registers a Secretariat key, accounts for nothing.

Attributions are counted per paragraph id, code and stance, so a moved or
re-worded bracket keeps its account.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from cicatext.errors import MAX_PROBLEMS, Problem, more_problems
from cicatext.store.files import read_json, write_json_quietly
from cicatext.store.git import read_texts
from cicatext.store.layout import (
    ATTRIBUTIONS_CACHE,
    CACHE_DIR,
    DOCUMENTS_DIR,
    is_document_text,
    text_language,
)
from cicatext.store.repository import Repository
from cicatext.store.validation.stored import as_stored, problems_from

_TRAILER = re.compile(r"^(Cicatext-[A-Za-z]+): (.*)$", re.MULTILINE)
TRANSLATED_TRAILER = "Cicatext-Translated"
"""`Cicatext-Translated: ru op2 op5`: the commit translated these paragraphs of that language's text."""


def _attributions(text: str) -> tuple[Counter, dict]:
    from cicatext.notation.reader import make_nodes, read

    counts: Counter = Counter()
    where: dict = {}
    if "(" not in text:
        return counts, where  # every attribution is in round brackets: a text without one has none to read
    # The problems are the reader's check's, not this one's; the nodes are made at once, the collector paused.
    draft = make_nodes(read(text, max_problems=0).draft)
    for paragraph in draft.paragraphs:
        for bracket, _ in paragraph.brackets():
            for attribution in bracket.attributions:
                key = (paragraph.id, attribution.code, attribution.stance.value)
                counts[key] += 1
                if attribution.pos is not None:
                    where[key] = (attribution.pos.line, attribution.pos.column)
    return counts, where


@dataclass(frozen=True)
class _Accounts:
    """What one commit's trailers account for, read once per commit (a round's message lists every delegation)."""

    decision: bool
    """A Secretariat decision: it accounts for any attribution."""
    translated: frozenset[tuple[str, str]]
    """(language, paragraph) of each paragraph it translated."""
    codes: frozenset[str]
    """In a round, the codes it names among its delegations or compiled position sets."""

    @classmethod
    def of(cls, message: str) -> _Accounts:
        trailers = [(name, value.split()) for name, value in _TRAILER.findall(message)]
        names = {name for name, _ in trailers}
        translated = frozenset((words[0], paragraph) for name, words in trailers if name == TRANSLATED_TRAILER and words
                               for paragraph in words[1:])
        codes: set[str] = set()
        if "Cicatext-Round" in names:
            for name, words in trailers:
                if name == "Cicatext-Delegations":
                    codes.update(words)
                elif name == "Cicatext-Compiled":
                    codes.update(words[:1])
        return cls("Cicatext-Decision" in names, translated, frozenset(codes))

    def cover(self, code: str, path: str = "", paragraph: str = "") -> bool:
        """Whether the commit accounts for an attribution naming `code` that it brought into `paragraph` of `path`."""
        return (self.decision or code in self.codes
                or bool(path) and (text_language(path), paragraph) in self.translated)


def _keep_believed(repo: Repository, git, messages: dict[str, str]) -> None:
    """Blank the messages whose trailers are not believed (`cicatext.store.trust.believed`): a commit on main's
    line that the Secretariat did not sign accounts for no attribution, whatever its trailers say."""
    from cicatext.store.trust.believed import TrailerCommit, believed

    with_trailers = [c for c, message in messages.items() if _TRAILER.search(message)]
    parents = git.parents(with_trailers)
    items = [TrailerCommit(c, "", parents.get(c, ()), tuple(_TRAILER.findall(messages[c]))) for c in with_trailers]
    for commit, verdict in believed(repo.root, items).items():
        if not verdict:
            messages[commit] = ""


def _history(git, ref: str) -> tuple[list[str], dict[str, list[str]]]:
    """The first-parent commits of `ref`, oldest first, and for each document text the commits that changed it."""
    out = git.text("log", "--first-parent", "--diff-merges=first-parent", "--no-renames", "--reverse",
                   "--format=%x1e%H", "--name-only", ref, "--", f"{DOCUMENTS_DIR}/")
    commits: list[str] = []
    changes: dict[str, list[str]] = {}
    for block in out.split("\x1e"):
        lines = [line for line in block.splitlines() if line]
        if not lines:
            continue
        commits.append(lines[0])
        for path in lines[1:]:
            if is_document_text(path):
                changes.setdefault(path, []).append(lines[0])
    return commits, changes


def _path_problems(path: str, versions: list[tuple[str, str]], messages: dict[str, str],
                   limit: int = MAX_PROBLEMS, accounts: dict[str, _Accounts] | None = None) -> list[Problem]:
    """The unaccounted attributions of one text, from its versions (commit, text) oldest first: the first `limit`
    made into problems, the rest counted. `accounts` keeps each commit's trailers as read, for the next text."""
    previous_text, previous = None, None
    accounts = {} if accounts is None else accounts
    unaccounted: Counter = Counter()
    introduced: dict = {}
    final_where: dict = {}
    for commit, text in versions:
        if text == previous_text:
            continue
        counts, final_where = _attributions(text)
        if previous is not None:
            for key, extra in (counts - previous).items():
                if commit not in accounts:
                    accounts[commit] = _Accounts.of(messages[commit])
                if not accounts[commit].cover(key[1], path, key[0]):
                    unaccounted[key] += extra
                    introduced[key] = commit
        for key in list(unaccounted):
            unaccounted[key] = min(unaccounted[key], counts.get(key, 0))
        unaccounted += Counter()
        previous_text, previous = text, counts
    problems = []
    keys = sorted(unaccounted)  # `+= Counter()` above left only counts over zero
    for key in keys[:limit]:
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
    if len(keys) > limit:
        problems.append(more_problems(len(keys) - limit, len(keys) - limit, path, limit))
    return problems


class _Cache:
    """Results by the commit they were computed at: the whole check by main's commit, each text by its last change.

    Main's first-parent history up to a commit never changes, so a text's
    result is fixed by the last commit that changed it.
    """

    VERSION = 3

    def __init__(self, repo: Repository) -> None:
        from cicatext import __version__

        self.path = repo.root / CACHE_DIR / ATTRIBUTIONS_CACHE
        self.context = f"{self.VERSION}:{__version__}:{repo.limits.problems_per_file}"
        self.head: str | None = None
        self.problems: list[dict] = []
        self.paths: dict[str, list] = {}
        stored = read_json(self.path)
        if isinstance(stored, dict) and stored.get("context") == self.context:
            try:
                self.head, self.problems, self.paths = stored["head"], stored["problems"], stored["paths"]
            except KeyError:
                pass

    def save(self, head: str, problems: list[Problem], paths: dict[str, list]) -> None:
        write_json_quietly(self.path, {"context": self.context, "head": head,
                                       "problems": as_stored(problems), "paths": paths})


def check_attributions(repo: Repository, *, use_cache: bool = True) -> list[Problem]:
    """Attributions on main that no round, decision or imported baseline accounts for."""
    from cicatext.store.trust.verify import Git

    git = Git(repo.root)
    ref, head = repo.main_commit()
    if head is None:
        return []
    cache = _Cache(repo) if use_cache else None
    if cache and cache.head == head:
        kept = problems_from(cache.problems)
        if kept is not None:
            return kept
    _, changes = _history(git, ref)
    paths = sorted(p for p in git.text("ls-tree", "-r", "--name-only", ref, "--", f"{DOCUMENTS_DIR}/").splitlines()
                   if is_document_text(p))
    problems: list[Problem] = []
    results: dict[str, list] = {}
    # A text committed once holds only its imported baseline: nothing to account for.
    to_check = []
    for path in paths:
        changed = changes.get(path, [])
        if len(changed) < 2:
            continue
        known = cache.paths.get(path) if cache else None
        found = problems_from(known[1]) if isinstance(known, list) and len(known) == 2 and known[0] == changed[-1] \
            else None
        if found is not None:
            results[path] = known
            problems.extend(found)
        else:
            to_check.append((path, changed))
    if to_check:
        commits = sorted({c for _, changed in to_check for c in changed})
        messages = {}
        for commit, item in zip(commits, git.objects(commits)):
            messages[commit] = item[1].partition(b"\n\n")[2].decode("utf-8", "replace") if item else ""
        _keep_believed(repo, git, messages)
        specs = [f"{commit}:{path}" for path, changed in to_check for commit in changed]
        texts = iter(read_texts(repo.root, specs))
        accounts: dict[str, _Accounts] = {}
        for path, changed in to_check:
            versions = []
            for commit in changed:
                text = next(texts)
                if text is not None:
                    versions.append((commit, text))
            try:
                found = _path_problems(path, versions, messages, repo.limits.problems_per_file, accounts)
            except RecursionError:  # brackets nested past what the tree can be walked at: the reader names them
                found = [Problem("the attributions of this text cannot be checked: its brackets nest too deep",
                                 file=path, code="attribution", hint="close the brackets the reader reports as "
                                 "never closed (`cicatext check`), then validate again")]
            results[path] = [changed[-1], as_stored(found)]
            problems.extend(found)
    problems.sort(key=lambda p: p.file or "")
    if cache:
        cache.save(head, problems, results)
    return problems
