"""Word export with the delegations' positions as Word's own tracked changes and comments, for capitals.

`export SYMBOL --format docx --track-changes` writes the compiled text with
no bracket marks where Word can say the same: a bracket's first proposer is
the author of a tracked insertion of its words (`w:ins`), its first objector
the author of a tracked deletion (`w:del`; a run may carry one of each), and
every further attribution and reservation is a comment by that party on the
bracket's words, labelled `IND: retain`, `CHN: delete`, `AZER: tcb`. Word's
Review pane then lists the positions by delegation. Authors are the parties'
codes (`IRAN`, `CHN`): `import` and `propose --from` map them back through the
registry. Where Word cannot hold a bracket (one inside another proposer's
insertion takes a comment instead; a bracket without attribution, or one
spanning paragraphs, keeps its written marks), reading the file back still
gives the same positions per bracket.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

from cicatext.exchange.docx import (
    LEGEND_STYLE,
    body_style,
    described,
    save,
    title_paragraphs,
)
from cicatext.exchange.source import ExportDocument, emphasis
from cicatext.notation.tree import Attribution, Bracket, Stance, Text, texts_in

LABELS = {Stance.PROPOSE: "retain", Stance.OBJECT: "delete", Stance.RESERVE: "tcb"}
"""The word a comment says for each stance: `IND: retain`, `CHN: delete`, `AZER: tcb`."""


def comment_label(attribution: Attribution) -> str:
    """What a party's comment says of a bracket: `IND: retain`."""
    return f"{attribution.code}: {LABELS[attribution.stance]}"


class _Writer:
    """Writes one paragraph's runs, tracked changes and comment anchors."""

    def __init__(self, out, paragraph, ids, date: dt.datetime | None) -> None:
        self.out = out
        self.paragraph = paragraph
        self.ids = ids
        self.date = date
        """The document's date, given to every change and comment (so that the file depends on the text only)."""
        self.stamp = {"date": date.strftime("%Y-%m-%dT%H:%M:%SZ")} if date else {}

    def _element(self, tag: str, **attributes):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        element = OxmlElement(tag)
        for name, value in attributes.items():
            element.set(qn(f"w:{name}"), value)
        return element

    def text(self, text: str, ins: str | None, dele: str | None) -> None:
        from docx.oxml.ns import qn

        for piece, italic in emphasis(text):
            if not piece:
                continue
            run = self.paragraph.add_run(piece)
            if italic:
                run.italic = True
            element = run._r
            if dele is not None:
                for found in element.findall(qn("w:t")):
                    found.tag = qn("w:delText")
                wrapper = self._element("w:del", id=str(next(self.ids)), author=dele, **self.stamp)
                element.addprevious(wrapper)
                wrapper.append(element)
                element = wrapper
            if ins is not None:
                wrapper = self._element("w:ins", id=str(next(self.ids)), author=ins, **self.stamp)
                element.addprevious(wrapper)
                wrapper.append(element)

    def comment_start(self, attribution: Attribution) -> int:
        comment = self.out.comments.add_comment(text=comment_label(attribution), author=attribution.code,
                                                initials=attribution.code)
        comment._comment_elm.date = self.date
        self.paragraph._p.append(self._element("w:commentRangeStart", id=str(comment.comment_id)))
        return comment.comment_id

    def comment_end(self, comment_id: int) -> None:
        self.paragraph._p.append(self._element("w:commentRangeEnd", id=str(comment_id)))
        reference = self._element("w:r")
        properties = self._element("w:rPr")
        properties.append(self._element("w:rStyle", val="CommentReference"))
        reference.append(properties)
        reference.append(self._element("w:commentReference", id=str(comment_id)))
        self.paragraph._p.append(reference)

    def nodes(self, nodes, ins: str | None, dele: str | None) -> None:
        """Write inline nodes and the brackets within them, on an explicit stack (brackets nest to any depth)."""
        # Each entry: the bracket entered (None for `nodes`), how its end is written, the insertion and
        # deletion its body is written under, and what is left of its body.
        stack: list[tuple[Bracket | None, list[int] | None, str | None, str | None, Iterator]] = [
            (None, None, ins, dele, iter(nodes))]
        while stack:
            _, _, ins, dele, pending = stack[-1]
            for node in pending:
                if isinstance(node, Text):
                    self.text(node.text, ins, dele)
                elif isinstance(node, Bracket):
                    stack.append(self.open(node, ins, dele))
                    break
            else:
                bracket, opened, _, _, _ = stack.pop()
                if bracket is not None:
                    ins, dele = stack[-1][2], stack[-1][3]
                    self.close(bracket, opened, ins, dele)

    def open(self, bracket: Bracket, ins: str | None, dele: str | None) -> tuple:
        """Begin a bracket; its entry on the stack of `nodes`."""
        spanning = bracket.continued or not bracket.closed or bracket.continues
        if spanning or not bracket.attributions or not "".join(_words(bracket.body)).strip():
            # Word holds no bracket across paragraphs: the written marks and attributions stay.
            if not bracket.continued:
                self.text("[", ins, dele)
            return bracket, None, ins, dele, iter(bracket.body)
        proposer = next((a for a in bracket.attributions if a.stance is Stance.PROPOSE), None) if ins is None \
            else None
        objector = next((a for a in bracket.attributions if a.stance is Stance.OBJECT), None) if dele is None \
            else None
        commented = [a for a in bracket.attributions if a is not proposer and a is not objector]
        opened = [self.comment_start(a) for a in commented]
        return (bracket, opened, proposer.code if proposer else ins, objector.code if objector else dele,
                iter(bracket.body))

    def close(self, bracket: Bracket, opened: list[int] | None, ins: str | None, dele: str | None) -> None:
        """End a bracket begun by `open` (`opened`: its comments, None when its marks are written)."""
        if opened is None:
            if bracket.closed:
                self.text("]", ins, dele)
            self.text(bracket.trailer, ins, dele)
            for attribution in bracket.attributions:
                self.text(attribution.lead + attribution.source(), ins, dele)
            return
        for comment_id in reversed(opened):
            self.comment_end(comment_id)
        self.text(bracket.trailer, ins, dele)


def _words(nodes) -> list[str]:
    """The texts within `nodes`, at any depth."""
    return [node.text for node in texts_in(nodes)]


def to_docx_tracked(document: ExportDocument) -> bytes:
    """The document as a Word file whose brackets are tracked changes and comments by the delegations."""
    out = described(document, "bracketed text, tracked changes")
    title_paragraphs(out, document)
    ids = itertools.count(1)
    try:
        date = dt.datetime.fromisoformat(str(document.date)).replace(tzinfo=dt.UTC) if document.date else None
    except ValueError:
        date = None
    for paragraph in document.paragraphs:
        written = out.add_paragraph(style=body_style(paragraph))
        _Writer(out, written, ids, date).nodes(paragraph.content, None, None)
    if document.codes:
        legend = out.add_paragraph(style=LEGEND_STYLE)
        legend.add_run("Review: ").bold = True
        legend.add_run("each delegation's proposals are its tracked insertions, its objections its tracked "
                       "deletions; further positions are its comments (retain, delete, tcb). Authors are "
                       "delegation codes.")
    return save(out)
