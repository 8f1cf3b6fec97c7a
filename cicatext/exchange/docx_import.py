"""Reading a Word draft (.docx) into a document: its paragraphs, numbering, italics and bracket notation.

Each non-empty Word paragraph becomes one paragraph of the text. Italic runs
become `*...*`; a paragraph numbered by Word's automatic numbering gets its
number typed in front (`11.`, `1.10`, `a)`), a bulleted one a `- `; typed
numbers are kept as they are. Given the repository's parties, tracked changes
and comments are read as positions (`docx_marks`: an insertion by A is
`[text] (+A)`, a deletion `[text] (-A)`, a comment `US: delete` an attribution
on the text it stands on), with a warning for each one that names no known
party; without them, tracked changes are read as accepted (insertions kept,
deletions left out). Paragraphs in cicatext's own title-block
and legend styles are left out, so a document exported to Word and imported
again keeps exactly its text. The rest is the plain-text import: paragraph ids
from the numbering, the notation checked against the registry, one commit.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cicatext.errors import UsageError
from cicatext.exchange.docx import SKIPPED_STYLES
from cicatext.store.register.create import ImportResult
from cicatext.store.repository import Repository

if TYPE_CHECKING:
    from cicatext.exchange.docx_marks import ReviewWarning
    from cicatext.records.parties import Parties

_SKIPPED_CONTAINERS = ("del", "moveFrom")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True)
class WordParagraph:
    """One paragraph as read from Word."""

    text: str
    """Its text in cicatext's notation (italics as `*...*`, Word's number typed in front)."""
    index: int
    """Its 1-based position among the Word document's paragraphs (counting empty ones)."""
    number: str = ""
    """The number Word's automatic numbering shows in front of it, typed in front of `text` (`4.`); empty for none."""


def _roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def _letters(number: int) -> str:
    # Word repeats the letter past z: aa, bb, ...
    letter = chr(ord("a") + (number - 1) % 26)
    return letter * ((number - 1) // 26 + 1)


def _format_number(number: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(number)
    if fmt == "upperLetter":
        return _letters(number).upper()
    if fmt == "lowerRoman":
        return _roman(number)
    if fmt == "upperRoman":
        return _roman(number).upper()
    return str(number)


class _Numbering:
    """Word's automatic numbering: the list definitions and the counters as the paragraphs go by."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, dict]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels: dict[int, dict] = {}
            for level in abstract.findall(qn("w:lvl")):
                levels[int(level.get(qn("w:ilvl"), "0"))] = {
                    "start": int(self._value(level, "w:start") or 1),
                    "format": self._value(level, "w:numFmt") or "decimal",
                    "text": self._value(level, "w:lvlText") if level.find(qn("w:lvlText")) is not None else None,
                }
            self.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            abstract_id = self._value(num, "w:abstractNumId")
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = self._value(override, "w:startOverride")
                if start is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self.nums[num.get(qn("w:numId"))] = (abstract_id, overrides)

    def _value(self, element, tag: str) -> str | None:
        child = element.find(self.qn(tag))
        return None if child is None else child.get(self.qn("w:val"))

    def label(self, num_id: str, ilvl: int) -> str | None:
        """The number Word shows in front of the next paragraph of this list at this level ('' for none)."""
        if num_id not in self.nums:
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started and overrides:
            # A list instance with a start override restarts its numbering.
            for at, start in overrides.items():
                counters[at] = start - 1
            self.started.add(num_id)
        counters[ilvl] = counters.get(ilvl, level["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level["format"] == "bullet":
            return "-"
        if level["format"] == "none":
            return ""
        template = level["text"] if level["text"] is not None else f"%{ilvl + 1}."

        def number(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            shown = levels.get(at, {"start": 1, "format": "decimal"})
            value = counters.get(at, shown["start"])
            return _format_number(value, shown["format"])

        return re.sub(r"%(\d)", number, template).strip()


def _num_pr(paragraph, qn):
    """The (numId, ilvl) of a paragraph's numbering, set directly or by its style."""
    p_pr = paragraph._p.pPr
    candidates = []
    if p_pr is not None and p_pr.find(qn("w:numPr")) is not None:
        candidates.append(p_pr.find(qn("w:numPr")))
    style = paragraph.style
    seen = 0
    while style is not None and seen < 10:
        style_p_pr = style.element.find(qn("w:pPr"))
        if style_p_pr is not None and style_p_pr.find(qn("w:numPr")) is not None:
            candidates.append(style_p_pr.find(qn("w:numPr")))
        style = style.base_style
        seen += 1
    num_id = ilvl = None
    for num_pr in candidates:
        found_id = num_pr.find(qn("w:numId"))
        found_level = num_pr.find(qn("w:ilvl"))
        if num_id is None and found_id is not None:
            num_id = found_id.get(qn("w:val"))
        if ilvl is None and found_level is not None:
            ilvl = int(found_level.get(qn("w:val")))
    if num_id is None or num_id == "0":
        return None
    return num_id, ilvl or 0


def _runs_text(paragraph, qn) -> str:
    from docx.text.run import Run

    pieces: list[tuple[str, bool]] = []
    for element in paragraph._p.iter(qn("w:r")):
        ancestor = element.getparent()
        skipped = False
        while ancestor is not None and ancestor is not paragraph._p:
            if ancestor.tag in {qn(f"w:{name}") for name in _SKIPPED_CONTAINERS}:
                skipped = True
                break
            ancestor = ancestor.getparent()
        if skipped:
            continue
        run = Run(element, paragraph)
        text = run.text
        if not text:
            continue
        italic = bool(run.italic) or bool(run.style is not None and run.style.font.italic and run.italic is not False)
        if pieces and pieces[-1][1] == italic:
            pieces[-1] = (pieces[-1][0] + text, italic)
        else:
            pieces.append((text, italic))
    out = []
    for text, italic in pieces:
        if italic and text.strip() and "*" not in text:
            # Keep the white space outside the stars: `*Recognizing* the`, not `*Recognizing *the`.
            core = text.strip()
            start = text.index(core)
            out.append(f"{text[:start]}*{core}*{text[start + len(core):]}")
        else:
            out.append(text)
    return "".join(out).replace("\r", "\n").replace("\u00a0", " ")


def open_word(path: str | Path):
    """The python-docx Document of a .docx file; UsageError when it is not a Word file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    source = Path(path)
    if not source.exists():
        raise UsageError(f"{path}: no such file")
    if source.is_dir():
        raise UsageError(f"{path} is a folder, not a Word file")
    hint = "give a Word document saved as .docx (Word 2007 or later); save a .doc or .rtf file as .docx first"
    if not zipfile.is_zipfile(source):
        raise UsageError(f"{path} is not a Word file (.docx)", hint=hint)
    try:
        return docx.Document(str(source))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise UsageError(f"{path} is not a Word file (.docx): {error}", hint=hint) from None
    except Exception as error:  # lxml's syntax errors and the like from a damaged package
        raise UsageError(f"{path} cannot be read as a Word file: {error}", hint=hint) from None


@dataclass(frozen=True)
class WordImportResult(ImportResult):
    """What importing a Word file wrote, with the tracked changes and comments it could not read."""

    review: tuple[ReviewWarning, ...] = ()


def read_paragraphs(path: str | Path, marked: dict[int, str] | None = None) -> list[WordParagraph]:
    """The text paragraphs of a Word file, in order, in cicatext's notation.

    `marked` gives the text of paragraphs (by index) whose tracked changes and
    comments were written as notation; the others are read as they stand.
    """
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = open_word(path)
    numbering = _Numbering(document)
    found: list[WordParagraph] = []
    body = document.element.body
    for index, element in enumerate(body.iter(qn("w:p")), 1):
        paragraph = Paragraph(element, document._body)
        try:
            style_name = paragraph.style.name if paragraph.style is not None else ""
        except (KeyError, ValueError):
            style_name = ""
        if style_name in SKIPPED_STYLES:
            continue
        text = marked[index] if marked and index in marked else _runs_text(paragraph, qn)
        numbered = _num_pr(paragraph, qn)
        label = numbering.label(*numbered) if numbered else None
        if not text.strip():
            continue
        text = text.strip()
        number = ""
        if label and not text.startswith(label):
            text = f"{label} {text}"
            number = label
        found.append(WordParagraph(text, index, number))
    return found


def review_text(path: str | Path, parties: Parties | None) -> tuple[str, tuple[ReviewWarning, ...]]:
    """A Word file's text as a plain-text draft, its tracked changes and comments as positions of `parties`.

    Without `parties`, tracked changes are read as accepted and comments left
    out (as cicatext's own exports, which carry none, need).
    """
    marked: dict[int, str] = {}
    warnings: tuple = ()
    if parties is not None:
        from cicatext.exchange.docx_marks import review_notation
        from cicatext.exchange.docx_review import read_review

        marked, warnings = review_notation(read_review(path), parties, str(path))
    paragraphs = read_paragraphs(path, marked)
    if not paragraphs:
        raise UsageError(f"{path} holds no paragraphs", hint="give a Word document with the draft's text in it")
    return "\n\n".join(p.text for p in paragraphs) + "\n", warnings


def revision_review(path: str | Path) -> tuple[ReviewWarning, ...]:
    """For a revised text, read with its changes accepted: a warning that says what that left out, if anything."""
    from cicatext.exchange.docx_marks import ReviewWarning
    from cicatext.exchange.docx_review import read_review

    review = read_review(path)
    changes, comments = review.changes(), len(review.comments)
    if not changes and not comments:
        return ()
    return (ReviewWarning(str(path), 0, f"the file holds {changes} tracked change(s) and {comments} comment(s); "
                                        "a revised text is read with its changes accepted and its comments left "
                                        "out (import it as a new document to read them as positions)"),)


def docx_text(path: str | Path) -> str:
    """A Word file's text as a plain-text draft: paragraphs separated by blank lines, tracked changes accepted."""
    return review_text(path, None)[0]


def import_docx(repo: Repository, path: str | Path, **options) -> WordImportResult:
    """Turn a Word draft into a document and commit it; takes the keywords of `import_text` (symbol, title, ...).

    Tracked changes and comments become attributions of the repository's
    parties; what cannot be mapped is in the result's `review` warnings. As
    for a plain text, notation errors are recorded as known problems of the revision.
    """
    from dataclasses import fields

    from cicatext.store.register.create import import_text

    text, warnings = review_text(path, repo.parties)
    options.setdefault("source", str(path))
    result = import_text(repo, text, **options)
    return WordImportResult(**{f.name: getattr(result, f.name) for f in fields(result)}, review=warnings)
