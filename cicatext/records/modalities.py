"""Every Modalities record of one repository, as values.

The records (appointments of Coordinators and Co-coordinators, concept papers,
action plans, SOC reviews, meetings) are frozen values, each kind in its own
module of this package; the rules of the draft decision are pure functions
over them that return findings naming the paragraph they come from. Nothing
here reads files or knows about git.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cicatext.records.appointments import Appointment
from cicatext.records.concept_papers import ActionPlan, ConceptPaper
from cicatext.records.meetings import Meeting
from cicatext.records.reviews import Review


@dataclass(frozen=True)
class ModalitiesRecords:
    """Every Modalities record of one repository, as values."""

    appointments: tuple[Appointment, ...] = ()
    """All appointments, of every area."""
    concept_papers: tuple[ConceptPaper, ...] = ()
    """All concept papers."""
    action_plans: tuple[ActionPlan, ...] = ()
    """All action plans."""
    reviews: tuple[Review, ...] = ()
    """All SOC reviews."""
    meetings: tuple[Meeting, ...] = ()
    """All meetings."""
    area_dimensions: Mapping[str, str] = field(default_factory=dict)
    """Each priority area's dimension."""

    def in_area(self, area: str) -> list[Appointment]:
        """The appointments of one area, in record order."""
        return [a for a in self.appointments if a.area == area]
