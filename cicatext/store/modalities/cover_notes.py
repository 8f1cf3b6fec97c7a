"""The cover note (note verbale) forwarding a meeting's documents, assembled from the repository.

The meeting is named by its id or its note's number (the latest by default);
its documents' titles come from the register, the body's names from the
registry, the number, date, place and templates from its record in notes/,
and records.cover_note renders the note in each language. Whatever had to be
guessed (a blank number, the date, a body's name in the nominative) comes
back as a warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cicatext.errors import RecordError, UsageError
from cicatext.records import cover_note
from cicatext.records.cover_note import CoverNote
from cicatext.records.meetings import Meeting
from cicatext.records.symbols import is_note_number
from cicatext.store.layout import (
    MEETINGS_DIR,
    NOTES_DIR,
    body_record_path,
    cover_note_template_path,
    meeting_path,
)
from cicatext.store.modalities.loading import Loaded, load_records, located
from cicatext.store.modalities.names import nearest, text_map, text_of
from cicatext.store.repository import Repository


@dataclass(frozen=True)
class CoverNotes:
    """A meeting's cover note in each language asked for, and what had to be guessed."""

    meeting: str
    """The meeting's id."""
    number: str
    """The note's number (`____` when none is known)."""
    notes: tuple[CoverNote, ...]
    """The note in each language, in order."""
    warnings: tuple[str, ...]
    """What had to be guessed or is missing, one sentence each."""


def _chosen_meeting(loaded: Loaded, meeting: str | None) -> Meeting:
    """The meeting named by its id or by its note's number, else the latest; a UsageError naming the nearest when there is none such."""
    meetings = {found.id: found for found in loaded.records.meetings}
    wanted = meeting
    if wanted and is_note_number(wanted) and wanted not in meetings:
        by_number = {raw.get("number"): raw.get("meeting") for raw in loaded.notes.values()}
        if wanted not in by_number:
            raise UsageError(f"no note {wanted} in {NOTES_DIR}/", hint="name the meeting instead, e.g. `cicatext note swg-2023-06`")
        wanted = by_number[wanted]
    if wanted:
        if wanted not in meetings:
            choice = nearest(wanted, {k: k for k in meetings})
            raise UsageError(f"MEETING: no meeting {wanted!r} in {MEETINGS_DIR}/", hint=f"did you mean {choice}?" if choice else f"the meetings are in {MEETINGS_DIR}/")
        return meetings[wanted]
    if not meetings:
        raise UsageError(f"there are no meetings in {MEETINGS_DIR}/", hint=f"record the meeting first ({meeting_path('ID')})")
    return max(meetings.values(), key=lambda x: (x.end, x.id))


def cover_notes(repo: Repository, meeting: str | None = None, *, lang: str | None = None, number: str | None = None) -> CoverNotes:
    """The cover note of `meeting` (its id or note number; the latest meeting when None) in the language `lang`, or in the note's languages."""
    loaded = load_records(repo)
    broken = [p for p in (*loaded.unreadable, *loaded.problems)
              if p.severity == "error" and p.file and p.file.startswith((f"{MEETINGS_DIR}/", f"{NOTES_DIR}/"))]
    if broken:
        raise RecordError(broken[0].message, file=broken[0].file, problems=tuple(broken), hint="fix these records first")
    notes = {raw.get("meeting"): (file, raw) for file, raw in loaded.notes.items()}
    chosen = _chosen_meeting(loaded, meeting)
    meeting_file = loaded.meeting_files.get(chosen.id, meeting_path(chosen.id))
    if not chosen.documents:
        text = loaded.texts.get(meeting_file, "")
        problem = located(meeting_file, text, ("documents",), f"meeting {chosen.id} has no documents to forward")
        raise RecordError(problem.message, file=meeting_file, line=problem.line, column=problem.column, source_line=problem.source_line,
                          hint="list them under `documents:`, each with its symbol and action")

    note_file, note = notes.get(chosen.id, (None, {}))
    warnings: list[str] = []
    number = number or note.get("number")
    if not number:
        number = "____"
        warnings.append(f"no note for {chosen.id} in {NOTES_DIR}/ and no --number: the number is left blank")
    date = None
    if isinstance(note.get("date"), str):
        date = dt.date.fromisoformat(note["date"])
    if date is None:
        date = chosen.end
        warnings.append(f"the note is dated the meeting's last day, {date}")
    languages = [lang] if lang else [lang for lang in (note.get("languages") or repo.languages) if lang in cover_note.LANGUAGES]
    body = repo.bodies.get(chosen.body) or {}
    titles = {}
    for entry in chosen.documents:
        try:
            titles[entry.symbol] = text_map(repo.document(entry.symbol).record.get("title"))
        except UsageError:
            titles[entry.symbol] = {}
    rendered = []
    for language in languages:
        abbreviation = text_map(body.get("abbreviation")).get(language)
        if not abbreviation:
            abbreviation = chosen.body
            warnings.append(f"{body_record_path(chosen.body)} has no {language} abbreviation: the note writes {chosen.body}")
        body_name = text_map(note.get("body_name")).get(language)
        if not body_name:
            name = text_map(body.get("name")).get(language) or chosen.body
            body_name = f"{name} ({abbreviation})"
            if language == "ru":
                warnings.append(f"the Russian note names the body in the nominative ({name}); give body_name.ru in the genitive in {note_file or f'a {NOTES_DIR}/ record'}")
        place = text_map(note.get("place")).get(language) or chosen.place.get(language) or text_of((repo.settings.get("secretariat") or {}).get("seat"), language)
        template_path = text_map(note.get("template")).get(language)
        if template_path:
            if not (repo.root / template_path).is_file():
                problem = located(note_file, loaded.texts.get(note_file, ""), ("template", language), f"template {template_path} does not exist")
                raise RecordError(problem.message, file=note_file, line=problem.line, column=problem.column, source_line=problem.source_line)
        elif (repo.root / cover_note_template_path(language)).is_file():
            template_path = cover_note_template_path(language)
        template = repo.read_text(template_path) if template_path else cover_note.default_template(language)
        rendered.append(cover_note.render(
            template, language=language, number=number, meeting=chosen, titles=titles, body=abbreviation,
            body_name=body_name, place=place, date=date, pages=note.get("enclosure_pages"), template_name=template_path,
        ))
    all_warnings = warnings + [w for note_text in rendered for w in note_text.warnings]
    return CoverNotes(chosen.id, number, tuple(rendered), tuple(all_warnings))
