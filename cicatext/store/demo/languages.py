"""The sample repository's document in two languages: note SWG/739 in English and Russian, both as the seed has them.

The Secretariat issued the cover note in English and in Russian; the two
notes have the same structure (letterhead, number, compliments, the five
documents, closing, place and date, addressees, enclosure), so their
paragraphs align one to one under the same ids. Both texts are cut from the
seed; nothing is translated here. (The seed's Kazakh note is left out: its
extraction ran the enclosure line and the list into other paragraphs.)
"""

from __future__ import annotations

import re

from cicatext.errors import RecordError
from cicatext.resources import seed_file
from cicatext.store import yamlio
from cicatext.store.files import read_text
from cicatext.store.layout import document_record_path, document_text_path

SLUG = "swg-739"

PARAGRAPH_IDS = (
    "letterhead-en",
    "letterhead-ru",
    "number",
    "compliments",
    "doc1",
    "doc2",
    "doc3",
    "doc4",
    "doc5",
    "closing",
    "place-date",
    "addressees",
    "enclosure",
)
"""The ids of the note's paragraphs, the same in every language."""

RECORD = {
    "symbol": "SWG/739",
    "kind": "note-verbale",
    "title": {"en": "Note No. SWG/739 forwarding the documents of the Special Working Group meeting "
                    "on 13-14 June 2023"},
    "sponsor": "SEC",
    "body": "SWG",
    "languages": ["en", "ru"],
    "date": "2023-06-14",
    "revisions": [{"rev": 0, "symbol": "SWG/739", "date": "2023-06-14",
                   "note": "issued in English and Russian with the documents of the SWG meeting of 13-14 June 2023"}],
}
"""document.yaml of the note."""

_BOUNDS = {
    "en": ("SECRETARIAT OF THE CONFERENCE", "Enclosure: as stated, on 16 p."),
    "ru": ("SECRETARIAT OF THE CONFERENCE", "Приложение: упомянутое, на 16 л."),
}
_BLANK = re.compile(r"\n[ \t]*\n\s*")


def note_paragraphs(seed: str, language: str) -> list[str]:
    """The paragraphs of the note in one language, cut from the seed."""
    start_text, end_text = _BOUNDS[language]
    after = 0
    if language == "ru":
        # The Russian note follows the English one and has the same bilingual letterhead.
        after = seed.index(_BOUNDS["en"][1])
    start = seed.index(start_text, after)
    end = seed.index(end_text, start) + len(end_text)
    paragraphs = [block.strip() for block in _BLANK.split(seed[start:end]) if block.strip()]
    if len(paragraphs) != len(PARAGRAPH_IDS):
        raise RecordError(f"the seed's {language} note SWG/739 has {len(paragraphs)} paragraphs, "
                          f"expected {len(PARAGRAPH_IDS)}", file=str(seed_file()))
    return paragraphs


def sample_translations() -> dict[str, str]:
    """Repository-relative path → text: the note SWG/739 as a document held in English and Russian."""
    seed = read_text(seed_file())
    files = {document_record_path(SLUG): yamlio.dump(RECORD)}
    for language in RECORD["languages"]:
        paragraphs = note_paragraphs(seed, language)
        text = "\n\n".join(f"{{#{pid}}} {body}" for pid, body in zip(PARAGRAPH_IDS, paragraphs)) + "\n"
        files[document_text_path(SLUG, language)] = text
    return files
