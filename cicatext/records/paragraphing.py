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
from dataclasses import dataclass, replace

from cicatext.records import line_paragraphs, pdf_artefacts

# A blank line: nothing on it but spaces, tabs or no-break spaces (and what Python counts as space).
_BLANK = re.compile(r"\n[^\S\n]*\n\s*")
_LABEL = re.compile(r"^\[?(?P<number>\d+(?:\.\d+)*)(?P<suffix>altern|alt|bis|ter|quater)?(?P<dot>\.?)(?=\s)")
_CHAPTER = re.compile(r"^Chapter\s+(?P<number>\d+)\b", re.IGNORECASE)
_ARTICLE = re.compile(r"^\[*Article\s+(?P<number>\d+)\b", re.IGNORECASE)
# A list label or an option opening a paragraph: `(a)`, `a)`, `(iv)`, `(A)`, `(2)`, `Option 1:`, `Option (b):`.
_SUBLABEL = re.compile(
    r"^\[*(?:\(\s*(?P<label>[a-z]{1,4}|[A-Z]|\d{1,2})\s*\)|(?P<label2>[a-z]{1,4})\))(?=\s)"
    r"|^\[*Option\s+\(?(?P<option>\d+|[A-Za-z])\)?\s*:"
)
_ROMAN = re.compile(r"[ivxlc]+")
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


def _blocks(text: str) -> list[tuple[str, int]]:
    """The blocks between blank lines (a line of spaces or no-break spaces is blank), each from its first
    non-blank line with that line's indentation, and that line's 1-based number."""
    blocks: list[tuple[str, int]] = []
    position = 0
    line, counted = 1, 0  # the line of offset `counted`
    for match in [*_BLANK.finditer(text), None]:
        end = match.start() if match else len(text)
        block = text[position:end]
        if block.strip():
            first = position + len(block) - len(block.lstrip())
            start = max(position, text.rfind("\n", position, first) + 1)
            line += text.count("\n", counted, start)
            counted = start
            blocks.append((text[start:end].rstrip(), line))
        if match:
            position = match.end()
    return blocks


def split_paragraphs(text: str, *, repair_pdf: bool = False) -> tuple[list[ImportedParagraph], list[ImportWarning]]:
    """Split a plain draft into paragraphs with ids; return them and the warnings.

    A leading byte-order mark is no part of the text. A draft written one
    paragraph per line is split by its lines (`line_paragraphs`), with a
    warning that says so; traces of a PDF extract are reported
    (`pdf_artefacts`), and with `repair_pdf` its page headers, footers and
    numbers are removed and its hyphenated words joined, each repair reported.
    Lines in warnings are lines of `text`.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    origin: list[int] | None = None
    if repair_pdf:
        text, artefacts, origin = pdf_artefacts.repair_pdf(text)
        repairs = [ImportWarning(a.line, a.message) for a in artefacts]
        artefacts = [a for a in pdf_artefacts.find_artefacts(text) if a.kind == "footnote"]
    else:
        repairs = []
        artefacts = pdf_artefacts.find_artefacts(text)
    warnings: list[ImportWarning] = [ImportWarning(a.line, a.message) for a in artefacts]
    blocks = _blocks(text)
    if line_paragraphs.is_line_per_paragraph([block for block, _ in blocks]):
        width = line_paragraphs.wrap_width(text)
        lines: list[tuple[str, int]] = []
        joined = 0
        for block, line in blocks:
            found, wrapped = line_paragraphs.split_lines(block, line, width)
            lines.extend(found)
            joined += wrapped
        wrapped_note = f", joining {joined} wrapped line{'s' if joined != 1 else ''} to the line above" if joined else ""
        warnings.append(ImportWarning(
            blocks[0][1],
            f"the text has one paragraph per line: each line that opens with a number, a list label or an "
            f"option was read as a paragraph ({len(lines)} paragraphs){wrapped_note}; check the paragraph ids",
        ))
        blocks = lines

    pieces: list[tuple[str, int]] = []
    for block, line in blocks:
        split, found = _split_run_ons(block.strip(), line)
        pieces.extend(split)
        warnings.extend(found)
    paragraphs = _with_ids(pieces, warnings)
    if origin is not None:
        warnings = [replace(w, line=origin[w.line - 1]) if w.line <= len(origin) else w for w in warnings]
    warnings = repairs + warnings
    warnings.sort(key=lambda warning: warning.line)
    return paragraphs, warnings


def _sub_kind(label: str, stack: list[tuple[str, str, str]]) -> str:
    """The kind of a lower-case list label: `letter` or `roman` (`(i)` after `(h)` is a letter)."""
    if not _ROMAN.fullmatch(label):
        return "letter"
    if len(label) == 1:
        previous = chr(ord(label) - 1)
        if any(kind == "letter" and seen == previous for kind, seen, _ in stack):
            return "letter"
    return "roman"


def _with_ids(pieces: list[tuple[str, int]], warnings: list[ImportWarning]) -> list[ImportedParagraph]:
    """The paragraphs with their ids; a second use of an id is suffixed, with a warning."""
    paragraphs: list[ImportedParagraph] = []
    seen: dict[str, int] = {}
    preambular = sections = 0
    numbered_yet = False
    parent: str | None = None
    article: str | None = None
    stack: list[tuple[str, str, str]] = []  # open list levels: kind, label, id
    for piece, line in pieces:
        piece = piece.strip()
        match = _LABEL.match(piece)
        chapter = _CHAPTER.match(piece)
        heading = _ARTICLE.match(piece)
        sub = _SUBLABEL.match(piece)
        if sub:
            if sub["option"]:
                kind, label, short = "option", sub["option"], f"opt{sub['option']}"
            else:
                label = sub["label"] or sub["label2"]
                kind = "digit" if label.isdigit() else "upper" if label.isupper() else _sub_kind(label, stack)
                short = label
            kinds = [k for k, _, _ in stack]
            if kind in kinds:
                del stack[kinds.index(kind):]
            above = stack[-1][2] if stack else parent
            base = f"{above}.{short}" if above else short
            stack.append((kind, label, base))
        else:
            stack = []
            if chapter:
                numbered_yet = True
                article = None
                base = f"ch{chapter['number']}"
            elif heading:
                numbered_yet = True
                article = f"art{heading['number']}"
                base = article
            elif match:
                numbered_yet = True
                number, suffix = match["number"], match["suffix"] or ""
                if article and "." not in number:
                    base = f"{article}.{number}{suffix}"
                else:
                    base = number + suffix if "." in number else f"op{number}{suffix}"
            elif not numbered_yet:
                preambular += 1
                base = f"pp{preambular}"
            else:
                sections += 1
                base = f"s{sections}"
            parent = base
        identifier = base
        if base in seen:
            seen[base] += 1
            identifier = f"{base}-{seen[base]}"
            warnings.append(ImportWarning(line, f"paragraph id {base} occurs twice; the second is {identifier}"))
        else:
            seen[base] = 1
        if sub:
            stack[-1] = (stack[-1][0], stack[-1][1], identifier)
        else:
            parent = identifier
        paragraphs.append(ImportedParagraph(identifier, piece))
    return paragraphs


def render_with_ids(paragraphs: list[ImportedParagraph]) -> str:
    """The document text file: each paragraph with its `{#id}` marker, blank lines between, final newline."""
    return "\n\n".join(f"{{#{p.id}}} {p.text}" for p in paragraphs) + "\n"
