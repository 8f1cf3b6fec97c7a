"""Meetings of the governing bodies: what each did with which document, and the time limits it set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

ACTIONS = ("considered", "agreed", "approved", "endorsed", "adopted", "noted", "circulated")
"""What a meeting can do with a document (the same words as a document's status)."""


@dataclass(frozen=True)
class MeetingDocument:
    """A document a meeting dealt with, and what it did."""

    symbol: str
    """The document's symbol as the meeting had it, e.g. MC/2023/DRAFT/3/Rev.1."""
    action: str
    """considered, agreed, approved, endorsed, adopted, noted or circulated."""
    title: Mapping[str, str] = field(default_factory=dict)
    """Titles by language that override the document's own in the cover note."""
    phrase: Mapping[str, str] = field(default_factory=dict)
    """Wording by language that overrides "as agreed by the SWG" in the cover note."""
    note: str | None = None
    """Free text."""


@dataclass(frozen=True)
class TimeLimit:
    """A deadline a meeting set, such as comments on a draft until a date."""

    what: str
    """What is due."""
    date: dt.date
    """The last day."""
    documents: tuple[str, ...] = ()
    """The documents concerned."""
    closed: dt.date | None = None
    """When the secretariat closed it; closed limits are no longer listed."""


@dataclass(frozen=True)
class Meeting:
    """A meeting of a governing body and its outcome."""

    id: str
    """The record's id, e.g. swg-2023-06."""
    body: str
    """The body's code."""
    start: dt.date
    """The first day."""
    end: dt.date
    """The last day."""
    title: Mapping[str, str] = field(default_factory=dict)
    """The meeting's title by language."""
    place: Mapping[str, str] = field(default_factory=dict)
    """The place by language."""
    mode: str = "in-person"
    """in-person, online or hybrid."""
    documents: tuple[MeetingDocument, ...] = ()
    """What the meeting did with each document."""
    time_limits: tuple[TimeLimit, ...] = ()
    """Deadlines it set."""
