"""The coordinator workflow: one action on one priority area's record, checked against the rules, written and committed.

The state and the area are resolved from what the user typed; the area's
record must load cleanly; the action (records.coordinator_actions) builds the
new appointments; a change that newly breaks a rule of the Modalities is
refused with the paragraph and nothing is written. Otherwise the area file is
rewritten, keeping its comments, and committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cicatext.errors import Problem, RecordError, RuleError
from cicatext.records import coordinator_actions as actions
from cicatext.records.appointments import Appointment
from cicatext.records.rules import Finding
from cicatext.store.layout import coordinator_path
from cicatext.store.modalities.loading import Loaded, load_records
from cicatext.store.modalities.names import resolve_area, resolve_state, state_names
from cicatext.store.modalities.settings import settings_of
from cicatext.store.modalities.writing import write_area
from cicatext.store.repository import Repository


@dataclass(frozen=True)
class CoordinatorChange:
    """A coordinator action as committed."""

    commit: str
    """The new commit's id."""
    file: str
    """The area's coordinators file."""
    message: str
    """The commit message."""
    appointments: tuple[Appointment, ...]
    """The appointments changed or added."""
    warnings: tuple[Finding, ...]
    """Rules the change nearly breaks (it was written all the same)."""
    state_names: Mapping[str, str]
    """Each member state's name in English, by code."""


def require_area_loads(repo: Repository, area_text: str) -> tuple[str, Loaded, str]:
    """The area's id, the records and its coordinators file; a RecordError naming the file's problems when it does
    not load."""
    area = resolve_area(repo, area_text)
    loaded = load_records(repo)
    file = loaded.area_files.get(area, coordinator_path(area))
    broken = loaded.problems_in(file)
    if broken:
        raise RecordError(broken[0].message, file=file, problems=tuple(broken), hint="fix the record first; nothing was written")
    return area, loaded, file


def _change(repo: Repository, state_text: str, area_text: str, action: Callable[[Sequence[Appointment], str, str], actions.AreaChange]) -> CoordinatorChange:
    """Load the area, let `action` change it, check the rules, write and commit; or refuse."""
    state = resolve_state(repo, state_text)
    area, loaded, file = require_area_loads(repo, area_text)
    current = loaded.records.in_area(area)
    try:
        change = action(current, state, area)
    except RuleError as error:
        if error.problem.file:
            raise
        raise RuleError(error.message, file=file, hint=error.hint) from None
    errors, warnings = actions.new_findings(current, change, settings_of(repo))
    if errors:
        first = errors[0]
        hint = f"{first.hint}; nothing was written" if first.hint else "nothing was written"
        problems = tuple(Problem(f.message, file=file, hint=f.hint, code="rule") for f in errors) if len(errors) > 1 else ()
        raise RuleError(first.message, file=file, hint=hint, problems=problems)
    commit = write_area(repo, area, change.appointments, change.message, file)
    return CoordinatorChange(commit, file, change.message, change.appointments, tuple(warnings), state_names(repo))


def offer(repo: Repository, state: str, area: str, *, role: str, start: dt.date | None = None, end: dt.date | None = None,
          offered: dt.date | None = None, meeting: str | None = None, ref: str | None = None, note: str | None = None) -> CoordinatorChange:
    """Record a state's offer to take up a role (1.1, 1.10) and commit it."""
    return _change(repo, state, area, lambda current, code, area_id: actions.offer(
        current, code, area_id, role=role, start=start, end=end, offered=offered, meeting=meeting, ref=ref, note=note))


def appoint(repo: Repository, state: str, area: str, *, role: str | None = None, start: dt.date | None = None, end: dt.date | None = None,
            decision: str | None = None, decided: dt.date | None = None) -> CoordinatorChange:
    """Record the SOC's appointment (1.9, 1.10, and 1.11 for the acting it ends) and commit it."""
    return _change(repo, state, area, lambda current, code, area_id: actions.appoint(
        current, code, area_id, role=role, start=start, end=end, decision=decision, decided=decided))


def extend(repo: Repository, state: str, area: str, *, end: dt.date, role: str | None = None, requested: dt.date | None = None,
           decision: str | None = None, decided: dt.date | None = None) -> CoordinatorChange:
    """Record a request to extend a tenure, or the SOC's approval of it (1.12), and commit it."""
    return _change(repo, state, area, lambda current, code, area_id: actions.extend(
        current, code, area_id, end=end, role=role, requested=requested, decision=decision, decided=decided))


def terminate(repo: Repository, state: str, area: str, *, effective: dt.date, notice: dt.date, role: str | None = None) -> CoordinatorChange:
    """Record a voluntary early termination (1.12) and commit it."""
    return _change(repo, state, area, lambda current, code, area_id: actions.terminate(
        current, code, area_id, effective=effective, notice=notice, role=role))


def act(repo: Repository, state: str, area: str, *, start: dt.date, end: dt.date | None = None, consent: str | None = None) -> CoordinatorChange:
    """Record a Co-coordinator acting as Coordinator while there is none (1.11) and commit it."""
    return _change(repo, state, area, lambda current, code, area_id: actions.act(
        current, code, area_id, start=start, end=end, consent=consent))


def complete(repo: Repository, state: str, area: str, *, role: str | None = None, report: str | None = None, report_date: dt.date | None = None) -> CoordinatorChange:
    """Record the end of a tenure and the end-of-tenure report (1.3) and commit it."""
    return _change(repo, state, area, lambda current, code, area_id: actions.complete(
        current, code, area_id, role=role, report=report, report_date=report_date))
