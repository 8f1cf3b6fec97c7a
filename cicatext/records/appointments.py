"""Appointments of Coordinators and Co-coordinators, from offer to completion, as frozen values.

An appointment carries what was recorded of it: the offer, the recommendation,
the SOC's decision, extensions, acting periods, an early termination and the
end-of-tenure report. Dates are `datetime.date`; a tenure's `end` is its last
day, so 2024-01-01 to 2025-12-31 is exactly two years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ROLES = ("coordinator", "co-coordinator")
PENDING = ("offered", "recommended")
"""States of record before the SOC has appointed anyone."""
HELD = ("appointed", "acting", "extended", "terminated", "completed")
"""States of record of an appointment the SOC has made."""
STATES_OF_RECORD = PENDING + HELD
APPOINTING_BODY = "SOC"


@dataclass(frozen=True)
class Decision:
    """A governing body's decision: who decided, under which reference, when."""

    body: str = APPOINTING_BODY
    """The deciding body's code (the SOC appoints and approves)."""
    ref: str | None = None
    """The decision's reference, when known."""
    date: dt.date | None = None
    """The date of the decision, when known."""


@dataclass(frozen=True)
class Offer:
    """A Member State's offer to take up a role (1.1, 1.10)."""

    date: dt.date | None = None
    """When the offer was made, when known."""
    meeting: str | None = None
    """The meeting it was submitted to, when known."""
    ref: str | None = None
    """The letter or note that carried it."""


@dataclass(frozen=True)
class Recommendation:
    """A lower body's recommendation that the SOC make the appointment."""

    body: str
    """The recommending body (the SWG in the seed)."""
    meeting: str | None = None
    """The meeting that recommended it."""
    ref: str | None = None
    """The document recording the recommendation, e.g. SWG/2023-II/INF/2."""
    date: dt.date | None = None
    """The date of the recommendation, when known."""


@dataclass(frozen=True)
class Extension:
    """An extension of a tenure (1.12): requested by the state, effective only once the SOC approves it."""

    end: dt.date
    """The new last day of the tenure."""
    requested: dt.date | None = None
    """When the request was sent to the Member States."""
    decision: Decision | None = None
    """The SOC's approval; None while the request is pending."""

    @property
    def approved(self) -> bool:
        """True once a decision is recorded."""
        return self.decision is not None


@dataclass(frozen=True)
class Termination:
    """A voluntary early termination of a tenure (1.12)."""

    effective: dt.date
    """The last day of service."""
    notice: dt.date | None = None
    """When notice was sent to the Member States."""


@dataclass(frozen=True)
class ActingPeriod:
    """A Co-coordinator temporarily taking up the role of Coordinator (1.11)."""

    start: dt.date
    """The first day of acting."""
    end: dt.date | None = None
    """The last day; None while acting continues (until a Coordinator is appointed or the tenure ends)."""
    consent: str | None = None
    """How the other Co-coordinators consented."""


@dataclass(frozen=True)
class Report:
    """The end-of-tenure report of a Coordinator (1.3)."""

    date: dt.date | None = None
    """When it was issued."""
    ref: str | None = None
    """Its symbol or reference."""


@dataclass(frozen=True)
class Appointment:
    """One state's role in one priority area, from offer to completion."""

    state: str
    """The member state's code."""
    area: str
    """The priority area's id."""
    role: str
    """`coordinator` or `co-coordinator`."""
    state_of_record: str
    """offered, recommended, appointed, acting, extended, terminated or completed."""
    start: dt.date | None = None
    """The first day of the tenure (YAML `from`)."""
    end: dt.date | None = None
    """The last day of the tenure as first appointed (YAML `to`)."""
    offer: Offer | None = None
    """The offer, when recorded."""
    considered: tuple[str, ...] = ()
    """Meetings that considered the offer."""
    recommendation: Recommendation | None = None
    """The recommendation to the SOC, when there is one."""
    decision: Decision | None = None
    """The SOC's appointing decision."""
    extensions: tuple[Extension, ...] = ()
    """Requested and approved extensions, in order."""
    acting: tuple[ActingPeriod, ...] = ()
    """Periods in which this Co-coordinator acted as Coordinator."""
    termination: Termination | None = None
    """Early termination, when notified."""
    report: Report | None = None
    """The end-of-tenure report."""
    note: str | None = None
    """Free text."""
    index: int | None = None
    """The appointment's position in its area's record (for locating findings)."""

    @property
    def pending(self) -> bool:
        """True while the SOC has not appointed (an offer or a recommendation)."""
        return self.state_of_record in PENDING

    @property
    def held(self) -> bool:
        """True once the SOC has appointed."""
        return self.state_of_record in HELD

    @property
    def approved_end(self) -> dt.date | None:
        """The last day of the tenure with every approved extension."""
        ends = [self.end] if self.end else []
        ends += [e.end for e in self.extensions if e.approved]
        return max(ends, default=None)

    @property
    def effective_end(self) -> dt.date | None:
        """The last day of service: the termination's, else the approved end."""
        if self.termination is not None:
            return self.termination.effective
        return self.approved_end

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """(first day, last day of service), when both are known."""
        if self.start is None or self.effective_end is None:
            return None
        return (self.start, self.effective_end)

    @property
    def appointed_on(self) -> dt.date | None:
        """The date of the appointment: the SOC decision's, else the tenure's first day."""
        if self.decision is not None and self.decision.date is not None:
            return self.decision.date
        return self.start

    def in_force(self, day: dt.date) -> bool:
        """True when the state holds this role on that day."""
        period = self.period
        return self.held and period is not None and period[0] <= day <= period[1]

    def acting_period(self, period: ActingPeriod) -> tuple[dt.date, dt.date] | None:
        """An acting period with an open end closed at the end of service."""
        end = period.end or self.effective_end
        return (period.start, end) if end is not None else None

    def acting_on(self, day: dt.date) -> bool:
        """True when this Co-coordinator acts as Coordinator on that day."""
        for period in self.acting:
            closed = self.acting_period(period)
            if closed and closed[0] <= day <= closed[1] and self.in_force(day):
                return True
        return False

    def label(self) -> str:
        """`RUS as coordinator of ict-security`."""
        return f"{self.state} as {self.role} of {self.area}"
