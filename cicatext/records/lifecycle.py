"""A document's life through the governing bodies: its status steps and the check that they climb in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cicatext.records.rules import Finding

BODY_ORDER = ("SWG", "SOC", "MC", "SUMMIT")
"""The governing bodies from the bottom up: a document climbs this ladder."""


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
