"""Concept papers on cooperation in a priority area (2.1-2.7) and the action plans implementing them (2.8, 2.9)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cicatext.records.appointments import Decision


@dataclass(frozen=True)
class ConceptPaper:
    """A concept paper on cooperation in one priority area (2.1-2.7)."""

    id: str
    """The record's id (its file name)."""
    area: str
    """The priority area."""
    author: str
    """The drafting state (the Coordinator, 2.3)."""
    first_draft: dt.date | None = None
    """When the first draft was issued (2.5 counts from here)."""
    approval: Decision | None = None
    """The SOC's approval (2.4)."""
    applicability_start: dt.date | None = None
    """The first day of the applicability period (2.6)."""
    applicability_end: dt.date | None = None
    """The last day of the applicability period (2.6)."""
    document: str | None = None
    """The symbol of the document holding the text."""
    expert_meetings: tuple[str, ...] = ()
    """Expert meetings convened on it (2.5)."""
    superseded_by: str | None = None
    """The id of the concept paper that replaced it."""
    withdrawn: dt.date | None = None
    """When it was withdrawn."""
    note: str | None = None
    """Free text."""

    @property
    def condition(self) -> str:
        """`withdrawn`, `superseded`, `approved` or `under consideration`."""
        if self.withdrawn is not None:
            return "withdrawn"
        if self.superseded_by:
            return "superseded"
        if self.approval is not None:
            return "approved"
        return "under consideration"


@dataclass(frozen=True)
class Activity:
    """One activity of an action plan (2.9)."""

    title: str
    """What is to be done."""
    start: dt.date | None = None
    """When it starts, when dated."""
    end: dt.date | None = None
    """When it ends, when dated."""
    when: str | None = None
    """The timeline in words, when it has no dates."""
    organisers: tuple[str, ...] = ()
    """The organising states (codes) or bodies."""
    status: str = "planned"
    """planned, done or cancelled."""


@dataclass(frozen=True)
class ActionPlan:
    """An action plan implementing a concept paper (2.8, 2.9)."""

    id: str
    """The record's id."""
    area: str
    """The priority area."""
    concept_paper: str | None = None
    """The concept paper it implements."""
    document: str | None = None
    """The symbol of the document holding the text."""
    updated: dt.date | None = None
    """When it was last updated."""
    activities: tuple[Activity, ...] = ()
    """The activities."""
