"""Drafts written one paragraph per line, with no blank lines: their paragraphs, from numbering and indentation.

Many circulated drafts put each paragraph, sub-paragraph and option on a
line of its own and no blank line anywhere: `1.`, `(a)`, `(i)`, `Option 1:`
and the indentation give the structure. Read by blank lines, such a draft is
a handful of huge paragraphs. `is_line_per_paragraph` tells such a text by
its lines: more lines opening with a paragraph number or a list label inside
blocks than there are blocks. `split_lines` then makes each labelled line a
paragraph, and joins to it the lines that continue it: a line that opens
with no label and is indented deeper than the paragraph's first line, or
opens with a small letter, or follows a long line that ends no sentence
(a line the extract wrapped).
"""

from __future__ import annotations

import re

# A paragraph number, a list label, an option or a heading at the start of a line (after any '[').
LINE_LABEL = re.compile(
    r"\[*(?:\d{1,3}(?:\.\d{1,3})*(?:altern|alt|bis|ter|quater)?\.?(?=\s)"
    r"|\(\s*(?:[a-z]{1,4}|[A-Z]|\d{1,2})\s*\)(?=\s)|[a-z]{1,4}\)(?=\s)"
    r"|Option\s+(?:\d+|[A-Za-z]|\([A-Za-z0-9]+\))\s*:"
    r"|(?:Article|Chapter|Section|Part|Annex|ARTICLE|CHAPTER|SECTION|PART|ANNEX)\s+[0-9IVXLC]+\b"
    r"|[IVXLC]+\.\s|[A-H]\.\s|\{#)"
)
_ENDS_SENTENCE = ".;:,!?"
# What may follow a sentence's end on a line: closing brackets and quotes, footnote digits, attributions.
_TRAILING = re.compile(r"(?:\s*\([^()\n]*\)|[\]\"”’'*\d\s])+$")
_WRAPPED_SHARE = 0.7


def is_line_per_paragraph(blocks: list[str]) -> bool:
    """Whether blank-line blocks are really one paragraph per line: more labelled lines inside them than blocks."""
    inner = 0
    for block in blocks:
        for line in block.split("\n")[1:]:
            if LINE_LABEL.match(line.lstrip()):
                inner += 1
    return inner >= 2 and inner >= len(blocks)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _ends_sentence(line: str) -> bool:
    stripped = _TRAILING.sub("", line.rstrip())
    return not stripped or stripped[-1] in _ENDS_SENTENCE


def _wrap_width(lines: list[str]) -> int:
    """The width the extract wrapped its lines at: the length most long lines reach."""
    lengths = sorted(len(line.rstrip()) for line in lines if len(line.strip()) >= 20)
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]


def split_lines(block: str, line: int, width: int) -> tuple[list[tuple[str, int]], int]:
    """One block's paragraphs, each with its first line, and how many wrapped lines were joined.

    `block` starts at 1-based line `line`; `width` is the text's wrap width
    (`wrap_width` of all its lines).
    """
    pieces: list[tuple[str, int]] = []
    joined = 0
    current: list[str] = []
    first_indent = 0
    for offset, text in enumerate(block.split("\n")):
        stripped = text.strip()
        if current and stripped and not LINE_LABEL.match(stripped) and _continues(current[-1], text, first_indent, width):
            current.append(text.rstrip())
            joined += 1
            continue
        if current:
            pieces.append(("\n".join(current), line + offset - len(current)))
        current = [text.rstrip()] if stripped else []
        first_indent = _indent(text)
    if current:
        pieces.append(("\n".join(current), line + block.count("\n") + 1 - len(current)))
    return pieces, joined


def wrap_width(text: str) -> int:
    """The width a text's lines were wrapped at (0 when it has no long lines)."""
    return _wrap_width(text.split("\n"))


def _continues(previous: str, line: str, first_indent: int, width: int) -> bool:
    """Whether an unlabelled `line` continues the paragraph whose last line is `previous`."""
    if _indent(line) > first_indent:
        return True
    opening = line.lstrip()[:1]
    if opening.islower():
        return True
    return bool(width) and len(previous.rstrip()) >= width * _WRAPPED_SHARE and not _ends_sentence(previous)


def as_blocks(text: str) -> tuple[str, tuple[int, ...]] | None:
    """A text written one paragraph per line, with a blank line put before each paragraph, so the notation reader
    reads its paragraphs; and the offsets (in the returned text) of the line breaks put in. None when the text is
    not written one paragraph per line. Nothing else of the text changes."""
    lines = text.split("\n")
    blocks: list[tuple[str, int]] = []
    start = None
    for number, line in enumerate(lines, 1):
        if line.strip():
            if start is None:
                start = number
        elif start is not None:
            blocks.append(("\n".join(lines[start - 1 : number - 1]), start))
            start = None
    if start is not None:
        blocks.append(("\n".join(lines[start - 1 :]), start))
    if not is_line_per_paragraph([block for block, _ in blocks]):
        return None
    width = wrap_width(text)
    starts: set[int] = set()
    for block, line in blocks:
        pieces, _ = split_lines(block, line, width)
        starts.update(first for _, first in pieces[1:])
    out: list[str] = []
    inserted: list[int] = []
    length = 0
    for number, line in enumerate(lines, 1):
        if number in starts:
            inserted.append(length)
            out.append("")
            length += 1
        out.append(line)
        length += len(line) + 1
    return "\n".join(out), tuple(inserted)
