"""A Word redline of one document between two git revisions (two rounds, a tag and a branch, two commits).

The whole text of the later revision is shown, paragraph by paragraph as
aligned by id, with the changes marked the way Word users read them on paper:
inserted words underlined (blue), deleted words struck through (red). A
paragraph that is new is underlined whole, one that was removed is struck
through whole, in the place it had. The notation is compared as written, so a
bracket lifted or an attribution added shows as a change of its own.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from cicatext.exchange.docx import (
    BODY_STYLES,
    LEGEND_STYLE,
    TITLE_STYLES,
    new_document,
    save,
)
from cicatext.exchange.source import emphasis, is_chapter, is_preambular
from cicatext.notation.tree import Draft, Paragraph
from cicatext.store.register.texts import text_at
from cicatext.store.repository import Repository

INSERT_COLOUR = "0B4F9C"
MOVE_COLOUR = "6A4C93"
DELETE_COLOUR = "B3261E"
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Redline:
    """A redline and what it found."""

    data: bytes
    """The Word file."""
    symbol_a: str
    """The document's symbol at the first revision."""
    symbol_b: str
    """The document's symbol at the second revision."""
    changed: int
    """Paragraphs in both revisions whose text differs."""
    inserted: int
    """Paragraphs only in the second revision."""
    deleted: int
    """Paragraphs only in the first revision."""
    moved: int = 0
    """Paragraphs that stand elsewhere in the second revision (paired by content)."""

    def summary(self) -> str:
        """One line for people."""
        if not (self.changed or self.inserted or self.deleted or self.moved):
            return f"no change from {self.symbol_a} to {self.symbol_b}"
        moved = f", {self.moved} moved" if self.moved else ""
        return (f"{self.symbol_a} → {self.symbol_b}: {self.changed} paragraph(s) changed, "
                f"{self.inserted} inserted, {self.deleted} deleted{moved}")


def _tokens(paragraph: Paragraph) -> list[tuple[str, bool]]:
    from cicatext.notation.render import render

    tokens = []
    for piece, italic in emphasis(render(paragraph.content)):
        tokens.extend((token, italic) for token in _TOKEN.findall(piece))
    return tokens


def align(first: Draft, second: Draft) -> list[tuple[Paragraph | None, Paragraph | None, str | None]]:
    """Pairs of paragraphs in the second draft's order, removed ones where they stood in the first, with where a
    moved paragraph stood before (the paragraph it followed; None when it did not move).

    Paragraphs pair by id when the two drafts' ids correspond, else by content
    (`cicatext.notation.alignment`), so a renumbered or moved paragraph is
    compared with itself.
    """
    from cicatext.notation.alignment import align as by_content
    from cicatext.notation.alignment import moved_ids
    from cicatext.notation.paired_diff import ids_correspond

    earlier = {p.id: p for p in first.paragraphs}
    later = {p.id: p for p in second.paragraphs}
    if not ids_correspond(first, second):
        written = all(p.marker for p in first.paragraphs) and all(p.marker for p in second.paragraphs)
        old_index = {p.id: index for index, p in enumerate(first.paragraphs)}
        pairs: list[tuple[Paragraph | None, Paragraph | None, str | None]] = []
        for link in by_content(first, second, trust_ids=written).links:
            before = earlier.get(link.old) if link.old else None
            stood = None
            if link.moved and link.old is not None:
                index = old_index[link.old]
                stood = first.paragraphs[index - 1].id if index else ""
            pairs.append((before, later.get(link.new) if link.new else None, stood))
        return pairs
    # Each removed paragraph follows the nearest paragraph before it that is still there.
    after: dict[str | None, list[Paragraph]] = {}
    anchor: str | None = None
    for paragraph in first.paragraphs:
        if paragraph.id in later:
            anchor = paragraph.id
        else:
            after.setdefault(anchor, []).append(paragraph)
    moved = moved_ids(first, second)
    pairs = [(p, None, None) for p in after.get(None, [])]
    for paragraph in second.paragraphs:
        pairs.append((earlier.get(paragraph.id), paragraph, moved.get(paragraph.id)))
        pairs.extend((p, None, None) for p in after.get(paragraph.id, []))
    return pairs


def _style(paragraph: Paragraph) -> str:
    if is_preambular(paragraph):
        return BODY_STYLES["preamble"]
    if is_chapter(paragraph):
        return BODY_STYLES["chapter"]
    return BODY_STYLES["operative"]


def _write(out, tokens: list[tuple[str, bool]], mark: str | None) -> None:
    if not tokens:
        return
    # Consecutive tokens of one kind and slant make one run.
    groups: list[tuple[str, bool]] = []
    for text, italic in tokens:
        if groups and groups[-1][1] == italic:
            groups[-1] = (groups[-1][0] + text, italic)
        else:
            groups.append((text, italic))
    for text, italic in groups:
        run = out.add_run(text)
        if italic:
            run.italic = True
        if mark == "insert":
            run.underline = True
            run.font.color.rgb = _rgb(INSERT_COLOUR)
        elif mark == "delete":
            run.font.strike = True
            run.font.color.rgb = _rgb(DELETE_COLOUR)


def _rgb(colour: str):
    from docx.shared import RGBColor

    return RGBColor.from_string(colour)


def _read(repo: Repository, path: str, revision: str, record: dict | None = None) -> Draft:
    """The text at a revision; its known problems (recorded when it was imported) are no error."""
    from cicatext.store.layout import text_language
    from cicatext.store.negotiation.checks import read_draft

    return read_draft(text_at(repo, path, revision), codes=repo.codes, file=f"{revision}:{path}", record=record,
                      language=text_language(path))


def _record_at(repo: Repository, entry, revision: str) -> dict:
    """The document's record as it stood at a revision (the current one when it cannot be read there)."""
    from cicatext.errors import CicatextError
    from cicatext.store import yamlio

    try:
        record = yamlio.load(text_at(repo, entry.record_path, revision), file=entry.record_path, bounds=repo.limits)
    except CicatextError:
        return entry.record
    return record if isinstance(record, dict) else entry.record


def _symbol_at(repo: Repository, entry, revision: str) -> str:
    from cicatext.store.repository import DocumentEntry

    return DocumentEntry(entry.slug, _record_at(repo, entry, revision)).current_symbol


def redline(repo: Repository, reference: str, first: str, second: str, *, language: str | None = None) -> Redline:
    """The Word redline of a document from revision `first` to revision `second`."""
    from cicatext.exchange.source import format_date

    entry = repo.document(reference)
    language = language or (entry.languages[0] if entry.languages else "en")
    path = entry.text_path(language)
    draft_a = _read(repo, path, first, _record_at(repo, entry, first))
    draft_b = _read(repo, path, second, _record_at(repo, entry, second))
    symbol_a, symbol_b = _symbol_at(repo, entry, first), _symbol_at(repo, entry, second)

    out = new_document()
    out.core_properties.title = f"Changes to {symbol_b}"
    out.core_properties.subject = symbol_b
    out.core_properties.author = "cicatext"
    out.add_paragraph(entry.title(language) or symbol_b, style=TITLE_STYLES["heading"])
    out.add_paragraph(f"Changes from {symbol_a} ({first}) to {symbol_b} ({second})", style=TITLE_STYLES["subtitle"])
    dated = _record_at(repo, entry, second).get("date")
    if dated:
        out.add_paragraph(format_date(str(dated), language), style=TITLE_STYLES["date"])
    legend = out.add_paragraph(style=LEGEND_STYLE)
    legend.add_run("Inserted text is ")
    _write(legend, [("underlined", False)], "insert")
    legend.add_run("; deleted text is ")
    _write(legend, [("struck through", False)], "delete")
    legend.add_run(".")

    changed = inserted = deleted = moved = 0
    for before, after, stood in align(draft_a, draft_b):
        shown = after or before
        paragraph = out.add_paragraph(style=_style(shown))
        if stood is not None:
            # A moved paragraph is shown once, where it stands now, with where it stood.
            moved += 1
            note = paragraph.add_run(f"[moved from after {stood}] " if stood else "[moved from the start] ")
            note.italic = True
            note.font.color.rgb = _rgb(MOVE_COLOUR)
        if before is None:
            inserted += 1
            _write(paragraph, _tokens(after), "insert")
            continue
        if after is None:
            deleted += 1
            _write(paragraph, _tokens(before), "delete")
            continue
        old, new = _tokens(before), _tokens(after)
        if old == new:
            _write(paragraph, new, None)
            continue
        changed += 1
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                _write(paragraph, new[b1:b2], None)
            else:
                _write(paragraph, old[a1:a2], "delete")
                _write(paragraph, new[b1:b2], "insert")
    return Redline(save(out), symbol_a, symbol_b, changed, inserted, deleted, moved)
