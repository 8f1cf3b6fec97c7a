"""Recording a meeting: `cicatext meeting add` writes meetings/ID.yaml, checked, and commits it.

A meeting record says when and where a body met and what it did with each
document; the cover note forwarding its documents (`cicatext note`) and the
deadlines are read from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cicatext.errors import UsageError
from cicatext.records.dates import iso_day
from cicatext.records.symbols import parse_symbol
from cicatext.store import yamlio
from cicatext.store.layout import meeting_path
from cicatext.store.repository import Repository

ACTIONS = ("considered", "agreed", "approved", "endorsed", "adopted", "noted", "circulated")
"""What a meeting does with a document, as the meeting schema lists it."""
MODES = ("in-person", "online", "hybrid")


@dataclass(frozen=True)
class MeetingAdded:
    """What `add_meeting` wrote."""

    id: str
    path: str
    commit: str
    documents: tuple[tuple[str, str], ...]

    def to_json(self) -> dict:
        return {"meeting": self.id, "file": self.path, "commit": self.commit,
                "documents": [{"symbol": s, "action": a} for s, a in self.documents]}


def add_meeting(repo: Repository, meeting_id: str, *, body: str, start: str, end: str | None = None,
                place: str | None = None, mode: str | None = None, title: str | None = None,
                documents: Sequence[str] = (), language: str = "en") -> MeetingAdded:
    """Write meetings/ID.yaml for a meeting and commit it; UsageError, with nothing written, for anything wrong.

    Each of `documents` is `SYMBOL=ACTION` (`MC/2023/DRAFT/3/Rev.1=agreed`): the symbol of a document of the
    register, with the revision the meeting had, and what the meeting did with it.
    """
    path = meeting_path(meeting_id)  # the id's grammar is checked here
    if body not in repo.bodies:
        raise UsageError(f"unknown body {body!r}", hint=f"the bodies are: {', '.join(sorted(repo.bodies))}")
    first = iso_day(start)
    last = iso_day(end) if end else first
    if last < first:
        raise UsageError(f"the meeting ends ({last}) before it starts ({first})", hint="give --to on or after --from")
    if mode is not None and mode not in MODES:
        raise UsageError(f"unknown mode {mode!r}", hint=f"one of: {', '.join(MODES)}")
    listed = [_document(repo, item) for item in documents]
    record: dict = {"id": meeting_id, "body": body}
    if title:
        record["title"] = {language: title}
    record["dates"] = {"from": first, "to": last}
    if place:
        record["place"] = {language: place}
    if mode:
        record["mode"] = mode
    if listed:
        record["documents"] = [{"symbol": symbol, "action": action} for symbol, action in listed]

    def files() -> dict[str, str]:
        if repo.path(path).exists():
            raise UsageError(f"meeting {meeting_id} is already recorded ({path})",
                             hint="edit that file, or give another id")
        return {path: yamlio.dump(record)}

    where = f" in {place}" if place else ""
    commit = repo.update(files, f"Meeting {meeting_id}: {body}, {first}{'' if last == first else f' to {last}'}{where}")
    return MeetingAdded(meeting_id, path, commit, tuple(listed))


def _document(repo: Repository, item: str) -> tuple[str, str]:
    symbol, equals, action = item.rpartition("=")
    if not equals or not symbol:
        raise UsageError(f"--document {item!r} is not SYMBOL=ACTION",
                         hint=f"e.g. --document MC/2023/DRAFT/3/Rev.1=agreed; actions: {', '.join(ACTIONS)}")
    if action not in ACTIONS:
        raise UsageError(f"unknown action {action!r} for {symbol}", hint=f"one of: {', '.join(ACTIONS)}")
    parsed = parse_symbol(symbol.strip())
    repo.document(str(parsed.base()))  # a symbol not in the register is refused with the nearest one
    return str(parsed), action
