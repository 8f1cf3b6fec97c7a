"""The cover note (note verbale) forwarding a meeting's documents, in English and Russian.

A note is rendered from an editable template (`string.Template` placeholders)
and the meeting's outcome, in the form of the Secretariat's note SWG/739: the
compliments, one line per document with its title, symbol and what the meeting
did with it, place and date, the addressees. Pure: the caller supplies titles
and names.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
from dataclasses import dataclass

from cicatext.errors import RecordError
from cicatext.records.meetings import Meeting, MeetingDocument

LANGUAGES = ("en", "ru")

PLACEHOLDERS = {
    "number": "the note's number, e.g. SWG/739",
    "body_name": "the body as the sentence needs it: 'Special Working Group (SWG)' / 'Специальной рабочей группы (СРГ)'",
    "body": "the body's abbreviation in the language: SWG / СРГ",
    "meeting_dates": "the meeting's dates: '13-14 June 2023' / '13-14 июня 2023 года'",
    "documents": "the list of documents, one '- ' line each, separated by blank lines",
    "place": "where the note is issued",
    "date": "the note's date: '14 June 2023' / '14 июня 2023 г.'",
    "enclosure": "'Enclosure: as stated, on 16 p.' / 'Приложение: упомянутое, на 16 л.'",
}

_DEFAULT_TEMPLATES = {
    "en": """SECRETARIAT OF THE CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA

СЕКРЕТАРИАТ СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ

No. ${number}

The Secretariat of the Conference on Interaction and Confidence Building Measures in Asia (CICA) presents its compliments to the CICA Member States and has the honour to forward the following documents as at the time of closure of the ${body_name} meeting on ${meeting_dates}:

${documents}

The Secretariat avails itself of this opportunity to renew to the CICA Member States the assurances of its highest consideration.

${place}, ${date}


MEMBER STATES OF THE CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA

${enclosure}
""",
    "ru": """SECRETARIAT OF THE CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA

СЕКРЕТАРИАТ СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ

№ ${number}

Секретариат Совещания по взаимодействию и мерам доверия в Азии (СВМДА) свидетельствует свое уважение государствам-членам СВМДА и имеет честь препроводить следующие документы по состоянию на момент закрытия заседания ${body_name}, состоявшегося ${meeting_dates}:

${documents}

Секретариат пользуется случаем, чтобы возобновить государствам-членам СВМДА уверения в своем весьма высоком уважении.

${place}, ${date}


ГОСУДАРСТВА-ЧЛЕНЫ СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ

${enclosure}
""",
}

# What the meeting did, as the note says it. Russian participles are masculine,
# agreeing with «Проект», the head word of most titles; a document whose title
# needs another form carries its own `phrase` in the meeting record.
_PHRASES = {
    "en": {
        "considered": "as considered by the {body}",
        "agreed": "as agreed by the {body}",
        "approved": "as approved by the {body}",
        "endorsed": "as endorsed by the {body}",
        "adopted": "as adopted by the {body}",
        "noted": "as noted by the {body}",
    },
    "ru": {
        "considered": "рассмотренный {body}",
        "agreed": "согласованный {body}",
        "approved": "утвержденный {body}",
        "endorsed": "одобренный {body}",
        "adopted": "принятый {body}",
        "noted": "принятый к сведению {body}",
    },
}

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"),
}


@dataclass(frozen=True)
class ListedDocument:
    """One line of the note: a document, its title in the note's language and what the meeting did."""

    symbol: str
    """The symbol as forwarded, e.g. MC/2023/DRAFT/3/Rev.1."""
    title: str
    """The title in the note's language (English when there is no translation)."""
    action: str
    """What the meeting did with it."""
    phrase: str | None
    """The wording of that action in the note ("as agreed by the SWG"), or None."""

    def line(self, language: str) -> str:
        """The document's line without the closing punctuation."""
        if not self.phrase:
            return f"- {self.title} ({self.symbol})"
        if language == "ru":
            return f"- {self.title} ({self.symbol}), {self.phrase}"
        return f"- {self.title} ({self.symbol}) {self.phrase}"

    def to_json(self) -> dict:
        """The line as a plain dict."""
        return {"symbol": self.symbol, "title": self.title, "action": self.action, "phrase": self.phrase}


@dataclass(frozen=True)
class CoverNote:
    """A rendered cover note in one language."""

    number: str
    """The note's number, e.g. SWG/739."""
    language: str
    """`en` or `ru`."""
    meeting: str
    """The meeting's id."""
    date: dt.date
    """The note's date."""
    documents: tuple[ListedDocument, ...]
    """The documents forwarded, in order."""
    text: str
    """The note's full text."""
    warnings: tuple[str, ...] = ()
    """What the renderer had to guess (a missing translation)."""

    def to_json(self) -> dict:
        """The note as a plain dict."""
        return {
            "number": self.number,
            "language": self.language,
            "meeting": self.meeting,
            "date": self.date.isoformat(),
            "documents": [d.to_json() for d in self.documents],
            "text": self.text,
            "warnings": list(self.warnings),
        }


def default_template(language: str) -> str:
    """The built-in template of a language, the form of note SWG/739."""
    return _DEFAULT_TEMPLATES[language]


def format_date(day: dt.date, language: str) -> str:
    """`14 June 2023` / `14 июня 2023 г.`."""
    text = f"{day.day} {_MONTHS[language][day.month - 1]} {day.year}"
    return f"{text} г." if language == "ru" else text


def format_span(start: dt.date, end: dt.date, language: str) -> str:
    """`13-14 June 2023` / `13-14 июня 2023 года`, naming months and years only where they differ."""
    months = _MONTHS[language]
    if start == end:
        text = f"{end.day} {months[end.month - 1]} {end.year}"
    elif (start.year, start.month) == (end.year, end.month):
        text = f"{start.day}-{end.day} {months[end.month - 1]} {end.year}"
    elif start.year == end.year:
        text = f"{start.day} {months[start.month - 1]} - {end.day} {months[end.month - 1]} {end.year}"
    else:
        text = f"{start.day} {months[start.month - 1]} {start.year} - {end.day} {months[end.month - 1]} {end.year}"
    return f"{text} года" if language == "ru" else text


def enclosure_line(pages: int | None, language: str) -> str:
    """`Enclosure: as stated, on 16 p.` / `Приложение: упомянутое, на 16 л.`."""
    if language == "ru":
        return f"Приложение: упомянутое, на {pages} л." if pages else "Приложение: упомянутое."
    return f"Enclosure: as stated, on {pages} p." if pages else "Enclosure: as stated."


def own_outcome(entry: MeetingDocument, meeting: Meeting) -> bool:
    """True for the meeting body's own outcome (SWG/2023-II/INF/2 adopted by the SWG): the note names it without a phrase."""
    return entry.action == "adopted" and entry.symbol.split("/", 1)[0] == meeting.body


def action_phrase(action: str, body: str, language: str) -> str | None:
    """"as agreed by the SWG" / «согласованный СРГ»; None for a document merely circulated."""
    pattern = _PHRASES[language].get(action)
    return pattern.format(body=body) if pattern else None


def render(
    template: str,
    *,
    language: str,
    number: str,
    meeting: Meeting,
    titles: Mapping[str, Mapping[str, str]],
    body: str,
    body_name: str,
    place: str,
    date: dt.date,
    pages: int | None = None,
    template_name: str | None = None,
) -> CoverNote:
    """The cover note in one language.

    `titles` maps each symbol to its titles by language; `body` is the body's
    abbreviation in the language (SWG / СРГ) and `body_name` its name as the
    sentence needs it. A document with no title in the language is listed
    under its English title, with a warning.
    """
    if language not in LANGUAGES:
        raise RecordError(f"no cover note form for language {language!r}", hint=f"use one of {', '.join(LANGUAGES)}")
    warnings: list[str] = []
    listed: list[ListedDocument] = []
    for entry in meeting.documents:
        known = {**(titles.get(entry.symbol) or {}), **{k: v for k, v in entry.title.items() if v}}
        title = known.get(language)
        if not title:
            title = known.get("en") or next(iter(known.values()), entry.symbol)
            warnings.append(f"{entry.symbol} has no {language} title; the note lists it under {'its English title' if known else 'its symbol'}")
        phrase = entry.phrase.get(language) or (None if own_outcome(entry, meeting) else action_phrase(entry.action, body, language))
        listed.append(ListedDocument(entry.symbol, title, entry.action, phrase))
    lines = [doc.line(language) + ";" for doc in listed]
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    values = {
        "number": number,
        "body_name": body_name,
        "body": body,
        "meeting_dates": format_span(meeting.start, meeting.end, language),
        "documents": "\n\n".join(lines),
        "place": place,
        "date": format_date(date, language),
        "enclosure": enclosure_line(pages, language),
    }
    try:
        text = string.Template(template).substitute(values)
    except KeyError as error:
        raise RecordError(
            f"the cover note template uses an unknown placeholder ${{{error.args[0]}}}",
            file=template_name,
            hint="the placeholders are " + ", ".join(f"${{{name}}}" for name in PLACEHOLDERS),
        ) from None
    except ValueError as error:
        raise RecordError(
            f"the cover note template has a stray '$' ({error})",
            file=template_name,
            hint="write $$ for a literal dollar sign",
        ) from None
    return CoverNote(number, language, meeting.id, date, tuple(listed), text, tuple(warnings))
