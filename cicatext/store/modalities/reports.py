"""The Modalities' reports on one day: who coordinates each priority area, by dimension, and what falls due.

One query per question, so that `cicatext coordinators`, `cicatext
deadlines`, their --json and the TUI's Coordinators screen give the same
answer in the same order. The commands want every record loaded and refuse
otherwise (`coordinators`, `deadlines_report`); the screen shows what loaded
and counts the problems (`overview`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from cicatext.errors import Problem
from cicatext.records.coordination import AreaCoordination, coordination
from cicatext.records.deadlines import Deadline, deadlines
from cicatext.store.layout import record_source
from cicatext.store.modalities.loading import Loaded, load_records
from cicatext.store.modalities.names import state_names, text_of
from cicatext.store.modalities.settings import settings_of
from cicatext.store.repository import Repository


def unloaded(loaded: Loaded) -> tuple[Problem, ...]:
    """The errors of the records left out: files that do not load, and items with an impossible value."""
    return (*loaded.unreadable, *(p for p in loaded.problems if p.severity == "error"))


@dataclass(frozen=True)
class AreaStanding:
    """One priority area and where its coordination stands."""

    id: str
    """The area's id."""
    name: str
    """Its name in English."""
    coordination: AreaCoordination
    """Who coordinates it, who is to, who has offered, its concept paper."""
    file: str | None
    """Its coordinators file, when it has one."""


@dataclass(frozen=True)
class DimensionStanding:
    """One dimension and its priority areas."""

    id: str
    """The dimension's id."""
    name: str
    """Its name in English."""
    areas: tuple[AreaStanding, ...]
    """Its areas, by name."""


@dataclass(frozen=True)
class CoordinatorsReport:
    """Who coordinates each priority area on a day, by dimension."""

    as_of: dt.date
    """The day looked at."""
    dimensions: tuple[DimensionStanding, ...]
    """The dimensions that have areas listed, in the registry's order."""
    state_names: Mapping[str, str]
    """Each member state's name in English, by code."""
    problems: tuple[Problem, ...] = ()
    """The records left out because they do not load: a report shows the rest and says which."""


def _report(repo: Repository, loaded: Loaded, as_of: dt.date, every_area: bool) -> CoordinatorsReport:
    """The dimensions by their `order` then id, then those only areas name; each one's areas by name; areas with nothing recorded only with `every_area`."""
    dimensions = sorted(repo.dimensions.items(), key=lambda item: (item[1].get("order", 99), item[0]))
    known = {d for d, _ in dimensions}
    orphan_areas = sorted({r.get("dimension") for r in repo.areas.values()} - known, key=str)
    groups = []
    for dimension_id, dimension in [*dimensions, *((d, {"name": str(d)}) for d in orphan_areas)]:
        areas = []
        for area_id, area in sorted(repo.areas.items(), key=lambda item: text_of(item[1].get("name"))):
            if area.get("dimension") != dimension_id:
                continue
            state = coordination(loaded.records, area_id, as_of)
            if state.empty and not every_area:
                continue
            areas.append(AreaStanding(area_id, text_of(area.get("name")), state, loaded.area_files.get(area_id)))
        if areas:
            groups.append(DimensionStanding(dimension_id, text_of(dimension.get("name")), tuple(areas)))
    return CoordinatorsReport(as_of, tuple(groups), state_names(repo))


def coordinators(repo: Repository, as_of: dt.date, *, every_area: bool = False) -> CoordinatorsReport:
    """Who coordinates each priority area on `as_of` (only those with something recorded, unless `every_area`),
    from the records that load; those that do not are the report's `problems`."""
    loaded = load_records(repo)
    return replace(_report(repo, loaded, as_of, every_area), problems=unloaded(loaded))


@dataclass(frozen=True)
class DeadlinesReport:
    """What falls due, judged from one day."""

    as_of: dt.date
    """The day looked from."""
    due_window_days: int
    """How near a deadline is `due` rather than `upcoming`."""
    deadlines: tuple[Deadline, ...]
    """The deadlines, by date."""
    problems: tuple[Problem, ...] = ()
    """The records left out because they do not load."""


def deadlines_report(repo: Repository, as_of: dt.date) -> DeadlinesReport:
    """What falls due or is overdue on `as_of`, each with its rule, from the records that load; those that do not
    are the report's `problems`."""
    loaded = load_records(repo)
    settings = settings_of(repo)
    found = deadlines(loaded.records, as_of, settings, source_of=record_source)
    return DeadlinesReport(as_of, settings.due_window_days, tuple(found), unloaded(loaded))


@dataclass(frozen=True)
class Overview:
    """Coordination and deadlines together, from whatever records load."""

    coordinators: CoordinatorsReport
    """Every priority area, as `coordinators --all` lists them."""
    deadlines: tuple[Deadline, ...]
    """The deadlines, by date."""
    problems: int
    """How many problems the records have (those records are left out)."""


def overview(repo: Repository, as_of: dt.date) -> Overview:
    """Every area's coordination and the deadlines on `as_of`, leaving out the records that do not load and counting their problems."""
    loaded = load_records(repo)
    found = deadlines(loaded.records, as_of, settings_of(repo), source_of=record_source)
    return Overview(_report(repo, loaded, as_of, True), tuple(found), len(loaded.problems) + len(loaded.unreadable))
