"""Position sets: one delegation's entries on one document, as written in positions/CODE/<slug>.yaml.

A `PositionSet` is one delegation's entries on one document: insertions,
deletions, replacements, alternatives, support, withdrawals and reservations,
each anchored to a paragraph and a quoted span with a little context. Anchors
quote a paragraph's reading text (`cicatext.notation.paragraph_text`).
`check_entries` finds the entries a draft has no paragraph for.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cicatext.errors import Problem, RecordError
from cicatext.notation.paragraph_text import quote
from cicatext.notation.tree import Draft

ACTIONS = ("insert", "delete", "replace", "alternative", "support", "withdraw", "reserve")
TEXT_ACTIONS = ("insert", "replace", "alternative")
BRACKET_ACTIONS = ("support", "withdraw", "reserve")


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
            return f"{verb} {where}" + (f" {quote(quoted, width)}" if quoted else "")
        if self.action in ("withdraw", "reserve"):
            return f"{self.action} on {where}"
        if self.action == "delete":
            quoted = self.anchor.text if self.anchor else ""
        if self.action == "insert" and self.after_paragraph:
            return f"new paragraph {self.paragraph} after {self.after_paragraph} {quote(quoted, width)}"
        return f"{self.action} in {where} {quote(quoted, width)}"

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


__all__ = ["ACTIONS", "BRACKET_ACTIONS", "TEXT_ACTIONS", "Anchor", "Entry", "PositionSet", "check_entries"]
