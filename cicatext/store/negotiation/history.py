"""Reading the negotiation's history: a document's rounds, the round tags, and where a bracket came from.

A round's merge commit records what it did in `Cicatext-` trailers (its tag,
the revision it produced, the delegations merged, the brackets before and
after); `document_log` reads them back from main's history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cicatext.errors import NotationError, UsageError
from cicatext.notation.compile import normalise, paragraph_text
from cicatext.store.negotiation.checks import read_draft
from cicatext.store.negotiation.refs import MAIN, ROUND_TRAILER, cat_files, slug_of
from cicatext.store.register.texts import text_at
from cicatext.store.repository import Repository

_TRAILER = re.compile(r"^(Cicatext-[A-Za-z]+): (.*)$", re.MULTILINE)


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


@dataclass(frozen=True)
class RoundCommit:
    """A round's merge commit and the `Cicatext-` trailers of its message."""

    commit: str
    date: str
    """ISO 8601 commit date."""
    parents: tuple[str, ...]
    trailers: tuple[tuple[str, str], ...]
    """(name, value) of each trailer, in the message's order."""

    def values(self, key: str) -> list[str]:
        """Every value of one trailer."""
        return [value for name, value in self.trailers if name == key]

    def value(self, key: str, default: str = "") -> str:
        """The first value of one trailer, or `default`."""
        found = self.values(key)
        return found[0] if found else default


def round_commits(repo: Repository, slug: str, ref: str) -> list[RoundCommit]:
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
        found.append(RoundCommit(commit, date, tuple(parents.split()), trailers))
    found.reverse()
    return found


def _history_ref(repo: Repository) -> str:
    exists = repo.run_git("rev-parse", "--verify", "--quiet", f"refs/heads/{MAIN}", check=False).returncode == 0
    return MAIN if exists else "HEAD"


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
    ordinal = int(bracket_id.rsplit(":", 1)[1])
    words = normalise(text.body_reading(text.brackets[ordinal - 1]))
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
        other = read(content[1].decode("utf-8")).draft.paragraph(paragraph.id)
        if other is None:
            return False
        reading = paragraph_text(other)
        return any(normalise(reading.body_reading(span)) == words for span in reading.brackets)

    for index, item in enumerate(rounds):
        if holds(found[2 * index + 1]) and not holds(found[2 * index]):
            return item
    return None
