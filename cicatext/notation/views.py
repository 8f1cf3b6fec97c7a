"""Views of a draft: its brackets, one bracket by id, the clean text, one delegation's brackets, counts.

A bracket's id is `PARAGRAPH:CODE`, CODE letters drawn from the bracket's
words (`pp9:kqtb`; see `cicatext.notation.bracket_ids`), so an id keeps naming
the same bracket whatever happens to the brackets around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cicatext.errors import NotationError
from cicatext.notation.alternatives import (
    DEFAULT_KINDS,
    Kinds,
    bracket_kind,
    curly_placeholders,
    option_blocks,
    side_by_side_runs,
)
from cicatext.notation.bracket_ids import (
    Named,
    is_numbered,
    name_draft,
    name_paragraph,
    split_id,
)
from cicatext.notation.paragraph_text import paragraph_text, shortened
from cicatext.notation.render import render
from cicatext.notation.tree import (
    Attribution,
    Bracket,
    Draft,
    Paragraph,
    Stance,
    Text,
    brackets_in,
)


@dataclass(frozen=True)
class BracketInfo:
    """One bracket as listed: where it stands, how deep, what it says, who said what."""

    id: str
    """`PARAGRAPH:CODE`, e.g. `op11:kqtb`."""
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
    full_id: str = ""
    """The id with the bracket's whole code, as commits record it."""
    paragraphs: tuple[str, ...] = ()
    """For a bracket spanning paragraphs: every paragraph it stands in, the first where it opens."""
    kind: str = "bracket"
    """`bracket` (unagreed text), `placeholder` (text to come, `[X]`) or `status` (a note, `[Agreed ad ref]`)."""
    alternatives: str | None = None
    """For a bracket written side by side with others (`[shall][should]`): the id of the group's first bracket."""

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
            "kind": self.kind,
            **({"alternatives": self.alternatives} if self.alternatives else {}),
            **({"paragraphs": list(self.paragraphs)} if len(self.paragraphs) > 1 else {}),
        }


def _positioned(draft: Draft) -> Draft:
    """The draft with its nodes made, when every paragraph knows its position; else the draft read afresh."""
    from cicatext.notation.reader import make_nodes, read

    if all(p.pos is not None for p in draft.paragraphs):
        return make_nodes(draft)
    return make_nodes(read(render(draft)).draft)


def bracket_list(draft: Draft, kinds: Kinds = DEFAULT_KINDS) -> list[BracketInfo]:
    """Every bracket of the draft in document order, outer before inner; a spanning bracket once, where it opens.

    `kinds` tells placeholders and status notes from unagreed text (`cicatext.notation.alternatives`).
    """
    draft = _positioned(draft)
    named = name_draft(draft)
    parts: dict[str, list[tuple[Paragraph, Named]]] = {}
    for paragraph, here in zip(draft.paragraphs, named):
        for found in here:
            if found.bracket.continued or found.bracket.continues:
                parts.setdefault(found.full, []).append((paragraph, found))
    listed: list[BracketInfo] = []
    bodies = _bodies(draft, named)
    for paragraph, here in zip(draft.paragraphs, named):
        shown = {id(found.bracket): found.shown for found in here}
        group_of = {id(bracket): shown.get(id(run[0])) for run in side_by_side_runs(paragraph) for bracket in run}
        listed.extend(_info(paragraph, found, parts.get(found.full), kinds, group_of.get(id(found.bracket)), bodies)
                      for found in here if not found.bracket.continued)
    return listed


def _bodies(draft: Draft, named: list[list[Named]]) -> dict[int, str]:
    """The text of the body of every bracket `named` (of a part, for a bracket spanning paragraphs), by the
    bracket's identity: slices of each paragraph's text laid out once, rather than each body rendered alone."""
    bodies: dict[int, str] = {}
    for paragraph, here in zip(draft.paragraphs, named):
        if not here:
            continue
        wanted = {id(found.bracket) for found in here}
        laid = paragraph_text(paragraph)
        raw = laid.raw
        for span in laid.brackets:
            if id(span.bracket) in wanted:
                bodies[id(span.bracket)] = raw[span.start + (0 if span.bracket.continued else 1):span.close]
    return bodies


def _info(paragraph: Paragraph, found: Named, parts: list[tuple[Paragraph, Named]] | None, kinds: Kinds,
          group: str | None, bodies: dict[int, str]) -> BracketInfo:
    bracket = found.bracket
    pos = bracket.pos
    last = parts[-1][1].bracket if parts else bracket
    text = "\n\n".join(bodies[id(part.bracket)] for _, part in parts) if parts else bodies[id(bracket)]
    return BracketInfo(
        id=found.shown,
        paragraph=paragraph.id,
        start=pos.start if pos else 0,
        end=last.pos.end if last.pos else 0,
        line=pos.line if pos else 0,
        column=pos.column if pos else 0,
        depth=found.depth,
        text=text,
        options=bracket.is_options,
        attributions=last.attributions,
        full_id=found.full,
        paragraphs=tuple(p.id for p, _ in parts) if parts else (),
        kind=bracket_kind(bracket, kinds),
        alternatives=group,
    )


def find_bracket(draft: Draft, bracket_id: str) -> tuple[Paragraph, Bracket]:
    """The paragraph and bracket with this id; `NotationError` naming the nearest ids when there is none."""
    paragraph, bracket, _ = locate(draft, bracket_id)
    return paragraph, bracket


def locate(draft: Draft, bracket_id: str) -> tuple[Paragraph, Bracket, Bracket | None]:
    """The paragraph, the bracket (for a spanning bracket: its first part) and the bracket directly around it
    (None at depth 1)."""
    found = lookup(draft, bracket_id)
    paragraph = draft.paragraph(found.paragraph)
    return paragraph, found.bracket, _parent_of(paragraph.content, found.bracket)


def lookup(draft: Draft, bracket_id: str) -> Named:
    """The bracket with this id (any prefix of its code of three letters or more), named.

    `NotationError` when the id is malformed, in the old numbered form, names
    no bracket, or is a prefix shared by several.
    """
    parsed = split_id(bracket_id)
    if parsed is None:
        shown = shortened(bracket_id, 60)
        if is_numbered(bracket_id):
            raise NotationError(
                f"'{shown}' is a numbered bracket id; bracket ids now name the bracket by its text",
                hint=_numbered_hint(draft, bracket_id),
            )
        raise NotationError(
            f"'{shown}' is not a bracket id",
            hint="a bracket id is PARAGRAPH:CODE, e.g. op11:kqtb; `cicatext brackets FILE` lists them",
        )
    paragraph_id, prefix = parsed
    paragraph = draft.paragraph(paragraph_id)
    if paragraph is None:
        raise NotationError(f"no paragraph '{shortened(paragraph_id, 60)}'", hint=_nearest_hint(draft, bracket_id))
    named = name_paragraph(paragraph)
    matches = [found for found in named if found.code.startswith(prefix)]
    if not matches:
        raise NotationError(f"no bracket '{shortened(bracket_id, 60)}'", hint=_nearest_hint(draft, bracket_id, paragraph))
    if len(matches) > 1:
        listed = "; ".join(f"{found.shown} [{_short(found.bracket)}]" for found in matches[:4])
        raise NotationError(f"'{bracket_id}' names {len(matches)} brackets", hint=f"give more letters: {listed}")
    return matches[0]


def _short(bracket: Bracket) -> str:
    body = " ".join(render(bracket.body).split())
    return body if len(body) <= 40 else body[:39] + "…"


def _numbered_hint(draft: Draft, bracket_id: str) -> str:
    paragraph_id, _, number = bracket_id.rpartition(":")
    paragraph = draft.paragraph(paragraph_id)
    named = name_paragraph(paragraph) if paragraph is not None else []
    # A number of more digits than any paragraph has brackets is no place in it (and int() refuses 4,300 digits).
    if len(number) > 6 or not 1 <= int(number) <= len(named):
        return "`cicatext brackets FILE` lists the ids"
    found = named[int(number) - 1]
    return (f"the bracket now at place {number} of {paragraph_id} is {found.shown} [{_short(found.bracket)}]; "
            "check it is the one meant, then use its id")


def _parent_of(nodes, target: Bracket) -> Bracket | None:
    """The bracket directly around `target` within `nodes` (None at depth 1): the last bracket met one level up."""
    around: list[Bracket | None] = [None]
    for bracket, depth in brackets_in(nodes):
        del around[depth:]
        if bracket is target:
            break
        around.append(bracket)
    return around[-1]


def _nearest_hint(draft: Draft, bracket_id: str, paragraph: Paragraph | None = None) -> str:
    """A hint naming the existing bracket ids nearest to a wrong one."""
    if paragraph is not None:
        named = name_paragraph(paragraph)
        if not named:
            return f"paragraph {paragraph.id} holds no brackets"
        listed = ", ".join(f"{found.shown} [{_short(found.bracket)}]" for found in named[:6])
        more = f" and {len(named) - 6} more" if len(named) > 6 else ""
        return f"paragraph {paragraph.id} holds {listed}{more}"
    ids = [found.shown for here in name_draft(draft) for found in here if not found.bracket.continued]
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
    kept, added = _tidied(left, right)
    return left[:kept] + added


def _tidied(left: str, right: str) -> tuple[int, str]:
    """`tidy_join` as how many characters of `left` it keeps and what it adds after them.

    Only the end of `left` counts: its white space and the character before
    it (and whether it is all white space), so a caller joining onto a long
    text can pass the end of it alone.
    """
    end = len(left)
    while end and left[end - 1].isspace():
        end -= 1
    right_core = right.lstrip()
    if not right_core:
        return end, ""
    if not end:
        return 0, right_core.lstrip(_JOINING).lstrip()
    if right_core[0] in _CLOSING:
        if right_core[0] in _JOINING and left[end - 1] in _JOINING:
            right_core = right_core[1:]
            if not right_core.strip():
                return end, ""
        return end, right_core
    if left[end - 1] in "([":
        return end, right_core
    left_space = left[end:]
    right_space = right[: len(right) - len(right_core)]
    space = left_space if left_space.count("\n") >= right_space.count("\n") else right_space
    if len(space) > 1 and "\n" not in space:
        space = " "
    return end, space + right_core


def _join_onto(out: list[str], piece: str) -> None:
    """`tidy_join` onto the text made of the pieces `out`, looking only at its end, so a long paragraph joins
    in time linear in its length."""
    end = ""
    for part in reversed(out):
        core = len(part.rstrip()) if part[-1:].isspace() else len(part)
        if core:
            end = part[core - 1 :] + end
            break
        end = part + end
    kept, added = _tidied(end, piece)
    drop = len(end) - kept
    while drop:
        last = out.pop()
        if len(last) > drop:
            out.append(last[: len(last) - drop])
            break
        drop -= len(last)
    if added:
        out.append(added)


def clean_paragraph(paragraph: Paragraph) -> str:
    """The paragraph's agreed text: brackets removed with their text and attributions, id marker dropped."""
    text, _ = _clean_nodes(paragraph.content)
    if _DANGLING.fullmatch(text.strip()):
        return ""
    return text


def _clean_nodes(nodes) -> tuple[str, bool]:
    out: list[str] = []
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
            _join_onto(out, piece)
            pending = False
        else:
            out.append(piece)
    text = "".join(out)
    if pending:
        text = text.rstrip().rstrip(_JOINING).rstrip()
    return text, pending


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
    placeholders: int = 0
    """Text to come: brackets such as `[X]`, `[...]` (counted among `brackets` too) and `{Placeholder}` in braces."""
    status_notes: int = 0
    """Notes on the paragraph's status (`[Agreed ad ref]`); not counted among `brackets`."""
    alternatives: int = 0
    """Groups of brackets written side by side (`[shall][should]`)."""


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
    placeholders: int = 0
    """All placeholders."""
    status_notes: int = 0
    """All status notes."""
    alternatives: int = 0
    """All groups of side-by-side brackets, and Option blocks (`Option 1:`, `Option 2:`)."""

    def to_json(self) -> dict:
        """The counts as a plain dict for `--json` output."""
        return {
            "paragraphs": [
                {"id": p.id, "label": p.label, "brackets": p.brackets, "options": p.options,
                 "placeholders": p.placeholders, "status_notes": p.status_notes, "alternatives": p.alternatives}
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
                "placeholders": self.placeholders,
                "status_notes": self.status_notes,
                "alternatives": self.alternatives,
            },
        }


def counts(draft: Draft, kinds: Kinds = DEFAULT_KINDS) -> Counts:
    """Brackets, options groups, placeholders, status notes and alternatives per paragraph; proposals, objections,
    reservations per delegation. A bracket spanning paragraphs counts once, where it opens."""
    from cicatext.notation.reader import make_nodes

    make_nodes(draft)
    per_paragraph = []
    tally: dict[str, list[int]] = {}
    slot = {Stance.PROPOSE: 0, Stance.OBJECT: 1, Stance.RESERVE: 2}
    brackets = options = attributions = placeholders = notes = alternatives = 0
    for paragraph in draft.paragraphs:
        here = groups = waiting = noted = 0
        for bracket, _ in paragraph.brackets():
            for attribution in bracket.attributions:
                attributions += 1
                tally.setdefault(attribution.code, [0, 0, 0])[slot[attribution.stance]] += 1
            if bracket.continued:
                continue
            kind = bracket_kind(bracket, kinds)
            if kind == "status":
                noted += 1
                continue
            here += 1
            waiting += kind == "placeholder"
            if bracket.is_options:
                groups += 1
        runs = len(side_by_side_runs(paragraph)) if here > 1 else 0
        waiting += curly_placeholders(paragraph)
        if here or noted or waiting:
            per_paragraph.append(ParagraphCount(paragraph.id, paragraph.label, here, groups, waiting, noted, runs))
        brackets += here
        options += groups
        placeholders += waiting
        notes += noted
        alternatives += runs
    alternatives += len(option_blocks(draft))
    return Counts(
        paragraphs=tuple(per_paragraph),
        delegations=tuple(DelegationCount(code, *tally[code]) for code in sorted(tally)),
        paragraph_total=len(draft.paragraphs),
        brackets=brackets,
        options=options,
        attributions=attributions,
        placeholders=placeholders,
        status_notes=notes,
        alternatives=alternatives,
    )
