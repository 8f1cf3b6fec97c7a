"""The rules of the Modalities over appointments (1.9-1.12) and concept papers (2.4, 2.6), as findings.

Each rule is a pure function that returns the findings a record breaks, each
naming its paragraph, with the path to the offending field so the store can
locate it in the file. `new_errors` and `new_warnings` tell what a change
would break.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cicatext.records.appointments import APPOINTING_BODY, ROLES, Appointment
from cicatext.records.concept_papers import ConceptPaper
from cicatext.records.dates import add_days, add_years, overlap, span_text
from cicatext.records.settings import Settings


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


def tenure_finding(appointment: Appointment, settings: Settings) -> Finding | None:
    """1.10: the tenure (as first indicated, without extensions) lasts from `tenure_min_years` to `tenure_max_years`."""
    start, end = appointment.start, appointment.end
    if start is None or end is None or end < start:
        return None
    after_end = add_days(end, 1)
    shortest = add_years(start, settings.tenure_min_years)
    longest = add_years(start, settings.tenure_max_years)
    bounds = f"not less than {settings.tenure_min_years} and not more than {settings.tenure_max_years} years"
    if after_end < shortest:
        last = add_days(shortest, -1)
        return _finding(
            "1.10",
            f"the tenure of {appointment.label()} ({span_text(start, end)}) is shorter than {settings.tenure_min_years} years; it should be {bounds}",
            appointment, ("to",),
            hint=f"end the tenure on {last.isoformat()} or later (tenure_min_years in cicatext.yaml)",
        )
    if after_end > longest:
        last = add_days(longest, -1)
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
            after_end = add_days(end, 1)
            if not add_years(start, settings.applicability_min_years) <= after_end <= add_years(start, settings.applicability_max_years):
                found.append(Finding(
                    "2.6",
                    f"Modalities 2.6: the applicability period of concept paper {paper.id} ({span_text(start, end)}) is outside the preferred {settings.applicability_min_years} to {settings.applicability_max_years} years",
                    paper.area, None, ("applicability", "to"), severity="warning",
                ))
    elif paper.approval is not None:
        found.append(Finding("2.6", f"Modalities 2.6: approved concept paper {paper.id} does not specify its applicability period", paper.area, None, ("applicability",), severity="warning"))
    return found
