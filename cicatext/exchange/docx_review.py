"""Reading a Word file's review: its tracked changes and comments, paragraph by paragraph, as runs with offsets.

A delegation's Word file says what it wants with Word's own review tools:
tracked insertions (`w:ins`) and deletions (`w:del`), moves (`w:moveTo`,
`w:moveFrom`, read as an insertion and a deletion), a deletion inside another
author's insertion, and comments (`word/comments.xml`) anchored to a stretch
of text by `w:commentRangeStart` and `w:commentRangeEnd`. `read_review` gives
each body paragraph (numbered as `docx_import` numbers them: 1-based among the
body's `w:p`, empty ones counted) as `ReviewRun`s: a piece of text, where it
starts in the paragraph's full text (deleted text included), who inserted
and who deleted it, and whether it is italic; and each comment with its
author, its text and the paragraph and offsets of its anchor.

It reads the package's XML with lxml directly rather than through
python-docx's objects, so that a file with thousands of changes reads in a
fraction of a second (`bench/bench_word_review.py`).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cicatext.errors import UsageError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
"""The WordprocessingML namespace."""
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_OFFICE_DOCUMENT_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_HINT = "give a Word document saved as .docx (Word 2007 or later); save a .doc or .rtf file as .docx first"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_P, _R = _w("p"), _w("r")
_INS, _DEL, _MOVE_TO, _MOVE_FROM = _w("ins"), _w("del"), _w("moveTo"), _w("moveFrom")
_RANGE_START, _RANGE_END = _w("commentRangeStart"), _w("commentRangeEnd")
_AUTHOR, _DATE, _ID, _VAL = _w("author"), _w("date"), _w("id"), _w("val")
_TEXT_TAGS = {_w("t"): None, _w("delText"): None, _w("tab"): "\t", _w("br"): "\n", _w("cr"): "\n",
              _w("noBreakHyphen"): "-", _w("ptab"): "\t"}
_OFF = {"0", "false", "off", "none"}


@dataclass(frozen=True)
class Change:
    """One tracked change: who made it, when, and whether it is half of a move."""

    author: str
    """The author as Word recorded it (`w:author`): a name, a code, anything."""
    date: str | None = None
    """When, as Word wrote it (ISO 8601), if it did."""
    moved: bool = False
    """True for `w:moveTo` / `w:moveFrom`: the text was moved rather than typed or deleted."""


@dataclass(frozen=True)
class ReviewRun:
    """A piece of a paragraph's text with one set of tracked changes."""

    text: str
    start: int
    """Where it starts in the paragraph's full text (deleted text included)."""
    inserted: Change | None = None
    """The tracked insertion it is part of."""
    deleted: Change | None = None
    """The tracked deletion it is part of (text may be inserted by one author and deleted by another)."""
    italic: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class WordComment:
    """One comment, with the stretch of text it is anchored to."""

    id: str
    author: str
    text: str
    """Its text, paragraphs joined by a space."""
    date: str | None = None
    paragraph: int | None = None
    """The paragraph (index) its anchor starts in; None for a comment anchored to no text."""
    start: int | None = None
    """The anchor's start in that paragraph's full text."""
    end_paragraph: int | None = None
    """The paragraph its anchor ends in (another one for a comment across paragraphs)."""
    end: int | None = None
    """The anchor's end in that paragraph's full text."""

    @property
    def anchored(self) -> bool:
        """True when the comment stands on text in one paragraph."""
        return self.paragraph is not None and self.paragraph == self.end_paragraph


@dataclass(frozen=True)
class ReviewParagraph:
    """One body paragraph as runs, with the comments whose anchors start in it."""

    index: int
    """1-based position among the body's paragraphs, empty ones counted (as `docx_import` counts)."""
    runs: tuple[ReviewRun, ...]
    style: str | None = None
    """The paragraph style's id (`w:pStyle`), if any."""
    comments: tuple[str, ...] = ()
    """The ids of the comments anchored in it."""

    @property
    def text(self) -> str:
        """The full text: inserted and deleted text alike."""
        return "".join(run.text for run in self.runs)

    @property
    def accepted(self) -> str:
        """The text with every change accepted."""
        return "".join(run.text for run in self.runs if run.deleted is None)

    @property
    def original(self) -> str:
        """The text with every change rejected."""
        return "".join(run.text for run in self.runs if run.inserted is None)

    @property
    def changed(self) -> bool:
        """True when some of its text is a tracked change."""
        return any(run.inserted or run.deleted for run in self.runs)


@dataclass(frozen=True)
class WordReview:
    """A Word file's paragraphs, tracked changes and comments."""

    paragraphs: tuple[ReviewParagraph, ...]
    comments: dict[str, WordComment] = field(default_factory=dict)
    """Every comment of comments.xml, by id, anchored or not."""

    def paragraph(self, index: int) -> ReviewParagraph | None:
        return self._by_index.get(index)

    @property
    def _by_index(self) -> dict[int, ReviewParagraph]:
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {p.index: p for p in self.paragraphs}
            object.__setattr__(self, "_index", cached)
        return cached

    def changes(self) -> int:
        """How many tracked insertions and deletions (runs of one change counted once per run group)."""
        seen = set()
        for paragraph in self.paragraphs:
            for run in paragraph.runs:
                for change in (run.inserted, run.deleted):
                    if change is not None:
                        seen.add(id(change))
        return len(seen)

    def marked(self) -> tuple[ReviewParagraph, ...]:
        """The paragraphs holding a tracked change or the anchor of a comment."""
        return tuple(p for p in self.paragraphs if p.changed or p.comments)


def _parse(data: bytes, name: str, path: str | Path):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise UsageError(f"{path} cannot be read as a Word file: {name} is damaged ({error})", hint=_HINT) from None


def _main_part(archive: zipfile.ZipFile, path: str | Path) -> str:
    """The name of the main document part, from the package's relationships."""
    try:
        rels = archive.read("_rels/.rels")
    except KeyError:
        rels = None
    if rels is not None:
        for rel in _parse(rels, "_rels/.rels", path):
            if rel.get("Type") == _OFFICE_DOCUMENT_TYPE:
                return rel.get("Target", "").lstrip("/")
    if "word/document.xml" in archive.namelist():
        return "word/document.xml"
    raise UsageError(f"{path} is not a Word file (.docx): it holds no document part", hint=_HINT)


def _comments_part(archive: zipfile.ZipFile, main: str, path: str | Path) -> str | None:
    folder = PurePosixPath(main).parent
    rels_name = str(folder / "_rels" / (PurePosixPath(main).name + ".rels"))
    try:
        rels = archive.read(rels_name)
    except KeyError:
        return None
    for rel in _parse(rels, rels_name, path):
        if rel.get("Type") == _COMMENTS_TYPE and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else str(folder / target)
    return None


def _run_text(run) -> str:
    pieces = []
    for child in run:
        tag = child.tag
        if tag in _TEXT_TAGS:
            fixed = _TEXT_TAGS[tag]
            pieces.append(child.text or "" if fixed is None else fixed)
    return "".join(pieces).replace("\r", "\n").replace("\u00a0", " ")


def _italic(run) -> bool:
    properties = run.find(_w("rPr"))
    if properties is None:
        return False
    italic = properties.find(_w("i"))
    return italic is not None and (italic.get(_VAL) or "1").lower() not in _OFF


def _comment_text(comment) -> str:
    paragraphs = []
    for paragraph in comment.iter(_P):
        paragraphs.append("".join(_run_text(run) for run in paragraph.iter(_R)))
    return " ".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _read_paragraph(element, index: int, changes: dict, anchors: dict) -> ReviewParagraph:
    runs: list[ReviewRun] = []
    at = 0
    comment_ids: list[str] = []
    for node in element.iter(_R, _RANGE_START, _RANGE_END):
        tag = node.tag
        if tag == _RANGE_START:
            anchors.setdefault(node.get(_ID), {})["start"] = (index, at)
            comment_ids.append(node.get(_ID))
            continue
        if tag == _RANGE_END:
            anchors.setdefault(node.get(_ID), {})["end"] = (index, at)
            continue
        text = _run_text(node)
        if not text:
            continue
        inserted = deleted = None
        parent = node.getparent()
        while parent is not None and parent is not element:
            parent_tag = parent.tag
            if parent_tag in (_INS, _MOVE_TO) and inserted is None:
                inserted = _change(parent, changes, parent_tag == _MOVE_TO)
            elif parent_tag in (_DEL, _MOVE_FROM) and deleted is None:
                deleted = _change(parent, changes, parent_tag == _MOVE_FROM)
            parent = parent.getparent()
        runs.append(ReviewRun(text, at, inserted, deleted, _italic(node)))
        at += len(text)
    style = None
    properties = element.find(_w("pPr"))
    if properties is not None:
        style_element = properties.find(_w("pStyle"))
        if style_element is not None:
            style = style_element.get(_VAL)
    return ReviewParagraph(index, tuple(runs), style, tuple(comment_ids))


def _change(element, changes: dict, moved: bool) -> Change:
    # One Change per w:ins / w:del element, so the runs of one change share it.
    key = id(element)
    found = changes.get(key)
    if found is None:
        found = changes[key] = (element, Change(element.get(_AUTHOR) or "", element.get(_DATE), moved))
    return found[1]


def read_review(path: str | Path) -> WordReview:
    """The paragraphs, tracked changes and comments of a Word file; UsageError when it is not one."""
    source = Path(path)
    if not source.exists():
        raise UsageError(f"{path}: no such file")
    if source.is_dir():
        raise UsageError(f"{path} is a folder, not a Word file")
    if not zipfile.is_zipfile(source):
        raise UsageError(f"{path} is not a Word file (.docx)", hint=_HINT)
    try:
        with zipfile.ZipFile(source) as archive:
            main = _main_part(archive, path)
            try:
                document = _parse(archive.read(main), main, path)
            except KeyError:
                raise UsageError(f"{path} is not a Word file (.docx): it holds no {main}", hint=_HINT) from None
            comments_name = _comments_part(archive, main, path)
            comments_root = None
            if comments_name is not None:
                try:
                    comments_root = _parse(archive.read(comments_name), comments_name, path)
                except KeyError:
                    comments_root = None
    except (zipfile.BadZipFile, OSError, RuntimeError) as error:
        raise UsageError(f"{path} cannot be read as a Word file: {error}", hint=_HINT) from None
    body = document.find(_w("body"))
    if body is None:
        raise UsageError(f"{path} is not a Word file (.docx): its document has no body", hint=_HINT)
    changes: dict = {}
    anchors: dict[str, dict] = {}
    paragraphs = tuple(_read_paragraph(element, index, changes, anchors)
                       for index, element in enumerate(body.iter(_P), 1))
    comments: dict[str, WordComment] = {}
    if comments_root is not None:
        for element in comments_root.iter(_w("comment")):
            comment_id = element.get(_ID)
            anchor = anchors.get(comment_id, {})
            start, end = anchor.get("start"), anchor.get("end")
            comments[comment_id] = WordComment(
                comment_id, element.get(_AUTHOR) or "", _comment_text(element), element.get(_DATE),
                start[0] if start else None, start[1] if start else None,
                end[0] if end else None, end[1] if end else None)
    return WordReview(paragraphs, comments)


__all__ = ["Change", "ReviewParagraph", "ReviewRun", "W", "WordComment", "WordReview", "read_review"]
