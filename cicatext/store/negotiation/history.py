"""Reading the history: a document's rounds and commits, the refs worth comparing, where a bracket came from.

A round's merge commit records what it did in `Cicatext-` trailers (its tag,
the revision it produced, the delegations merged, the brackets before and
after); `document_log` reads them back from main's first-parent line, from
the commits whose trailers are believed (`cicatext.store.trust.believed`). The TUI's history,
round diff and reader ask the queries here (`document_history`, `ref_choices`,
`bracket_source`) and only draw what they return.
"""

from __future__ import annotations

from dataclasses import dataclass

from cicatext.errors import CicatextError, NotationError, UsageError
from cicatext.notation.paragraph_text import normalise, paragraph_text
from cicatext.notation.tree import Bracket, Draft
from cicatext.notation.views import BracketInfo, locate
from cicatext.store.git import read_texts
from cicatext.store.layout import DOCUMENTS_DIR, document_text_path
from cicatext.store.negotiation.checks import read_draft
from cicatext.store.negotiation.refs import (
    MAIN,
    ROUND_TRAILER,
    WORKTREE,
    cat_files,
    slug_of,
)
from cicatext.store.register.texts import text_at
from cicatext.store.repository import Repository
from cicatext.store.trust.believed import (
    TrailerCommit,
    believed_commits,
    first_parent_commits,
)


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


RoundCommit = TrailerCommit
"""A round's merge commit and the `Cicatext-` trailers of its message."""


def round_commits(repo: Repository, slug: str, ref: str, *, believed_only: bool = True) -> list[RoundCommit]:
    """The round commits of a document on ref's first-parent line, oldest first: only those whose trailers are
    believed (`cicatext.store.trust.believed`), or every one that claims to be a round."""
    grep = f"{ROUND_TRAILER}: round/{slug}/"
    found = (believed_commits if believed_only else first_parent_commits)(repo.root, ref, grep=grep)
    found = [item for item in found
             if any(name == ROUND_TRAILER and value.startswith(f"round/{slug}/") for name, value in item.trailers)]
    found.reverse()
    return found


def _history_ref(repo: Repository) -> str:
    return MAIN if repo.resolve(f"refs/heads/{MAIN}") else "HEAD"


def document_log(repo: Repository, symbol: str) -> list[RoundEntry]:
    """The rounds of a document, oldest first: date, revision, delegations merged, brackets before and after."""
    slug, _ = slug_of(repo, symbol)
    entries = []
    for round_commit in round_commits(repo, slug, _history_ref(repo)):
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
    prefix = f"refs/tags/round/{slug_of(repo, symbol)[0]}/" if symbol else "refs/tags/round/"
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

    entry = repo.document(symbol)
    text_path = entry.text_path(language)
    draft = read_draft(text_at(repo, text_path), file=text_path)
    try:
        paragraph, bracket = find_bracket(draft, bracket_id)
    except NotationError as error:
        raise UsageError(error.message, hint=error.hint) from None
    text = paragraph_text(paragraph)
    span = next(span for span in text.brackets if span.bracket is bracket)
    words = normalise(text.body_reading(span))
    rounds = document_log(repo, symbol)
    if not rounds:
        return None
    specs = []
    for item in rounds:
        specs += [f"{item.commit}^1:{text_path}", f"{item.commit}:{text_path}"]
    found = cat_files(repo, specs)
    from cicatext.notation.reader import read

    def holds(content) -> bool:
        if content is None:
            return False
        # An earlier version that is not UTF-8 is compared as far as it reads: its other bytes hold no paragraph's text.
        other = read(content[1].decode("utf-8", "replace")).draft.paragraph(paragraph.id)
        if other is None:
            return False
        reading = paragraph_text(other)
        return any(normalise(reading.body_reading(span)) == words for span in reading.brackets)

    for index, item in enumerate(rounds):
        if holds(found[2 * index + 1]) and not holds(found[2 * index]):
            return item
    return None


@dataclass(frozen=True)
class HistoryPoint:
    """The document's text as one commit left it."""

    commit: str
    """The commit id."""
    date: str
    """YYYY-MM-DD."""
    subject: str
    """The commit's first line."""
    brackets: int
    """Brackets in the text at that commit."""
    round: str | None = None
    """The round's tag when the commit is a round."""
    revision: str | None = None
    """The revision the round produced."""
    delegations: tuple[str, ...] = ()
    """The delegations merged in the round."""


def document_history(repo: Repository, slug: str, language: str) -> list[HistoryPoint]:
    """The commits that changed a document's text, oldest first, with the bracket count after each.

    The commits that are rounds carry the round's tag, revision and delegations.
    """
    from cicatext.notation.reader import count_brackets, read

    path = document_text_path(slug, language)
    log = repo.run_git("log", "--reverse", "--format=%H%x09%ad%x09%s", "--date=short", "--", path, check=False)
    commits = [line.split("\t", 2) for line in log.stdout.splitlines() if line.strip()]
    if not commits:
        return []
    rounds = {}
    try:
        for entry in document_log(repo, slug):
            rounds[entry.commit] = entry
    except CicatextError:
        pass
    texts = _texts_at(repo, [commit for commit, *_ in commits], path)
    points = []
    for (commit, date, *rest), text in zip(commits, texts):
        subject = rest[0] if rest else ""
        count = 0
        if text is not None:
            # Counted without a reading when the brackets balance, as the register counts them.
            counted = count_brackets(text)
            count = counted[1] if counted is not None else read(text).draft.bracket_count()
        entry = rounds.get(commit)
        points.append(HistoryPoint(commit, date, subject, count,
                                   entry.tag if entry else None, entry.revision if entry else None,
                                   tuple(entry.delegations) if entry else ()))
    # Rounds whose merge did not show in the file's log (history simplification) still belong.
    seen = {p.commit for p in points}
    for commit, entry in rounds.items():
        if commit not in seen:
            points.append(HistoryPoint(commit, entry.date[:10], f"round {entry.tag}", entry.brackets_after,
                                       entry.tag, entry.revision, tuple(entry.delegations)))
    points.sort(key=lambda p: p.date)
    return points


def _texts_at(repo: Repository, commits: list[str], path: str) -> list[str | None]:
    """The file's text at each commit, read with one `git cat-file --batch`."""
    return read_texts(repo.root, [f"{commit}:{path}" for commit in commits])


@dataclass(frozen=True)
class RefChoice:
    """A state of the texts the round diff can compare: the working tree, a round, a branch or a recent commit."""

    kind: str
    """`worktree`, `round`, `branch` or `commit`."""
    ref: str
    """What `diff_refs` is given: `WORKTREE`, a round tag, a branch or an abbreviated commit id."""
    date: str = ""
    """A commit's date, YYYY-MM-DD."""
    subject: str = ""
    """A commit's first line."""


def ref_choices(repo: Repository, slug: str | None, language: str) -> list[RefChoice]:
    """The refs worth comparing a document (or every document) at, newest first: the working tree, the rounds,
    the branches and the last 30 commits that changed the text."""
    choices = [RefChoice("worktree", WORKTREE)]
    try:
        tags = round_refs(repo, slug) if slug else round_refs(repo)
    except CicatextError:
        tags = []
    choices += [RefChoice("round", tag) for tag in reversed(tags)]
    branches = repo.run_git("for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes",
                            check=False).stdout.split()
    choices += [RefChoice("branch", branch) for branch in branches if not branch.endswith("/HEAD")]
    paths = ["--", document_text_path(slug, language)] if slug else ["--", DOCUMENTS_DIR]
    log = repo.run_git("log", "-30", "--format=%h%x09%ad%x09%s", "--date=short", *paths, check=False).stdout
    for line in log.splitlines():
        commit, date, subject = (line.split("\t", 2) + ["", ""])[:3]
        choices.append(RefChoice("commit", commit, date, subject))
    return choices


@dataclass(frozen=True)
class TextCommit:
    """A commit that changed a document's text."""

    commit: str
    """The commit id."""
    date: str
    """YYYY-MM-DD."""
    subject: str
    """The commit's first line."""


@dataclass(frozen=True)
class BracketSource:
    """Where a bracket of a document's text came from, as far as the history tells."""

    round: RoundEntry | None = None
    """The round that introduced it, when the rounds say."""
    commit: TextCommit | None = None
    """Otherwise the first commit that added its text; None as well when no commit holds it yet."""


def bracket_source(repo: Repository, slug: str, language: str, info: BracketInfo,
                   draft: Draft | None) -> BracketSource | None:
    """Where a bracket came from: its round (`bracket_origin`), else the first commit whose change held its text.

    None when the bracket's text is not known: `draft`, the text as read, does not hold the bracket.
    """
    try:
        entry = bracket_origin(repo, slug, info.id, language=language)
    except (CicatextError, AttributeError, TypeError, ValueError):
        entry = None
    if entry is not None:
        return BracketSource(round=entry)
    needle = _needle(draft, info)
    if not needle:
        return None
    # --no-textconv: with `cicatext git-setup` git shows texts with ⟦ ⟧, which the needle would never match.
    process = repo.run_git("log", "--reverse", "--no-textconv", "--format=%H%x09%ad%x09%s", "--date=short",
                           "-S", needle, "--", document_text_path(slug, language), check=False)
    lines = [line for line in process.stdout.splitlines() if line.strip()]
    if not lines:
        return BracketSource()
    commit, date, subject = (lines[0].split("\t") + ["", ""])[:3]
    return BracketSource(commit=TextCommit(commit, date, subject))


def _needle(draft: Draft | None, info: BracketInfo) -> str:
    """A short piece of the bracket's own text, as it would first appear in the file."""
    if draft is None:
        return ""
    try:
        _, bracket, _ = locate(draft, info.id)
    except CicatextError:
        return ""
    from cicatext.notation.render import render

    whole = render(bracket) if isinstance(bracket, Bracket) else info.text
    return whole[:120]
