"""Compiling position sets into the next bracketed revision of a draft.

`compile_round` places every entry of every position set in the draft as it
stands (all anchors are looked up in the same text, so the order of the
delegations does not change the result), groups what concerns the same span,
and writes the brackets: `[text] (+CODE)`, `[text] (-CODE)`, options groups
`[[old] (-A), [new] (+A)]`, joined attributions, `(CODE tcb)`, and
alternative paragraphs. An anchor that no longer matches exactly is found
again fuzzily when one match stands out (`cicatext.notation.anchors`);
otherwise the entry is returned as unplaced, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from cicatext.notation.anchors import balanced, exact_bracket, insertion_point, locate_anchor, resolve_bracket
from cicatext.notation.paragraph_text import LABEL, BracketSpan, normalise, paragraph_text, quote
from cicatext.notation.position_sets import BRACKET_ACTIONS, TEXT_ACTIONS, Anchor, Entry, PositionSet
from cicatext.notation.render import render
from cicatext.notation.tree import Attribution, Draft, Paragraph, Stance

_CLOSING = ",.;:!?)"


@dataclass(frozen=True)
class Placed:
    """An entry that went into the new revision."""

    delegation: str
    entry: Entry
    fuzzy: bool = False
    """True when its anchor was found again fuzzily."""
    score: float = 100.0
    """The anchor's match score (100 for an exact match)."""


@dataclass(frozen=True)
class Unplaced:
    """An entry left out of the round, and why."""

    delegation: str
    entry: Entry
    reason: str
    """What went wrong, in one sentence."""

    def to_json(self) -> dict:
        """The entry and the reason as a plain dict."""
        return {"delegation": self.delegation, "entry": self.entry.id, "key": self.entry.key,
                "paragraph": self.entry.paragraph, "action": self.entry.action, "reason": self.reason}


@dataclass(frozen=True)
class CompiledRound:
    """The next revision's text and what became of each entry."""

    text: str
    """The new bracketed text."""
    draft: Draft
    """The new text, read."""
    placed: tuple[Placed, ...]
    unplaced: tuple[Unplaced, ...]

    def by_delegation(self) -> dict[str, tuple[list[Entry], list[Unplaced]]]:
        """Per delegation code (sorted): the entries placed and those left out."""
        table: dict[str, tuple[list[Entry], list[Unplaced]]] = {}
        for item in self.placed:
            table.setdefault(item.delegation, ([], []))[0].append(item.entry)
        for item in self.unplaced:
            table.setdefault(item.delegation, ([], []))[1].append(item)
        return dict(sorted(table.items()))


@dataclass
class _Options:
    """Alternative texts proposed for one place, each with its proposers (the same words count once)."""

    texts: dict[str, str] = field(default_factory=dict)
    codes: dict[str, set[str]] = field(default_factory=dict)

    def add(self, text: str, code: str) -> None:
        key = normalise(text)
        self.texts.setdefault(key, text.strip())
        self.codes.setdefault(key, set()).add(code)

    def ordered(self) -> list[tuple[str, list[str]]]:
        items = [(self.texts[k], sorted(self.codes[k])) for k in self.texts]
        return sorted(items, key=lambda item: (item[1][0], item[0]))

    def __bool__(self) -> bool:
        return bool(self.texts)


@dataclass
class _Group:
    """Everything the round does at one place of one paragraph."""

    kind: str
    """span (wrap the text), insert (a point), attrs (a bracket's attributions), wrap (turn a bracket
    into an options group), append (add options to an options group)."""
    start: int
    end: int
    span: BracketSpan | None = None
    objectors: set[str] = field(default_factory=set)
    options: _Options = field(default_factory=_Options)
    attribution_changes: dict[str, tuple[str, Stance | None]] = field(default_factory=dict)
    entries: list[tuple[str, Entry, float]] = field(default_factory=list)
    children: list[_Group] = field(default_factory=list)

    @property
    def is_point(self) -> bool:
        return self.kind in ("insert", "append")

    def contains(self, other: _Group) -> bool:
        if self.is_point:
            return False
        if other.is_point:
            return self.start < other.start < self.end
        return self.start <= other.start and other.end <= self.end

    def crosses(self, other: _Group) -> bool:
        if self.is_point or other.is_point:
            return False
        return self.start < other.start < self.end < other.end


_RANK = {"span": 0, "wrap": 1, "attrs": 2, "insert": 3, "append": 3}


@dataclass
class _NewParagraph:
    """A paragraph the round adds: an alternative to a paragraph, or a new one after it."""

    after: str
    id: str
    label: str | None
    options: _Options
    alternative: bool
    entries: list[tuple[str, Entry, float]] = field(default_factory=list)


class _ParagraphPlan:
    """The groups planned for one paragraph."""

    def __init__(self, paragraph: Paragraph) -> None:
        self.paragraph = paragraph
        self.text = paragraph_text(paragraph)
        self.groups: dict[tuple, _Group] = {}

    def group(self, kind: str, start: int, end: int, span: BracketSpan | None = None) -> _Group:
        key = (kind, start, end)
        found = self.groups.get(key)
        if found is None:
            found = self.groups[key] = _Group(kind, start, end, span)
        return found


def _foreign_attribution(entry: Entry, code: str) -> str | None:
    """Why an entry's words may not be written: they attribute to another delegation, or in look-alike letters."""
    from cicatext.notation.lookalikes import attribution_groups

    for group in attribution_groups(entry.text or ""):
        if group.lookalike or group.code != code:
            return (f"its text attributes words to {group.code} ('{group.written}'): a delegation's entries "
                    "speak only for it")
    return None


def compile_round(draft: Draft, position_sets: Iterable[PositionSet], *,
                  pending: Mapping[str, set[str]] | None = None) -> CompiledRound:
    """The next bracketed revision of `draft` with every position set's entries placed in it.

    With `pending` (delegation code → entry keys), only those entries are
    compiled. Position sets are taken in the order of their delegation codes.
    """
    plans: dict[str, _ParagraphPlan] = {}
    new_paragraphs: list[_NewParagraph] = []
    unplaced: list[Unplaced] = []
    existing_ids = {p.id for p in draft.paragraphs}

    def plan_of(paragraph: Paragraph) -> _ParagraphPlan:
        if paragraph.id not in plans:
            plans[paragraph.id] = _ParagraphPlan(paragraph)
        return plans[paragraph.id]

    sequence: dict[tuple[str, str], int] = {}
    for position_set in sorted(position_sets, key=lambda s: s.delegation):
        code = position_set.delegation
        wanted = pending.get(code) if pending is not None else None
        for entry in position_set.entries:
            if wanted is not None and entry.key not in wanted:
                continue
            sequence.setdefault((code, entry.key), len(sequence))
            if (foreign := _foreign_attribution(entry, code)) is not None:
                outcome = foreign
            elif entry.action == "insert" and entry.after_paragraph:
                outcome = _plan_new_paragraph(draft, entry, code, new_paragraphs, existing_ids)
            else:
                paragraph = draft.paragraph(entry.paragraph)
                if paragraph is None:
                    outcome = f"paragraph {entry.paragraph!r} is not in the text"
                else:
                    outcome = _plan_entry(plan_of(paragraph), entry, code, new_paragraphs, existing_ids)
            if isinstance(outcome, str):
                unplaced.append(Unplaced(code, entry, outcome))

    contents: dict[str, str] = {}
    for paragraph_id, plan in plans.items():
        content, rejected = _render_plan(plan)
        contents[paragraph_id] = content
        for code, entry, reason in rejected:
            unplaced.append(Unplaced(code, entry, reason))
    left_out = {(u.delegation, u.entry.key) for u in unplaced}
    # An entry may touch two groups (an objection and a new alternative); it is listed once.
    placed: dict[tuple[str, str], Placed] = {}
    groups = [g for plan in plans.values() for g in plan.groups.values()]
    for code, entry, score in [item for g in groups for item in g.entries] + [
            item for new in new_paragraphs for item in new.entries]:
        if (code, entry.key) not in left_out:
            placed.setdefault((code, entry.key), Placed(code, entry, score < 100, score))

    text = _assemble(draft, contents, new_paragraphs)
    from cicatext.notation.reader import read

    return CompiledRound(
        text, read(text).draft,
        tuple(sorted(placed.values(), key=lambda p: sequence[(p.delegation, p.entry.key)])),
        tuple(sorted(unplaced, key=lambda u: sequence[(u.delegation, u.entry.key)])),
    )


def _new_text_problem(entry: Entry) -> str | None:
    """Why an entry's new text cannot stand inside its bracket (broken notation, a paragraph break), or None."""
    if entry.action not in TEXT_ACTIONS or entry.text is None:
        return None
    from cicatext.notation.reader import read

    reading = read(f"[{entry.text}] (+{_PROBE_CODE})")
    if len(reading.draft.paragraphs) != 1:
        return "its new text runs over a paragraph break; propose each paragraph as its own entry"
    errors = [p for p in reading.problems if p.severity == "error"]
    if errors:
        return f"its new text is not well-formed bracketed text ({errors[0].message}); correct it and propose it again"
    return None


_PROBE_CODE = "PROBE"


def _plan_new_paragraph(draft: Draft, entry: Entry, code: str, new_paragraphs: list[_NewParagraph],
                        existing_ids: set[str]) -> str | None:
    problem = _new_text_problem(entry)
    if problem:
        return problem
    if draft.paragraph(entry.after_paragraph) is None:
        return f"paragraph {entry.after_paragraph!r}, which the new paragraph follows, is not in the text"
    if entry.paragraph in existing_ids:
        return f"paragraph {entry.paragraph!r} already exists; propose an insertion in it instead"
    for new in new_paragraphs:
        if not new.alternative and new.id == entry.paragraph:
            new.options.add(entry.text or "", code)
            new.entries.append((code, entry, 100.0))
            return None
    options = _Options()
    options.add(entry.text or "", code)
    new_paragraphs.append(_NewParagraph(entry.after_paragraph, entry.paragraph, None, options, False,
                                        [(code, entry, 100.0)]))
    return None


def _plan_entry(plan: _ParagraphPlan, entry: Entry, code: str, new_paragraphs: list[_NewParagraph],
                existing_ids: set[str]) -> str | None:
    """Add one entry to its paragraph's plan; a reason string when it cannot be placed."""
    problem = _new_text_problem(entry)
    if problem:
        return problem
    text = plan.text
    if entry.action in BRACKET_ACTIONS:
        found = resolve_bracket(text, entry, plan.paragraph.id, plan.paragraph)
        if isinstance(found, str):
            return found
        span, score = found
        stance = {"+": Stance.PROPOSE, "-": Stance.OBJECT}.get(entry.stance or "")
        if entry.action == "withdraw" and not any(a.code == code for a in span.bracket.attributions):
            return f"{code} has no attribution on bracket {plan.paragraph.id}:{span.ordinal} to withdraw"
        change = {"support": ("join", stance), "withdraw": ("withdraw", None),
                  "reserve": ("join", Stance.RESERVE)}[entry.action]
        group = plan.group("attrs", span.attributions_start, span.end, span)
        group.attribution_changes[code] = change
        group.entries.append((code, entry, score))
        return None

    if entry.action == "alternative" and (entry.anchor is None or not entry.anchor.text.strip()
                                          or normalise(entry.anchor.text) == normalise(text.reading)):
        _plan_alternative_paragraph(plan.paragraph, entry, code, new_paragraphs, existing_ids)
        return None

    anchor = entry.anchor or Anchor()
    located = locate_anchor(text.reading, anchor)
    if isinstance(located, str):
        return located
    start, end, score = located
    if entry.action == "insert":
        point = insertion_point(text, start)
        if _reads_as_attribution(text.raw, point):
            return _ROUND_GROUP_REASON
        group = plan.group("insert", point, point)
        group.options.add(entry.text or "", code)
        group.entries.append((code, entry, score))
        return None

    raw_start, raw_end = balanced(text, text.offsets[start], text.offsets[end - 1] + 1)
    exact = exact_bracket(text, raw_start, raw_end)
    if exact is not None:
        return _plan_on_bracket(plan, exact, entry, code, score)
    if _reads_as_attribution(text.raw, raw_end):
        return _ROUND_GROUP_REASON
    group = plan.group("span", raw_start, raw_end)
    if entry.action in ("delete", "replace"):
        group.objectors.add(code)
    if entry.action in ("replace", "alternative"):
        group.options.add(entry.text or "", code)
    group.entries.append((code, entry, score))
    return None


# Punctuation first: the reader takes `]; (RMT)` for a bracket, its trailer and an attribution.
_ROUND_AFTER = re.compile(r"[.,;:!?]*[^\S\n]*(?:\n[^\S\n]*)?\(([^()\[\]\n]{0,64})\)")
_ATTRIBUTION_INSIDE = re.compile(r"\s*[+-]\s*[A-Za-z][A-Za-z0-9]*\s*|\s*[A-Za-z][A-Za-z0-9]*\s+[Tt][Cc][Bb]\s*"
                                 r"|\s*[A-Z][A-Z0-9]*\s*|\s*[+-]?\s*|\s*(?i:tcb)\s*")
_ROUND_GROUP_REASON = ("its span ends just before a round-bracketed group such as (RMT), which after a new "
                       "bracket would read as an attribution; quote the group in the span")


def _reads_as_attribution(raw: str, end: int) -> bool:
    """True when what follows `end` is a round-bracketed group the reader would take for an attribution
    (or a malformed one) once a bracket closes there: `(RMT)` is text only where no bracket precedes it."""
    found = _ROUND_AFTER.match(raw, end)
    return found is not None and _ATTRIBUTION_INSIDE.fullmatch(found.group(1)) is not None


def _plan_on_bracket(plan: _ParagraphPlan, span: BracketSpan, entry: Entry, code: str, score: float) -> None:
    """A delete, replace or alternative whose span is exactly an existing bracket's text."""
    text = plan.text
    parent = text.brackets[span.parent - 1] if span.parent else None
    objects = entry.action in ("delete", "replace")
    if objects:
        attrs = plan.group("attrs", span.attributions_start, span.end, span)
        attrs.attribution_changes[code] = ("join", Stance.OBJECT)
        attrs.entries.append((code, entry, score))
    if entry.action == "delete":
        return None
    if parent is not None and parent.bracket.is_options:
        group = plan.group("append", parent.close, parent.close, parent)
    elif span.bracket.is_options:
        group = plan.group("append", span.close, span.close, span)
    else:
        group = plan.group("wrap", span.start, span.end, span)
    group.options.add(entry.text or "", code)
    if not objects:
        group.entries.append((code, entry, score))
    return None


def _plan_alternative_paragraph(paragraph: Paragraph, entry: Entry, code: str,
                                new_paragraphs: list[_NewParagraph], existing_ids: set[str]) -> None:
    for new in new_paragraphs:
        first = next(iter(new.options.texts.values()), "")
        if new.alternative and new.after == paragraph.id and normalise(first) == normalise(
                _with_label(entry.text or "", new.label)):
            new.options.add(_with_label(entry.text or "", new.label), code)
            new.entries.append((code, entry, 100.0))
            return
    taken = existing_ids | {n.id for n in new_paragraphs}
    number = 1
    while True:
        suffix = "altern" if number == 1 else f"altern{number}"
        candidate = f"{paragraph.id}{suffix}"
        if candidate not in taken:
            break
        number += 1
    label = None
    if paragraph.label:
        label = paragraph.label.rstrip(".") + suffix + ("." if paragraph.label.endswith(".") else "")
    options = _Options()
    options.add(_with_label(entry.text or "", label), code)
    new_paragraphs.append(_NewParagraph(paragraph.id, candidate, label, options, True, [(code, entry, 100.0)]))


def _with_label(text: str, label: str | None) -> str:
    text = text.strip()
    if not label or LABEL.match(text):
        return text
    return f"{label} {text}"


def _attribution_text(code: str, stance: Stance) -> str:
    return " " + Attribution(code, stance).canonical()


def _render_plan(plan: _ParagraphPlan) -> tuple[str, list[tuple[str, Entry, str]]]:
    """The paragraph's new content and the entries whose groups crossed another's."""
    raw = plan.text.raw
    groups = sorted(plan.groups.values(), key=lambda g: (g.start, -g.end, _RANK[g.kind]))
    roots: list[_Group] = []
    stack: list[_Group] = []
    rejected: list[tuple[str, Entry, str]] = []
    for group in groups:
        crossed = None
        while stack and not stack[-1].contains(group):
            if stack[-1].crosses(group):
                crossed = stack[-1]
                break
            stack.pop()
        if crossed is not None:
            who = ", ".join(sorted({code for code, _, _ in crossed.entries}))
            for code, entry, _ in group.entries:
                rejected.append((code, entry, f"its span overlaps {who}'s span {quote(raw[crossed.start:crossed.end])} "
                                              "without containing it; propose it again on the new revision"))
            continue
        (stack[-1].children if stack else roots).append(group)
        if not group.is_point:
            stack.append(group)
    return _emit(raw, 0, len(raw), roots), rejected


def _emit(raw: str, low: int, high: int, groups: list[_Group]) -> str:
    """`raw` from `low` to `high` with `groups` (and the groups within them) written in, on an explicit stack:
    spans nest to any depth."""
    # Each frame: the group whose text is being written (None for the whole), its end, what is written of
    # it so far, where the text not yet written begins, and the groups left within it.
    stack: list[tuple[_Group | None, int, list[str], int, Iterator[_Group]]] = [(None, high, [], low, iter(groups))]
    while True:
        owner, end, out, cursor, pending = stack[-1]
        for group in pending:
            out.append(raw[cursor:group.start])
            cursor = group.end
            if group.kind == "insert":
                _emit_insert(out, group, raw[group.start:end])
            elif group.kind == "append":
                out.append("".join(f", {_option(text, codes, Stance.PROPOSE)}"
                                   for text, codes in group.options.ordered()))
            else:
                stack[-1] = (owner, end, out, cursor, pending)
                stack.append((group, group.end, [], group.start, iter(group.children)))
                break
        else:
            out.append(raw[cursor:end])
            stack.pop()
            if owner is None:
                return "".join(out)
            stack[-1][2].append(_render_group(owner, "".join(out)))


def _option(text: str, codes: list[str], stance: Stance) -> str:
    return f"[{text}]" + "".join(_attribution_text(code, stance) for code in codes)


def _emit_insert(out: list[str], group: _Group, following: str) -> None:
    ordered = group.options.ordered()
    if len(ordered) == 1:
        text, codes = ordered[0]
        core = _option(text, codes, Stance.PROPOSE)
        first = text[:1]
    else:
        core = "[" + ", ".join(_option(text, codes, Stance.PROPOSE) for text, codes in ordered) + "]"
        first = ""
    so_far = "".join(out)
    if first and first in _CLOSING and so_far and so_far[-1].isspace():
        trimmed = so_far.rstrip()
        out.clear()
        out.append(trimmed)
        so_far = trimmed
    if so_far and not so_far[-1].isspace() and not (first and first in _CLOSING) and so_far[-1] not in "([":
        core = " " + core
    if following and not following[0].isspace() and following[0] not in _CLOSING.replace(")", "") + "]":
        core += " "
    out.append(core)


def _render_group(group: _Group, inner: str) -> str:
    if group.kind == "attrs":
        return _render_attributions(group)
    if group.kind == "wrap":
        options = ", ".join(_option(t, c, Stance.PROPOSE) for t, c in group.options.ordered())
        return f"[{inner}, {options}]"
    objections = "".join(_attribution_text(code, Stance.OBJECT) for code in sorted(group.objectors))
    if not group.options:
        return f"[{inner}]{objections}"
    options = ", ".join(_option(t, c, Stance.PROPOSE) for t, c in group.options.ordered())
    return f"[[{inner}]{objections}, {options}]"


def _render_attributions(group: _Group) -> str:
    span = group.span
    changes = group.attribution_changes
    kept = [a for a in span.bracket.attributions if a.code not in changes]
    pieces = [a.lead + a.source() for a in kept]
    for code in sorted(changes):
        what, stance = changes[code]
        if what == "join" and stance is not None:
            pieces.append(_attribution_text(code, stance))
    return "".join(pieces)


def _assemble(draft: Draft, contents: Mapping[str, str], new_paragraphs: list[_NewParagraph]) -> str:
    """The whole text: changed paragraphs rewritten, new ones after the paragraph they follow."""
    after: dict[str, list[_NewParagraph]] = {}
    paragraphs = draft.paragraphs
    for new in sorted(new_paragraphs, key=lambda n: (not n.alternative, min(min(c) for c in n.options.codes.values()), n.id)):
        anchor = new.after
        index = next(i for i, p in enumerate(paragraphs) if p.id == anchor)
        # After the paragraph's existing alternatives (op11altern follows op11).
        while index + 1 < len(paragraphs) and paragraphs[index + 1].id.startswith(anchor) and re.fullmatch(
                r"(?:altern|alt|bis|ter|quater)\d*(?:-\d+)?", paragraphs[index + 1].id[len(anchor):]):
            index += 1
        after.setdefault(paragraphs[index].id, []).append(new)
    separators = draft.separators
    parts = [separators[0] if separators else ""]
    for index, paragraph in enumerate(paragraphs):
        parts.append(paragraph.marker)
        parts.append(contents.get(paragraph.id, render(paragraph.content)))
        trailing = separators[index + 1] if index + 1 < len(separators) else ""
        extra = after.get(paragraph.id)
        if extra:
            gap = "\n\n"
            for new in extra:
                parts.append(gap)
                parts.append(f"{{#{new.id}}} ")
                ordered = new.options.ordered()
                if len(ordered) == 1:
                    parts.append(_option(*ordered[0], Stance.PROPOSE))
                else:
                    parts.append("[" + ", ".join(_option(t, c, Stance.PROPOSE) for t, c in ordered) + "]")
            if not trailing:
                trailing = "\n"
        parts.append(trailing)
    return "".join(parts)


__all__ = ["CompiledRound", "Placed", "Unplaced", "compile_round"]
