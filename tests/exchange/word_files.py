"""Word files with tracked changes and comments, written for the tests with python-docx and the Office XML."""

from __future__ import annotations

import itertools

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

DATE = "2026-03-02T10:00:00Z"


class Piece:
    """A stretch of a paragraph: plain, inserted by an author, deleted by one, or both."""

    def __init__(self, text: str, *, ins: str | None = None, dele: str | None = None, move: bool = False,
                 italic: bool = False) -> None:
        self.text, self.ins, self.dele, self.move, self.italic = text, ins, dele, move, italic


def ins(author: str, text: str, **options) -> Piece:
    return Piece(text, ins=author, **options)


def dele(author: str, text: str, **options) -> Piece:
    return Piece(text, dele=author, **options)


class Comment:
    """A comment by `author` saying `text`, anchored to `pieces`."""

    def __init__(self, author: str, text: str, *pieces) -> None:
        self.author, self.text, self.pieces = author, text, pieces


_ids = itertools.count(100)


def _change(tag: str, author: str) -> OxmlElement:
    element = OxmlElement(tag)
    element.set(qn("w:id"), str(next(_ids)))
    element.set(qn("w:author"), author)
    element.set(qn("w:date"), DATE)
    return element


def _append_piece(document, paragraph, piece) -> None:
    if isinstance(piece, str):
        piece = Piece(piece)
    if isinstance(piece, Comment):
        comment = document.comments.add_comment(text=piece.text, author=piece.author, initials=piece.author[:3])
        start = OxmlElement("w:commentRangeStart")
        start.set(qn("w:id"), str(comment.comment_id))
        paragraph._p.append(start)
        for inner in piece.pieces:
            _append_piece(document, paragraph, inner)
        end = OxmlElement("w:commentRangeEnd")
        end.set(qn("w:id"), str(comment.comment_id))
        paragraph._p.append(end)
        reference = OxmlElement("w:r")
        mark = OxmlElement("w:commentReference")
        mark.set(qn("w:id"), str(comment.comment_id))
        reference.append(mark)
        paragraph._p.append(reference)
        return
    run = paragraph.add_run(piece.text)
    if piece.italic:
        run.italic = True
    element = run._r
    if piece.dele is not None:
        for text in element.findall(qn("w:t")):
            text.tag = qn("w:delText")
        wrapper = _change("w:moveFrom" if piece.move else "w:del", piece.dele)
        element.addprevious(wrapper)
        wrapper.append(element)
        element = wrapper
    if piece.ins is not None:
        wrapper = _change("w:moveTo" if piece.move else "w:ins", piece.ins)
        element.addprevious(wrapper)
        wrapper.append(element)


def word_file(path, *paragraphs, style: str | None = None):
    """Write a .docx of `paragraphs`, each a sequence of str, Piece and Comment; returns the path."""
    document = docx.Document()
    for pieces in paragraphs:
        paragraph = document.add_paragraph(style=style)
        for piece in ([pieces] if isinstance(pieces, (str, Piece, Comment)) else pieces):
            _append_piece(document, paragraph, piece)
    document.save(path)
    return path
