"""Attribution styles: the ways houses write who wants what, read into the one model and written out of it.

The model is one: a bracket, a group of alternatives, and attributions with a
party and a stance (proposes, objects, will come back). cicatext writes it in
the `cica` style, `[text] (+IRAN) (-CHN) (AZER tcb)`, and keeps its texts so.
Other houses write the same thing differently:

- `party-inside`: parties inside the bracket, `[strong - A; B delete]` (A
  proposes, B objects), alternatives with their supporters
  `[one text - A, B retain / other text - C]`;
- `party-prefix`: one bracket per party's amendment, standing after the words
  it is about, `[A: “word”]` (A deletes "word"), `[A: Insert “new”]`,
  `[A: “old”. Insert “new”]` (a replacement);
- `party-note`: a note after the bracket, `(A: retain)`, `(A, B, C)`.

`to_cica` reads a text written in a style into the cica style, keeping
what it does not recognise exactly as written, and says what it converted
and what it could not (a party no registry knows, quoted words not found):
those are warnings, never silently dropped. `from_cica` writes a cica text in
a style; what a style has no way to write stays in the cica form, with a
warning. The readers work on the tree (`cicatext.notation.reader`), so
brackets spanning paragraphs, nesting and the paragraph ids are untouched.
The party-prefix style, which moves text, is in `style_prefix`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Protocol

from cicatext.errors import Problem
from cicatext.notation import party_labels
from cicatext.notation.codes import is_code
from cicatext.notation.paragraph_text import shortened
from cicatext.notation.reader import make_nodes, read
from cicatext.notation.render import render
from cicatext.notation.tree import (
    Attribution,
    Bracket,
    Draft,
    Inline,
    Position,
    Stance,
    Text,
    rebuild,
)

CICA = "cica"
PARTY_INSIDE = "party-inside"
PARTY_PREFIX = "party-prefix"
PARTY_NOTE = "party-note"
STYLES = (CICA, PARTY_INSIDE, PARTY_PREFIX, PARTY_NOTE)
"""Every attribution style, the default first."""

DESCRIPTIONS = {
    CICA: "[text] (+A) (-B) (C tcb)",
    PARTY_INSIDE: "[text - A; B delete], [one - A / other - B]",
    PARTY_PREFIX: "[A: “word”], [A: Insert “new”], [A: “old”. Insert “new”]",
    PARTY_NOTE: "[text] (A: retain) (B, C: delete), [text] (A, B, C)",
}
"""What each style looks like, for the help and the docs."""

STANCES = {party_labels.PROPOSE: Stance.PROPOSE, party_labels.OBJECT: Stance.OBJECT,
           party_labels.RESERVE: Stance.RESERVE}
"""A label's action as an attribution's stance."""
_WORDS = {Stance.PROPOSE: "retain", Stance.OBJECT: "delete", Stance.RESERVE: "tcb"}
_STYLE = "style"


@dataclass(frozen=True)
class Converted:
    """One attribution written in another style and now in the cica style."""

    line: int | None
    column: int | None
    written: str
    """As it was written: `(US: retain)`, `- US; G77 delete`, `[EU: “crucial”]`."""
    now: str
    """As the cica style writes it: `(+USA)`, `(+US) (-G77)`, `[crucial] (-EU)`."""

    def to_json(self) -> dict:
        return {"line": self.line, "column": self.column, "written": self.written, "now": self.now}


@dataclass(frozen=True)
class Conversion:
    """A text rewritten from one style into another, with what was converted and what was not."""

    text: str
    style: str
    converted: tuple[Converted, ...] = ()
    warnings: tuple[Problem, ...] = ()
    """What looked like an attribution and was left as written, and why."""


class PartyNames(Protocol):
    """What a registry answers of party names (`cicatext.records.parties.Parties`)."""

    def resolve(self, name: str) -> str | None: ...

    def resolve_list(self, text: str) -> tuple[list[str], list[str]]: ...


class Names:
    """Party names as written turned into codes: through the registry when there is one, else codes as written."""

    def __init__(self, parties: PartyNames | None = None) -> None:
        self._parties = parties
        self.registry = parties is not None
        """True when names go through a registry; without one a lone `(ABC)` is text, not a party."""

    def code(self, name: str) -> str | None:
        name = name.strip()
        if self._parties is not None:
            return self._parties.resolve(name)
        if is_code(name) and len(name) <= 10:
            return name
        squeezed = re.sub(r"[.\-/ ]", "", name)
        return squeezed if is_code(squeezed) and len(squeezed) <= 10 else None

    def codes(self, names: str) -> tuple[list[str], list[str]]:
        """The codes a list of names gives (`US, Canada and Japan`), and the names that give none."""
        if self._parties is not None:
            return self._parties.resolve_list(names)
        codes: list[str] = []
        unknown: list[str] = []
        for part in re.split(r"\s*(?:,|;|\band\b|&)\s*", names.strip()):
            if not part:
                continue
            code = self.code(part)
            if code is None:
                unknown.append(part)
            elif code not in codes:
                codes.append(code)
        return codes, unknown


@dataclass
class Report:
    """What a conversion collects as it goes."""

    file: str | None
    converted: list[Converted] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def done(self, pos: Position | None, written: str, now: str) -> None:
        self.converted.append(Converted(pos.line if pos else None, pos.column if pos else None,
                                        " ".join(written.split()), now))

    def warn(self, pos: Position | None, message: str, hint: str) -> None:
        self.warnings.append(Problem(message, file=self.file, line=pos.line if pos else None,
                                     column=pos.column if pos else None, hint=hint, severity="warning", code=_STYLE))

    def unknown(self, pos: Position | None, written: str, names: list[str]) -> None:
        listed = ", ".join(f"'{n}'" for n in names)
        self.warn(pos, f"'{' '.join(written.split())}' names {listed}, which no party of the registry goes by: "
                       "left as written", "add the name to a state's or group's aliases in the registry, or "
                                          "write the attribution with a code")


def to_cica(text: str, style: str, *, parties: PartyNames | None = None, file: str | None = None) -> Conversion:
    """`text`, written in `style`, in the cica style. `parties` gives a party's code from a name (the registry's
    `Parties`); without it only names shaped as codes are taken."""
    if style not in STYLES:
        raise ValueError(f"unknown attribution style {style!r}")
    if style == CICA and _LOOKS_PREFIX.search(text) is None and _LOOKS_INSIDE.search(text) is None:
        return Conversion(text, CICA)
    draft = make_nodes(read(text, file=file).draft)
    report = Report(file)
    names = Names(parties)
    _other_styles(draft, style, names, report)
    if style == CICA:
        return Conversion(text, CICA, (), tuple(report.warnings))
    if style == PARTY_PREFIX:
        from cicatext.notation.style_prefix import prefix_paragraph

        convert = prefix_paragraph
    else:
        convert = _inside_content if style == PARTY_INSIDE else _note_content
    paragraphs = tuple(replace(p, content=tuple(convert(p.content, names, report))) for p in draft.paragraphs)
    return Conversion(render(Draft(paragraphs, draft.separators)), style, tuple(report.converted),
                      tuple(report.warnings))


# A bracket that may be written in another style: a party-prefix amendment, a bracket ending with its parties.
_LOOKS_PREFIX = re.compile(r"\[[^\[\]\n]{1,80}?:\s*(?:[Ii]nsert\b|[Dd]elete\b|[Rr]etain\b|tcb\b|“|\")")
_LOOKS_INSIDE = re.compile(r"-\s*[A-Z][^\[\]\n]{0,100}\]")


def _other_styles(draft: Draft, style: str, names: Names, report: Report) -> None:
    """Warn of the brackets that read as another style's attributions naming known parties: read in `style`,
    they stay unattributed text, and the hint names the style that reads them."""
    from cicatext.notation.style_prefix import reads_as_amendment

    for paragraph in draft.paragraphs:
        for bracket, _ in paragraph.brackets():
            if bracket.attributions or not bracket.body or not isinstance(bracket.body[-1], Text):
                continue
            other = None
            if style != PARTY_PREFIX and reads_as_amendment(bracket, names):
                other = PARTY_PREFIX
            elif style != PARTY_INSIDE:
                taken = _with_tail(list(bracket.body), names, Report(None))
                if taken is not None and taken[1]:
                    other = PARTY_INSIDE
            if other is not None:
                report.warn(bracket.pos, f"'{shortened(render(bracket))}' reads as a {other} attribution, but the text "
                                         f"is read in the {style} style: it stays an unattributed bracket",
                            f"read the text with --style {other}")


def shifted(pos: Position | None, text: str, offset: int) -> Position | None:
    """The position of `offset` in `text`, a node's text read at `pos`."""
    if pos is None:
        return None
    lines = text.count("\n", 0, offset)
    column = offset - text.rfind("\n", 0, offset) if lines else pos.column + offset
    return Position(pos.start + offset, pos.start + offset, pos.line + lines, column)


def attributions_of(codes: list[str], stance: Stance) -> list[Attribution]:
    return [Attribution(code, stance) for code in codes]


def cica(attributions) -> str:
    return " ".join(a.canonical() for a in attributions)


# party-note: `(US: retain)`, `(EU, US, JPN)` after a bracket.

_NOTE = re.compile(r"([.,;:!?]*)([^\S\n]*)\(([^()\[\]\n]{1,160})\)")


def _note_content(nodes: tuple[Inline, ...], names: Names, report: Report) -> list[Inline]:
    """The nodes with every bracket's notes taken as attributions (inner brackets too)."""
    def step(out: list[Inline], node: Inline) -> None:
        if isinstance(node, Text) and out and isinstance(out[-1], Bracket) and out[-1].closed:
            bracket, rest = _take_notes(out[-1], node, names, report)
            out[-1] = bracket
            if rest:
                out.append(Text(rest, node.pos))
            return
        out.append(node)

    return rebuild(nodes, lambda bracket, body: (replace(bracket, body=tuple(body)),), step)


def _take_notes(bracket: Bracket, after: Text, names: Names, report: Report) -> tuple[Bracket, str]:
    """The bracket with the notes that open `after` as its attributions, and the rest of `after`."""
    text = after.text
    at = 0
    attributions = list(bracket.attributions)
    trailer = bracket.trailer
    while True:
        found = _NOTE.match(text, at)
        if found is None or (found.group(1) and (attributions or trailer)):
            break
        taken = _note(found.group(3), names)
        if taken is None:
            break
        made, unknown = taken
        where = shifted(after.pos, text, found.end(2))
        if unknown:
            report.unknown(where, found.group(0)[found.end(2) - found.start():], unknown)
            break
        made = [replace(a, lead=found.group(2) if i == 0 else " ") for i, a in enumerate(made)]
        report.done(where, found.group(0).strip(), cica(made))
        if found.group(1):
            trailer = found.group(1)
        attributions.extend(made)
        at = found.end()
    if at == 0:
        return bracket, text
    return replace(bracket, attributions=tuple(attributions), trailer=trailer), text[at:]


_SIGNED = re.compile(r"\s*([+-])\s*([A-Z][\w.'’\-/ ]*?)\s*(?:,|$)")


def _note(inner: str, names: Names) -> tuple[list[Attribution], list[str]] | None:
    """A note's attributions and the names in it no party goes by: `US: retain` (any stance word), `EU, US, JPN`
    (they support it), `+G-77, -U.S.` (signed names that are not codes); None when the round brackets hold
    something else, such as `(RMT)` or `(see annex)`."""
    label = party_labels.read_label(inner)
    if label is not None and not label.unread and len(label.clauses) == 1 and label.clauses[0].words is None \
            and label.clauses[0].action in STANCES:
        codes, unknown = names.codes(label.parties)
        if codes or unknown:
            return attributions_of(codes, STANCES[label.clauses[0].action]), unknown
    signed = list(_SIGNED.finditer(inner))
    if signed and signed[-1].end() == len(inner) and all(a.end() == b.start() for a, b in pairwise(signed)) \
            and signed[0].start() == 0:
        made: list[Attribution] = []
        unknown = []
        for found in signed:
            code = names.code(found.group(2))
            if code is None:
                unknown.append(found.group(2).strip())
            else:
                made.append(Attribution(code, Stance(found.group(1))))
        return made, unknown
    if ":" in inner or (not names.registry and "," not in inner) \
            or not re.fullmatch(r"[A-Z][\w.'’\-/ ]*(?:\s*,\s*[A-Z][\w.'’\-/ ]*)*", inner.strip()):
        return None
    codes, unknown = names.codes(inner)
    if not codes:
        return None  # `(RMT)`: an abbreviation no party goes by is text
    return attributions_of(codes, Stance.PROPOSE), unknown


# party-inside: `[extreme - US; G77 delete]`, `[one - EU, G77 retain / other - US]`.

_NAME = r"[A-Z][\w.'’\-/&]*(?:\s+(?:of|and|the|[A-Z][\w.'’\-/&]*))*"
_VERB = r"(?:retain|keep|support|supports|delete|deletes|oppose|opposes|object|objects|reserve|reserves|tcb)"
_CLAUSE = rf"(?:{_NAME})(?:\s*,\s*(?:{_NAME}))*(?:\s+{_VERB})?"
_TAIL = re.compile(rf"-\s*({_CLAUSE}(?:\s*;\s*{_CLAUSE})*)\s*([.,;]?)\s*")
_ONE_CLAUSE = re.compile(rf"({_NAME}(?:\s*,\s*{_NAME})*?)(?:\s+({_VERB}))?")
_OPTION_SEPARATOR = re.compile(r"\s+/\s+")


def _inside_content(nodes: tuple[Inline, ...], names: Names, report: Report) -> list[Inline]:
    """The nodes with the parties written inside each bracket taken as attributions (inner brackets first)."""
    return rebuild(nodes, lambda bracket, body: (_inside_bracket(replace(bracket, body=tuple(body)), names, report),))


def _inside_bracket(bracket: Bracket, names: Names, report: Report) -> Bracket:
    """The bracket with the parties written inside it taken as attributions, or as alternatives with theirs."""
    if not bracket.closed or bracket.continued or not bracket.body or not isinstance(bracket.body[-1], Text):
        return bracket
    parts = _split_options(bracket.body)
    if len(parts) > 1:
        alternatives = [_with_tail(part, names, report) for part in parts]
        if any(a is None for a in alternatives) or not any(a[1] for a in alternatives):
            return bracket
        body: list[Inline] = []
        for index, (content, attributions, _, _) in enumerate(alternatives):
            if index:
                body.append(Text(", "))
            body.append(Bracket(tuple(content), tuple(attributions)))
        written = render(bracket)
        made = replace(bracket, body=tuple(body))
        report.done(bracket.pos, written, render(made))
        return made
    taken = _with_tail(list(bracket.body), names, report)
    if taken is None or not taken[1]:
        return bracket
    content, attributions, trailer, written = taken
    attributions = [replace(a, lead=" ") for a in attributions]
    made = replace(bracket, body=tuple(content), attributions=(*attributions, *bracket.attributions),
                   trailer=trailer + bracket.trailer if not bracket.attributions else bracket.trailer)
    report.done(bracket.pos, written, cica(made.attributions))
    return made


def _split_options(body: tuple[Inline, ...]) -> list[list[Inline]]:
    """The body cut at ` / ` in its text: the alternatives of `[one - A / other - B]`."""
    parts: list[list[Inline]] = [[]]
    for node in body:
        if isinstance(node, Text) and _OPTION_SEPARATOR.search(node.text):
            pieces = _OPTION_SEPARATOR.split(node.text)
            for index, piece in enumerate(pieces):
                if index:
                    parts.append([])
                if piece:
                    parts[-1].append(Text(piece, node.pos))
        else:
            parts[-1].append(node)
    return parts


def _with_tail(content: list[Inline], names: Names, report: Report) -> tuple[list, list, str, str] | None:
    """Content without the parties its text ends with, their attributions, the punctuation after them, and the
    tail as written. No attributions when the text ends with none (or the tail names no known party); None when
    a tail names parties the registry does not know (a warning says which)."""
    if not content or not isinstance(content[-1], Text):
        return content, [], "", ""
    last = content[-1]
    text = last.text
    for dash in reversed([m.start() for m in re.finditer("-", text)][-4:]):
        if dash and text[dash - 1] not in " \t\n" and not (dash + 1 < len(text) and text[dash + 1] == " "):
            continue  # a hyphen inside a word: `long-term`, `South-South`
        found = _TAIL.fullmatch(text, dash)
        if found is None:
            continue
        attributions: list[Attribution] = []
        unknown: list[str] = []
        for clause in re.split(r"\s*;\s*", found.group(1)):
            parsed = _ONE_CLAUSE.fullmatch(clause)
            if parsed is None:
                return content, [], "", ""
            codes, missing = names.codes(parsed.group(1))
            unknown.extend(missing)
            stance = STANCES[party_labels.verb_action(parsed.group(2))] if parsed.group(2) else Stance.PROPOSE
            attributions.extend(attributions_of(codes, stance))
        if unknown:
            if attributions:
                report.unknown(last.pos, text[dash:], unknown)
                return None
            return content, [], "", ""
        kept = text[:dash].rstrip()
        rest = [*content[:-1], Text(kept, last.pos)] if kept else content[:-1]
        return rest, attributions, found.group(2), text[dash:]
    return content, [], "", ""


# Writing a cica text in another style.


def from_cica(text: str, style: str, *, file: str | None = None) -> Conversion:
    """A cica text written in `style`; what the style cannot write stays in the cica form with a warning."""
    if style == CICA:
        return Conversion(text, CICA)
    if style not in STYLES:
        raise ValueError(f"unknown attribution style {style!r}")
    draft = make_nodes(read(text, file=file).draft)
    report = Report(file)
    if style == PARTY_PREFIX:
        from cicatext.notation.style_prefix import write_prefix

        write = write_prefix
    else:
        write = _write_inside if style == PARTY_INSIDE else _write_note
    paragraphs = tuple(replace(p, content=tuple(write(p.content, report))) for p in draft.paragraphs)
    return Conversion(render(Draft(paragraphs, draft.separators)), style, tuple(report.converted),
                      tuple(report.warnings))


def by_stance(attributions) -> dict[Stance, list[str]]:
    grouped: dict[Stance, list[str]] = {Stance.PROPOSE: [], Stance.OBJECT: [], Stance.RESERVE: []}
    for attribution in attributions:
        if attribution.code not in grouped[attribution.stance]:
            grouped[attribution.stance].append(attribution.code)
    return grouped


def _write_note(nodes, report: Report) -> list[Inline]:
    """The nodes with each bracket's attributions written as notes after it."""
    return rebuild(nodes, _noted)


def _noted(node: Bracket, body: list[Inline]) -> tuple[Inline, ...]:
    node = replace(node, body=tuple(body))
    if not node.attributions:
        return (node,)
    notes = []
    for stance, codes in by_stance(node.attributions).items():
        if not codes:
            continue
        if stance is Stance.PROPOSE and len(codes) > 1:
            notes.append(f"({', '.join(codes)})")
        else:
            notes.append(f"({', '.join(codes)}: {_WORDS[stance]})")
    lead = node.attributions[0].lead
    return replace(node, attributions=()), Text(lead + " ".join(notes))


def _write_inside(nodes, report: Report) -> list[Inline]:
    """The nodes with each bracket's attributions written inside it; an options group of plain alternatives as
    one bracket with each alternative's parties."""
    def keep(node: Bracket) -> tuple[Inline, ...] | None:
        if node.is_options and not node.attributions and not any(
                isinstance(n, Bracket) for a in node.options for n in a.body):
            return (_options_inside(node),)
        return None

    def finish(node: Bracket, body: list[Inline]) -> tuple[Inline, ...]:
        return (replace(node, body=(*body, Text(_tail(node.attributions))) if node.attributions else tuple(body),
                        attributions=()),)

    return rebuild(nodes, finish, keep=keep)


def _tail(attributions) -> str:
    """`- A, B; C delete; D tcb`: a bracket's attributions written inside it."""
    clauses = []
    for stance, codes in by_stance(attributions).items():
        if codes:
            clauses.append(", ".join(codes) + ("" if stance is Stance.PROPOSE else f" {_WORDS[stance]}"))
    return " - " + "; ".join(clauses) if clauses else ""


def _options_inside(group: Bracket) -> Bracket:
    """`[one - A / other - B]`: an options group's alternatives, each with its parties, in one bracket."""
    body: list[Inline] = []
    for index, alternative in enumerate(group.options):
        if index:
            body.append(Text(" / "))
        body.extend(alternative.body)
        body.append(Text(_tail(alternative.attributions)))
    return replace(group, body=tuple(body))
