"""The SOC's reviews of CBM implementation (3.2-3.5) and the written contributions to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Contribution:
    """A Coordinator's or Co-coordinator's written contribution to an SOC review (3.5)."""

    state: str
    """The contributing state."""
    area: str | None = None
    """The priority area it covers."""
    date: dt.date | None = None
    """When it was submitted."""
    ref: str | None = None
    """Its symbol or reference."""


@dataclass(frozen=True)
class Review:
    """An SOC review of CBM implementation (3.2-3.5)."""

    id: str
    """The record's id."""
    date: dt.date
    """The day of the review."""
    status: str = "planned"
    """planned or held."""
    meeting: str | None = None
    """The SOC meeting that holds it."""
    focus_dimensions: tuple[str, ...] = ()
    """Dimensions in focus (none: all)."""
    focus_areas: tuple[str, ...] = ()
    """Priority areas in focus (none: all)."""
    contributions: tuple[Contribution, ...] = ()
    """Written contributions received."""

    def covers(self, area: str, dimension: str | None) -> bool:
        """True when the review's focus takes in this area."""
        if not self.focus_dimensions and not self.focus_areas:
            return True
        return area in self.focus_areas or (dimension is not None and dimension in self.focus_dimensions)
