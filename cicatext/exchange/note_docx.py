"""A cover note as a Word file: `cicatext note MEETING -o NOTE.docx`, one note per language, each on its pages."""

from __future__ import annotations

from cicatext.exchange.docx import new_document, save


def cover_notes_docx(notes) -> bytes:
    """The notes (`CoverNote`s, each with its text) as one Word file: a page per language, a paragraph per block
    of the text, its lines kept as line breaks."""
    out = new_document()
    out.core_properties.author = "cicatext"
    for index, note in enumerate(notes):
        if index:
            out.add_page_break()
        for block in note.text.rstrip("\n").split("\n\n"):
            paragraph = out.add_paragraph()
            for number, line in enumerate(block.split("\n")):
                run = paragraph.add_run(line)
                if number < block.count("\n"):
                    run.add_break()
    return save(out)
