"""The Modalities of Implementation of CICA CBMs as records and rules.

The records (appointments of Coordinators and Co-coordinators, concept papers,
action plans, SOC reviews, meetings) are frozen values; the rules of the draft
decision are pure functions over them that return findings naming the
paragraph they come from. Dates are `datetime.date`; a tenure's `end` is its
last day, so 2024-01-01 to 2025-12-31 is exactly two years. Nothing here reads
files or knows about git.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ROLES = ("coordinator", "co-coordinator")
PENDING = ("offered", "recommended")
"""States of record before the SOC has appointed anyone."""
HELD = ("appointed", "acting", "extended", "terminated", "completed")
"""States of record of an appointment the SOC has made."""
STATES_OF_RECORD = PENDING + HELD
ACTIONS = ("considered", "agreed", "approved", "endorsed", "adopted", "noted", "circulated")
"""What a meeting can do with a document (the same words as a document's status)."""
BODY_ORDER = ("SWG", "SOC", "MC", "SUMMIT")
"""The governing bodies from the bottom up: a document climbs this ladder."""
APPOINTING_BODY = "SOC"


# Calendar arithmetic -------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` years later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def span_text(start: dt.date | None, end: dt.date | None) -> str:
    """`2024-01-01..2025-12-31`, with `?` for an unknown end."""
    return f"{start.isoformat() if start else '?'}..{end.isoformat() if end else '?'}"


def overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date] | None:
    """The days two inclusive periods share, or None."""
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start <= end else None


# Settings ------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """The parameters of the rules, from `rules:` in cicatext.yaml (the Modalities are themselves still bracketed)."""

    tenure_min_years: int = 2
    """1.10: the shortest tenure, in years."""
    tenure_max_years: int = 4
    """1.10: the longest tenure, in years."""
    concept_paper_due_months: int = 3
    """2.7: a new Coordinator proposes a concept paper within this many months of appointment."""
    expert_meetings_after_months: int = 6
    """2.5: expert meetings are due when a concept paper is under consideration longer than this."""
    applicability_min_years: int = 2
    """2.6: the shortest preferred applicability period of a concept paper."""
    applicability_max_years: int = 4
    """2.6: the longest preferred applicability period of a concept paper."""
    review_interval_months: int = 12
    """3.2: the SOC reviews implementation at least this often."""
    contribution_lead_days: int = 30
    """3.5: Coordinators' written contributions are due this many days before the review."""
    extension_notice_days: int = 90
    """1.12: how far in advance a request for extension or a notice of termination is 'sufficiently in advance'."""
    due_window_days: int = 30
    """A deadline this many days away or closer is `due`; further away it is `upcoming`."""


# Records -------------------------------------------------------------------


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


@dataclass(frozen=True)
class StatusStep:
    """One step of a document's life: what a body did with it, when."""

    body: str
    """The body's code."""
    action: str
    """What it did."""
    date: dt.date | None = None
    """When."""
    meeting: str | None = None
    """At which meeting."""


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


# Findings ------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A rule a record breaks (or nearly breaks), with the paragraph behind it."""

    rule: str
    """The paragraph of the Modalities, e.g. `1.9`, or `lifecycle`."""
    message: str
    """One sentence, beginning with the paragraph: `Modalities 1.9: ...`."""
    area: str | None = None
    """The priority area concerned."""
    index: int | None = None
    """The position of the record concerned in its list (appointment, status step)."""
    field: tuple = ()
    """The path to the offending field inside that record, e.g. ("to",)."""
    severity: str = "error"
    """`error` or `warning`."""
    hint: str | None = None
    """What to do."""


def _finding(rule: str, text: str, appointment: Appointment | None = None, field_path: tuple = (), *, severity: str = "error", hint: str | None = None) -> Finding:
    return Finding(
        rule=rule,
        message=f"Modalities {rule}: {text}",
        area=appointment.area if appointment else None,
        index=appointment.index if appointment else None,
        field=field_path,
        severity=severity,
        hint=hint,
    )


# Appointment rules ---------------------------------------------------------


def tenure_finding(appointment: Appointment, settings: Settings) -> Finding | None:
    """1.10: the tenure (as first indicated, without extensions) lasts from `tenure_min_years` to `tenure_max_years`."""
    start, end = appointment.start, appointment.end
    if start is None or end is None or end < start:
        return None
    after_end = end + dt.timedelta(days=1)
    shortest = add_years(start, settings.tenure_min_years)
    longest = add_years(start, settings.tenure_max_years)
    bounds = f"not less than {settings.tenure_min_years} and not more than {settings.tenure_max_years} years"
    if after_end < shortest:
        last = shortest - dt.timedelta(days=1)
        return _finding(
            "1.10",
            f"the tenure of {appointment.label()} ({span_text(start, end)}) is shorter than {settings.tenure_min_years} years; it should be {bounds}",
            appointment, ("to",),
            hint=f"end the tenure on {last.isoformat()} or later (tenure_min_years in cicatext.yaml)",
        )
    if after_end > longest:
        last = longest - dt.timedelta(days=1)
        return _finding(
            "1.10",
            f"the tenure of {appointment.label()} ({span_text(start, end)}) is longer than {settings.tenure_max_years} years; it should be {bounds}",
            appointment, ("to",),
            hint=f"end the tenure on {last.isoformat()} or earlier, and extend it later with SOC approval (1.12)",
        )
    return None


def _own_findings(a: Appointment, settings: Settings) -> list[Finding]:
    found: list[Finding] = []
    if a.role not in ROLES:
        found.append(_finding("1.9", f"{a.state} in {a.area} has the role {a.role!r}; it must be coordinator or co-coordinator", a, ("role",)))
    if a.start is not None and a.end is not None and a.end < a.start:
        found.append(_finding("1.10", f"the tenure of {a.label()} ends ({a.end}) before it starts ({a.start})", a, ("to",), hint="the tenure's `to` is its last day and comes after `from`"))
    tenure = tenure_finding(a, settings)
    if tenure:
        found.append(tenure)
    if a.held:
        if a.start is None or a.end is None:
            found.append(_finding("1.10", f"the appointment of {a.label()} has no tenure; give `from` and `to`", a, ("from",) if a.start is None else ("to",)))
        if a.decision is None:
            found.append(_finding("1.9", f"{a.label()} is {a.state_of_record} but no SOC decision is recorded; Coordinators and Co-coordinators are appointed by the SOC", a, ("decision",), hint="record `decision: {body: SOC, ref: ..., date: ...}`, or keep the record as offered or recommended"))
        elif a.decision.body.upper() != APPOINTING_BODY:
            found.append(_finding("1.9", f"{a.label()} was appointed by {a.decision.body}; Coordinators and Co-coordinators are appointed by the SOC", a, ("decision", "body")))
    found += _extension_findings(a, settings)
    found += _termination_findings(a, settings)
    found += _acting_own_findings(a)
    return found


def _extension_findings(a: Appointment, settings: Settings) -> list[Finding]:
    found: list[Finding] = []
    if a.state_of_record == "extended" and not any(e.approved for e in a.extensions):
        found.append(_finding("1.12", f"{a.label()} is recorded as extended but no extension approved by the SOC is recorded", a, ("state_of_record",), hint="record the SOC decision on the extension, or set state_of_record back to appointed"))
    if a.extensions and not a.held:
        found.append(_finding("1.12", f"{a.label()} is {a.state_of_record}: only a serving Coordinator or Co-coordinator may extend its term", a, ("extensions",)))
        return found
    current_end = a.end
    for number, extension in enumerate(a.extensions):
        where = ("extensions", number)
        if extension.decision is not None and extension.decision.body.upper() != APPOINTING_BODY:
            found.append(_finding("1.12", f"the extension of {a.label()} to {extension.end} was approved by {extension.decision.body}; extensions are subject to approval by the SOC", a, (*where, "decision", "body")))
        if current_end is not None and extension.end <= current_end:
            found.append(_finding("1.12", f"the extension of {a.label()} to {extension.end} does not go beyond the current tenure ending {current_end}", a, (*where, "to")))
        if extension.requested is not None and current_end is not None:
            if extension.requested > current_end:
                found.append(_finding("1.12", f"the request to extend {a.label()} ({extension.requested}) came after the tenure expired on {current_end}; it must be sent in advance of the expiration", a, (*where, "requested")))
            elif (current_end - extension.requested).days < settings.extension_notice_days:
                found.append(_finding("1.12", f"the request to extend {a.label()} was sent {(current_end - extension.requested).days} days before the tenure ends on {current_end}; less than {settings.extension_notice_days} days is hardly sufficiently in advance", a, (*where, "requested"), severity="warning"))
        if extension.approved and (current_end is None or extension.end > current_end):
            current_end = extension.end
    return found


def _termination_findings(a: Appointment, settings: Settings) -> list[Finding]:
    found: list[Finding] = []
    t = a.termination
    if a.state_of_record == "terminated" and t is None:
        found.append(_finding("1.12", f"{a.label()} is recorded as terminated without a termination (notice and effective date)", a, ("state_of_record",)))
    if t is None:
        return found
    if not a.held:
        found.append(_finding("1.12", f"{a.label()} is {a.state_of_record}: only a serving Coordinator or Co-coordinator can terminate its term", a, ("termination",)))
        return found
    end = a.approved_end
    if a.start is not None and t.effective < a.start:
        found.append(_finding("1.12", f"the termination of {a.label()} takes effect on {t.effective}, before the tenure starts on {a.start}", a, ("termination", "effective")))
    if end is not None and t.effective > end:
        found.append(_finding("1.12", f"the termination of {a.label()} takes effect on {t.effective}, after the tenure has ended on {end}", a, ("termination", "effective")))
    if t.notice is None:
        found.append(_finding("1.12", f"no notice of termination is recorded for {a.label()}; notice must be sent to all Member States in advance", a, ("termination",), severity="warning"))
    elif t.notice > t.effective:
        found.append(_finding("1.12", f"the notice of termination of {a.label()} ({t.notice}) is dated after the termination takes effect ({t.effective}); notice must be sent in advance", a, ("termination", "notice")))
    elif (t.effective - t.notice).days < settings.extension_notice_days:
        found.append(_finding("1.12", f"the notice of termination of {a.label()} was sent {(t.effective - t.notice).days} days before it takes effect; less than {settings.extension_notice_days} days is hardly sufficiently in advance", a, ("termination", "notice"), severity="warning"))
    return found


def _acting_own_findings(a: Appointment) -> list[Finding]:
    found: list[Finding] = []
    if a.state_of_record == "acting" and not a.acting:
        found.append(_finding("1.11", f"{a.label()} is recorded as acting without an acting period", a, ("state_of_record",)))
    if not a.acting:
        return found
    if a.role != "co-coordinator":
        found.append(_finding("1.11", f"{a.label()} has acting periods; only a Co-coordinator may temporarily take up the role of Coordinator", a, ("acting",)))
        return found
    if not a.held:
        found.append(_finding("1.11", f"{a.label()} is {a.state_of_record}; only an appointed Co-coordinator may act as Coordinator", a, ("acting",)))
        return found
    for number, period in enumerate(a.acting):
        closed = a.acting_period(period)
        if period.end is not None and period.end < period.start:
            found.append(_finding("1.11", f"{a.state}'s acting period ends ({period.end}) before it starts ({period.start})", a, ("acting", number, "to")))
        elif a.period and closed and (closed[0] < a.period[0] or closed[1] > a.period[1]):
            found.append(_finding("1.11", f"{a.state} acts as Coordinator of {a.area} ({span_text(*closed)}) outside its tenure as Co-coordinator ({span_text(*a.period)})", a, ("acting", number)))
    return found


def check_appointments(appointments: Sequence[Appointment], settings: Settings = Settings()) -> list[Finding]:
    """Every rule the appointments break: 1.9 (one Coordinator at a time, appointed by the SOC, no state twice), 1.10 (tenure), 1.11 (acting), 1.12 (extensions, termination)."""
    found: list[Finding] = []
    for appointment in appointments:
        found += _own_findings(appointment, settings)
    by_area: dict[str, list[Appointment]] = {}
    for appointment in appointments:
        by_area.setdefault(appointment.area, []).append(appointment)
    for area_appointments in by_area.values():
        found += _pairwise_findings(area_appointments)
    return found


def _pairwise_findings(appointments: Sequence[Appointment]) -> list[Finding]:
    found: list[Finding] = []
    held = [a for a in appointments if a.held and a.period and a.period[0] <= a.period[1]]
    for later_position, later in enumerate(held):
        for earlier in held[:later_position]:
            shared = overlap(earlier.period, later.period)
            if shared is None:
                continue
            if earlier.role == later.role == "coordinator":
                found.append(_finding(
                    "1.9",
                    f"one Coordinator per priority area: {earlier.state} ({span_text(*earlier.period)}) and {later.state} ({span_text(*later.period)}) are both Coordinator of {later.area} from {shared[0]} to {shared[1]}",
                    later, ("from",),
                    hint="end the earlier tenure first (terminate, 1.12) or start the new one after it",
                ))
            if earlier.state == later.state:
                found.append(_finding(
                    "1.9",
                    f"{later.state} holds two overlapping appointments in {later.area} ({earlier.role} {span_text(*earlier.period)} and {later.role} {span_text(*later.period)})",
                    later, ("from",),
                    hint="one state holds one role in an area at a time; terminate or shorten one of them",
                ))
    coordinators = [a for a in held if a.role == "coordinator"]
    acting: list[tuple[Appointment, int, tuple[dt.date, dt.date]]] = []
    for a in held:
        if a.role != "co-coordinator":
            continue
        for number, period in enumerate(a.acting):
            closed = a.acting_period(period)
            if closed and closed[0] <= closed[1]:
                acting.append((a, number, closed))
    for a, number, closed in acting:
        for coordinator in coordinators:
            shared = overlap(closed, coordinator.period)
            if shared:
                found.append(_finding(
                    "1.11",
                    f"{a.state} acts as Coordinator of {a.area} ({span_text(*closed)}) while {coordinator.state} is Coordinator ({span_text(*coordinator.period)}); a Co-coordinator may act only in the absence of a Coordinator",
                    a, ("acting", number),
                    hint=f"end the acting period before {shared[0]}",
                ))
    for position, (a, number, closed) in enumerate(acting):
        for other, _, other_closed in acting[:position]:
            if other.state != a.state and overlap(closed, other_closed):
                found.append(_finding(
                    "1.11",
                    f"{a.state} and {other.state} both act as Coordinator of {a.area} ({span_text(*closed)} and {span_text(*other_closed)}); one of the Co-coordinators may take up the role",
                    a, ("acting", number),
                ))
    return found


def new_errors(before: Sequence[Finding], after: Sequence[Finding]) -> list[Finding]:
    """The error findings in `after` that `before` did not have: what a change would break."""
    seen = {(f.rule, f.message) for f in before}
    return [f for f in after if f.severity == "error" and (f.rule, f.message) not in seen]


def new_warnings(before: Sequence[Finding], after: Sequence[Finding]) -> list[Finding]:
    """The warnings a change brings."""
    seen = {(f.rule, f.message) for f in before}
    return [f for f in after if f.severity == "warning" and (f.rule, f.message) not in seen]


# Concept papers ------------------------------------------------------------


def check_concept_paper(paper: ConceptPaper, settings: Settings = Settings()) -> list[Finding]:
    """2.4 (approved by the SOC) and 2.6 (an applicability period, preferably two to four years)."""
    found: list[Finding] = []
    if paper.approval is not None and paper.approval.body.upper() != APPOINTING_BODY:
        found.append(Finding("2.4", f"Modalities 2.4: concept paper {paper.id} was approved by {paper.approval.body}; concept papers are approved by the SOC", paper.area, None, ("approval", "body")))
    start, end = paper.applicability_start, paper.applicability_end
    if start and end:
        if end < start:
            found.append(Finding("2.6", f"Modalities 2.6: the applicability period of concept paper {paper.id} ends ({end}) before it starts ({start})", paper.area, None, ("applicability", "to")))
        else:
            after_end = end + dt.timedelta(days=1)
            if not add_years(start, settings.applicability_min_years) <= after_end <= add_years(start, settings.applicability_max_years):
                found.append(Finding(
                    "2.6",
                    f"Modalities 2.6: the applicability period of concept paper {paper.id} ({span_text(start, end)}) is outside the preferred {settings.applicability_min_years} to {settings.applicability_max_years} years",
                    paper.area, None, ("applicability", "to"), severity="warning",
                ))
    elif paper.approval is not None:
        found.append(Finding("2.6", f"Modalities 2.6: approved concept paper {paper.id} does not specify its applicability period", paper.area, None, ("applicability",), severity="warning"))
    return found


# Who coordinates what ------------------------------------------------------


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


# Deadlines -----------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """Something that falls due, with the rule behind it."""

    rule: str
    """The paragraph of the Modalities (`2.7`), or `meeting` for a deadline a meeting set."""
    what: str
    """What is due, in one sentence."""
    due: dt.date
    """The last day."""
    status: str
    """`upcoming`, `due` (within the due window) or `overdue`, relative to the as-of date."""
    area: str | None = None
    """The priority area, when there is one."""
    state: str | None = None
    """The state that must act, when there is one."""
    source: str | None = None
    """The record it comes from: `coordinators/<area>`, `concept-papers/<id>`, `reviews/<id>`, `meetings/<id>`."""

    def to_json(self) -> dict:
        """The deadline as a plain dict."""
        return {
            "rule": self.rule,
            "what": self.what,
            "due": self.due.isoformat(),
            "status": self.status,
            "area": self.area,
            "state": self.state,
            "source": self.source,
        }


def status_on(due: dt.date, as_of: dt.date, window_days: int) -> str:
    """`overdue` after the due date, `due` from `window_days` before it to the day itself, else `upcoming`."""
    if as_of > due:
        return "overdue"
    if (due - as_of).days <= window_days:
        return "due"
    return "upcoming"


def deadlines(records: ModalitiesRecords, as_of: dt.date, settings: Settings = Settings()) -> list[Deadline]:
    """What falls due or is overdue on `as_of`, each with its rule, sorted by date; things done are left out."""
    found: list[Deadline] = []

    def add(rule: str, what: str, due: dt.date, **where) -> None:
        found.append(Deadline(rule, what, due, status_on(due, as_of, settings.due_window_days), **where))

    for a in records.appointments:
        if not a.held or a.start is None or a.effective_end is None:
            continue
        source = f"coordinators/{a.area}"
        over = as_of > a.effective_end
        if a.role == "coordinator" and a.report is None:
            add("1.3", f"{a.state} reports to all Member States on progress in {a.area} at the end of its tenure as Coordinator", a.effective_end, area=a.area, state=a.state, source=source)
        if over or a.state_of_record in ("terminated", "completed"):
            continue
        if a.role == "coordinator" and a.appointed_on is not None:
            due = add_months(a.appointed_on, settings.concept_paper_due_months)
            if not _concept_paper_proposed(records, a):
                add("2.7", f"{a.state}, new Coordinator of {a.area}, proposes a new or updated concept paper within {settings.concept_paper_due_months} months of its appointment on {a.appointed_on}", due, area=a.area, state=a.state, source=source)
        if a.termination is None and not any(not e.approved for e in a.extensions):
            last_request = a.effective_end - dt.timedelta(days=settings.extension_notice_days)
            add("1.12", f"{a.state} sends any request to extend its tenure as {a.role} of {a.area} (ending {a.effective_end}) to all Member States, sufficiently in advance", last_request, area=a.area, state=a.state, source=source)

    for paper in records.concept_papers:
        source = f"concept-papers/{paper.id}"
        if paper.condition == "under consideration" and paper.first_draft and not paper.expert_meetings:
            due = add_months(paper.first_draft, settings.expert_meetings_after_months)
            add("2.5", f"concept paper {paper.id} ({paper.area}) under consideration since its first draft of {paper.first_draft}: beyond {settings.expert_meetings_after_months} months the Coordinator convenes expert meetings", due, area=paper.area, state=paper.author, source=source)
        if paper.condition == "approved" and paper.applicability_end:
            add("2.6", f"the applicability period of concept paper {paper.id} ({paper.area}) ends; the Coordinator extends it on time or updates the paper", paper.applicability_end, area=paper.area, state=paper.author, source=source)

    found += _review_deadlines(records, as_of, settings)

    for meeting in records.meetings:
        for limit in meeting.time_limits:
            if limit.closed is None:
                add("meeting", f"{limit.what} (set by {meeting.body} meeting {meeting.id})", limit.date, source=f"meetings/{meeting.id}")
    return sorted(found, key=lambda d: (d.due, d.rule, d.area or "", d.state or ""))


def _concept_paper_proposed(records: ModalitiesRecords, a: Appointment) -> bool:
    # A paper counts if drafted by the state for the area no earlier than its offer
    # (2.7 allows proposing it with the application), or a year before appointment
    # when the offer's date is not recorded.
    since = a.offer.date if a.offer and a.offer.date else add_years(a.appointed_on, -1)
    return any(
        p.area == a.area and p.author == a.state and p.first_draft is not None and p.first_draft >= since
        for p in records.concept_papers
    )


def _review_deadlines(records: ModalitiesRecords, as_of: dt.date, settings: Settings) -> list[Deadline]:
    found: list[Deadline] = []
    window = settings.due_window_days
    held = sorted((r for r in records.reviews if r.status == "held"), key=lambda r: r.date)
    planned = sorted((r for r in records.reviews if r.status != "held"), key=lambda r: r.date)
    if held:
        next_due = add_months(held[-1].date, settings.review_interval_months)
        if not any(r.date <= next_due for r in planned if r.date > held[-1].date):
            found.append(Deadline("3.2", f"the SOC holds its regular review of CBM implementation (at least every {settings.review_interval_months} months; the last was {held[-1].date})", next_due, status_on(next_due, as_of, window), source=f"reviews/{held[-1].id}"))
    for review in planned:
        found.append(Deadline("3.2", f"the SOC review of CBM implementation {review.id} is planned for {review.date}", review.date, status_on(review.date, as_of, window), source=f"reviews/{review.id}"))
        if as_of > review.date:
            continue
        due = review.date - dt.timedelta(days=settings.contribution_lead_days)
        for a in records.appointments:
            if not a.in_force(review.date) or not review.covers(a.area, records.area_dimensions.get(a.area)):
                continue
            if any(c.state == a.state and (c.area is None or c.area == a.area) for c in review.contributions):
                continue
            found.append(Deadline("3.5", f"{a.state} ({a.role} of {a.area}) sends its written contribution to the SOC review of {review.date}", due, status_on(due, as_of, window), area=a.area, state=a.state, source=f"reviews/{review.id}"))
    return found


# Document lifecycle --------------------------------------------------------


def check_lifecycle(status_history: Sequence[StatusStep], body_order: Sequence[str] = BODY_ORDER) -> list[Finding]:
    """Warnings for a status history that goes back in time, steps down to a lower body, or skips a body on the way up."""
    ranks = {body.upper(): rank for rank, body in enumerate(body_order)}
    found: list[Finding] = []
    previous: tuple[int, StatusStep] | None = None
    last_dated: StatusStep | None = None
    for index, step in enumerate(status_history):
        if step.date is not None:
            if last_dated is not None and last_dated.date is not None and step.date < last_dated.date:
                found.append(Finding("lifecycle", f"document lifecycle: {step.body} {step.action} on {step.date}, before the previous step ({last_dated.body} {last_dated.action} on {last_dated.date})", None, index, ("date",), "warning", "list the status steps in the order they happened"))
            last_dated = step
        rank = ranks.get(step.body.upper())
        if rank is None:
            continue
        if previous is not None:
            previous_rank, previous_step = previous
            if rank < previous_rank:
                found.append(Finding("lifecycle", f"document lifecycle: goes backwards from {previous_step.body} ({previous_step.action}) to {step.body} ({step.action})", None, index, ("body",), "warning", "a document climbs " + " → ".join(body_order) + "; check the order of the steps"))
            elif rank > previous_rank + 1:
                skipped = ", ".join(body_order[previous_rank + 1 : rank])
                found.append(Finding("lifecycle", f"document lifecycle: goes from {previous_step.body} to {step.body}, skipping {skipped}", None, index, ("body",), "warning", "a document climbs " + " → ".join(body_order) + "; record the missing step"))
        previous = (rank, step)
    return found
