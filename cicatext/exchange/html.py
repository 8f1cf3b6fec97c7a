"""HTML export: one standalone page (styles inline, no scripts, nothing fetched) to read in a browser and print.

Every bracket is a `<span class="bracket">` holding its `[`, its text and its
`]`, nested as the brackets nest; each attribution is a bold `<b
class="attribution propose|object|reserve">` with the delegation's name in its
title. A legend explains the colours. Every piece of text is escaped.
"""

from __future__ import annotations

from html import escape

from cicatext.exchange.source import (
    STANCE_CLASSES,
    STANCE_COLOURS,
    STANCE_WORDS,
    ExportDocument,
    attribution_title,
    emphasis,
    is_chapter,
    is_preambular,
    title_block,
    walk,
)
from cicatext.notation.tree import Paragraph, Stance

_STYLE = """
:root { --propose: #%(propose)s; --object: #%(object)s; --reserve: #%(reserve)s; }
body { font-family: "Times New Roman", Times, serif; font-size: 12pt; line-height: 1.45;
       max-width: 44em; margin: 2em auto; padding: 0 1em; color: #111; background: #fff; }
header { margin-bottom: 2em; }
header p { margin: 0.2em 0; }
.organisation { text-align: center; font-weight: bold; }
.sponsor { text-align: center; font-style: italic; }
.symbol, .date { text-align: right; }
.symbol { font-weight: bold; }
h1 { font-size: 1.15em; text-align: center; margin: 1.2em 0 0.2em; }
.subtitle { text-align: center; font-weight: bold; margin: 0 0 1.5em; }
main p { text-align: justify; margin: 0 0 0.8em; }
main p.preambular { text-indent: 2em; }
main p.chapter { font-weight: bold; text-align: center; margin-top: 1.4em; }
.bracket { background: rgba(255, 213, 79, 0.18); border-radius: 2px; }
.bracket .bracket { background: rgba(255, 152, 0, 0.16); }
.bracket .bracket .bracket { background: rgba(121, 85, 72, 0.14); }
.mark { font-weight: bold; color: #555; }
.attribution { font-weight: bold; white-space: nowrap; }
.attribution.propose { color: var(--propose); }
.attribution.object { color: var(--object); }
.attribution.reserve { color: var(--reserve); }
aside.legend { margin-top: 2.5em; border-top: 1px solid #999; padding-top: 0.6em; font-size: 0.9em; }
aside.legend ul { list-style: none; padding: 0; margin: 0.3em 0; }
aside.legend li { margin: 0.15em 0; }
@media print {
  body { margin: 0; max-width: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  aside.legend { break-inside: avoid; }
}
""" % {"propose": STANCE_COLOURS[Stance.PROPOSE], "object": STANCE_COLOURS[Stance.OBJECT],
       "reserve": STANCE_COLOURS[Stance.RESERVE]}


def _text(text: str) -> str:
    out = []
    for piece, italic in emphasis(text):
        piece = escape(piece, quote=False).replace("\n", "<br>\n")
        out.append(f"<i>{piece}</i>" if italic else piece)
    return "".join(out)


def _paragraph(paragraph: Paragraph, document: ExportDocument) -> str:
    parts: list[str] = []
    for event, node, _depth in walk(paragraph.content):
        if event == "text":
            parts.append(_text(node.text))
        elif event == "open":
            kind = "bracket options" if node.is_options else "bracket"
            opening = "" if node.continued else '<span class="mark">[</span>'
            parts.append(f'<span class="{kind}">{opening}')
        elif event == "close":
            closing = '<span class="mark">]</span>' if node.closed else ""
            parts.append(f"{closing}{escape(node.trailer, quote=False)}</span>")
        else:
            css = STANCE_CLASSES[node.stance]
            title = escape(attribution_title(node, document.names))
            parts.append(f'{escape(node.lead, quote=False)}<b class="attribution {css}" title="{title}">'
                         f"{escape(node.source(), quote=False)}</b>")
    classes = ["paragraph"]
    if is_preambular(paragraph):
        classes.append("preambular")
    elif is_chapter(paragraph):
        classes.append("chapter")
    return f'<p id="{escape(paragraph.id)}" class="{" ".join(classes)}">{"".join(parts)}</p>'


def _legend(document: ExportDocument) -> str:
    items = ['<li><span class="bracket"><span class="mark">[</span>text<span class="mark">]</span></span>'
             " not agreed (brackets may nest; a bracket holding only bracketed alternatives offers options)</li>"]
    for sign, stance in (("+", Stance.PROPOSE), ("-", Stance.OBJECT)):
        items.append(f'<li><b class="attribution {STANCE_CLASSES[stance]}">({sign}CODE)</b> '
                     f"{STANCE_WORDS[stance]} the delegation CODE</li>")
    items.append(f'<li><b class="attribution {STANCE_CLASSES[Stance.RESERVE]}">(CODE tcb)</b> '
                 "the delegation CODE will come back to it</li>")
    named = [f"<b>{escape(code)}</b> {escape(document.names[code])}" for code in document.codes
             if code in document.names]
    delegations = f"<p>Delegations: {'; '.join(named)}.</p>" if named else ""
    return f'<aside class="legend"><p><b>Legend</b></p><ul>{"".join(items)}</ul>{delegations}</aside>'


def to_html(document: ExportDocument) -> str:
    """The document as one standalone HTML page."""
    header: list[str] = []
    for line in title_block(document):
        text = escape(line.text, quote=False)
        if line.role == "heading":
            header.append(f"<h1>{text}</h1>")
        else:
            header.append(f'<p class="{line.role}">{text}</p>')
    body = "\n".join(_paragraph(p, document) for p in document.paragraphs)
    legend = _legend(document) if document.codes and not document.clean else ""
    state = " (agreed text only)" if document.clean else ""
    title = escape(f"{document.symbol} — {document.title}{state}" if document.title else document.symbol)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(document.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="cicatext">\n<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n'
        f'<body>\n<article class="document" data-symbol="{escape(document.symbol)}">\n'
        f'<header>\n{chr(10).join(header)}\n</header>\n<main>\n{body}\n</main>\n{legend}\n</article>\n</body>\n</html>\n'
    )
