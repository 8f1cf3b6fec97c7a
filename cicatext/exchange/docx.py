"""Word export (python-docx) in the layout of the seed's documents.

The title block (organisation, sponsor line, symbol and date on the right, the
heading centred and bold) sits in paragraphs of cicatext's own `CICA ...`
styles, which the Word importer knows to skip, so a document exported and
imported again keeps exactly its text. Preambular verbs (`*Recognizing*`) are
italic; numbered paragraphs keep their own numbers as typed text. Bracketed
text is coloured by depth with its `[` `]` in bold, attributions are bold and
coloured by stance, and a legend closes the document. `--clean` documents have
neither brackets nor legend.
"""

from __future__ import annotations

import io

from cicatext.exchange.source import (
    STANCE_COLOURS,
    STANCE_WORDS,
    ExportDocument,
    emphasis,
    is_chapter,
    is_preambular,
    title_block,
    walk,
)
from cicatext.notation.tree import Stance

TITLE_STYLES = {
    "organisation": "CICA Organisation",
    "sponsor": "CICA Sponsor",
    "symbol": "CICA Symbol",
    "date": "CICA Date",
    "heading": "CICA Heading",
    "subtitle": "CICA Subtitle",
}
"""The paragraph style of each title-block line."""
LEGEND_STYLE = "CICA Legend"
"""The style of the legend at the end."""
SKIPPED_STYLES = frozenset(TITLE_STYLES.values()) | {LEGEND_STYLE}
"""Paragraph styles the Word importer leaves out: they are cicatext's layout, not the document's text."""
BODY_STYLES = {"preamble": "CICA Preamble", "operative": "CICA Paragraph", "chapter": "CICA Chapter"}
"""The paragraph style of each kind of text paragraph."""

BRACKET_COLOURS = ("1F4E79", "6A1B9A", "7B3F00")
"""The colour of bracketed text at depth 1, 2, 3 and deeper."""
FONT = "Times New Roman"


def _rgb(hex_colour: str):
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_colour)


def _setup_styles(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    fonts = normal.element.rPr.rFonts
    for attribute in ("w:eastAsia", "w:cs"):
        fonts.set(_qn(attribute), FONT)

    def add(name: str, *, align=None, bold=False, italic=False, size=None, before=0, after=6,
            first_line=None, caps=False):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        if align is not None:
            style.paragraph_format.alignment = align
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        if first_line is not None:
            style.paragraph_format.first_line_indent = first_line
        style.font.bold = bold or None
        style.font.italic = italic or None
        style.font.all_caps = caps or None
        if size:
            style.font.size = Pt(size)
        return style

    centre, right, justify = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY
    add(TITLE_STYLES["organisation"], align=centre, bold=True, after=6)
    add(TITLE_STYLES["sponsor"], align=centre, italic=True, after=18)
    add(TITLE_STYLES["symbol"], align=right, bold=True, after=0)
    add(TITLE_STYLES["date"], align=right, after=18)
    add(TITLE_STYLES["heading"], align=centre, bold=True, before=12, after=6)
    add(TITLE_STYLES["subtitle"], align=centre, bold=True, after=18)
    add(LEGEND_STYLE, size=9, before=18, after=2)
    add(BODY_STYLES["preamble"], align=justify, first_line=Cm(1.25), after=8)
    add(BODY_STYLES["operative"], align=justify, after=8)
    add(BODY_STYLES["chapter"], align=centre, bold=True, before=12, after=8)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _run(paragraph, text: str, *, italic=False, bold=False, colour: str | None = None, underline=False,
         strike=False):
    run = paragraph.add_run(text)
    if italic:
        run.italic = True
    if bold:
        run.bold = True
    if underline:
        run.underline = True
    if strike:
        run.font.strike = True
    if colour:
        run.font.color.rgb = _rgb(colour)
    return run


def _colour_at(depth: int) -> str | None:
    return BRACKET_COLOURS[min(depth, len(BRACKET_COLOURS)) - 1] if depth else None


def _write_paragraph(out, paragraph) -> None:
    for event, node, depth in walk(paragraph.content):
        colour = _colour_at(depth)
        if event == "text":
            for piece, italic in emphasis(node.text):
                _run(out, piece, italic=italic, colour=colour)
        elif event == "open":
            if not node.continued:
                _run(out, "[", bold=True, colour=colour)
        elif event == "close":
            if node.closed:
                _run(out, "]", bold=True, colour=colour)
            if node.trailer:
                _run(out, node.trailer, colour=colour)
        else:
            if node.lead:
                _run(out, node.lead, colour=colour)
            _run(out, node.source(), bold=True, colour=STANCE_COLOURS[node.stance])


def _legend(out, document: ExportDocument) -> None:
    legend = out.add_paragraph(style=LEGEND_STYLE)
    _run(legend, "Legend: ", bold=True)
    _run(legend, "[", bold=True, colour=BRACKET_COLOURS[0])
    _run(legend, "text", colour=BRACKET_COLOURS[0])
    _run(legend, "]", bold=True, colour=BRACKET_COLOURS[0])
    _run(legend, " not agreed; ")
    for sign, stance in (("+", Stance.PROPOSE), ("-", Stance.OBJECT)):
        _run(legend, f"({sign}CODE)", bold=True, colour=STANCE_COLOURS[stance])
        _run(legend, f" {STANCE_WORDS[stance]} CODE; ")
    _run(legend, "(CODE tcb)", bold=True, colour=STANCE_COLOURS[Stance.RESERVE])
    _run(legend, " CODE will come back to it.")
    named = [f"{code} {document.names[code]}" for code in document.codes if code in document.names]
    if named:
        delegations = out.add_paragraph(style=LEGEND_STYLE)
        delegations.paragraph_format.space_before = 0
        _run(delegations, "Delegations: ", bold=True)
        _run(delegations, "; ".join(named) + ".")


def new_document():
    """An empty Word document with cicatext's styles and A4 margins."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    _setup_styles(document)
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.0)
    return document


def title_paragraphs(out, document: ExportDocument) -> None:
    """Write the title block in its own styles."""
    for line in title_block(document):
        out.add_paragraph(line.text, style=TITLE_STYLES[line.role])


def body_style(paragraph) -> str:
    """The paragraph style of a text paragraph: preamble, chapter heading or operative paragraph."""
    if is_preambular(paragraph):
        return BODY_STYLES["preamble"]
    if is_chapter(paragraph):
        return BODY_STYLES["chapter"]
    return BODY_STYLES["operative"]


def save(document) -> bytes:
    """The Word file's bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def described(document: ExportDocument, keywords: str):
    """A new Word document with the export's title, symbol, language and `keywords` in its properties."""
    out = new_document()
    properties = out.core_properties
    properties.title = document.title or document.symbol
    properties.subject = document.symbol
    properties.identifier = document.symbol
    properties.language = document.language
    properties.author = "cicatext"
    properties.keywords = keywords
    return out


def to_docx(document: ExportDocument) -> bytes:
    """The document as a Word (.docx) file."""
    out = described(document, "agreed text" if document.clean else "bracketed text")
    title_paragraphs(out, document)
    for paragraph in document.paragraphs:
        _write_paragraph(out.add_paragraph(style=body_style(paragraph)), paragraph)
    if document.codes and not document.clean:
        _legend(out, document)
    return save(out)
