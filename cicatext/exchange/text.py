"""Plain-text export: the title block, then the paragraphs as written (notation kept, id markers dropped)."""

from __future__ import annotations

from cicatext.exchange.source import ExportDocument, title_block
from cicatext.notation.render import render


def to_text(document: ExportDocument) -> str:
    """The document as plain UTF-8 text, paragraphs separated by blank lines."""
    blocks: list[str] = []
    lines = title_block(document)
    for index, line in enumerate(lines):
        joined_to_previous = line.role == "date" and index and lines[index - 1].role == "symbol"
        if joined_to_previous:
            blocks[-1] += "\n" + line.text
        else:
            blocks.append(line.text)
    blocks.extend(render(paragraph.content) for paragraph in document.paragraphs)
    return "\n\n".join(blocks) + "\n"
