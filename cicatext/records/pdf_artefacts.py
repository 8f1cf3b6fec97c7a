"""What a PDF extract leaves in a draft: page headers and footers, page numbers, footnote marks, split words.

A text copied out of a PDF repeats the page's header and footer on every
page (the symbol, a job number such as `GE.15-01234`, `Page 3`, a page number
on a line of its own), keeps footnote marks as digits right after a `]` or a
word (`]12`, `Parties3`), and hyphenates words across line ends
(`nego-` / `tiation`). `find_artefacts` reports them with the line where each
stands; the text is the official text and is kept as it came. `repair_pdf` is
what an explicit request does: it removes the repeated header and footer lines
and the page numbers, and joins the hyphenated words, reporting each repair;
footnote marks are only ever reported, since only a reader can tell a mark
from a number.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

# A line of a header or a footer is short, holds a digit and neither a bracket nor a sentence's end.
_LONGEST_HEADER = 60
_REPEATS = 3
_DIGITS = re.compile(r"\d+")
_LONE_NUMBER = re.compile(r"\d{1,4}")
# What opens a paragraph or a heading, never a header line however often it comes back.
_OPENING = re.compile(
    r"\[*(?:\d{1,3}(?:\.\d{1,3})*[a-z]*\.?\s|\(\w{1,4}\)|\w{1,4}\)|Option\b|"
    r"(?:Article|Chapter|Section|Part|Annex|Appendix|Decision|Rule)\b|[IVXLC]+\.\s)",
    re.IGNORECASE,
)
_FOOTNOTE = re.compile(r"(?:\]|(?<=[a-z]{3}))(\d{1,3})(?=[\s.,;:)]|$)", re.MULTILINE)
_HYPHENATED = re.compile(r"([A-Za-z]{2,})-\n([^\S\n]*)([a-z]{2,})")
_COMPOUND = re.compile(r"[A-Za-z]+-[A-Za-z]+")


@dataclass(frozen=True)
class Artefact:
    """One trace of a PDF extract in a text, at a 1-based line of it."""

    line: int
    """The line where it stands (for a hyphenated word, the line of its first half)."""
    kind: str
    """`page-header` (a header or footer line), `page-number`, `footnote` or `hyphenation`."""
    text: str
    """What was found: the line, the mark, or the word's two halves."""
    message: str
    """What it is, said for the person importing the text."""


def _header_lines(lines: list[str]) -> dict[int, tuple[str, int]]:
    """The 0-based indexes of header, footer and page-number lines, each with its kind and how often its form occurs."""
    keys: list[str | None] = []
    for line in lines:
        stripped = line.strip()
        if (not stripped or len(stripped) > _LONGEST_HEADER or not any(c.isdigit() for c in stripped)
                or "[" in stripped or "]" in stripped or stripped[-1] in ".,;:" or _OPENING.match(stripped)
                and not _LONE_NUMBER.fullmatch(stripped)):
            keys.append(None)
        else:
            keys.append(_DIGITS.sub("#", stripped))
    counts = Counter(key for key in keys if key is not None)
    found: dict[int, tuple[str, int]] = {}
    for index, key in enumerate(keys):
        if key is not None and counts[key] >= _REPEATS:
            found[index] = ("page-number" if key == "#" else "page-header", counts[key])
    return found


def _compounds(text: str) -> frozenset[str]:
    """The hyphenated words the text writes on one line, in lower case."""
    return frozenset(word.lower() for word in _COMPOUND.findall(text))


def _hyphen_join(compounds: frozenset[str], match: re.Match) -> str:
    """The word the two halves make: with its hyphen when the text writes it so elsewhere."""
    left, right = match.group(1), match.group(3)
    hyphenated = f"{left}-{right}"
    return hyphenated if hyphenated.lower() in compounds else left + right


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


def find_artefacts(text: str) -> list[Artefact]:
    """The traces of a PDF extract in `text` (line breaks as `\\n`), in the order of the text."""
    lines = text.split("\n")
    starts = _line_starts(text)
    compounds = _compounds(text)
    found: list[Artefact] = []
    for index, (kind, times) in _header_lines(lines).items():
        stripped = lines[index].strip()
        if kind == "page-number":
            message = (f"'{stripped}' on a line of its own looks like a page number of a PDF; it is kept: "
                       "remove it, or import with --repair-pdf")
        else:
            message = (f"'{stripped}' looks like a page header or footer of a PDF (its form comes back {times} "
                       "times); it is kept: remove it, or import with --repair-pdf")
        found.append(Artefact(index + 1, kind, stripped, message))
    for match in _FOOTNOTE.finditer(text):
        line = bisect_right(starts, match.start())
        before = "']'" if text[match.start()] == "]" else "a word"
        found.append(Artefact(line, "footnote", match.group(1),
                              f"'{match.group(1)}' right after {before} looks like a footnote mark of a PDF; "
                              "it is kept as text: remove it if it is one"))
    for match in _HYPHENATED.finditer(text):
        line = bisect_right(starts, match.start())
        found.append(Artefact(line, "hyphenation", f"{match.group(1)}-/{match.group(3)}",
                              f"'{match.group(1)}-' and '{match.group(3)}' look like one word hyphenated across "
                              f"lines by a PDF ('{_hyphen_join(compounds, match)}'); it is kept: join it, or import "
                              "with --repair-pdf"))
    found.sort(key=lambda artefact: artefact.line)
    return found


def repair_pdf(text: str) -> tuple[str, list[Artefact], list[int]]:
    """`text` without its page headers, footers and page numbers, with its hyphenated words joined.

    Returns the repaired text, one `Artefact` per repair (at its line in
    `text`, its message saying what was done) and, for each line of the
    repaired text, the 1-based line of `text` it comes from.
    """
    lines = text.split("\n")
    headers = _header_lines(lines)
    repairs: list[Artefact] = []
    kept: list[str] = []
    origin: list[int] = []
    for index, line in enumerate(lines):
        if index in headers:
            kind, _ = headers[index]
            what = "page number" if kind == "page-number" else "page header or footer"
            repairs.append(Artefact(index + 1, kind, line.strip(), f"removed the {what} '{line.strip()}'"))
            continue
        kept.append(line)
        origin.append(index + 1)
    text = "\n".join(kept)
    starts = _line_starts(text)
    compounds = _compounds(text)
    pieces: list[str] = []
    lines_out = list(origin)
    position = 0
    dropped = 0
    for match in _HYPHENATED.finditer(text):
        word = _hyphen_join(compounds, match)
        line = bisect_right(starts, match.start()) - 1
        rest = match.end()
        while rest < len(text) and text[rest] in ",.;:":
            rest += 1
        tail = rest
        while tail < len(text) and text[tail] in " \t":
            tail += 1
        pieces.append(text[position : match.start()])
        if tail >= len(text) or text[tail] == "\n":
            # The second half was all its line held: the two lines become one.
            pieces.append(word + text[match.end() : rest])
            position = tail
            del lines_out[line + 1 - dropped]
            dropped += 1
        else:
            pieces.append(word + text[match.end() : rest] + "\n" + match.group(2))
            position = tail
        repairs.append(Artefact(origin[line], "hyphenation", f"{match.group(1)}-/{match.group(3)}",
                                f"joined '{match.group(1)}-' and '{match.group(3)}' into '{word}'"))
    pieces.append(text[position:])
    repairs.sort(key=lambda artefact: artefact.line)
    return "".join(pieces), repairs, lines_out
