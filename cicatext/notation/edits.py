"""From a delegation's edit of a text to the entries of its position set.

`entries_from_edit` compares the text before and after the edit, word by word
and bracket by bracket (`cicatext.notation.bracket_diff`), and says as entries
what the edit proposes: insertions, deletions and replacements anchored with
enough context to be unique, support, withdrawals and reservations on existing
brackets, new and alternative paragraphs. What an edit may not do (change
another delegation's attribution, lift a bracket) is returned as problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cicatext.errors import Problem
from cicatext.notation.anchors import locate_anchor
from cicatext.notation.bracket_diff import match_brackets, same_spanning_parts, word_ops
from cicatext.notation.bracket_ids import shown_by_bracket
from cicatext.notation.paragraph_text import LABEL, BracketSpan, ParagraphText, normalise, paragraph_text, quote
from cicatext.notation.position_sets import Anchor, Entry
from cicatext.notation.tree import Draft, Stance

CONTEXT_WORDS = 4
"""Words of context written on either side of a quoted span."""


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
        pairs, removed, added = same_spanning_parts(list(pairs), list(removed), list(added))
        ids = shown_by_bracket(paragraph, before)
        for old_span, new_span in pairs:
            _attribution_entries(ids.get(id(old_span.bracket), f"{paragraph.id}:"), before, old_span, new_span, code, add,
                                 problems)
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
                located = locate_anchor(before.reading, Anchor(text=body))
                if isinstance(located, str):
                    problems.append(Problem(f"paragraph {paragraph.id}: {located}"))
                    continue
                add(action="delete", paragraph=paragraph.id,
                    anchor=_anchor_for(before.reading, located[0], located[1]))
        for old_span in removed:
            body = before.bracket_readings[old_span.ordinal - 1]
            if body and body in normalise(after.reading) and before.reading == after.reading:
                problems.append(Problem(
                    f"paragraph {paragraph.id}: the brackets around {quote(body)} were removed; "
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
    match = LABEL.match(text)
    return text[match.end():].strip() if match else text


def _attribution_entries(bracket_id: str, before: ParagraphText, old_span: BracketSpan, new_span: BracketSpan,
                         code: str, add, problems: list[Problem]) -> None:
    old_stances = {(a.code, a.stance) for a in old_span.bracket.attributions}
    new_stances = {(a.code, a.stance) for a in new_span.bracket.attributions}
    if old_stances == new_stances:
        return
    others = {c for c, _ in old_stances ^ new_stances if c != code}
    if others:
        problems.append(Problem(
            f"bracket {bracket_id}: the attributions of {', '.join(sorted(others))} "
            f"were changed; you may change only your own ({code})",
            hint="other delegations' positions come from their own branches"))
    mine_before = {s for c, s in old_stances if c == code}
    mine_after = {s for c, s in new_stances if c == code}
    if mine_before == mine_after:
        return
    quoted = Anchor(text=normalise(before.body_reading(old_span)))
    paragraph_id = bracket_id.rpartition(":")[0]
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
        located = locate_anchor(reading, anchor)
        if not isinstance(located, str) or words > len(reading.split()):
            return anchor
        words += 2


__all__ = ["CONTEXT_WORDS", "EditReading", "entries_from_edit"]
