"""The cover note: on the sample records it reproduces the seed's note SWG/739 in English and Russian."""

from __future__ import annotations

import re
from datetime import date

import pytest

from cicatext.errors import RecordError
from cicatext.records.cover_note import default_template, format_date, format_span, render
from cicatext.records.meetings import Meeting, MeetingDocument

from .conftest import DOCUMENTS

MEETING = Meeting(
    "swg-2023-06", "SWG", date(2023, 6, 13), date(2023, 6, 14), place={"en": "Astana", "ru": "Астана"}, mode="hybrid",
    documents=(
        MeetingDocument("SWG/2023-II/INF/2", "adopted", title={"en": "Recommendations of the SWG", "ru": "Рекомендации СРГ"}),
        MeetingDocument("MC/2023/CHAIR/1/Rev.1", "agreed"),
        MeetingDocument("MC/2023/DRAFT/3/Rev.1", "agreed"),
        MeetingDocument("MC/2023/DRAFT/4", "considered"),
        MeetingDocument("MC/2023/DRAFT/5", "considered"),
    ),
)
TITLES = {record["revisions"][-1]["symbol"]: record["title"] for record in DOCUMENTS.values()}
BODY = {"en": ("SWG", "Special Working Group (SWG)"), "ru": ("СРГ", "Специальной рабочей группы (СРГ)")}
PLACE = {"en": "Astana", "ru": "Астана"}


def note(language: str, meeting: Meeting = MEETING, titles=TITLES, template: str | None = None):
    body, body_name = BODY[language]
    return render(template or default_template(language), language=language, number="SWG/739", meeting=meeting, titles=titles,
                  body=body, body_name=body_name, place=PLACE[language], date=date(2023, 6, 14), pages=16)


def seed_note(seed: str, language: str) -> str:
    """The seed's note in one language, from its heading to the enclosure line."""
    english_end = seed.index("Enclosure: as stated, on 16 p.") + len("Enclosure: as stated, on 16 p.")
    if language == "en":
        return seed[seed.index("SECRETARIAT OF THE CONFERENCE"):english_end]
    start = seed.index("SECRETARIAT OF THE CONFERENCE", english_end)
    return seed[start:seed.index("Приложение: упомянутое, на 16 л.") + len("Приложение: упомянутое, на 16 л.")]


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_note_reproduces_the_seed_word_for_word(seed_text, language):
    """Apart from line spacing, the rendered note is the seed's note SWG/739."""
    assert words(note(language).text) == words(seed_note(seed_text, language))


def test_english_note_lists_each_document_with_what_the_swg_did():
    """Title, symbol and action, one line each; the SWG's own recommendations take no phrase; the last line ends with a full stop."""
    rendered = note("en")
    assert [d.line("en") for d in rendered.documents] == [
        "- Recommendations of the SWG (SWG/2023-II/INF/2)",
        "- Draft Road Map for CICA Transformation (MC/2023/CHAIR/1/Rev.1) as agreed by the SWG",
        "- Draft decision of the CICA Ministerial Council on a Road Map for CICA Transformation (MC/2023/DRAFT/3/Rev.1) as agreed by the SWG",
        "- Draft decision of the CICA Ministerial Council on Modalities of CBM Implementation (MC/2023/DRAFT/4) as considered by the SWG",
        "- Draft statement of the CICA Ministerial Council on Promoting Volunteerism for Sustainable Development (MC/2023/DRAFT/5) as considered by the SWG",
    ]
    assert "(MC/2023/DRAFT/4) as considered by the SWG;\n" in rendered.text
    assert "(MC/2023/DRAFT/5) as considered by the SWG.\n" in rendered.text
    for phrase in ("No. SWG/739", "presents its compliments to the CICA Member States",
                   "Special Working Group (SWG) meeting on 13-14 June 2023", "Astana, 14 June 2023",
                   "MEMBER STATES OF THE CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA"):
        assert phrase in rendered.text
    assert rendered.warnings == ()


def test_russian_note_uses_the_russian_abbreviation_and_titles():
    """«согласованный СРГ», «рассмотренный СРГ», Russian titles and dates."""
    rendered = note("ru")
    assert "- Проект Дорожной карты трансформации СВМДА (MC/2023/CHAIR/1/Rev.1), согласованный СРГ;" in rendered.text
    assert "- Проект решения Совета министров СВМДА о модальностях реализации мер доверия (MC/2023/DRAFT/4), рассмотренный СРГ;" in rendered.text
    assert "- Рекомендации СРГ (SWG/2023-II/INF/2);" in rendered.text
    for phrase in ("№ SWG/739", "свидетельствует свое уважение", "13-14 июня 2023 года", "Астана, 14 июня 2023 г.",
                   "ГОСУДАРСТВА-ЧЛЕНЫ СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ", "Приложение: упомянутое, на 16 л."):
        assert phrase in rendered.text


def test_missing_russian_title_falls_back_to_english_with_a_warning():
    """A document without a Russian title is listed under its English one, and the note says so."""
    titles = dict(TITLES)
    titles["MC/2023/DRAFT/4"] = {"en": "Draft decision on Modalities"}
    rendered = note("ru", titles=titles)
    assert "- Draft decision on Modalities (MC/2023/DRAFT/4), рассмотренный СРГ;" in rendered.text
    assert rendered.warnings == ("MC/2023/DRAFT/4 has no ru title; the note lists it under its English title",)


def test_phrase_override_in_the_meeting_record():
    """A document whose wording differs carries its own phrase."""
    meeting = Meeting("m", "SWG", date(2023, 6, 13), date(2023, 6, 14),
                      documents=(MeetingDocument("MC/2023/DRAFT/4", "considered", phrase={"en": "as considered by the SWG at first reading"}),))
    assert "(MC/2023/DRAFT/4) as considered by the SWG at first reading." in note("en", meeting).text


def test_edited_template_is_used():
    """Staff edit the template; the placeholders fill in."""
    rendered = note("en", template="Note ${number}: ${documents}\n${place}, ${date}\n")
    assert rendered.text.startswith("Note SWG/739: - Recommendations of the SWG (SWG/2023-II/INF/2);")
    assert rendered.text.endswith("Astana, 14 June 2023\n")


def test_unknown_placeholder_is_a_record_error():
    """A misspelt placeholder names itself and lists the known ones."""
    with pytest.raises(RecordError) as caught:
        note("en", template="No. ${numbr}\n")
    assert "${numbr}" in caught.value.message
    assert "${number}" in caught.value.hint


@pytest.mark.parametrize(
    ("start", "end", "language", "expected"),
    [
        (date(2023, 6, 13), date(2023, 6, 14), "en", "13-14 June 2023"),
        (date(2023, 6, 13), date(2023, 6, 14), "ru", "13-14 июня 2023 года"),
        (date(2023, 6, 14), date(2023, 6, 14), "en", "14 June 2023"),
        (date(2023, 5, 30), date(2023, 6, 2), "en", "30 May - 2 June 2023"),
        (date(2023, 12, 30), date(2024, 1, 2), "ru", "30 декабря 2023 - 2 января 2024 года"),
    ],
)
def test_meeting_dates_in_words(start, end, language, expected):
    """Meeting dates name the month and year once where they are shared."""
    assert format_span(start, end, language) == expected


def test_note_date_in_words():
    """'14 June 2023' and '14 июня 2023 г.'."""
    assert format_date(date(2023, 6, 14), "en") == "14 June 2023"
    assert format_date(date(2023, 6, 14), "ru") == "14 июня 2023 г."
