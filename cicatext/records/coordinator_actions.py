"""What each coordinator action (offer, appoint, extend, terminate, act, complete) does to one priority area's appointments.

An action takes the area's appointments as recorded and returns an
`AreaChange`: the appointments it changes or adds, and the commit message. An
action the Modalities forbid outright is refused with a RuleError citing the
paragraph; one that lacks what it needs, with a UsageError. `new_findings`
tells which rules the change would newly break, so that nothing breaking one
is ever written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cicatext.errors import RuleError, UsageError
from cicatext.records.appointments import APPOINTING_BODY, ActingPeriod, Appointment, Decision, Extension, Offer, Report, Termination
from cicatext.records.dates import add_days, span_text
from cicatext.records.rules import Finding, check_appointments, new_errors, new_warnings
from cicatext.records.settings import Settings

SERVING = ("appointed", "acting", "extended")
"""States of record of an appointment whose holder serves and may extend, terminate, act or complete."""


@dataclass(frozen=True)
class AreaChange:
    """What one action does to an area's record."""

    appointments: tuple[Appointment, ...]
    """The appointments changed (those with an index) or added (those without)."""
    message: str
    """The commit message, one line."""

    def applied_to(self, current: Sequence[Appointment]) -> list[Appointment]:
        """The area's appointments with the change made: changed ones in their place, new ones at the end."""
        by_index = {a.index: a for a in self.appointments if a.index is not None}
        return [by_index.get(a.index, a) for a in current] + [a for a in self.appointments if a.index is None]


def new_findings(current: Sequence[Appointment], change: AreaChange, settings: Settings) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) the change brings that the area's record did not have."""
    before = check_appointments(current, settings)
    after = check_appointments(change.applied_to(current), settings)
    return new_errors(before, after), new_warnings(before, after)


def _pending(current: Sequence[Appointment], state: str, role: str | None) -> list[Appointment]:
    return [a for a in current if a.state == state and a.pending and (role is None or a.role == role)]


def _serving(current: Sequence[Appointment], state: str, area: str, role: str | None, verb: str) -> Appointment:
    found = [a for a in current if a.state == state and a.state_of_record in SERVING and (role is None or a.role == role)]
    if not found:
        as_role = f" as {role}" if role else ""
        raise RuleError(
            f"Modalities 1.12: {state} holds no appointment{as_role} in {area} that it could {verb}; only a serving Coordinator or Co-coordinator may",
            hint="`cicatext coordinators` shows who serves where; nothing was written",
        )
    return max(found, key=lambda a: (a.start or dt.date.min, a.index or 0))


def offer(current: Sequence[Appointment], state: str, area: str, *, role: str, start: dt.date | None = None, end: dt.date | None = None,
          offered: dt.date | None = None, meeting: str | None = None, ref: str | None = None, note: str | None = None) -> AreaChange:
    """A state's offer to take up a role (1.1, 1.10); refused while it has one pending for that role."""
    if _pending(current, state, role):
        raise UsageError(f"{state} already has a pending offer as {role} in {area}", hint="appoint it with `cicatext coordinator appoint`, or edit the record")
    made = Offer(offered, meeting, ref) if (offered or meeting or ref) else None
    new = Appointment(state, area, role, "offered", start, end, offer=made, note=note)
    tenure = f", {span_text(start, end)}" if start or end else ""
    return AreaChange((new,), f"Offer: {state} as {role} of {area}{tenure}")


def appoint(current: Sequence[Appointment], state: str, area: str, *, role: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
            decision: str | None = None, decided: dt.date | None = None) -> AreaChange:
    """The SOC's appointment (1.9, 1.10): the state's pending offer or recommendation becomes it; a new Coordinator ends the acting (1.11)."""
    candidates = _pending(current, state, role)
    role = role or (candidates[0].role if len(candidates) == 1 else None)
    if role is None:
        raise UsageError("--role is needed", hint="give --role coordinator or --role co-coordinator")
    candidate = next((a for a in candidates if a.role == role), None)
    first = start or (candidate.start if candidate else None)
    last = end or (candidate.end if candidate else None)
    if first is None or last is None:
        raise UsageError("--from and --to are needed: the tenure's first and last day (1.10)", hint="e.g. --from 2024-01-01 --to 2025-12-31")
    decided_by = Decision(APPOINTING_BODY, decision, decided)
    if candidate:
        appointed = replace(candidate, state_of_record="appointed", start=first, end=last, decision=decided_by)
    else:
        appointed = Appointment(state, area, role, "appointed", first, last, decision=decided_by)
    changed = [appointed]
    if role == "coordinator":
        changed += _close_acting(current, first)
    reference = f" (SOC decision {decision})" if decision else ""
    return AreaChange(tuple(changed), f"Appoint {state} as {role} of {area}, {span_text(first, last)}{reference}")


def _close_acting(current: Sequence[Appointment], start: dt.date) -> list[Appointment]:
    """1.11: a Co-coordinator acts until a new Coordinator is appointed; end open acting periods the day before."""
    changed = []
    for a in current:
        if a.role != "co-coordinator" or not a.acting or not a.held:
            continue
        periods = []
        for period in a.acting:
            closed = a.acting_period(period)
            if closed and period.start < start <= closed[1]:
                period = replace(period, end=add_days(start, -1))
            periods.append(period)
        if tuple(periods) != a.acting:
            state_of_record = a.state_of_record
            if state_of_record == "acting":
                state_of_record = "extended" if any(e.approved for e in a.extensions) else "appointed"
            changed.append(replace(a, acting=tuple(periods), state_of_record=state_of_record))
    return changed


def extend(current: Sequence[Appointment], state: str, area: str, *, end: dt.date, role: str | None = None, requested: dt.date | None = None,
           decision: str | None = None, decided: dt.date | None = None) -> AreaChange:
    """A request to extend a serving tenure, or the SOC's approval of it (1.12); a pending request to the same end is approved in place."""
    serving = _serving(current, state, area, role, "extend")
    approved = bool(decision or decided)
    if not approved and requested is None:
        raise RuleError(
            "Modalities 1.12: an extension is subject to approval by the SOC",
            hint="give --decision REF and/or --decided DATE for an approved extension, or --requested DATE to record the request; nothing was written",
        )
    decided_by = Decision(APPOINTING_BODY, decision, decided) if approved else None
    extensions = list(serving.extensions)
    for number, extension in enumerate(extensions):
        if extension.end == end and not extension.approved:
            extensions[number] = replace(extension, decision=decided_by, requested=requested or extension.requested)
            break
    else:
        extensions.append(Extension(end, requested, decided_by))
    state_of_record = "extended" if approved and serving.state_of_record == "appointed" else serving.state_of_record
    extended = replace(serving, extensions=tuple(extensions), state_of_record=state_of_record)
    how = f"SOC decision {decision}" if decision else (f"approved by the SOC on {decided}" if decided else f"requested {requested}, awaiting SOC approval")
    return AreaChange((extended,), f"Extend {state} as {serving.role} of {area} to {end} ({how})")


def terminate(current: Sequence[Appointment], state: str, area: str, *, effective: dt.date, notice: dt.date, role: str | None = None) -> AreaChange:
    """A voluntary early termination of a serving tenure, notified in advance (1.12)."""
    serving = _serving(current, state, area, role, "terminate")
    ended = replace(serving, termination=Termination(effective, notice), state_of_record="terminated")
    return AreaChange((ended,), f"Terminate {state} as {serving.role} of {area}, last day {effective} (notice of {notice})")


def act(current: Sequence[Appointment], state: str, area: str, *, start: dt.date, end: dt.date | None = None, consent: str | None = None) -> AreaChange:
    """A Co-coordinator taking up the role of Coordinator while there is none (1.11); a Coordinator or a state with no appointment is refused."""
    mine = [a for a in current if a.state == state and a.state_of_record in SERVING]
    co = [a for a in mine if a.role == "co-coordinator"]
    if not co:
        if mine:
            raise RuleError(f"Modalities 1.11: {state} is Coordinator of {area}; only a Co-coordinator may temporarily take up the role of Coordinator", hint="nothing was written")
        raise RuleError(f"Modalities 1.11: {state} is not an appointed Co-coordinator of {area}; only a Co-coordinator may temporarily take up the role of Coordinator", hint="`cicatext coordinators` shows who serves where; nothing was written")
    serving = next((a for a in co if a.in_force(start)), max(co, key=lambda a: a.start or dt.date.min))
    acting = replace(serving, acting=(*serving.acting, ActingPeriod(start, end, consent)), state_of_record="acting")
    until = f" to {end}" if end else " until a Coordinator is appointed"
    return AreaChange((acting,), f"Act: {state}, Co-coordinator, as Coordinator of {area} from {start}{until}")


def complete(current: Sequence[Appointment], state: str, area: str, *, role: str | None = None, report: str | None = None, report_date: dt.date | None = None) -> AreaChange:
    """The end of a serving tenure, with the end-of-tenure report when given (1.3)."""
    serving = _serving(current, state, area, role, "complete")
    issued = Report(report_date, report) if (report_date or report) else serving.report
    done = replace(serving, state_of_record="completed", report=issued)
    return AreaChange((done,), f"Complete {state} as {serving.role} of {area}" + (f" (report {report})" if report else ""))
