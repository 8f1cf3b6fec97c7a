"""The Modalities records of a repository loaded into values, with the located problems of those that could not be read.

Records live in coordinators/, concept-papers/, action-plans/, reviews/,
meetings/ and notes/. Loading is lenient: a bad date, an unknown state or area
becomes a located Problem and the item is left out; whatever the schema
already reports (a missing key, a wrong type) is skipped quietly, since
`cicatext validate` checks the schemas itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from cicatext.errors import CicatextError, Problem, RecordError
from cicatext.records.appointments import (
    APPOINTING_BODY,
    ROLES,
    STATES_OF_RECORD,
    ActingPeriod,
    Appointment,
    Decision,
    Extension,
    Offer,
    Recommendation,
    Report,
    Termination,
)
from cicatext.records.concept_papers import ActionPlan, Activity, ConceptPaper
from cicatext.records.meetings import ACTIONS, Meeting, MeetingDocument, TimeLimit
from cicatext.records.modalities import ModalitiesRecords
from cicatext.records.reviews import Contribution, Review
from cicatext.store import yamlio
from cicatext.store.layout import DIMENSIONS_DIR, MODALITIES_FOLDERS, coordinator_path
from cicatext.store.modalities.names import area_hint, state_hint, text_map
from cicatext.store.repository import Repository

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class _Reader:
    """Reads the fields of one file's record, collecting located problems."""

    file: str
    text: str
    repo: Repository
    problems: list[Problem]

    def problem(self, path: tuple, message: str, hint: str | None = None, *, severity: str = "error", code: str = "record") -> None:
        self.problems.append(located(self.file, self.text, path, message, hint, severity=severity, code=code))

    def date(self, value: Any, path: tuple) -> dt.date | None:
        """A date field; None when absent, a problem when it is not a calendar date."""
        if value is None:
            return None
        if isinstance(value, str) and ISO_DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(path, f"{path[-1]}: {value!r} is not a date", "write dates as YYYY-MM-DD, e.g. 2024-01-01")
        raise _Skip

    def state(self, value: Any, path: tuple) -> str:
        if not isinstance(value, str):
            raise _Skip
        if value not in self.repo.states:
            self.problem(path, f"unknown member state {value!r}", state_hint(self.repo, value), code="link")
            raise _Skip
        return value

    def area(self, value: Any, path: tuple) -> str:
        if not isinstance(value, str):
            raise _Skip
        if value not in self.repo.areas:
            self.problem(path, f"unknown priority area {value!r}", area_hint(self.repo, value), code="link")
            raise _Skip
        return value

    def decision(self, value: Any, path: tuple) -> Decision | None:
        if not isinstance(value, dict):
            return None
        return Decision(
            body=str(value.get("body") or APPOINTING_BODY),
            ref=as_text(value.get("ref")),
            date=self.date(value.get("date"), (*path, "date")),
        )


class _Skip(Exception):
    """The item cannot be loaded; its problem is recorded (or the schema reports it)."""


def as_text(value: Any) -> str | None:
    """A scalar field as a string; None stays None."""
    return None if value is None else str(value)


def as_list(value: Any) -> list:
    """A list field; anything else (absent, a wrong type the schema reports) as an empty list."""
    return value if isinstance(value, list) else []


def located(file: str, text: str, path: tuple, message: str, hint: str | None = None, *, severity: str = "error", code: str = "record") -> Problem:
    """A Problem at the line and column of the field at `path` in the file's YAML text."""
    try:
        where = yamlio.locate(text, path) if text else None
    except ValueError:  # an impossible date elsewhere in the file; it is reported on its own
        where = None
    line, column = where if where else (None, None)
    source = None
    if line is not None:
        lines = text.splitlines()
        source = lines[line - 1] if 0 < line <= len(lines) else None
    return Problem(message=message, file=file, line=line, column=column, hint=hint, source_line=source, severity=severity, code=code)


@dataclass
class Loaded:
    """What `load_records` found: the values, the problems, and where each record came from."""

    records: ModalitiesRecords
    """The records that loaded."""
    problems: list[Problem]
    """Bad dates, unknown states and areas, each located."""
    area_files: dict[str, str] = field(default_factory=dict)
    """Each area's coordinators file."""
    texts: dict[str, str] = field(default_factory=dict)
    """Each file's text, for locating findings."""
    notes: dict[str, dict] = field(default_factory=dict)
    """Note records by file."""
    meeting_files: dict[str, str] = field(default_factory=dict)
    """Each meeting's file, by meeting id."""
    unreadable: list[Problem] = field(default_factory=list)
    """The records that do not load at all (broken YAML): left out of `records`, so a report must say so.
    Kept apart from `problems`, which `validate` lists beside its own reading of every file."""

    def problems_in(self, file: str) -> list[Problem]:
        """The error problems of one file, its not loading at all included."""
        return [p for p in (*self.unreadable, *self.problems) if p.file == file and p.severity == "error"]


def record_files(repo: Repository, kind: str, problems: list[Problem] | None = None,
                 unreadable: list[Problem] | None = None) -> Iterable[tuple[str, str, Any]]:
    """(path, text, mapping) of each record of a kind that loads; impossible dates go to `problems`, files that do
    not load at all to `unreadable`."""
    folder = repo.root / MODALITIES_FOLDERS[kind]
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):
        relative = f"{MODALITIES_FOLDERS[kind]}/{path.name}"
        try:
            text = repo.read_text(relative)
            value = repo.primed(relative)
            if value is None:
                value = load_yaml(text, relative)
        except RecordError as error:
            if problems is not None and error.problem.code == "date":
                problems.append(error.problem)
            elif unreadable is not None:
                unreadable.append(error.problem)
            continue
        except CicatextError as error:
            if unreadable is not None:
                unreadable.append(error.problem)
            continue
        if isinstance(value, dict):
            yield relative, text, value


_DATE_TOKEN = re.compile(r"(?<![\w.-])(\d{4})-(\d{2})-(\d{2})(?![\w:.-])")


def load_yaml(text: str, file: str) -> Any:
    """The YAML text as plain values; a located RecordError (code `date`) for an impossible date such as 2023-06-31."""
    try:
        return yamlio.load(text, file=file)
    except ValueError:
        # The YAML loader builds dates itself and fails outright on a day that does not exist.
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _DATE_TOKEN.finditer(line):
                try:
                    dt.date(*(int(part) for part in match.groups()))
                except ValueError:
                    error = RecordError(f"{match.group(0)!r} is not a calendar date", file=file, line=number, column=match.start() + 1,
                                        source_line=line, hint="write dates as YYYY-MM-DD with a day the month has")
                    error.problem = replace(error.problem, code="date")
                    raise error from None
        raise RecordError("the file does not load as YAML", file=file, hint="check its dates and syntax") from None


def _appointment(reader: _Reader, raw: dict, area: str, index: int) -> Appointment:
    base = ("appointments", index)
    if not isinstance(raw, dict) or raw.get("role") not in ROLES or raw.get("state_of_record") not in STATES_OF_RECORD:
        raise _Skip  # the schema reports it
    state = reader.state(raw.get("state"), (*base, "state"))
    offered = raw.get("offered")
    offer = None
    if isinstance(offered, dict):
        offer = Offer(reader.date(offered.get("date"), (*base, "offered", "date")), as_text(offered.get("meeting")), as_text(offered.get("ref")))
    recommended = raw.get("recommendation")
    recommendation = None
    if isinstance(recommended, dict):
        recommendation = Recommendation(
            str(recommended.get("body") or ""), as_text(recommended.get("meeting")), as_text(recommended.get("ref")),
            reader.date(recommended.get("date"), (*base, "recommendation", "date")),
        )
    extensions = []
    for number, item in enumerate(as_list(raw.get("extensions"))):
        if not isinstance(item, dict):
            continue
        where = (*base, "extensions", number)
        end = reader.date(item.get("to"), (*where, "to"))
        if end is None:
            continue
        extensions.append(Extension(end, reader.date(item.get("requested"), (*where, "requested")), reader.decision(item.get("decision"), (*where, "decision"))))
    acting = []
    for number, item in enumerate(as_list(raw.get("acting"))):
        if not isinstance(item, dict):
            continue
        where = (*base, "acting", number)
        start = reader.date(item.get("from"), (*where, "from"))
        if start is None:
            continue
        acting.append(ActingPeriod(start, reader.date(item.get("to"), (*where, "to")), as_text(item.get("consent"))))
    termination = None
    ended = raw.get("termination")
    if isinstance(ended, dict):
        effective = reader.date(ended.get("effective"), (*base, "termination", "effective"))
        if effective is not None:
            termination = Termination(effective, reader.date(ended.get("notice"), (*base, "termination", "notice")))
    report = None
    if isinstance(raw.get("report"), dict):
        report = Report(reader.date(raw["report"].get("date"), (*base, "report", "date")), as_text(raw["report"].get("ref")))
    return Appointment(
        state=state,
        area=area,
        role=raw["role"],
        state_of_record=raw["state_of_record"],
        start=reader.date(raw.get("from"), (*base, "from")),
        end=reader.date(raw.get("to"), (*base, "to")),
        offer=offer,
        considered=tuple(str(x) for x in as_list(raw.get("considered"))),
        recommendation=recommendation,
        decision=reader.decision(raw.get("decision"), (*base, "decision")),
        extensions=tuple(extensions),
        acting=tuple(acting),
        termination=termination,
        report=report,
        note=as_text(raw.get("note")),
        index=index,
    )


def _concept_paper(reader: _Reader, raw: dict, default_id: str) -> ConceptPaper:
    area = reader.area(raw.get("area"), ("area",))
    author = reader.state(raw.get("author"), ("author",))
    applicability = raw.get("applicability") if isinstance(raw.get("applicability"), dict) else {}
    return ConceptPaper(
        id=str(raw.get("id") or default_id),
        area=area,
        author=author,
        first_draft=reader.date(raw.get("first_draft"), ("first_draft",)),
        approval=reader.decision(raw.get("approval"), ("approval",)),
        applicability_start=reader.date(applicability.get("from"), ("applicability", "from")),
        applicability_end=reader.date(applicability.get("to"), ("applicability", "to")),
        document=as_text(raw.get("document")),
        expert_meetings=tuple(str(x) for x in as_list(raw.get("expert_meetings"))),
        superseded_by=as_text(raw.get("superseded_by")),
        withdrawn=reader.date(raw.get("withdrawn"), ("withdrawn",)),
        note=as_text(raw.get("note")),
    )


def _action_plan(reader: _Reader, raw: dict, default_id: str) -> ActionPlan:
    area = reader.area(raw.get("area"), ("area",))
    activities = []
    for number, item in enumerate(as_list(raw.get("activities"))):
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            continue
        where = ("activities", number)
        organisers = []
        for position, code in enumerate(as_list(item.get("organisers"))):
            if isinstance(code, str) and code not in reader.repo.codes:
                reader.problem((*where, "organisers", position), f"unknown organiser {code!r}", state_hint(reader.repo, code), code="link")
            organisers.append(str(code))
        activities.append(Activity(
            title=item["title"],
            start=reader.date(item.get("from"), (*where, "from")),
            end=reader.date(item.get("to"), (*where, "to")),
            when=as_text(item.get("when")),
            organisers=tuple(organisers),
            status=str(item.get("status") or "planned"),
        ))
    return ActionPlan(
        id=str(raw.get("id") or default_id),
        area=area,
        concept_paper=as_text(raw.get("concept_paper")),
        document=as_text(raw.get("document")),
        updated=reader.date(raw.get("updated"), ("updated",)),
        activities=tuple(activities),
    )


def _review(reader: _Reader, raw: dict, default_id: str) -> Review:
    date = reader.date(raw.get("date"), ("date",))
    if date is None:
        raise _Skip
    focus = raw.get("focus") if isinstance(raw.get("focus"), dict) else {}
    areas = []
    for number, area in enumerate(as_list(focus.get("areas"))):
        try:
            areas.append(reader.area(area, ("focus", "areas", number)))
        except _Skip:
            pass
    for number, dimension in enumerate(as_list(focus.get("dimensions"))):
        if isinstance(dimension, str) and dimension not in reader.repo.dimensions:
            reader.problem(("focus", "dimensions", number), f"unknown dimension {dimension!r}", f"the dimensions are in {DIMENSIONS_DIR}/", code="link")
    contributions = []
    for number, item in enumerate(as_list(raw.get("contributions"))):
        if not isinstance(item, dict):
            continue
        where = ("contributions", number)
        try:
            state = reader.state(item.get("state"), (*where, "state"))
            area = reader.area(item["area"], (*where, "area")) if item.get("area") is not None else None
            contributions.append(Contribution(state, area, reader.date(item.get("date"), (*where, "date")), as_text(item.get("ref"))))
        except _Skip:
            continue
    return Review(
        id=str(raw.get("id") or default_id),
        date=date,
        status=str(raw.get("status") or "planned"),
        meeting=as_text(raw.get("meeting")),
        focus_dimensions=tuple(str(x) for x in as_list(focus.get("dimensions"))),
        focus_areas=tuple(areas),
        contributions=tuple(contributions),
    )


def _meeting(reader: _Reader, raw: dict, default_id: str) -> Meeting:
    dates = raw.get("dates") if isinstance(raw.get("dates"), dict) else {}
    start = reader.date(dates.get("from"), ("dates", "from"))
    end = reader.date(dates.get("to"), ("dates", "to"))
    if start is None or end is None or not isinstance(raw.get("body"), str):
        raise _Skip
    if end < start:
        reader.problem(("dates", "to"), f"the meeting ends ({end}) before it starts ({start})", "dates.to is the last day of the meeting")
    documents = []
    for item in as_list(raw.get("documents")):
        if isinstance(item, dict) and isinstance(item.get("symbol"), str) and item.get("action") in ACTIONS:
            documents.append(MeetingDocument(item["symbol"], item["action"], text_map(item.get("title")), text_map(item.get("phrase")), as_text(item.get("note"))))
    limits = []
    for number, item in enumerate(as_list(raw.get("deadlines"))):
        if not isinstance(item, dict) or not isinstance(item.get("what"), str):
            continue
        where = ("deadlines", number)
        try:
            date = reader.date(item.get("date"), (*where, "date"))
            closed = reader.date(item.get("closed"), (*where, "closed"))
        except _Skip:
            continue
        if date is not None:
            limits.append(TimeLimit(item["what"], date, tuple(str(x) for x in as_list(item.get("documents"))), closed))
    return Meeting(
        id=str(raw.get("id") or default_id),
        body=raw["body"],
        start=start,
        end=end,
        title=text_map(raw.get("title")),
        place=text_map(raw.get("place")),
        mode=str(raw.get("mode") or "in-person"),
        documents=tuple(documents),
        time_limits=tuple(limits),
    )


def load_records(repo: Repository) -> Loaded:
    """Every Modalities record of the repository as values, with the located problems of those that could not be read."""
    problems: list[Problem] = []
    unreadable: list[Problem] = []
    texts: dict[str, str] = {}
    appointments: list[Appointment] = []
    area_files: dict[str, str] = {}
    for file, text, raw in record_files(repo, "coordinator", problems, unreadable):
        texts[file] = text
        reader = _Reader(file, text, repo, problems)
        stem = file.rsplit("/", 1)[-1].removesuffix(".yaml")
        try:
            area = reader.area(raw.get("area"), ("area",))
        except _Skip:
            continue
        if area != stem:
            reader.problem(("area",), f"the file for area {area!r} is named {stem}.yaml", f"rename it to {coordinator_path(area)}")
        if area in area_files:
            reader.problem(("area",), f"area {area!r} also has {area_files[area]}", "keep one file per area")
            continue
        area_files[area] = file
        for index, item in enumerate(as_list(raw.get("appointments"))):
            try:
                appointments.append(_appointment(reader, item, area, index))
            except _Skip:
                continue

    def gather(kind: str, build) -> list:
        found = []
        for file, text, raw in record_files(repo, kind, problems, unreadable):
            texts[file] = text
            stem = file.rsplit("/", 1)[-1].removesuffix(".yaml")
            try:
                found.append((file, build(_Reader(file, text, repo, problems), raw, stem)))
            except _Skip:
                continue
        return found

    papers = gather("concept-paper", _concept_paper)
    plans = gather("action-plan", _action_plan)
    reviews = gather("review", _review)
    meetings = gather("meeting", _meeting)
    notes = {}
    for file, text, raw in record_files(repo, "note", problems, unreadable):
        texts[file] = text
        try:
            _Reader(file, text, repo, problems).date(raw.get("date"), ("date",))
        except _Skip:
            continue
        notes[file] = raw
    records = ModalitiesRecords(
        appointments=tuple(appointments),
        concept_papers=tuple(p for _, p in papers),
        action_plans=tuple(p for _, p in plans),
        reviews=tuple(r for _, r in reviews),
        meetings=tuple(x for _, x in meetings),
        area_dimensions={area: str(r.get("dimension")) for area, r in repo.areas.items()},
    )
    return Loaded(records, problems, area_files, texts, notes, {meeting.id: file for file, meeting in meetings},
                  unreadable)
