"""Turning a plain-text draft into paragraphs with stable ids, as `cicatext import` does.

Numbered paragraphs take their id from their number (`11.` → `op11`,
`11altern.` → `op11altern`, `1.10` → `1.10`); chapter headings become `ch1`;
unnumbered paragraphs before the first numbered one are preambular (`pp1`,
`pp2`, ...) and those after it are section text (`s1`, ...). A numbered
paragraph that extraction ran onto the end of the previous one is split off,
with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLANK = re.compile(r"\n[ \t]*\n\s*")
_LABEL = re.compile(r"^\[?(?P<number>\d+(?:\.\d+)*)(?P<suffix>altern|alt|bis|ter|quater)?(?P<dot>\.?)(?=\s)")
_CHAPTER = re.compile(r"^Chapter\s+(?P<number>\d+)\b", re.IGNORECASE)
# A number standing after the end of a sentence or of a bracket, inside a block.
_RUN_ON = re.compile(
    r"(?<=[.;:\])])[ \t]+(?=(?P<label>\[?(?P<number>\d+(?:\.\d+)*)(?:altern|alt|bis|ter|quater)?\.?)\s+[\[\"“*A-Z])"
)


@dataclass(frozen=True)
class ImportedParagraph:
    """One paragraph of an imported draft."""

    id: str
    """The stable id given to it."""
    text: str
    """Its text, with inner line breaks kept."""


@dataclass(frozen=True)
class ImportWarning:
    """Something the importer changed or doubted, with the 1-based line of the input."""

    line: int
    message: str


def _next_numbers(number: str) -> set[str]:
    parts = number.split(".")
    following = {".".join(parts[:-1] + [str(int(parts[-1]) + 1)])}
    if len(parts) == 1:
        following.add(f"{int(parts[0]) + 1}")
    else:
        following.add(f"{int(parts[0]) + 1}.1")
    return following


def _label_of(block: str) -> str | None:
    match = _LABEL.match(block)
    return match["number"] if match else None


def _split_run_ons(block: str, line: int) -> tuple[list[tuple[str, int]], list[ImportWarning]]:
    pieces: list[tuple[str, int]] = []
    warnings: list[ImportWarning] = []
    current = _label_of(block)
    start = 0
    if current is not None:
        for match in _RUN_ON.finditer(block):
            if match["number"] not in _next_numbers(current):
                continue
            head = block[start : match.start()]
            pieces.append((head, line + block.count("\n", 0, start)))
            cut_line = line + block.count("\n", 0, match.end())
            warnings.append(
                ImportWarning(
                    cut_line,
                    f"paragraph {match['label']} was run onto the previous paragraph; split it into its own",
                )
            )
            start = match.end()
            current = match["number"]
    pieces.append((block[start:], line + block.count("\n", 0, start)))
    return pieces, warnings


def split_paragraphs(text: str) -> tuple[list[ImportedParagraph], list[ImportWarning]]:
    """Split a plain draft into paragraphs with ids; return them and the warnings."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[tuple[str, int]] = []
    position = 0
    for match in _BLANK.finditer(text):
        blocks.append((text[position : match.start()], position))
        position = match.end()
    blocks.append((text[position:], position))

    warnings: list[ImportWarning] = []
    pieces: list[tuple[str, int]] = []
    for block, offset in blocks:
        stripped = block.strip()
        if not stripped:
            continue
        line = text.count("\n", 0, offset + (len(block) - len(block.lstrip()))) + 1
        split, found = _split_run_ons(stripped, line)
        pieces.extend(split)
        warnings.extend(found)

    paragraphs: list[ImportedParagraph] = []
    seen: dict[str, int] = {}
    preambular = sections = 0
    numbered_yet = False
    for piece, line in pieces:
        piece = piece.strip()
        match = _LABEL.match(piece)
        chapter = _CHAPTER.match(piece)
        if chapter:
            numbered_yet = True
            base = f"ch{chapter['number']}"
        elif match:
            numbered_yet = True
            number, suffix = match["number"], match["suffix"] or ""
            base = number + suffix if "." in number else f"op{number}{suffix}"
        elif not numbered_yet:
            preambular += 1
            base = f"pp{preambular}"
        else:
            sections += 1
            base = f"s{sections}"
        identifier = base
        if base in seen:
            seen[base] += 1
            identifier = f"{base}-{seen[base]}"
            warnings.append(ImportWarning(line, f"paragraph id {base} occurs twice; the second is {identifier}"))
        else:
            seen[base] = 1
        paragraphs.append(ImportedParagraph(identifier, piece))
    return paragraphs, warnings


def render_with_ids(paragraphs: list[ImportedParagraph]) -> str:
    """The document text file: each paragraph with its `{#id}` marker, blank lines between, final newline."""
    return "\n\n".join(f"{{#{p.id}}} {p.text}" for p in paragraphs) + "\n"
