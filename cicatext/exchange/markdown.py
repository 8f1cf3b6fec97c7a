"""Markdown export: the title block as headings, paragraphs with their own numbers, attributions in bold.

Square brackets are escaped so that no renderer reads them as links;
paragraph numbers are escaped so that no renderer renumbers them as a list;
`*Recognizing*` is already Markdown emphasis and stays as it is.
"""

from __future__ import annotations

import re

from cicatext.exchange.source import ExportDocument, STANCE_WORDS, title_block, walk
from cicatext.notation.tree import Paragraph, Stance

# A paragraph starting like an ordered list item (`11.`), a bullet, a heading or a quote.
_BLOCK_START = re.compile(r"^(\d+)\.(?=\s)|^([-+*#>])(?=\s)")
_SPECIAL = re.compile(r"([\\\[\]<`_])")


def _escape(text: str) -> str:
    # `*` is left alone: it is the notation's emphasis, and Markdown's.
    return _SPECIAL.sub(r"\\\1", text)


def _paragraph(paragraph: Paragraph) -> str:
    parts: list[str] = []
    for event, node, _depth in walk(paragraph.content):
        if event == "text":
            parts.append(_escape(node.text))
        elif event == "open":
            parts.append("" if node.continued else "\\[")
        elif event == "close":
            parts.append(("\\]" if node.closed else "") + _escape(node.trailer))
        else:
            parts.append(f"{node.lead}**{_escape(node.source())}**")
    text = "".join(parts)
    start = _BLOCK_START.match(text)
    if start:
        text = f"{start.group(1)}\\.{text[start.end():]}" if start.group(1) else "\\" + text
    # A single line break inside a paragraph is kept as a hard break.
    return text.replace("\n", "  \n")


def to_markdown(document: ExportDocument) -> str:
    """The document as Markdown text."""
    blocks: list[str] = []
    for line in title_block(document):
        if line.role == "heading":
            blocks.append(f"# {_escape(line.text)}")
        elif line.role == "subtitle":
            blocks.append(f"## {_escape(line.text)}")
        elif line.role == "symbol":
            blocks.append(f"**{_escape(line.text)}**")
        else:
            blocks.append(_escape(line.text))
    blocks.extend(_paragraph(p) for p in document.paragraphs)
    codes = document.codes
    if codes and not document.clean:
        legend = ["---", "", "*Legend:* \\[text\\] is not agreed; "
                  + "; ".join(f"**({sign}CODE)** {STANCE_WORDS[stance].rstrip(':')} CODE"
                              for sign, stance in (("+", Stance.PROPOSE), ("-", Stance.OBJECT)))
                  + "; **(CODE tcb)** CODE will come back to it."]
        named = [f"{code}: {document.names[code]}" for code in codes if code in document.names]
        if named:
            legend.append("")
            legend.append("*Delegations:* " + "; ".join(_escape(n) for n in named) + ".")
        blocks.append("\n".join(legend))
    return "\n\n".join(blocks) + "\n"
