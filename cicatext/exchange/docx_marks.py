"""A Word paragraph's tracked changes and comments written as bracket notation, with a warning for what cannot be.

A compilation received in Word says who wants what with tracked changes and
comments. `paragraph_notation` writes one paragraph of it in cicatext's
notation: a tracked insertion by A becomes `[text] (+A)`, a deletion
`[text] (-A)` (text inserted by A and deleted by B, `[[text] (-B)] (+A)`, or
`[text] (+A) (-B)` when B deleted all of it; words A deleted and replaced,
`[[old] (-A), [new] (+A)]`); a comment anchored to text
becomes attributions on a bracket around the anchor, or on the bracket the
anchor exactly covers, read with `notation.party_labels.read_label`
(`US: Delete “authorized”` brackets "authorized" within the anchor; a bare
stance such as `retain` is its author's). Authors and the parties a label
names are mapped to codes by the registry (`Parties.resolve`); whatever
cannot be mapped or read is a `ReviewWarning` naming the file, the paragraph
and the text, and the text itself is kept (a change whose author names no
party stays bracketed, without attribution).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cicatext.exchange.docx_review import ReviewParagraph, WordComment
from cicatext.notation.paragraph_text import quote
from cicatext.notation.party_labels import INSERT, OBJECT, PROPOSE, RESERVE, read_label
from cicatext.records.parties import Parties

_SIGNS = {PROPOSE: "+", OBJECT: "-"}
# An attribution already written after a bracket typed in the text: ` (+IRAN)`, ` (AZER tcb)`.
_WRITTEN_ATTRIBUTIONS = re.compile(r"(?:\s*\((?:[+-][A-Za-z0-9]+|[A-Za-z0-9]+ tcb)\))*")


@dataclass(frozen=True)
class ReviewWarning:
    """A tracked change or comment that could not be read into positions, or only in part."""

    file: str
    paragraph: int
    """The Word paragraph (1-based, empty ones counted); 0 for the file as a whole."""
    message: str
    text: str = ""
    """The words concerned."""

    def describe(self) -> str:
        """`FILE: paragraph N: message: “words”`."""
        quoted = f": {quote(self.text)}" if self.text else ""
        where = f"paragraph {self.paragraph}: " if self.paragraph else ""
        return f"{self.file}: {where}{self.message}{quoted}"

    def headline(self) -> str:
        """The warning as the command line prints it: `FILE: warning: paragraph N: ...`."""
        file, _, rest = self.describe().partition(": ")
        return f"{file}: warning: {rest}"

    def to_json(self) -> dict:
        return {"file": self.file, "paragraph": self.paragraph, "message": self.message, "text": self.text}


@dataclass
class _Mark:
    start: int
    end: int
    attributions: list[str] = field(default_factory=list)
    """Written attributions: `(+IND)`, `(-CHN)`, `(AZER tcb)`."""
    change: bool = False
    """From a tracked change (split where it crosses another mark), not a comment."""
    children: list[_Mark] = field(default_factory=list)


def attribution(code: str, action: str) -> str:
    """The written attribution of a party's stance: `(+IND)`, `(-CHN)`, `(AZER tcb)`."""
    return f"({code} tcb)" if action == RESERVE else f"({_SIGNS[action]}{code})"


def _change_groups(paragraph: ReviewParagraph, which: str) -> list[tuple[int, int, str]]:
    """(start, end, author) of each stretch of runs inserted (or deleted) by one author."""
    groups: list[list] = []
    for run in paragraph.runs:
        change = getattr(run, which)
        if change is None:
            continue
        if groups and groups[-1][1] == run.start and groups[-1][2] == change.author:
            groups[-1][1] = run.end
        else:
            groups.append([run.start, run.end, change.author])
    return [tuple(g) for g in groups]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _written_bracket(text: str, start: int, end: int) -> int | None:
    """Where a bracket typed in the text around start..end ends with its attributions, or None."""
    if start > 0 and text[start - 1] == "[" and end < len(text) and text[end] == "]":
        return end + 1 + len(_WRITTEN_ATTRIBUTIONS.match(text, end + 1).group(0))
    if text[start:start + 1] == "[" and text[end - 1:end] in ("]", ")"):
        inner = text[start:end]
        if inner.count("[") == 1 and re.fullmatch(r"\[[^\[\]]*\]" + _WRITTEN_ATTRIBUTIONS.pattern, inner):
            return end
    return None


class _Reader:
    """Turns one paragraph's changes and comments into marks, collecting warnings."""

    def __init__(self, paragraph: ReviewParagraph, comments: dict[str, WordComment], parties: Parties,
                 file: str) -> None:
        self.paragraph = paragraph
        self.text = paragraph.text
        self.comments = comments
        self.parties = parties
        self.file = file
        self.marks: list[_Mark] = []
        self.atoms: list[tuple[int, str]] = []
        """Text put into the paragraph at an offset: an insertion a comment asks for, an attribution."""
        self.warnings: list[ReviewWarning] = []

    def warn(self, message: str, text: str = "") -> None:
        self.warnings.append(ReviewWarning(self.file, self.paragraph.index, message, text))

    def read_changes(self) -> None:
        for which, action, noun in (("inserted", PROPOSE, "insertion"), ("deleted", OBJECT, "deletion")):
            for start, end, author in _change_groups(self.paragraph, which):
                words = self.text[start:end]
                code = self.parties.resolve(author) if author.strip() else None
                mark = _Mark(start, end, change=True)
                if code is None:
                    who = f"by “{author}”" if author.strip() else "with no author"
                    self.warn(f"tracked {noun} {who} names no known party; kept as a bracket without attribution",
                              words)
                else:
                    mark.attributions.append(attribution(code, action))
                self.marks.append(mark)

    def read_comments(self) -> None:
        for comment_id in self.paragraph.comments:
            comment = self.comments.get(comment_id)
            if comment is None:
                continue
            if not comment.anchored:
                self.warn(f"the comment by “{comment.author}” spans paragraphs {comment.paragraph} to "
                          f"{comment.end_paragraph}; not read", comment.text)
                continue
            self.read_comment(comment)

    def _label(self, comment: WordComment):
        label = read_label(comment.text)
        if label is not None and (self.parties.resolve_list(label.parties)[0] or not comment.author.strip()):
            return label
        # A bare stance (`Delete`, `retain`) is its author's.
        if comment.author.strip():
            own = read_label(f"{comment.author}: {comment.text}")
            if own is not None:
                return own
        return label

    def read_comment(self, comment: WordComment) -> None:
        start, end = _trimmed(self.text, comment.start, comment.end)
        label = self._label(comment)
        if label is None:
            self.warn(f"the comment by “{comment.author}” says no position that can be read: "
                      f"“{comment.text}”", self.text[start:end])
            return
        codes, unknown = self.parties.resolve_list(label.parties)
        for name in unknown:
            self.warn(f"the comment “{comment.text}” names “{name}”, who is not a known party; left out",
                      self.text[start:end])
        if label.unread:
            self.warn(f"the comment “{comment.text}”: “{label.unread}” was not read", self.text[start:end])
        if not codes:
            return
        anchor_end = end
        for clause in label.clauses:
            if clause.action == INSERT:
                words = clause.words or ""
                if not words.strip():
                    self.warn(f"the comment “{comment.text}” asks to insert nothing", self.text[start:end])
                    continue
                lead = "" if anchor_end == 0 or self.text[anchor_end - 1].isspace() else " "
                written = " ".join(attribution(code, PROPOSE) for code in codes)
                self.atoms.append((anchor_end, f"{lead}[{words}] {written}"))
                continue
            target = (start, end)
            if clause.words:
                found = self.text.find(clause.words, start, end)
                if found < 0:
                    lowered = self.text[start:end].casefold().find(clause.words.casefold())
                    found = start + lowered if lowered >= 0 else -1
                if found < 0:
                    self.warn(f"the comment “{comment.text}” quotes “{clause.words}”, which is not in the text "
                              "it stands on; not read", self.text[start:end])
                    continue
                target = (found, found + len(clause.words))
                anchor_end = target[1]
            if target[0] >= target[1]:
                self.warn(f"the comment “{comment.text}” stands on no text; not read")
                continue
            written = [attribution(code, clause.action) for code in codes]
            closing = _written_bracket(self.text, *target)
            if closing is not None:
                self.atoms.append((closing, "".join(f" {w}" for w in written)))
            else:
                self.marks.append(_Mark(target[0], target[1], written))

    def nested(self) -> list[_Mark]:
        """The marks as a forest; identical spans joined, a change crossing another split, a comment dropped."""
        pending = sorted(self.marks, key=lambda m: (m.start, -m.end, not m.change))
        roots: list[_Mark] = []
        stack: list[_Mark] = []
        while pending:
            mark = pending.pop(0)
            while stack and stack[-1].end <= mark.start:
                stack.pop()
            top = stack[-1] if stack else None
            if top is not None and (top.start, top.end) == (mark.start, mark.end):
                top.attributions.extend(a for a in mark.attributions if a not in top.attributions)
                continue
            if top is not None and mark.end > top.end:
                if not mark.change:
                    self.warn("a comment stands on text that crosses a tracked change; not read",
                              self.text[mark.start:mark.end])
                    continue
                rest = _Mark(top.end, mark.end, list(mark.attributions), True)
                mark.end = top.end
                pending.append(rest)
                pending.sort(key=lambda m: (m.start, -m.end, not m.change))
            (top.children if top is not None else roots).append(mark)
            stack.append(mark)
        return roots

    def render(self) -> str:
        italic = [False] * len(self.text)
        for run in self.paragraph.runs:
            if run.italic:
                italic[run.start:run.end] = [True] * len(run.text)
        atoms = sorted(self.atoms, key=lambda atom: atom[0])

        def plain(start: int, end: int) -> str:
            out = []
            for at, piece in [a for a in atoms if start <= a[0] < end] + [(end, "")]:
                out.append(_emphasised(self.text[start:at], italic[start:at]))
                out.append(piece)
                start = at
            return "".join(out)

        def bracket(child: _Mark) -> str:
            body = marks(child.children, child.start, child.end)
            return f"[{body}]" + "".join(f" {a}" for a in child.attributions)

        def marks(children: list[_Mark], start: int, end: int) -> str:
            out = []
            at = start
            index = 0
            while index < len(children):
                child = children[index]
                out.append(plain(at, child.start))
                following = children[index + 1] if index + 1 < len(children) else None
                if following is not None and _replacement(child, following) and \
                        not any(start_at == child.end for start_at, _ in atoms):
                    # Words deleted and others inserted in their place by one party: two options of one bracket.
                    out.append(f"[{bracket(child)}, {bracket(following)}]")
                    at = following.end
                    index += 2
                    continue
                out.append(bracket(child))
                at = child.end
                index += 1
            out.append(plain(at, end))
            return "".join(out)

        roots = self.nested()
        tail = "".join(piece for at, piece in atoms if at >= len(self.text))
        return marks(roots, 0, len(self.text)) + tail


def _replacement(deleted: _Mark, inserted: _Mark) -> bool:
    """True for a tracked deletion followed at once by the same party's insertion."""
    if not (deleted.change and inserted.change and deleted.end == inserted.start):
        return False
    if len(deleted.attributions) != 1 or len(inserted.attributions) != 1:
        return False
    old, new = deleted.attributions[0], inserted.attributions[0]
    return old.startswith("(-") and new.startswith("(+") and old[2:] == new[2:]


def _emphasised(text: str, italic: list[bool]) -> str:
    """Text with its italic stretches written `*...*` (white space kept outside the stars)."""
    out = []
    at = 0
    while at < len(text):
        stop = at
        while stop < len(text) and italic[stop] == italic[at]:
            stop += 1
        piece = text[at:stop]
        if italic[at] and piece.strip() and "*" not in piece:
            core = piece.strip()
            lead = piece.index(core)
            out.append(f"{piece[:lead]}*{core}*{piece[lead + len(core):]}")
        else:
            out.append(piece)
        at = stop
    return "".join(out)


def paragraph_notation(paragraph: ReviewParagraph, comments: dict[str, WordComment], parties: Parties,
                       file: str) -> tuple[str, tuple[ReviewWarning, ...]]:
    """One Word paragraph in bracket notation, its changes and comments as attributions; and what was not read."""
    reader = _Reader(paragraph, comments, parties, file)
    reader.read_changes()
    reader.read_comments()
    return reader.render(), tuple(reader.warnings)


def review_notation(review, parties: Parties, file: str) -> tuple[dict[int, str], tuple[ReviewWarning, ...]]:
    """For each paragraph of a Word review holding changes or comments, its text in notation; and the warnings."""
    texts: dict[int, str] = {}
    warnings: list[ReviewWarning] = []
    for paragraph in review.marked():
        text, found = paragraph_notation(paragraph, review.comments, parties, file)
        texts[paragraph.index] = text
        warnings.extend(found)
    anchored = {c for p in review.paragraphs for c in p.comments}
    for comment in review.comments.values():
        if comment.id not in anchored:
            warnings.append(ReviewWarning(file, 0, f"the comment by “{comment.author}” is anchored to no text; "
                                                   "not read", comment.text))
    return texts, tuple(warnings)


__all__ = ["ReviewWarning", "attribution", "paragraph_notation", "review_notation"]
