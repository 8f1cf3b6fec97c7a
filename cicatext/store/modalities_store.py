"""The Modalities records of a repository: loading them into values, writing appointments back, and checking the rules.

Records live in coordinators/, concept-papers/, action-plans/, reviews/,
meetings/ and notes/. Loading is lenient: a bad date, an unknown state or area
becomes a located Problem and the item is left out; whatever the schema
already reports (a missing key, a wrong type) is skipped quietly, since
`cicatext validate` checks the schemas itself. `check_repository` adds the
rules of the Modalities and the documents' lifecycle.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cicatext.errors import CicatextError, Problem, RecordError, UsageError
from cicatext.records.appointments import APPOINTING_BODY, ROLES, STATES_OF_RECORD, ActingPeriod, Appointment, Decision, Extension, Offer, Recommendation, Report, Termination
from cicatext.records.concept_papers import ActionPlan, Activity, ConceptPaper
from cicatext.records.lifecycle import BODY_ORDER, StatusStep, check_lifecycle
from cicatext.records.meetings import ACTIONS, Meeting, MeetingDocument, TimeLimit
from cicatext.records.modalities import ModalitiesRecords
from cicatext.records.reviews import Contribution, Review
from cicatext.records.rules import Finding, check_appointments, check_concept_paper
from cicatext.records.settings import Settings
from cicatext.store import yamlio
from cicatext.store.repository import Repository

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FOLDERS = {
    "coordinator": "coordinators",
    "concept-paper": "concept-papers",
    "action-plan": "action-plans",
    "review": "reviews",
    "meeting": "meetings",
    "note": "notes",
}
TEMPLATES_DIR = "notes/templates"


def coordinator_file(area: str) -> str:
    """Where an area's appointments are kept."""
    return f"coordinators/{area}.yaml"


def template_file(language: str) -> str:
    """The repository's cover note template in one language."""
    return f"{TEMPLATES_DIR}/cover-note.{language}.txt"


def settings_of(repo: Repository) -> Settings:
    """The rules' parameters from cicatext.yaml (`rules:`), defaults for those not given."""
    defaults = Settings()
    return Settings(**{name: repo.rule(name, getattr(defaults, name)) for name in Settings.__dataclass_fields__})


def body_order(repo: Repository) -> tuple[str, ...]:
    """The bodies from the lowest up: `body_order` in cicatext.yaml, else the registry's ranks, else SWG, SOC, MC, SUMMIT."""
    order = repo.settings.get("body_order")
    if isinstance(order, list) and order and all(isinstance(b, str) for b in order):
        return tuple(order)
    ranked = [(r.get("rank"), code) for code, r in repo.bodies.items() if isinstance(r.get("rank"), int)]
    if ranked:
        return tuple(code for _, code in sorted(ranked, reverse=True))
    return BODY_ORDER


def text_of(value: Any, language: str = "en") -> str:
    """A registry name in one language (names are `{en, ru}` maps or plain strings)."""
    if isinstance(value, dict):
        return str(value.get(language) or value.get("en") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def nearest(wanted: str, choices: Mapping[str, str]) -> str | None:
    """The key whose label is closest to `wanted` (choices: label → key), for 'did you mean' hints."""
    if not choices:
        return None
    from rapidfuzz import fuzz, process, utils

    best = process.extractOne(wanted, list(choices), scorer=fuzz.WRatio, processor=utils.default_process)
    return choices[best[0]] if best and best[1] >= 50 else None


def _state_choices(repo: Repository) -> dict[str, str]:
    choices: dict[str, str] = {}
    for code, record in repo.states.items():
        choices[code] = code
        for key in ("iso3",):
            if isinstance(record.get(key), str):
                choices.setdefault(record[key], code)
        for key in ("name", "formal_name"):
            value = record.get(key)
            for text in (value.values() if isinstance(value, dict) else [value]):
                if isinstance(text, str) and text:
                    choices.setdefault(text, code)
    return choices


def _area_choices(repo: Repository) -> dict[str, str]:
    choices: dict[str, str] = {}
    for area, record in repo.areas.items():
        choices[area] = area
        value = record.get("name")
        for text in (value.values() if isinstance(value, dict) else [value]):
            if isinstance(text, str) and text:
                choices.setdefault(text, area)
    return choices


def state_hint(repo: Repository, wanted: str) -> str:
    """'did you mean RUS (Russia)?' or where to look."""
    code = nearest(wanted, _state_choices(repo))
    if code:
        return f"did you mean {code} ({text_of(repo.states[code].get('name'))})?"
    return "the member states are in registry/states/"


def area_hint(repo: Repository, wanted: str) -> str:
    """'did you mean ict-security (...)?' or where to look."""
    area = nearest(wanted, _area_choices(repo))
    if area:
        return f"did you mean {area} ({text_of(repo.areas[area].get('name'))})?"
    return "the priority areas are in registry/areas/"


def resolve_state(repo: Repository, text: str, argument: str = "STATE") -> str:
    """The code of the state named by its code, ISO code or name (any case); a UsageError with the nearest one otherwise."""
    wanted = text.strip()
    folded = {label.casefold(): code for label, code in _state_choices(repo).items()}
    if wanted.casefold() in folded:
        return folded[wanted.casefold()]
    raise UsageError(f"{argument}: unknown member state {wanted!r}", hint=state_hint(repo, wanted))


def resolve_area(repo: Repository, text: str, argument: str = "AREA") -> str:
    """The id of the priority area named by its id or name (any case); a UsageError with the nearest one otherwise."""
    wanted = text.strip()
    folded = {label.casefold(): area for label, area in _area_choices(repo).items()}
    if wanted.casefold() in folded:
        return folded[wanted.casefold()]
    raise UsageError(f"{argument}: unknown priority area {wanted!r}", hint=area_hint(repo, wanted))


# Loading -------------------------------------------------------------------


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
        if isinstance(value, str) and _DATE.match(value):
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
            ref=_str(value.get("ref")),
            date=self.date(value.get("date"), (*path, "date")),
        )


class _Skip(Exception):
    """The item cannot be loaded; its problem is recorded (or the schema reports it)."""


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def text_map(value: Any) -> dict[str, str]:
    """A `{en: ..., ru: ...}` field as a dict of strings (empty when absent or not a mapping)."""
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _list(value: Any) -> list:
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

    def problems_in(self, file: str) -> list[Problem]:
        """The error problems of one file."""
        return [p for p in self.problems if p.file == file and p.severity == "error"]


def _files(repo: Repository, kind: str, problems: list[Problem] | None = None) -> Iterable[tuple[str, str, Any]]:
    folder = repo.root / FOLDERS[kind]
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):
        relative = f"{FOLDERS[kind]}/{path.name}"
        try:
            text = repo.read_text(relative)
            value = repo.primed(relative)
            if value is None:
                value = load_yaml(text, relative)
        except RecordError as error:
            if problems is not None and error.problem.code == "date":
                problems.append(error.problem)
            continue  # validate reports files that do not parse
        except CicatextError:
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
        offer = Offer(reader.date(offered.get("date"), (*base, "offered", "date")), _str(offered.get("meeting")), _str(offered.get("ref")))
    recommended = raw.get("recommendation")
    recommendation = None
    if isinstance(recommended, dict):
        recommendation = Recommendation(
            str(recommended.get("body") or ""), _str(recommended.get("meeting")), _str(recommended.get("ref")),
            reader.date(recommended.get("date"), (*base, "recommendation", "date")),
        )
    extensions = []
    for number, item in enumerate(_list(raw.get("extensions"))):
        if not isinstance(item, dict):
            continue
        where = (*base, "extensions", number)
        end = reader.date(item.get("to"), (*where, "to"))
        if end is None:
            continue
        extensions.append(Extension(end, reader.date(item.get("requested"), (*where, "requested")), reader.decision(item.get("decision"), (*where, "decision"))))
    acting = []
    for number, item in enumerate(_list(raw.get("acting"))):
        if not isinstance(item, dict):
            continue
        where = (*base, "acting", number)
        start = reader.date(item.get("from"), (*where, "from"))
        if start is None:
            continue
        acting.append(ActingPeriod(start, reader.date(item.get("to"), (*where, "to")), _str(item.get("consent"))))
    termination = None
    ended = raw.get("termination")
    if isinstance(ended, dict):
        effective = reader.date(ended.get("effective"), (*base, "termination", "effective"))
        if effective is not None:
            termination = Termination(effective, reader.date(ended.get("notice"), (*base, "termination", "notice")))
    report = None
    if isinstance(raw.get("report"), dict):
        report = Report(reader.date(raw["report"].get("date"), (*base, "report", "date")), _str(raw["report"].get("ref")))
    return Appointment(
        state=state,
        area=area,
        role=raw["role"],
        state_of_record=raw["state_of_record"],
        start=reader.date(raw.get("from"), (*base, "from")),
        end=reader.date(raw.get("to"), (*base, "to")),
        offer=offer,
        considered=tuple(str(x) for x in _list(raw.get("considered"))),
        recommendation=recommendation,
        decision=reader.decision(raw.get("decision"), (*base, "decision")),
        extensions=tuple(extensions),
        acting=tuple(acting),
        termination=termination,
        report=report,
        note=_str(raw.get("note")),
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
        document=_str(raw.get("document")),
        expert_meetings=tuple(str(x) for x in _list(raw.get("expert_meetings"))),
        superseded_by=_str(raw.get("superseded_by")),
        withdrawn=reader.date(raw.get("withdrawn"), ("withdrawn",)),
        note=_str(raw.get("note")),
    )


def _action_plan(reader: _Reader, raw: dict, default_id: str) -> ActionPlan:
    area = reader.area(raw.get("area"), ("area",))
    activities = []
    for number, item in enumerate(_list(raw.get("activities"))):
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            continue
        where = ("activities", number)
        organisers = []
        for position, code in enumerate(_list(item.get("organisers"))):
            if isinstance(code, str) and code not in reader.repo.codes:
                reader.problem((*where, "organisers", position), f"unknown organiser {code!r}", state_hint(reader.repo, code), code="link")
            organisers.append(str(code))
        activities.append(Activity(
            title=item["title"],
            start=reader.date(item.get("from"), (*where, "from")),
            end=reader.date(item.get("to"), (*where, "to")),
            when=_str(item.get("when")),
            organisers=tuple(organisers),
            status=str(item.get("status") or "planned"),
        ))
    return ActionPlan(
        id=str(raw.get("id") or default_id),
        area=area,
        concept_paper=_str(raw.get("concept_paper")),
        document=_str(raw.get("document")),
        updated=reader.date(raw.get("updated"), ("updated",)),
        activities=tuple(activities),
    )


def _review(reader: _Reader, raw: dict, default_id: str) -> Review:
    date = reader.date(raw.get("date"), ("date",))
    if date is None:
        raise _Skip
    focus = raw.get("focus") if isinstance(raw.get("focus"), dict) else {}
    areas = []
    for number, area in enumerate(_list(focus.get("areas"))):
        try:
            areas.append(reader.area(area, ("focus", "areas", number)))
        except _Skip:
            pass
    for number, dimension in enumerate(_list(focus.get("dimensions"))):
        if isinstance(dimension, str) and dimension not in reader.repo.dimensions:
            reader.problem(("focus", "dimensions", number), f"unknown dimension {dimension!r}", "the dimensions are in registry/dimensions/", code="link")
    contributions = []
    for number, item in enumerate(_list(raw.get("contributions"))):
        if not isinstance(item, dict):
            continue
        where = ("contributions", number)
        try:
            state = reader.state(item.get("state"), (*where, "state"))
            area = reader.area(item["area"], (*where, "area")) if item.get("area") is not None else None
            contributions.append(Contribution(state, area, reader.date(item.get("date"), (*where, "date")), _str(item.get("ref"))))
        except _Skip:
            continue
    return Review(
        id=str(raw.get("id") or default_id),
        date=date,
        status=str(raw.get("status") or "planned"),
        meeting=_str(raw.get("meeting")),
        focus_dimensions=tuple(str(x) for x in _list(focus.get("dimensions"))),
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
    for item in _list(raw.get("documents")):
        if isinstance(item, dict) and isinstance(item.get("symbol"), str) and item.get("action") in ACTIONS:
            documents.append(MeetingDocument(item["symbol"], item["action"], text_map(item.get("title")), text_map(item.get("phrase")), _str(item.get("note"))))
    limits = []
    for number, item in enumerate(_list(raw.get("deadlines"))):
        if not isinstance(item, dict) or not isinstance(item.get("what"), str):
            continue
        where = ("deadlines", number)
        try:
            date = reader.date(item.get("date"), (*where, "date"))
            closed = reader.date(item.get("closed"), (*where, "closed"))
        except _Skip:
            continue
        if date is not None:
            limits.append(TimeLimit(item["what"], date, tuple(str(x) for x in _list(item.get("documents"))), closed))
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
    texts: dict[str, str] = {}
    appointments: list[Appointment] = []
    area_files: dict[str, str] = {}
    for file, text, raw in _files(repo, "coordinator", problems):
        texts[file] = text
        reader = _Reader(file, text, repo, problems)
        stem = file.rsplit("/", 1)[-1].removesuffix(".yaml")
        try:
            area = reader.area(raw.get("area"), ("area",))
        except _Skip:
            continue
        if area != stem:
            reader.problem(("area",), f"the file for area {area!r} is named {stem}.yaml", f"rename it to {coordinator_file(area)}")
        if area in area_files:
            reader.problem(("area",), f"area {area!r} also has {area_files[area]}", "keep one file per area")
            continue
        area_files[area] = file
        for index, item in enumerate(_list(raw.get("appointments"))):
            try:
                appointments.append(_appointment(reader, item, area, index))
            except _Skip:
                continue

    def gather(kind: str, build) -> list:
        found = []
        for file, text, raw in _files(repo, kind, problems):
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
    for file, text, raw in _files(repo, "note", problems):
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
    return Loaded(records, problems, area_files, texts, notes, {meeting.id: file for file, meeting in meetings})


def meeting_file(meeting_id: str) -> str:
    """Where a meeting is kept."""
    return f"meetings/{meeting_id}.yaml"


# Checking ------------------------------------------------------------------


def finding_problem(finding: Finding, file: str, text: str, prefix: tuple = ()) -> Problem:
    """A rule finding as a located Problem."""
    path = (*prefix, *finding.field)
    return located(file, text, path, finding.message, finding.hint, severity=finding.severity, code="rule" if finding.rule != "lifecycle" else "lifecycle")


def check_repository(repo: Repository) -> list[Problem]:
    """The Modalities' rules and the documents' lifecycle over the whole repository, as located problems (for `cicatext validate`)."""
    loaded = load_records(repo)
    problems = list(loaded.problems)
    settings = settings_of(repo)
    records = loaded.records

    for finding in check_appointments(records.appointments, settings):
        file = loaded.area_files.get(finding.area or "")
        if file is None:
            continue
        prefix = ("appointments", finding.index) if finding.index is not None else ()
        problems.append(finding_problem(finding, file, loaded.texts.get(file, ""), prefix))

    meeting_ids = {meeting.id for meeting in records.meetings}
    meeting_ids |= {path.stem for path in (repo.root / FOLDERS["meeting"]).glob("*.yaml")}
    names = _document_names(repo)
    for file, text, raw in _files(repo, "meeting"):
        if isinstance(raw.get("body"), str) and raw["body"] not in repo.bodies:
            problems.append(located(file, text, ("body",), f"unknown body {raw['body']!r}", "the bodies are in registry/bodies/", code="link"))
        for number, item in enumerate(_list(raw.get("documents"))):
            if isinstance(item, dict) and isinstance(item.get("symbol"), str) and not _known_document(names, item["symbol"]):
                problems.append(located(file, text, ("documents", number, "symbol"), f"{item['symbol']} is not in the register", "register it (cicatext import) or correct the symbol", severity="warning", code="link"))

    for paper in records.concept_papers:
        file = f"concept-papers/{paper.id}.yaml"
        text = loaded.texts.get(file, "")
        for finding in check_concept_paper(paper, settings):
            problems.append(finding_problem(finding, file, text))

    for file, raw in loaded.notes.items():
        text = loaded.texts[file]
        meeting = raw.get("meeting")
        if isinstance(meeting, str) and meeting not in meeting_ids:
            problems.append(located(file, text, ("meeting",), f"no meeting {meeting!r} in meetings/", code="link"))
        templates = raw.get("template") if isinstance(raw.get("template"), dict) else {}
        for language, path in templates.items():
            if isinstance(path, str) and not (repo.root / path).is_file():
                problems.append(located(file, text, ("template", language), f"template {path} does not exist", f"create it, or remove the entry to use {template_file(str(language))}", code="link"))

    order = body_order(repo)
    for entry in repo.documents():
        history = _list(entry.record.get("status"))
        steps = []
        positions = []
        for number, item in enumerate(history):
            if not isinstance(item, dict) or not isinstance(item.get("body"), str):
                continue
            date = item.get("date")
            parsed = None
            if isinstance(date, str) and _DATE.match(date):
                try:
                    parsed = dt.date.fromisoformat(date)
                except ValueError:
                    parsed = None
            steps.append(StatusStep(item["body"], str(item.get("action", "")), parsed, _str(item.get("meeting"))))
            positions.append(number)
        findings = check_lifecycle(steps, order)
        if findings:
            text = repo.read_text(entry.record_path)
            for finding in findings:
                problems.append(finding_problem(finding, entry.record_path, text, ("status", positions[finding.index])))
    return problems


def _document_names(repo: Repository) -> tuple[set[str], set[str]]:
    """What `Repository.document` finds a document by: (slugs, symbols and revision symbols), and base symbols."""
    names: set[str] = set()
    bases: set[str] = set()
    for entry in repo.documents():
        names.add(entry.slug)
        names.add(entry.symbol)
        bases.add(entry.symbol)
        for revision in entry.record.get("revisions") or []:
            if isinstance(revision, dict) and isinstance(revision.get("symbol"), str):
                names.add(revision["symbol"])
    return names, bases


def _known_document(names: tuple[set[str], set[str]], symbol: str) -> bool:
    from cicatext.records.symbols import is_symbol, parse_symbol

    wanted = symbol.strip()
    if wanted in names[0]:
        return True
    return is_symbol(wanted) and str(parse_symbol(wanted).base()) in names[1]


# Writing -------------------------------------------------------------------

_APPOINTMENT_KEYS = (
    "state", "role", "state_of_record", "from", "to", "offered", "considered", "recommendation",
    "decision", "extensions", "acting", "termination", "report", "note",
)


def _decision_fields(decision: Decision | None) -> dict | None:
    if decision is None:
        return None
    return _compact({"body": decision.body, "ref": decision.ref, "date": decision.date})


def _compact(values: Mapping[str, Any]) -> dict:
    return {k: v for k, v in values.items() if v is not None and v != () and v != [] and v != {}}


def appointment_fields(a: Appointment) -> dict:
    """The appointment as its YAML mapping (dates as dates, absent parts left out), keys in the record's order."""
    return _compact({
        "state": a.state,
        "role": a.role,
        "state_of_record": a.state_of_record,
        "from": a.start,
        "to": a.end,
        "offered": _compact({"date": a.offer.date, "meeting": a.offer.meeting, "ref": a.offer.ref}) if a.offer else None,
        "considered": list(a.considered),
        "recommendation": _compact({"body": a.recommendation.body, "meeting": a.recommendation.meeting, "ref": a.recommendation.ref, "date": a.recommendation.date}) if a.recommendation else None,
        "decision": _decision_fields(a.decision),
        "extensions": [_compact({"to": e.end, "requested": e.requested, "decision": _decision_fields(e.decision)}) for e in a.extensions],
        "acting": [_compact({"from": p.start, "to": p.end, "consent": p.consent}) for p in a.acting],
        "termination": _compact({"notice": a.termination.notice, "effective": a.termination.effective}) if a.termination else None,
        "report": _compact({"date": a.report.date, "ref": a.report.ref}) if a.report else None,
        "note": a.note,
    })


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _sync(target, fields: Mapping[str, Any]) -> None:
    """Make the round-trip mapping hold `fields`, touching only what differs (comments on the rest survive)."""
    for key in [k for k in target if k in _APPOINTMENT_KEYS and k not in fields]:
        del target[key]
    for key, value in fields.items():
        if key in target:
            if _plain(target[key]) != _plain(value):
                existing = target[key]
                if isinstance(existing, dict) and isinstance(value, dict):
                    _sync_nested(existing, value)
                else:
                    target[key] = value
            continue
        position = sum(1 for k in target if k in _APPOINTMENT_KEYS and _APPOINTMENT_KEYS.index(k) < _APPOINTMENT_KEYS.index(key))
        target.insert(position, key, value)


def _sync_nested(target, value: Mapping[str, Any]) -> None:
    for key in [k for k in target if k not in value]:
        del target[key]
    for key, item in value.items():
        if key not in target or _plain(target[key]) != _plain(item):
            target[key] = item


def render_area(repo: Repository, area: str, appointments: Sequence[Appointment], file: str | None = None) -> tuple[str, str]:
    """The coordinators file of an area holding these appointments: (path, text).

    Appointments with an index rewrite that entry of the file in place; those
    without one are added at the end. Comments and untouched fields are kept.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    path = file or coordinator_file(area)
    if (repo.root / path).is_file():
        text = repo.read_text(path)
        tree = yamlio.load_roundtrip(text, file=path)
    else:
        tree = CommentedMap([("area", area), ("appointments", CommentedSeq())])
    entries = tree.get("appointments")
    if not isinstance(entries, list):
        entries = CommentedSeq()
        tree["appointments"] = entries
    for appointment in appointments:
        fields = appointment_fields(appointment)
        if appointment.index is not None and appointment.index < len(entries) and isinstance(entries[appointment.index], dict):
            _sync(entries[appointment.index], fields)
        else:
            entries.append(CommentedMap(fields.items()))
    return path, yamlio.dump(tree)


def write_area(repo: Repository, area: str, appointments: Sequence[Appointment], message: str, file: str | None = None) -> str:
    """Write the changed appointments of an area and commit them; RecordError (nothing written) if the result breaks the schema."""
    from cicatext.store.schemas import errors

    path, text = render_area(repo, area, appointments, file)
    record = yamlio.load(text, file=path)
    found = errors("coordinator", record)
    if found:
        first = found[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(record)"
        raise RecordError(f"the new {path} would not match its schema at {where}: {first.message}", file=path, hint="nothing was written")
    return repo.commit({path: text}, message)
