"""What falls due under the Modalities (1.3, 1.12, 2.5-2.7, 3.2, 3.5) and under the time limits meetings set, judged from one day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from cicatext.records.appointments import Appointment
from cicatext.records.dates import add_days, add_months, add_years
from cicatext.records.modalities import ModalitiesRecords
from cicatext.records.settings import Settings


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
    """The record it comes from, as the store names it: `coordinators/<area>`, `concept-papers/<id>`, `reviews/<id>`, `meetings/<id>`."""

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


def deadlines(records: ModalitiesRecords, as_of: dt.date, settings: Settings = Settings(), *,
              source_of: Callable[[str, str], str]) -> list[Deadline]:
    """What falls due or is overdue on `as_of`, each with its rule, sorted by date; things done are left out.

    `source_of(kind, id)` names the record a deadline comes from (a `coordinator`, `concept-paper`, `review` or
    `meeting` by its area or id); where records are kept is the store's to say.
    """
    found: list[Deadline] = []

    def add(rule: str, what: str, due: dt.date, **where) -> None:
        found.append(Deadline(rule, what, due, status_on(due, as_of, settings.due_window_days), **where))

    for a in records.appointments:
        if not a.held or a.start is None or a.effective_end is None:
            continue
        source = source_of("coordinator", a.area)
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
            last_request = add_days(a.effective_end, -settings.extension_notice_days)
            add("1.12", f"{a.state} sends any request to extend its tenure as {a.role} of {a.area} (ending {a.effective_end}) to all Member States, sufficiently in advance", last_request, area=a.area, state=a.state, source=source)

    for paper in records.concept_papers:
        source = source_of("concept-paper", paper.id)
        if paper.condition == "under consideration" and paper.first_draft and not paper.expert_meetings:
            due = add_months(paper.first_draft, settings.expert_meetings_after_months)
            add("2.5", f"concept paper {paper.id} ({paper.area}) under consideration since its first draft of {paper.first_draft}: beyond {settings.expert_meetings_after_months} months the Coordinator convenes expert meetings", due, area=paper.area, state=paper.author, source=source)
        if paper.condition == "approved" and paper.applicability_end:
            add("2.6", f"the applicability period of concept paper {paper.id} ({paper.area}) ends; the Coordinator extends it on time or updates the paper", paper.applicability_end, area=paper.area, state=paper.author, source=source)

    found += _review_deadlines(records, as_of, settings, source_of)

    for meeting in records.meetings:
        for limit in meeting.time_limits:
            if limit.closed is None:
                add("meeting", f"{limit.what} (set by {meeting.body} meeting {meeting.id})", limit.date, source=source_of("meeting", meeting.id))
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


def _review_deadlines(records: ModalitiesRecords, as_of: dt.date, settings: Settings,
                      source_of: Callable[[str, str], str]) -> list[Deadline]:
    found: list[Deadline] = []
    window = settings.due_window_days
    held = sorted((r for r in records.reviews if r.status == "held"), key=lambda r: r.date)
    planned = sorted((r for r in records.reviews if r.status != "held"), key=lambda r: r.date)
    if held:
        next_due = add_months(held[-1].date, settings.review_interval_months)
        if not any(r.date <= next_due for r in planned if r.date > held[-1].date):
            found.append(Deadline("3.2", f"the SOC holds its regular review of CBM implementation (at least every {settings.review_interval_months} months; the last was {held[-1].date})", next_due, status_on(next_due, as_of, window), source=source_of("review", held[-1].id)))
    for review in planned:
        found.append(Deadline("3.2", f"the SOC review of CBM implementation {review.id} is planned for {review.date}", review.date, status_on(review.date, as_of, window), source=source_of("review", review.id)))
        if as_of > review.date:
            continue
        due = add_days(review.date, -settings.contribution_lead_days)
        for a in records.appointments:
            if not a.in_force(review.date) or not review.covers(a.area, records.area_dimensions.get(a.area)):
                continue
            if any(c.state == a.state and (c.area is None or c.area == a.area) for c in review.contributions):
                continue
            found.append(Deadline("3.5", f"{a.state} ({a.role} of {a.area}) sends its written contribution to the SOC review of {review.date}", due, status_on(due, as_of, window), area=a.area, state=a.state, source=source_of("review", review.id)))
    return found
