"""Views of a draft: its brackets, one bracket by id, the clean text, one delegation's brackets, counts.

A bracket's id is `PARAGRAPH:N`, N the 1-based pre-order ordinal of the
bracket within its paragraph (an outer bracket before the brackets inside it):
`op11:1`, `1.10:1`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cicatext.errors import NotationError
from cicatext.notation.render import render
from cicatext.notation.tree import Attribution, Bracket, Draft, Paragraph, Stance, Text


@dataclass(frozen=True)
class BracketInfo:
    """One bracket as listed: where it stands, how deep, what it says, who said what."""

    id: str
    """`PARAGRAPH:N`, e.g. `op11:1`."""
    paragraph: str
    """The id of the paragraph holding it."""
    start: int
    """Offset of its `[` in the whole text."""
    end: int
    """Offset just past its `]` (attributions not included)."""
    line: int
    """1-based line of its `[`."""
    column: int
    """1-based column of its `[`."""
    depth: int
    """1 for an outermost bracket, 2 inside it, and so on."""
    text: str
    """The bracket's body as written, inner brackets and attributions included."""
    options: bool
    """True for an options group (a bracket holding only bracketed alternatives)."""
    attributions: tuple[Attribution, ...]
    """The attributions written after it."""

    def to_json(self) -> dict:
        """The bracket as a plain dict for `--json` output."""
        return {
            "id": self.id,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "depth": self.depth,
            "text": self.text,
            "options": self.options,
            "attributions": [{"code": a.code, "stance": a.stance.value} for a in self.attributions],
        }


def _positioned(draft: Draft) -> Draft:
    """The draft with its nodes made, when every paragraph knows its position; else the draft read afresh."""
    from cicatext.notation.reader import make_nodes, read

    if all(p.pos is not None for p in draft.paragraphs):
        return make_nodes(draft)
    return make_nodes(read(render(draft)).draft)


def bracket_list(draft: Draft) -> list[BracketInfo]:
    """Every bracket of the draft in document order, outer before inner."""
    draft = _positioned(draft)
    listed: list[BracketInfo] = []
    for paragraph in draft.paragraphs:
        listed.extend(_paragraph_brackets(paragraph))
    return listed


def _paragraph_brackets(paragraph: Paragraph) -> list[BracketInfo]:
    listed = []
    for ordinal, (bracket, depth) in enumerate(paragraph.brackets(), 1):
        pos = bracket.pos
        listed.append(
            BracketInfo(
                id=f"{paragraph.id}:{ordinal}",
                paragraph=paragraph.id,
                start=pos.start if pos else 0,
                end=pos.end if pos else 0,
                line=pos.line if pos else 0,
                column=pos.column if pos else 0,
                depth=depth,
                text=render(bracket.body),
                options=bracket.is_options,
                attributions=bracket.attributions,
            )
        )
    return listed


def find_bracket(draft: Draft, bracket_id: str) -> tuple[Paragraph, Bracket]:
    """The paragraph and bracket with this id; `NotationError` naming the nearest ids when there is none."""
    paragraph, bracket, _ = locate(draft, bracket_id)
    return paragraph, bracket


def locate(draft: Draft, bracket_id: str) -> tuple[Paragraph, Bracket, Bracket | None]:
    """The paragraph, the bracket and the bracket directly around it (None at depth 1)."""
    paragraph_id, colon, number = bracket_id.rpartition(":")
    if not colon or not number.isdigit() or int(number) < 1:
        raise NotationError(
            f"'{bracket_id}' is not a bracket id",
            hint="a bracket id is PARAGRAPH:N, e.g. op11:1; `cicatext brackets FILE` lists them",
        )
    paragraph = draft.paragraph(paragraph_id)
    if paragraph is None:
        raise NotationError(f"no paragraph '{paragraph_id}'", hint=_nearest_hint(draft, bracket_id))
    wanted = int(number)
    for ordinal, (bracket, parent) in enumerate(_with_parents(paragraph.content, None), 1):
        if ordinal == wanted:
            return paragraph, bracket, parent
    raise NotationError(f"no bracket '{bracket_id}'", hint=_nearest_hint(draft, bracket_id, paragraph))


def _with_parents(nodes, parent: Bracket | None):
    for node in nodes:
        if isinstance(node, Bracket):
            yield node, parent
            yield from _with_parents(node.body, node)


def _nearest_hint(draft: Draft, bracket_id: str, paragraph: Paragraph | None = None) -> str:
    """A hint naming the existing bracket ids nearest to a wrong one."""
    if paragraph is not None:
        count = sum(1 for _ in paragraph.brackets())
        if count == 0:
            return f"paragraph {paragraph.id} holds no brackets"
        if count == 1:
            return f"paragraph {paragraph.id} holds one bracket: {paragraph.id}:1"
        return f"paragraph {paragraph.id} holds brackets {paragraph.id}:1 to {paragraph.id}:{count}"
    ids = [f"{p.id}:{n}" for p in draft.paragraphs for n, _ in enumerate(p.brackets(), 1)]
    if not ids:
        return "this text holds no brackets"
    from rapidfuzz import fuzz, process

    nearest = [found for found, _, _ in process.extract(bracket_id, ids, scorer=fuzz.ratio, limit=3)]
    return "the nearest existing ids are " + ", ".join(nearest)


def delegation_brackets(draft: Draft, code: str) -> list[BracketInfo]:
    """The brackets carrying an attribution of this delegation code."""
    code = code.strip().upper()
    return [info for info in bracket_list(draft) if any(a.code == code for a in info.attributions)]


_CLOSING = ",;.:!?)]"
_JOINING = ",;:"
# What is left of a paragraph whose text was all in brackets: a bullet or its number.
_DANGLING = re.compile(r"[-–—•*]?|\d{1,3}(?:\.\d{1,3})*[a-z]*\.?")


def tidy_join(left: str, right: str) -> str:
    """Join the text before and after a removed bracket: one space, no space before punctuation.

    `left` is the text before the removed bracket, `right` the text after it
    (its punctuation trailer included).
    """
    left_core = left.rstrip()
    right_core = right.lstrip()
    if not right_core:
        return left_core
    if not left_core:
        return right_core.lstrip(_JOINING).lstrip()
    if right_core[0] in _CLOSING:
        if right_core[0] in _JOINING and left_core[-1] in _JOINING:
            right_core = right_core[1:]
            if not right_core.strip():
                return left_core
            if right_core[0].isspace():
                return left_core + right_core
        return left_core + right_core
    if left_core[-1] in "([":
        return left_core + right_core
    left_space = left[len(left_core) :]
    right_space = right[: len(right) - len(right_core)]
    space = left_space if left_space.count("\n") >= right_space.count("\n") else right_space
    if len(space) > 1 and "\n" not in space:
        space = " "
    return left_core + space + right_core


def clean_paragraph(paragraph: Paragraph) -> str:
    """The paragraph's agreed text: brackets removed with their text and attributions, id marker dropped."""
    text, _ = _clean_nodes(paragraph.content)
    if _DANGLING.fullmatch(text.strip()):
        return ""
    return text


def _clean_nodes(nodes) -> tuple[str, bool]:
    out = ""
    pending = False
    count = len(nodes)
    for index, node in enumerate(nodes):
        if type(node) is Text:
            piece = node.text
        else:
            pending = True
            piece = node.trailer
            if not piece:
                continue
        if pending and piece.strip():
            # Punctuation standing only between two removed brackets goes with them.
            if not piece.strip().strip(_JOINING) and index + 1 < count and type(nodes[index + 1]) is not Text:
                continue
            out = tidy_join(out, piece)
            pending = False
        else:
            out += piece
    if pending:
        out = out.rstrip().rstrip(_JOINING).rstrip()
    return out, pending


def clean_text(draft: Draft) -> str:
    """Only the agreed text of the draft; paragraphs left empty vanish."""
    from cicatext.notation.reader import make_nodes

    make_nodes(draft)
    kept: list[str] = []
    gap = ""
    for index, paragraph in enumerate(draft.paragraphs):
        text = clean_paragraph(paragraph)
        if text:
            if kept:
                kept.append(gap)
            kept.append(text)
            gap = ""
        separator = draft.separators[index + 1] if index + 1 < len(draft.separators) else "\n\n"
        if separator.count("\n") >= 2 and separator.count("\n") >= gap.count("\n"):
            gap = separator
        elif not gap:
            gap = "\n\n"
    if not kept:
        return ""
    ending = draft.separators[-1] if draft.separators else ""
    return "".join(kept) + ("\n" if "\n" in ending else "")


@dataclass(frozen=True)
class ParagraphCount:
    """The brackets of one paragraph."""

    id: str
    """The paragraph id."""
    label: str | None
    """The paragraph's own numbering, if any."""
    brackets: int
    """Brackets at any depth, options groups included."""
    options: int
    """Options groups."""


@dataclass(frozen=True)
class DelegationCount:
    """One delegation's attributions."""

    code: str
    """The delegation code."""
    proposals: int
    """`(+CODE)` attributions."""
    objections: int
    """`(-CODE)` attributions."""
    reservations: int
    """`(CODE tcb)` attributions."""


@dataclass(frozen=True)
class Counts:
    """How much of a draft is unagreed, per paragraph and per delegation."""

    paragraphs: tuple[ParagraphCount, ...]
    """The paragraphs holding brackets, in order."""
    delegations: tuple[DelegationCount, ...]
    """Every delegation named in an attribution, by code."""
    paragraph_total: int
    """All paragraphs of the draft."""
    brackets: int
    """All brackets."""
    options: int
    """All options groups."""
    attributions: int
    """All attributions."""

    def to_json(self) -> dict:
        """The counts as a plain dict for `--json` output."""
        return {
            "paragraphs": [
                {"id": p.id, "label": p.label, "brackets": p.brackets, "options": p.options}
                for p in self.paragraphs
            ],
            "delegations": {
                d.code: {"+": d.proposals, "-": d.objections, "tcb": d.reservations} for d in self.delegations
            },
            "totals": {
                "paragraphs": self.paragraph_total,
                "bracketed_paragraphs": len(self.paragraphs),
                "brackets": self.brackets,
                "options": self.options,
                "attributions": self.attributions,
            },
        }


def counts(draft: Draft) -> Counts:
    """Brackets and options groups per paragraph; proposals, objections, reservations per delegation."""
    from cicatext.notation.reader import make_nodes

    make_nodes(draft)
    per_paragraph = []
    tally: dict[str, list[int]] = {}
    slot = {Stance.PROPOSE: 0, Stance.OBJECT: 1, Stance.RESERVE: 2}
    brackets = options = attributions = 0
    for paragraph in draft.paragraphs:
        here = groups = 0
        for bracket, _ in paragraph.brackets():
            here += 1
            if bracket.is_options:
                groups += 1
            for attribution in bracket.attributions:
                attributions += 1
                tally.setdefault(attribution.code, [0, 0, 0])[slot[attribution.stance]] += 1
        if here:
            per_paragraph.append(ParagraphCount(paragraph.id, paragraph.label, here, groups))
        brackets += here
        options += groups
    return Counts(
        paragraphs=tuple(per_paragraph),
        delegations=tuple(DelegationCount(code, *tally[code]) for code in sorted(tally)),
        paragraph_total=len(draft.paragraphs),
        brackets=brackets,
        options=options,
        attributions=attributions,
    )
