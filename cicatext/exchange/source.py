"""What every export format needs: a document's record and its paragraphs, at the working tree or a git revision.

`load` reads the record and the text of one language, checks the notation
(a text with broken notation is refused before anything is written), and gives
an `ExportDocument`: the title block (organisation, sponsor line, symbol,
date, heading) and the paragraphs, bracketed or, with `clean`, agreed text
only. The helpers here split emphasis (`*Recognizing*`) and sort paragraphs
into preamble and operative part the same way for every format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cicatext.errors import UsageError
from cicatext.notation.tree import Attribution, Bracket, Paragraph, Stance, Text
from cicatext.store.register.texts import document_text
from cicatext.store.repository import Repository

_EMPHASIS = re.compile(r"\*(?=\S)([^*\n]+?)(?<=\S)\*")
_PREAMBULAR = re.compile(r"pp\d+[a-z]*(?:-\d+)?")
_CHAPTER = re.compile(r"ch\d+(?:-\d+)?")

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"),
}

STANCE_WORDS = {
    Stance.PROPOSE: "proposed by",
    Stance.OBJECT: "objected to by",
    Stance.RESERVE: "to come back to:",
}
"""How the legend of every format reads each stance."""

STANCE_CLASSES = {Stance.PROPOSE: "propose", Stance.OBJECT: "object", Stance.RESERVE: "reserve"}
"""The class name of each stance in HTML and Akoma Ntoso."""

STANCE_COLOURS = {Stance.PROPOSE: "1E7B34", Stance.OBJECT: "B3261E", Stance.RESERVE: "8A5A00"}
"""The colour of each stance (RGB hex) in HTML and Word."""


@dataclass(frozen=True)
class ExportDocument:
    """One document in one language, ready to be laid out in any format."""

    slug: str
    """The folder name under documents/."""
    symbol: str
    """The symbol of the revision exported, e.g. `MC/2023/DRAFT/3/Rev.1`."""
    base_symbol: str
    """The symbol without revision."""
    kind: str
    """decision, statement, road-map, note-verbale, ..."""
    language: str
    """The language of the text."""
    title: str
    """The title in that language (falling back to any title)."""
    heading: tuple[str, ...]
    """The heading lines printed above the text (the title when the record has no heading)."""
    sponsor_line: str | None
    """"Chairmanship of Kazakhstan", "Secretariat", or None."""
    organisation: str
    """The organisation's name as printed at the top, in the language."""
    date: str | None
    """The date of the revision exported, YYYY-MM-DD."""
    sponsor: str
    """CHAIR, SEC or a member state's code."""
    body: str | None
    """The body the document is meant for."""
    paragraphs: tuple[Paragraph, ...]
    """The paragraphs in order; with `clean`, each holds its agreed text only."""
    clean: bool
    """True when brackets were removed with their text."""
    revision: str | None
    """The git revision the text was read at, None for the working tree."""
    record: Mapping[str, Any] = field(default_factory=dict)
    """The document.yaml the title block was taken from."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Delegation code → name in the language, for legends."""
    style: str = "cica"
    """The attribution style the text is written in; in any but cica, attributions are part of the text."""
    style_warnings: tuple = ()
    """What the style could not write, kept in the cica style (problems of severity warning)."""

    @property
    def status(self) -> list[dict]:
        """The status history, oldest first."""
        return [s for s in self.record.get("status") or [] if isinstance(s, dict)]

    @property
    def codes(self) -> list[str]:
        """Every delegation code named in an attribution, in order of first appearance."""
        seen: dict[str, None] = {}
        for paragraph in self.paragraphs:
            for bracket, _ in paragraph.brackets():
                for attribution in bracket.attributions:
                    seen.setdefault(attribution.code, None)
        return list(seen)

    def formatted_date(self) -> str:
        """The date as the seed prints it: `14 June 2023`, `14 июня 2023 г.`."""
        return format_date(self.date, self.language) if self.date else ""


def format_date(iso: str, language: str = "en") -> str:
    """A YYYY-MM-DD date written out in the language (ISO form kept for languages without month names here)."""
    try:
        day = dt.date.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    months = MONTHS.get(language)
    if months is None:
        return day.isoformat()
    written = f"{day.day} {months[day.month - 1]} {day.year}"
    return f"{written} г." if language == "ru" else written


def emphasis(text: str) -> Iterator[tuple[str, bool]]:
    """Split plain text into (piece, italic) pairs: `*Recognizing*` is italic, its stars dropped."""
    last = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > last:
            yield text[last : match.start()], False
        yield match.group(1), True
        last = match.end()
    if last < len(text):
        yield text[last:], False


def is_preambular(paragraph: Paragraph) -> bool:
    """True for a preambular paragraph (`pp1`, `pp2`, ... as the importer names them)."""
    return bool(_PREAMBULAR.fullmatch(paragraph.id))


def is_chapter(paragraph: Paragraph) -> bool:
    """True for a chapter heading (`ch1`, ...)."""
    return bool(_CHAPTER.fullmatch(paragraph.id))


def attribution_title(attribution: Attribution, names: Mapping[str, str]) -> str:
    """`IRAN (Iran) proposes this text`: what an attribution says, in words."""
    who = attribution.code
    name = names.get(who)
    if name and name.upper() != who:
        who = f"{who} ({name})"
    if attribution.stance is Stance.PROPOSE:
        return f"{who} proposes this text"
    if attribution.stance is Stance.OBJECT:
        return f"{who} wants this text deleted"
    return f"{who} will come back to this text"


def load(repo: Repository, reference: str, *, language: str | None = None, revision: str | None = None,
         clean: bool = False, style: str | None = None) -> ExportDocument:
    """The document named by `reference` in one language (default: its first), at `revision` or the working tree,
    its attributions written in `style` (default: the repository's)."""
    from cicatext.errors import NotationError
    from cicatext.notation.reader import read
    from cicatext.notation.views import clean_paragraph
    from cicatext.store.validation.known import unknown_errors

    found = document_text(repo, reference, language=language, ref=revision)
    entry, language, path, text = found.entry, found.language, found.path, found.text
    record: Mapping[str, Any] = entry.record
    reading = read(text, codes=repo.codes, file=path)
    # A text circulated with notation problems is exported as it is; any other error refuses it.
    errors = unknown_errors(reading.problems, record, language)
    if errors:
        first = errors[0]
        raise NotationError(first.message, file=first.file, line=first.line, column=first.column, hint=first.hint,
                            source_line=first.source_line, problems=tuple(errors))
    draft = reading.draft
    if not draft.paragraphs:
        raise UsageError("the text holds no paragraphs", file=path, hint="there is nothing to export")
    from cicatext.store.register.styles import write_styled

    styled = write_styled(repo, text, None if clean else style, file=path)
    if styled.text != text:
        draft = read(styled.text, file=path).draft
    paragraphs = draft.paragraphs
    if clean:
        kept = []
        for paragraph in paragraphs:
            agreed = clean_paragraph(paragraph)
            if agreed.strip():
                kept.append(Paragraph(paragraph.id, (Text(agreed),), "", paragraph.label))
        if not kept:
            raise UsageError(f"{entry.current_symbol} has no agreed text yet",
                             hint="export it without --clean to see the bracketed text")
        paragraphs = tuple(kept)
    return ExportDocument(
        slug=entry.slug,
        symbol=entry.current_symbol,
        base_symbol=entry.symbol,
        kind=str(record.get("kind", "other")),
        language=language,
        title=_in_language(record.get("title"), language),
        heading=_heading(record, language),
        sponsor_line=_in_language(record.get("sponsor_line"), language) or None,
        organisation=_organisation(repo, language),
        date=_date_of(record),
        sponsor=str(record.get("sponsor", "")),
        body=record.get("body"),
        paragraphs=paragraphs,
        clean=clean,
        revision=revision,
        record=record,
        names=_names(repo, language),
        style=styled.style,
        style_warnings=styled.warnings,
    )


def _in_language(value: Any, language: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and value:
        return str(value.get(language) or next(iter(value.values())))
    return ""


def _heading(record: Mapping[str, Any], language: str) -> tuple[str, ...]:
    heading = record.get("heading")
    chosen = ""
    if isinstance(heading, Mapping) and heading.get(language):
        chosen = str(heading[language])
    if not chosen:
        chosen = _in_language(record.get("title"), language)
    return tuple(line.strip() for line in chosen.splitlines() if line.strip())


def _date_of(record: Mapping[str, Any]) -> str | None:
    # The record's own date is the current revision's; a revision's date is the fallback.
    if record.get("date"):
        return str(record["date"])
    revisions = [r for r in record.get("revisions") or [] if isinstance(r, Mapping)]
    if revisions:
        latest = max(revisions, key=lambda r: r.get("rev", 0) if isinstance(r.get("rev"), int) else 0)
        if latest.get("date"):
            return str(latest["date"])
    return None


def _organisation(repo: Repository, language: str) -> str:
    names = (repo.settings.get("organisation") or {}).get("name") or {}
    return _in_language(names, language).upper()


def _names(repo: Repository, language: str) -> dict[str, str]:
    names = {}
    for code, state in repo.states.items():
        name = _in_language(state.get("name"), language)
        if name:
            names[code] = name
    secretariat = repo.settings.get("secretariat") or {}
    names[repo.secretariat_code] = _in_language(secretariat.get("name"), language) or "Secretariat"
    return names


def walk(nodes, depth: int = 0) -> Iterator[tuple[str, Any, int]]:
    """Flatten inline nodes into events: ("text", Text, depth), ("open"/"close", Bracket, depth), ("attribution", Attribution, depth).

    `depth` is the bracket depth the event stands at (0 outside brackets; the
    `[` of an outermost bracket and its attributions are at depth 1).
    """
    # The brackets entered, each with what is left of its body: an explicit stack, for brackets nest to any depth.
    stack: list[tuple[Bracket | None, Iterator]] = [(None, iter(nodes))]
    while stack:
        for node in stack[-1][1]:
            if isinstance(node, Text):
                yield "text", node, depth + len(stack) - 1
            elif isinstance(node, Bracket):
                yield "open", node, depth + len(stack)
                stack.append((node, iter(node.body)))
                break
        else:
            bracket, _ = stack.pop()
            if bracket is not None:
                yield "close", bracket, depth + len(stack)
                for attribution in bracket.attributions:
                    yield "attribution", attribution, depth + len(stack)


@dataclass(frozen=True)
class TitleLine:
    """One line of the title block above the text."""

    role: str
    """organisation, sponsor, symbol, date, heading or subtitle."""
    text: str


def title_block(document: ExportDocument) -> list[TitleLine]:
    """The lines printed above the text, as in the seed: organisation, sponsor line, symbol, date, heading.

    A note verbale carries its own letterhead in its text, so it has none.
    """
    if document.kind == "note-verbale":
        return []
    lines = []
    if document.organisation and document.sponsor_line and document.sponsor_line.upper() != document.organisation:
        lines.append(TitleLine("organisation", document.organisation))
    if document.sponsor_line:
        lines.append(TitleLine("sponsor", document.sponsor_line))
    lines.append(TitleLine("symbol", document.symbol))
    if document.date:
        lines.append(TitleLine("date", document.formatted_date()))
    for index, line in enumerate(document.heading):
        lines.append(TitleLine("heading" if index == 0 else "subtitle", line))
    return lines
