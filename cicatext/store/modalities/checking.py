"""The repository check used by `cicatext validate`: the Modalities' rules, the records' links and the documents' lifecycle, as located problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cicatext.errors import Problem
from cicatext.records.lifecycle import StatusStep, check_lifecycle
from cicatext.records.rules import Finding, check_appointments, check_concept_paper
from cicatext.store.layout import (
    BODIES_DIR,
    MEETINGS_DIR,
    concept_paper_path,
    cover_note_template_path,
)
from cicatext.store.modalities.loading import (
    ISO_DATE,
    as_list,
    as_text,
    load_records,
    located,
    record_files,
)
from cicatext.store.modalities.settings import body_order, settings_of
from cicatext.store.repository import DocumentEntry, Repository


def finding_problem(finding: Finding, file: str, text: str, prefix: tuple = ()) -> Problem:
    """A rule finding as a located Problem."""
    path = (*prefix, *finding.field)
    return located(file, text, path, finding.message, finding.hint, severity=finding.severity, code="rule" if finding.rule != "lifecycle" else "lifecycle")


def check_repository(repo: Repository) -> list[Problem]:
    """The Modalities' rules and the documents' lifecycle over the whole repository, as located problems (for `cicatext validate`)."""
    documents = repo.documents()
    problems = check_modalities(repo, document_names(documents))
    order = body_order(repo)
    for entry in documents:
        problems.extend(lifecycle_problems(repo, entry, order))
    return problems


def check_modalities(repo: Repository, names: tuple[set[str], set[str]]) -> list[Problem]:
    """The Modalities' rules and the links of their records, `names` being the documents' (`document_names`).

    It reads the Modalities' records, the registry, the settings, the
    meetings' file names and whether the templates the notes name exist.
    """
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
    meeting_ids |= {path.stem for path in (repo.root / MEETINGS_DIR).glob("*.yaml")}
    for file, text, raw in record_files(repo, "meeting"):
        if isinstance(raw.get("body"), str) and raw["body"] not in repo.bodies:
            problems.append(located(file, text, ("body",), f"unknown body {raw['body']!r}", f"the bodies are in {BODIES_DIR}/", code="link"))
        for number, item in enumerate(as_list(raw.get("documents"))):
            if isinstance(item, dict) and isinstance(item.get("symbol"), str) and not _known_document(names, item["symbol"]):
                problems.append(located(file, text, ("documents", number, "symbol"), f"{item['symbol']} is not in the register", "register it (cicatext import) or correct the symbol", severity="warning", code="link"))

    for paper in records.concept_papers:
        file = concept_paper_path(paper.id)
        text = loaded.texts.get(file, "")
        for finding in check_concept_paper(paper, settings):
            problems.append(finding_problem(finding, file, text))

    for file, raw in loaded.notes.items():
        text = loaded.texts[file]
        meeting = raw.get("meeting")
        if isinstance(meeting, str) and meeting not in meeting_ids:
            problems.append(located(file, text, ("meeting",), f"no meeting {meeting!r} in {MEETINGS_DIR}/", code="link"))
        templates = raw.get("template") if isinstance(raw.get("template"), dict) else {}
        for language, path in templates.items():
            if isinstance(path, str) and not (repo.root / path).is_file():
                problems.append(located(file, text, ("template", language), f"template {path} does not exist", f"create it, or remove the entry to use {cover_note_template_path(str(language))}", code="link"))

    return problems


def lifecycle_problems(repo: Repository, entry: DocumentEntry, order: tuple[str, ...]) -> list[Problem]:
    """The lifecycle findings of one document's status history, under the bodies' `order` (`body_order`)."""
    history = as_list(entry.record.get("status"))
    steps = []
    positions = []
    for number, item in enumerate(history):
        if not isinstance(item, dict) or not isinstance(item.get("body"), str):
            continue
        date = item.get("date")
        parsed = None
        if isinstance(date, str) and ISO_DATE.match(date):
            try:
                parsed = dt.date.fromisoformat(date)
            except ValueError:
                parsed = None
        steps.append(StatusStep(item["body"], str(item.get("action", "")), parsed, as_text(item.get("meeting"))))
        positions.append(number)
    findings = check_lifecycle(steps, order)
    if not findings:
        return []
    text = repo.read_text(entry.record_path)
    return [finding_problem(finding, entry.record_path, text, ("status", positions[finding.index]))
            for finding in findings]


def document_names(documents: Iterable[DocumentEntry]) -> tuple[set[str], set[str]]:
    """What `Repository.document` finds a document by: (slugs, symbols and revision symbols), and base symbols."""
    names: set[str] = set()
    bases: set[str] = set()
    for entry in documents:
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
