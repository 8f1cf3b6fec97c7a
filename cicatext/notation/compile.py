"""Position sets and compiling them into the next bracketed revision of a draft.

A `PositionSet` is one delegation's entries on one document: insertions,
deletions, replacements, alternatives, support, withdrawals and reservations,
each anchored to a paragraph and a quoted span with a little context. Anchors
quote a paragraph's *reading text*: what stands there with the bracket marks
and attributions taken out, so `cultural [and religious] (-CHN)` reads
`cultural and religious`.

`compile_round` places every entry of every position set in the draft as it
stands (all anchors are looked up in the same text, so the order of the
delegations does not change the result), groups what concerns the same span,
and writes the brackets: `[text] (+CODE)`, `[text] (-CODE)`, options groups
`[[old] (-A), [new] (+A)]`, joined attributions, `(CODE tcb)`, and
alternative paragraphs. An anchor that no longer matches exactly is found
again fuzzily when one match stands out; otherwise the entry is returned as
unplaced, never dropped.

`entries_from_edit` goes the other way: from a delegation's edit of the text
to the entries of its position set.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain
from typing import Any

from cicatext.errors import Problem, RecordError
from cicatext.notation.render import render
from cicatext.notation.tree import Attribution, Bracket, Draft, Paragraph, Stance, Text

ACTIONS = ("insert", "delete", "replace", "alternative", "support", "withdraw", "reserve")
TEXT_ACTIONS = ("insert", "replace", "alternative")
BRACKET_ACTIONS = ("support", "withdraw", "reserve")

FUZZY_SCORE = 90
"""The least rapidfuzz score (0-100) at which a moved anchor is found again."""
FUZZY_MARGIN = 5
"""How far the best fuzzy match must lead the runner-up to count as unambiguous."""
CONTEXT_WORDS = 4
"""Words of context written on either side of a quoted span."""

_CLOSING = ",.;:!?)"
_LABEL = re.compile(r"^\[?\d{1,3}(?:\.\d{1,3})*[a-z]*\.?(?=\s)")


# Position sets -----------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """Where an entry applies: the quoted span and a few words either side, in reading text."""

    before: str = ""
    """Words immediately before the span."""
    text: str = ""
    """The span itself; empty for an insertion point."""
    after: str = ""
    """Words immediately after the span."""

    def to_record(self) -> dict:
        """The anchor as written in a position set (empty context left out)."""
        record: dict = {}
        if self.before:
            record["before"] = self.before
        record["text"] = self.text
        if self.after:
            record["after"] = self.after
        return record


@dataclass(frozen=True)
class Entry:
    """One position of one delegation on one paragraph."""

    action: str
    """insert, delete, replace, alternative, support, withdraw or reserve."""
    paragraph: str
    """The paragraph id (for a new paragraph: the id it is to have)."""
    anchor: Anchor | None = None
    """The quoted span, for text actions; for bracket actions, the bracket's reading text."""
    text: str | None = None
    """The new text, for insert, replace and alternative."""
    bracket: str | None = None
    """An existing bracket's id (`op11:2`), for support, withdraw and reserve."""
    stance: str | None = None
    """`+` or `-`, for support."""
    justification: str | None = None
    """The delegation's reasons; never put in the text."""
    id: str | None = None
    """The entry's id within its position set (`e1`, `e2`, ...)."""
    after_paragraph: str | None = None
    """For an insertion of a whole new paragraph (no anchor): the existing paragraph it comes after."""

    @property
    def key(self) -> str:
        """Identifies this entry across rounds: its id and a digest of what it asks (justification aside)."""
        content = json.dumps(
            [self.action, self.paragraph, self.anchor.to_record() if self.anchor else None, self.text,
             self.bracket, self.stance, self.after_paragraph],
            ensure_ascii=False, sort_keys=True,
        )
        digest = hashlib.sha1(content.encode("utf-8")).hexdigest()[:10]
        return f"{self.id or '-'}:{digest}"

    def describe(self, width: int = 60) -> str:
        """One line for people: `insert in op9 "and spiritual"`."""
        quoted = self.text if self.action in TEXT_ACTIONS else (self.anchor.text if self.anchor else "")
        where = self.bracket or self.paragraph
        if self.action == "support":
            verb = "support" if self.stance == "+" else "object to"
            return f"{verb} {where}" + (f" {_quote(quoted, width)}" if quoted else "")
        if self.action in ("withdraw", "reserve"):
            return f"{self.action} on {where}"
        if self.action == "delete":
            quoted = self.anchor.text if self.anchor else ""
        if self.action == "insert" and self.after_paragraph:
            return f"new paragraph {self.paragraph} after {self.after_paragraph} {_quote(quoted, width)}"
        return f"{self.action} in {where} {_quote(quoted, width)}"

    def to_record(self) -> dict:
        """The entry as a plain mapping, keys in the schema's order."""
        record: dict = {}
        if self.id:
            record["id"] = self.id
        record["action"] = self.action
        record["paragraph"] = self.paragraph
        if self.after_paragraph:
            record["after_paragraph"] = self.after_paragraph
        if self.bracket:
            record["bracket"] = self.bracket
        if self.stance:
            record["stance"] = self.stance
        if self.anchor is not None:
            record["anchor"] = self.anchor.to_record()
        if self.text is not None:
            record["text"] = self.text
        if self.justification:
            record["justification"] = self.justification
        return record

    @classmethod
    def from_record(cls, value: Any, *, file: str | None = None, index: int = 0) -> Entry:
        """An entry from its mapping; `RecordError` naming the entry when a field is missing or wrong."""
        where = f"entry {index + 1}"
        if not isinstance(value, Mapping):
            raise RecordError(f"{where} is not a mapping", file=file, hint="each entry has action, paragraph, ...")
        action = value.get("action")
        if action not in ACTIONS:
            raise RecordError(f"{where}: unknown action {action!r}", file=file,
                              hint=f"use one of: {', '.join(ACTIONS)}")
        paragraph = value.get("paragraph")
        if not isinstance(paragraph, str) or not paragraph.strip():
            raise RecordError(f"{where}: no paragraph id", file=file, hint="write paragraph: op11 (the {#id} marker)")
        anchor = None
        raw_anchor = value.get("anchor")
        if raw_anchor is not None:
            if not isinstance(raw_anchor, Mapping):
                raise RecordError(f"{where}: anchor must be a mapping of before, text, after", file=file)
            anchor = Anchor(str(raw_anchor.get("before") or ""), str(raw_anchor.get("text") or ""),
                            str(raw_anchor.get("after") or ""))
        text = value.get("text")
        if action in TEXT_ACTIONS and (not isinstance(text, str) or not text.strip()):
            raise RecordError(f"{where}: a{'n' if action[0] in 'aei' else ''} {action} needs the new text",
                              file=file, hint="write text: with the words proposed")
        if action in ("insert", "delete", "replace") and anchor is None and not value.get("after_paragraph"):
            raise RecordError(f"{where}: a{'n' if action[0] in 'aei' else ''} {action} needs an anchor",
                              file=file, hint="write anchor: {before: ..., text: ..., after: ...}")
        if action in ("delete", "replace") and not (anchor and anchor.text.strip()):
            raise RecordError(f"{where}: a {action} must quote the text it concerns (anchor.text)", file=file)
        stance = value.get("stance")
        if action == "support" and stance not in ("+", "-"):
            raise RecordError(f"{where}: support needs stance + or -", file=file,
                              hint="stance: '+' joins the proposal, '-' joins the objection")
        bracket = value.get("bracket")
        if action in BRACKET_ACTIONS and not bracket and anchor is None:
            raise RecordError(f"{where}: a {action} names the bracket (bracket: op11:2) or quotes it (anchor)",
                              file=file)
        return cls(
            action=action,
            paragraph=paragraph.strip(),
            anchor=anchor,
            text=text if action in TEXT_ACTIONS else None,
            bracket=str(bracket) if bracket else None,
            stance=stance if action == "support" else None,
            justification=str(value["justification"]) if value.get("justification") else None,
            id=str(value["id"]) if value.get("id") is not None else None,
            after_paragraph=str(value["after_paragraph"]) if value.get("after_paragraph") else None,
        )


@dataclass(frozen=True)
class PositionSet:
    """One delegation's entries on one document."""

    delegation: str
    """The delegation code."""
    document: str
    """The document's base symbol."""
    entries: tuple[Entry, ...] = ()
    """The entries in the order written."""
    based_on: str | None = None
    """The revision symbol the entries were written against."""

    def to_record(self) -> dict:
        """The position set as a plain mapping for positions/CODE/<slug>.yaml."""
        record: dict = {"delegation": self.delegation, "document": self.document}
        if self.based_on:
            record["based_on"] = self.based_on
        record["entries"] = [entry.to_record() for entry in self.entries]
        return record

    @classmethod
    def from_record(cls, value: Any, *, file: str | None = None) -> PositionSet:
        """A position set from its mapping; `RecordError` when it is not one."""
        if not isinstance(value, Mapping):
            raise RecordError("a position set must be a mapping", file=file,
                              hint="write delegation:, document: and entries:")
        delegation = value.get("delegation")
        document = value.get("document")
        if not isinstance(delegation, str) or not isinstance(document, str):
            raise RecordError("a position set names its delegation and document", file=file,
                              hint="write delegation: CODE and document: BASE/SYMBOL")
        entries = value.get("entries") or []
        if not isinstance(entries, list):
            raise RecordError("entries must be a list", file=file)
        return cls(
            delegation=delegation,
            document=document,
            entries=tuple(Entry.from_record(item, file=file, index=i) for i, item in enumerate(entries)),
            based_on=str(value["based_on"]) if value.get("based_on") else None,
        )

    def next_id(self) -> int:
        """The number of the next `eN` id: one more than the highest used."""
        numbers = [int(e.id[1:]) for e in self.entries if e.id and re.fullmatch(r"e\d+", e.id)]
        return max(numbers, default=0) + 1


# Reading text ----------------------------------------------------------------------


@dataclass(frozen=True)
class BracketSpan:
    """Where one bracket stands in its paragraph's written content."""

    ordinal: int
    """1-based pre-order number in the paragraph (the N of `op11:N`)."""
    start: int
    """Offset of its `[`."""
    close: int
    """Offset of its `]` (the end of the body)."""
    attributions_start: int
    """Offset just past `]` and its punctuation trailer."""
    end: int
    """Offset just past its last attribution."""
    depth: int
    """1 for an outermost bracket."""
    parent: int | None
    """The ordinal of the bracket directly around it."""
    bracket: Bracket
    """The bracket itself."""


@dataclass(frozen=True)
class ParagraphText:
    """A paragraph's content as written and as read, and the map between the two."""

    raw: str
    """The content as written (id marker excluded)."""
    reading: str
    """The content without bracket marks and attributions."""
    runs: tuple[tuple[int, ...], tuple[int, ...]]
    """Where each run of `reading` starts, in `reading` and in `raw`: a run is
    text written in one piece (a text node or a bracket's trailer)."""
    brackets: tuple[BracketSpan, ...]
    """Every bracket, in pre-order."""

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        """For each character of `reading`, its offset in `raw`."""
        read_at, raw_at = self.runs
        ends = read_at[1:] + (len(self.reading),)
        return tuple(chain.from_iterable(range(raw, raw + end - read) for read, raw, end in zip(read_at, raw_at, ends)))

    @cached_property
    def bracket_readings(self) -> tuple[str, ...]:
        """Each bracket's words, white space made single, in the order of `brackets`."""
        return tuple(normalise(self.body_reading(span)) for span in self.brackets)

    def _read_before(self, raw_offset: int) -> int:
        """How many characters of `reading` are written before `raw_offset`."""
        read_at, raw_at = self.runs
        run = bisect_right(raw_at, raw_offset) - 1
        if run < 0:
            return 0
        end = read_at[run + 1] if run + 1 < len(read_at) else len(self.reading)
        return min(end, read_at[run] + raw_offset - raw_at[run])

    def body_reading(self, span: BracketSpan) -> str:
        """The reading text of a bracket's body."""
        # Runs grow in both texts: the body's characters are one stretch of `reading`.
        return self.reading[self._read_before(span.start + 1) : self._read_before(span.close)]


def paragraph_text(paragraph: Paragraph) -> ParagraphText:
    """The written and reading text of a paragraph's content, with its brackets located."""
    raw: list[str] = []
    reading: list[str] = []
    read_at: list[int] = []
    raw_at: list[int] = []
    spans: list[BracketSpan | None] = []
    at = 0
    read = 0

    def walk(nodes, depth: int, parent: int | None) -> None:
        nonlocal at, read
        for node in nodes:
            if type(node) is Text:
                piece = node.text
                raw.append(piece)
                reading.append(piece)
                read_at.append(read)
                raw_at.append(at)
                read += len(piece)
                at += len(piece)
                continue
            ordinal = len(spans) + 1
            spans.append(None)
            start = at
            raw.append("[")
            at += 1
            walk(node.body, depth + 1, ordinal)
            close = at
            if node.closed:
                raw.append("]")
                at += 1
            if node.trailer:
                raw.append(node.trailer)
                reading.append(node.trailer)
                read_at.append(read)
                raw_at.append(at)
                read += len(node.trailer)
                at += len(node.trailer)
            attributions_start = at
            for attribution in node.attributions:
                piece = attribution.lead + attribution.source()
                raw.append(piece)
                at += len(piece)
            spans[ordinal - 1] = BracketSpan(ordinal, start, close, attributions_start, at, depth, parent, node)

    walk(paragraph.content, 1, None)
    return ParagraphText("".join(raw), "".join(reading), (tuple(read_at), tuple(raw_at)), tuple(s for s in spans if s))


def reading_text(paragraph: Paragraph) -> str:
    """A paragraph's reading text: its words without bracket marks or attributions."""
    return paragraph_text(paragraph).reading


def normalise(text: str) -> str:
    """White space collapsed to single spaces, ends stripped."""
    # str.split() splits at exactly the characters `\s` matches, in C.
    return " ".join(text.split())


# Results ---------------------------------------------------------------------------


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


def check_entries(draft: Draft, position_set: PositionSet, *, file: str | None = None) -> list[Problem]:
    """Problems that make a position set unusable on this draft: entries on paragraphs it does not have."""
    problems = []
    ids = {p.id for p in draft.paragraphs}
    for index, entry in enumerate(position_set.entries):
        label = f"entry {entry.id or index + 1} ({entry.action})"
        if entry.action == "insert" and entry.after_paragraph:
            if entry.after_paragraph not in ids:
                problems.append(Problem(
                    f"{label} of {position_set.delegation} follows paragraph {entry.after_paragraph!r}, "
                    f"which {position_set.document} does not have", file=file,
                    hint=_paragraph_hint(entry.after_paragraph, ids)))
            continue
        if entry.paragraph not in ids:
            problems.append(Problem(
                f"{label} of {position_set.delegation} is anchored to paragraph {entry.paragraph!r}, "
                f"which {position_set.document} does not have", file=file,
                hint=_paragraph_hint(entry.paragraph, ids)))
    return problems


def _paragraph_hint(wanted: str, ids: set[str]) -> str:
    from rapidfuzz import fuzz, process

    best = process.extractOne(wanted, sorted(ids), scorer=fuzz.ratio) if ids else None
    near = f"did you mean {best[0]!r}? " if best and best[1] >= 60 else ""
    return near + "paragraph ids are the {#id} markers of the document's text"


# Compiling -------------------------------------------------------------------------


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
            if entry.action == "insert" and entry.after_paragraph:
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
        found = _resolve_bracket(text, entry, plan.paragraph.id)
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
    located = _locate(text.reading, anchor)
    if isinstance(located, str):
        return located
    start, end, score = located
    if entry.action == "insert":
        point = _insertion_point(text, start)
        if _reads_as_attribution(text.raw, point):
            return _ROUND_GROUP_REASON
        group = plan.group("insert", point, point)
        group.options.add(entry.text or "", code)
        group.entries.append((code, entry, score))
        return None

    raw_start, raw_end = _balanced(text, text.offsets[start], text.offsets[end - 1] + 1)
    exact = _exact_bracket(text, raw_start, raw_end)
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
    if not label or _LABEL.match(text):
        return text
    return f"{label} {text}"


# Locating anchors -----------------------------------------------------------------


@lru_cache(maxsize=1024)
def _squeezed(reading: str) -> tuple[str, tuple[int, ...]]:
    """The reading text without white space, and each remaining character's offset in the reading text."""
    offsets = tuple(i for i, ch in enumerate(reading) if not ch.isspace())
    return "".join(reading[i] for i in offsets), offsets


def _locate(reading: str, anchor: Anchor) -> tuple[int, int, float] | str:
    """The anchored span in reading text as (start, end, score), or the reason it cannot be placed.

    White space does not count: the anchor's parts are found in the reading
    text with its spaces and line breaks taken out, so re-wrapped text still
    matches exactly.
    """
    before, middle, after = ("".join(part.split()) for part in (anchor.before, anchor.text, anchor.after))
    if not (before or middle or after):
        end = len(reading.rstrip())
        return end, end, 100.0
    squeezed, offsets = _squeezed(reading)
    needle = before + middle + after
    spans = set()
    at = squeezed.find(needle)
    while at >= 0:
        first, last = offsets[at], offsets[at + len(needle) - 1]
        # Whole words at the edges: `for` does not match inside `forms`.
        if not (reading[first].isalnum() and first > 0 and reading[first - 1].isalnum()) and not (
                reading[last].isalnum() and last + 1 < len(reading) and reading[last + 1].isalnum()):
            spans.add(_span_of(reading, offsets, at, before, middle, after))
        at = squeezed.find(needle, at + 1)
    if len(spans) == 1:
        start, end = spans.pop()
        return start, end, 100.0
    if len(spans) > 1:
        return (f"the anchor {_quote(_needle(anchor))} occurs {len(spans)} times in the paragraph; "
                "quote more words around it")
    return _fuzzy(reading, anchor)


def _span_of(reading: str, offsets: tuple[int, ...], at: int, before: str, middle: str, after: str) -> tuple[int, int]:
    """The reading-text span of the quoted part of a match found at squeezed offset `at`."""
    head = at + len(before)
    if middle:
        return offsets[head], offsets[head + len(middle) - 1] + 1
    if after:
        point = offsets[head]
    else:
        point = offsets[head - 1] + 1
        while point < len(reading) and reading[point].isspace():
            point += 1
    return point, point


def _needle(anchor: Anchor) -> str:
    return " ".join(part for part in (normalise(anchor.before), normalise(anchor.text), normalise(anchor.after))
                    if part)


def _fuzzy(reading: str, anchor: Anchor) -> tuple[int, int, float] | str:
    """Find a moved anchor again: one clear best match of the quoted span with its context."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    needle = _needle(anchor)
    lost = f"the quoted text {_quote(anchor.text or needle)} is no longer in the paragraph"
    if not needle or not reading:
        return lost
    best = fuzz.partial_ratio_alignment(needle, reading)
    if best is None or best.score < FUZZY_SCORE:
        return lost
    masked = reading[: best.dest_start] + "\0" * (best.dest_end - best.dest_start) + reading[best.dest_end:]
    runner = fuzz.partial_ratio_alignment(needle, masked)
    if runner is not None and runner.score > best.score - FUZZY_MARGIN:
        return (f"the quoted text {_quote(anchor.text or needle)} has moved and matches "
                f"{_quote(reading[runner.dest_start:runner.dest_end])} as well as "
                f"{_quote(reading[best.dest_start:best.dest_end])}; quote more words around it")
    window = reading[best.dest_start:best.dest_end]
    opcodes = Levenshtein.opcodes(needle, window)
    lead = normalise(anchor.before)
    text_start = len(lead) + 1 if lead else 0
    text = normalise(anchor.text)
    if not text:
        point = best.dest_start + _map_offset(opcodes, text_start, len(window))
        return point, point, best.score
    start = best.dest_start + _map_offset(opcodes, text_start, len(window))
    end = best.dest_start + _map_offset(opcodes, text_start + len(text), len(window))
    while start < end and reading[start].isspace():
        start += 1
    while end > start and reading[end - 1].isspace():
        end -= 1
    # Whole words only: a fuzzy edge inside a word moves out to the word's edge.
    while 0 < start < len(reading) and reading[start - 1].isalnum() and reading[start].isalnum():
        start -= 1
    while 0 < end < len(reading) and reading[end - 1].isalnum() and reading[end].isalnum():
        end += 1
    if start >= end or fuzz.ratio(text, normalise(reading[start:end])) < FUZZY_SCORE:
        return lost
    return start, end, best.score


def _map_offset(opcodes, index: int, limit: int) -> int:
    """Where an offset of the needle falls in the aligned window."""
    for op in opcodes:
        if op.src_start <= index < op.src_end or (index == op.src_end and op.src_end == op.src_start):
            if op.tag == "equal" or op.tag == "replace":
                return min(op.dest_start + (index - op.src_start), op.dest_end)
            return op.dest_start
    return limit


def _resolve_bracket(text: ParagraphText, entry: Entry, paragraph_id: str) -> tuple[BracketSpan, float] | str:
    """The bracket a support, withdraw or reserve concerns: by id, checked against its quoted text."""
    quoted = normalise(entry.anchor.text) if entry.anchor and entry.anchor.text else ""
    if entry.bracket:
        pid, _, number = entry.bracket.rpartition(":")
        if pid == paragraph_id and number.isdigit() and 1 <= int(number) <= len(text.brackets):
            span = text.brackets[int(number) - 1]
            if not quoted or normalise(text.body_reading(span)) == quoted:
                return span, 100.0
        elif not quoted:
            return f"no bracket {entry.bracket} in paragraph {paragraph_id}"
    if not quoted:
        return f"bracket {entry.bracket} no longer holds the text it was written against; quote it (anchor.text)"
    bodies = list(zip(text.brackets, text.bracket_readings))
    exact = [span for span, body in bodies if body == quoted]
    if len(exact) == 1:
        return exact[0], 100.0
    if len(exact) > 1:
        return f"{len(exact)} brackets in paragraph {paragraph_id} read {_quote(quoted)}; name it by id"
    from rapidfuzz import fuzz

    scored = sorted(((fuzz.ratio(quoted, body), span.ordinal) for span, body in bodies), reverse=True)
    if scored and scored[0][0] >= FUZZY_SCORE and (len(scored) == 1 or scored[1][0] <= scored[0][0] - FUZZY_MARGIN):
        return text.brackets[scored[0][1] - 1], float(scored[0][0])
    return f"no bracket in paragraph {paragraph_id} reads {_quote(quoted)}"


def _insertion_point(text: ParagraphText, start: int) -> int:
    """The written offset for an insertion before reading offset `start`: the outermost place in the gap."""
    raw = text.raw
    low = text.offsets[start - 1] + 1 if start > 0 else 0
    high = text.offsets[start] if start < len(text.offsets) else len(raw.rstrip())
    if start >= len(text.offsets):
        high = max(high, low)
    best, best_depth = high, None
    for point in range(low, high + 1):
        # Never between a `]` and its attributions.
        if any(s.close < point < s.end for s in text.brackets):
            continue
        depth = sum(1 for s in text.brackets if s.start < point <= s.close)
        if best_depth is None or depth < best_depth:
            best, best_depth = point, depth
    return best


def _balanced(text: ParagraphText, start: int, end: int) -> tuple[int, int]:
    """Widen a written span until it cuts through no bracket or attribution."""
    changed = True
    while changed:
        changed = False
        for span in text.brackets:
            inside_body = span.start < start and end <= span.close
            disjoint = end <= span.start or start >= span.end
            covers = start <= span.start and end >= span.end
            if inside_body or disjoint or covers:
                continue
            start, end = min(start, span.start), max(end, span.end)
            changed = True
    return start, end


def _exact_bracket(text: ParagraphText, start: int, end: int) -> BracketSpan | None:
    """The bracket whose whole body is exactly this written span, if any (innermost first)."""
    raw = text.raw
    for span in reversed(text.brackets):
        body_start, body_end = span.start + 1, span.close
        while body_start < body_end and raw[body_start].isspace():
            body_start += 1
        while body_end > body_start and raw[body_end - 1].isspace():
            body_end -= 1
        if (body_start, body_end) == (start, end):
            return span
    return None


# Writing the plan ------------------------------------------------------------------


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
                rejected.append((code, entry, f"its span overlaps {who}'s span {_quote(raw[crossed.start:crossed.end])} "
                                              "without containing it; propose it again on the new revision"))
            continue
        (stack[-1].children if stack else roots).append(group)
        if not group.is_point:
            stack.append(group)
    return _emit(raw, 0, len(raw), roots), rejected


def _emit(raw: str, low: int, high: int, groups: list[_Group]) -> str:
    out: list[str] = []
    cursor = low
    for group in groups:
        out.append(raw[cursor:group.start])
        if group.kind == "insert":
            _emit_insert(out, group, raw[group.start:high])
        elif group.kind == "append":
            out.append("".join(f", {_option(text, codes, Stance.PROPOSE)}"
                               for text, codes in group.options.ordered()))
        else:
            inner = _emit(raw, group.start, group.end, group.children)
            out.append(_render_group(group, inner))
        cursor = group.end
    out.append(raw[cursor:high])
    return "".join(out)


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


# From an edited text to entries -------------------------------------------------------


@dataclass(frozen=True)
class EditReading:
    """What a delegation's edit of a text amounts to."""

    entries: tuple[Entry, ...]
    """The entries to add to its position set."""
    problems: tuple[Problem, ...]
    """Changes that cannot become entries (another delegation's attribution, a lifted bracket)."""


def entries_from_edit(old: Draft, new: Draft, code: str, *, first_id: int = 1,
                      justification: str | None = None) -> EditReading:
    """The entries that say, as delegation `code`, what editing `old` into `new` proposes."""
    from cicatext.notation.bracket_diff import match_brackets, word_ops

    entries: list[Entry] = []
    problems: list[Problem] = []
    new_ids = {p.id: p for p in new.paragraphs}
    old_ids = [p.id for p in old.paragraphs]

    def add(**fields) -> None:
        entries.append(Entry(id=f"e{first_id + len(entries)}", justification=justification, **fields))

    for paragraph in old.paragraphs:
        before = paragraph_text(paragraph)
        edited = new_ids.get(paragraph.id)
        if edited is None:
            whole = normalise(before.reading)
            if whole:
                add(action="delete", paragraph=paragraph.id, anchor=Anchor(text=whole))
            continue
        after = paragraph_text(edited)
        if before.raw == after.raw:
            continue
        if before.reading != after.reading:
            for op in _merged_ops(word_ops(before.reading, after.reading)):
                kind, old_start, old_end, new_text = op
                old_text = before.reading[old_start:old_end]
                anchor = _anchor_for(before.reading, old_start, old_end)
                if kind == "insert":
                    add(action="insert", paragraph=paragraph.id, anchor=anchor, text=normalise(new_text))
                elif kind == "delete":
                    add(action="delete", paragraph=paragraph.id, anchor=anchor)
                else:
                    if not normalise(new_text):
                        add(action="delete", paragraph=paragraph.id, anchor=anchor)
                    elif normalise(old_text):
                        add(action="replace", paragraph=paragraph.id, anchor=anchor, text=normalise(new_text))
        pairs, removed, added = match_brackets(paragraph, edited, (before, after))
        for old_span, new_span in pairs:
            _attribution_entries(paragraph.id, before, old_span, new_span, code, add, problems)
        for new_span in added:
            others = {a.code for a in new_span.bracket.attributions if a.code != code}
            if others:
                problems.append(Problem(
                    f"paragraph {paragraph.id}: a new bracket names {', '.join(sorted(others))}; "
                    f"you may write only your own code, {code}",
                    hint="other delegations' positions come from their own branches"))
                continue
            body = after.bracket_readings[new_span.ordinal - 1]
            if any(a.stance is Stance.OBJECT for a in new_span.bracket.attributions) and body \
                    and body in normalise(before.reading) and before.reading == after.reading:
                located = _locate(before.reading, Anchor(text=body))
                if isinstance(located, str):
                    problems.append(Problem(f"paragraph {paragraph.id}: {located}"))
                    continue
                add(action="delete", paragraph=paragraph.id,
                    anchor=_anchor_for(before.reading, located[0], located[1]))
        for old_span in removed:
            body = before.bracket_readings[old_span.ordinal - 1]
            if body and body in normalise(after.reading) and before.reading == after.reading:
                problems.append(Problem(
                    f"paragraph {paragraph.id}: the brackets around {_quote(body)} were removed; "
                    "only the secretariat lifts brackets (`cicatext agree`)",
                    hint="to drop your own attribution, remove just the (+CODE) or (-CODE) after the bracket"))

    for paragraph in new.paragraphs:
        if paragraph.id in {p.id for p in old.paragraphs}:
            continue
        reading = normalise(paragraph_text(paragraph).reading)
        if not reading:
            continue
        index = [p.id for p in new.paragraphs].index(paragraph.id)
        previous = next((p.id for p in reversed(new.paragraphs[:index]) if p.id in old_ids), None)
        base = re.sub(r"(?:altern|alt)\d*$", "", paragraph.id)
        if base != paragraph.id and base in old_ids:
            add(action="alternative", paragraph=base, text=_strip_label(reading))
        elif previous is None:
            problems.append(Problem(f"new paragraph {paragraph.id} stands before every existing paragraph",
                                    hint="put it after an existing paragraph"))
        else:
            add(action="insert", paragraph=paragraph.id, after_paragraph=previous, text=reading)
    return EditReading(tuple(entries), tuple(problems))


def _strip_label(text: str) -> str:
    match = _LABEL.match(text)
    return text[match.end():].strip() if match else text


def _attribution_entries(paragraph_id, before: ParagraphText, old_span: BracketSpan, new_span: BracketSpan,
                         code: str, add, problems: list[Problem]) -> None:
    old_stances = {(a.code, a.stance) for a in old_span.bracket.attributions}
    new_stances = {(a.code, a.stance) for a in new_span.bracket.attributions}
    if old_stances == new_stances:
        return
    others = {c for c, _ in old_stances ^ new_stances if c != code}
    if others:
        problems.append(Problem(
            f"bracket {paragraph_id}:{old_span.ordinal}: the attributions of {', '.join(sorted(others))} "
            f"were changed; you may change only your own ({code})",
            hint="other delegations' positions come from their own branches"))
    mine_before = {s for c, s in old_stances if c == code}
    mine_after = {s for c, s in new_stances if c == code}
    if mine_before == mine_after:
        return
    quoted = Anchor(text=normalise(before.body_reading(old_span)))
    bracket_id = f"{paragraph_id}:{old_span.ordinal}"
    if not mine_after:
        add(action="withdraw", paragraph=paragraph_id, bracket=bracket_id, anchor=quoted)
    elif Stance.RESERVE in mine_after:
        add(action="reserve", paragraph=paragraph_id, bracket=bracket_id, anchor=quoted)
    else:
        stance = Stance.PROPOSE if Stance.PROPOSE in mine_after else Stance.OBJECT
        add(action="support", paragraph=paragraph_id, bracket=bracket_id, anchor=quoted, stance=stance.value)


def _merged_ops(ops) -> list[tuple[str, int, int, str]]:
    """Word operations as (kind, old start, old end, new text); changes apart only by white space are joined."""
    changes: list[list] = []
    current: list | None = None
    held = ""
    old_at = 0
    for op in ops:
        if op.op == "equal":
            if current is not None and not op.old.strip():
                held += op.old
            else:
                if current is not None:
                    changes.append(current)
                current, held = None, ""
            old_at += len(op.old)
            continue
        if current is None:
            current = [old_at, old_at + len(op.old), op.new]
        else:
            current[1] = old_at + len(op.old)
            current[2] += held + op.new
        held = ""
        old_at += len(op.old)
    if current is not None:
        changes.append(current)
    old_text = "".join(op.old for op in ops)
    result = []
    for start, end, new_text in changes:
        while start < end and old_text[start].isspace():
            start += 1
        while end > start and old_text[end - 1].isspace():
            end -= 1
        if start == end:
            result.append(("insert", start, start, new_text))
        elif not new_text.strip():
            result.append(("delete", start, end, new_text))
        else:
            result.append(("replace", start, end, new_text))
    return result


def _anchor_for(reading: str, start: int, end: int) -> Anchor:
    """An anchor quoting reading[start:end] with enough words either side to be unique."""
    while start < end and reading[start].isspace():
        start += 1
    while end > start and reading[end - 1].isspace():
        end -= 1
    text = normalise(reading[start:end])
    words = CONTEXT_WORDS
    while True:
        before = " ".join(reading[:start].split()[-words:]) if words else ""
        after = " ".join(reading[end:].split()[:words]) if words else ""
        anchor = Anchor(before, text, after)
        located = _locate(reading, anchor)
        if not isinstance(located, str) or words > len(reading.split()):
            return anchor
        words += 2


def _quote(text: str, width: int = 60) -> str:
    text = normalise(text)
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return f"“{text}”"


__all__ = [
    "ACTIONS", "Anchor", "BracketSpan", "CompiledRound", "EditReading", "Entry", "ParagraphText", "Placed",
    "PositionSet", "Unplaced", "check_entries", "compile_round", "entries_from_edit", "normalise",
    "paragraph_text", "reading_text",
]
