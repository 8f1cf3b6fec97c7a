"""Who coordinates a priority area on a day: the Coordinator or the acting Co-coordinator (1.11), the Co-coordinators, those to come, the offers and the concept paper."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cicatext.records.appointments import Appointment
from cicatext.records.concept_papers import ConceptPaper
from cicatext.records.modalities import ModalitiesRecords


@dataclass(frozen=True)
class AreaCoordination:
    """Where coordination of one priority area stands on a day."""

    area: str
    """The priority area."""
    coordinator: Appointment | None
    """The Coordinator in office, if any."""
    acting: Appointment | None
    """The Co-coordinator acting as Coordinator, if any (1.11)."""
    co_coordinators: tuple[Appointment, ...]
    """The Co-coordinators in office."""
    future: tuple[Appointment, ...]
    """Appointments made whose tenure starts later."""
    pending: tuple[Appointment, ...]
    """Offers and recommendations the SOC has not decided on."""
    concept_paper: ConceptPaper | None
    """The area's current concept paper (approved or under consideration), if any."""

    @property
    def empty(self) -> bool:
        """True when the area has no appointment, offer or concept paper at all."""
        return not (self.coordinator or self.acting or self.co_coordinators or self.future or self.pending or self.concept_paper)


def coordination(records: ModalitiesRecords, area: str, as_of: dt.date) -> AreaCoordination:
    """Who coordinates `area` on `as_of`, who is to, who has offered, and its concept paper."""
    appointments = records.in_area(area)
    in_force = [a for a in appointments if a.in_force(as_of)]
    coordinator = next((a for a in in_force if a.role == "coordinator"), None)
    acting = next((a for a in in_force if a.role == "co-coordinator" and a.acting_on(as_of)), None)
    papers = [p for p in records.concept_papers if p.area == area and p.condition in ("approved", "under consideration")]

    def recency(paper: ConceptPaper) -> dt.date:
        dates = [d for d in (paper.approval.date if paper.approval else None, paper.first_draft, paper.applicability_start) if d]
        return max(dates, default=dt.date.min)

    return AreaCoordination(
        area=area,
        coordinator=coordinator,
        acting=acting,
        co_coordinators=tuple(a for a in in_force if a.role == "co-coordinator"),
        future=tuple(a for a in appointments if a.held and a.start is not None and a.start > as_of),
        pending=tuple(a for a in appointments if a.pending),
        concept_paper=max(papers, key=recency, default=None),
    )
