"""Operations on the brackets of a draft: agree, drop, join, withdraw, reserve, bracket a span.

Each operation takes a draft and returns a new one: it edits the rendered
text and reads it again, so the result's positions and bracket ids are fresh
and the result is always notation the reader accepts. A refused operation
raises `NotationError` with a hint.
"""

from __future__ import annotations

from cicatext.errors import NotationError
from cicatext.notation.bracket_ids import name_draft, shown_by_bracket
from cicatext.notation.codes import is_code
from cicatext.notation.reader import Reading, read
from cicatext.notation.render import render
from cicatext.notation.tree import Attribution, Bracket, Draft, Paragraph, Stance
from cicatext.notation.views import locate, lookup, tidy_join

_PUNCTUATION = tuple(",;.:!?")


def agree(draft: Draft, bracket_id: str) -> Draft:
    """Lift the bracket: keep its text, drop its attributions.

    Agreeing an alternative of an options group replaces the whole group by
    that alternative's text; an options group itself cannot be agreed.
    """
    text, reading = _fresh(draft)
    paragraph, bracket, parent = locate(reading.draft, bracket_id)
    if bracket.continues:
        # A bracket spanning paragraphs: its `[` here, its `]` and attributions where it ends.
        _, last = _last_part(reading.draft, bracket_id)
        kept = text[bracket.pos.start + 1 : last.pos.end - 1] + last.trailer
        before = text[: bracket.pos.start]
        if kept[:1] in _PUNCTUATION:
            before = before.rstrip(" \t")
        return _finish(before + kept + text[_extent_end(last) :], reading)
    _require_closed(bracket, bracket_id)
    if bracket.is_options:
        alternatives = _alternative_ids(paragraph, bracket, bracket_id)
        raise NotationError(
            f"'{bracket_id}' is an options group",
            hint=f"agree one of its alternatives ({alternatives}), or drop the ones not wanted",
        )
    target = parent if parent is not None and parent.is_options else bracket
    kept = text[bracket.pos.start + 1 : bracket.pos.end - 1] + target.trailer
    before = text[: target.pos.start]
    if kept[:1] in _PUNCTUATION:
        # `tenure [, which ...]` agreed reads `tenure, which ...`.
        before = before.rstrip(" \t")
    return _finish(before + kept + text[_extent_end(target) :], reading)


def drop(draft: Draft, bracket_id: str) -> Draft:
    """Remove the bracket with its text and attributions, tidying the spacing around it.

    Dropping one alternative of a two-option group leaves the other as a plain
    bracket carrying its own attributions and the group's; a paragraph left
    empty goes.
    """
    text, reading = _fresh(draft)
    paragraph, bracket, parent = locate(reading.draft, bracket_id)
    last_paragraph, last = paragraph, bracket
    if bracket.continues:
        # A bracket spanning paragraphs goes with the paragraphs wholly inside it; the text before it and
        # the text after its end join into one paragraph.
        last_paragraph, last = _last_part(reading.draft, bracket_id)
    else:
        _require_closed(bracket, bracket_id)
        if parent is not None and parent.is_options:
            return _finish(_drop_alternative(text, parent, bracket), reading)
    start = paragraph.pos.start
    left = text[start + len(paragraph.marker) : bracket.pos.start]
    right = last.trailer + text[_extent_end(last) : last_paragraph.pos.end]
    content = tidy_join(left, right)
    if not content.strip():
        if last_paragraph is paragraph:
            return _finish(_without_paragraph(reading.draft, paragraph), reading)
        return _finish(_without_paragraphs(text, start, last_paragraph.pos.end), reading)
    new = paragraph.marker + content
    return _finish(text[:start] + new + text[last_paragraph.pos.end :], reading)


def _last_part(draft: Draft, bracket_id: str) -> tuple[Paragraph, Bracket]:
    """The paragraph and part where a spanning bracket ends."""
    full = lookup(draft, bracket_id).full
    found: tuple[Paragraph, Bracket] | None = None
    for paragraph, here in zip(draft.paragraphs, name_draft(draft)):
        for named in here:
            if named.full == full:
                found = (paragraph, named.bracket)
    if found is None or not found[1].closed:
        raise NotationError(f"bracket '{bracket_id}' is never closed",
                            hint="close it with ']' first (`cicatext check FILE` shows where)")
    return found


def _without_paragraphs(text: str, start: int, end: int) -> str:
    """The text without what stands from `start` to `end` (whole paragraphs), one blank line kept between the rest."""
    head, tail = text[:start].rstrip(), text[end:].lstrip()
    if not head:
        return text[:start] + tail if not text[:start].strip() else tail
    if not tail:
        return head + "\n"
    return head + "\n\n" + tail


def join(draft: Draft, bracket_id: str, code: str, stance: Stance | str) -> Draft:
    """Add a delegation's attribution to the bracket; a delegation already named changes its stance."""
    stance = _stance(stance)
    code = _code(code)
    text, reading = _fresh(draft)
    _, bracket, _ = locate(reading.draft, bracket_id)
    _require_closed(bracket, bracket_id)
    new = Attribution(code, stance)
    same = [a for a in bracket.attributions if a.code == code]
    if any(a.stance is stance for a in same):
        raise NotationError(
            f"{code} already says {new.canonical()} on '{bracket_id}'",
            hint="nothing to change; withdraw it first to move it, or name another delegation",
        )
    if same:
        old = same[0]
        edited = text[: old.pos.start] + new.canonical() + text[old.pos.end :]
    else:
        at = _extent_end(bracket)
        edited = text[:at] + " " + new.canonical() + text[at:]
    return _finish(edited, reading)


def reserve(draft: Draft, bracket_id: str, code: str) -> Draft:
    """Record that a delegation will come back to the bracket: `(CODE tcb)`."""
    return join(draft, bracket_id, code, Stance.RESERVE)


def withdraw(draft: Draft, bracket_id: str, code: str) -> Draft:
    """Remove every attribution of this delegation from the bracket."""
    code = _code(code)
    text, reading = _fresh(draft)
    _, bracket, _ = locate(reading.draft, bracket_id)
    mine = [a for a in bracket.attributions if a.code == code]
    if not mine:
        written = " ".join(a.source() for a in bracket.attributions)
        raise NotationError(
            f"{code} has no attribution on '{bracket_id}'",
            hint=f"its attributions are {written}" if written else f"'{bracket_id}' carries no attributions",
        )
    edited = text
    for attribution in reversed(mine):
        start = attribution.pos.start - len(attribution.lead)
        edited = edited[:start] + edited[attribution.pos.end :]
    return _finish(edited, reading)


def bracket_span(draft: Draft, paragraph_id: str, start: int, end: int, code: str, stance: Stance | str) -> Draft:
    """Bracket the text from `start` to `end` (offsets into the rendered paragraph) for a delegation.

    The span must hold whole brackets or lie inside one bracket's text: it
    may not cut a bracket, its attributions or the paragraph's id marker.
    """
    stance = _stance(stance)
    code = _code(code)
    text, reading = _fresh(draft)
    paragraph = reading.draft.paragraph(paragraph_id)
    if paragraph is None:
        known = ", ".join(p.id for p in reading.draft.paragraphs[:12])
        raise NotationError(f"no paragraph '{paragraph_id}'", hint=f"the paragraphs are {known}")
    size = paragraph.pos.end - paragraph.pos.start
    if not 0 <= start < end <= size:
        raise NotationError(
            f"span {start}-{end} is not inside paragraph '{paragraph_id}'",
            hint=f"give 0 <= start < end <= {size}, offsets into the paragraph as rendered",
        )
    if start < len(paragraph.marker):
        raise NotationError(
            f"span {start}-{end} takes in the id marker of paragraph '{paragraph_id}'",
            hint=f"start at {len(paragraph.marker)} or later",
        )
    base = paragraph.pos.start
    shown = shown_by_bracket(paragraph)
    for bracket, _ in paragraph.brackets():
        opens = bracket.pos.start - base
        closes = bracket.pos.end - base
        extent = _extent_end(bracket) - base
        whole = start <= opens and end >= extent
        apart = end <= opens or start >= extent
        inside = start > opens and end < closes
        if not (whole or apart or inside):
            raise NotationError(
                f"span {start}-{end} cuts bracket '{shown.get(id(bracket), paragraph_id)}' in half",
                hint=f"take in the whole bracket with its attributions ({opens}-{extent}) "
                f"or stay inside its text ({opens + 1}-{closes - 1})",
            )
    at, to = base + start, base + end
    mark = Attribution(code, stance).canonical()
    return _finish(text[:at] + "[" + text[at:to] + "] " + mark + text[to:], reading)


def _fresh(draft: Draft) -> tuple[str, Reading]:
    """The draft's text and a fresh reading of it, so positions match the text."""
    text = render(draft)
    return text, read(text)


def _finish(text: str, before: Reading) -> Draft:
    """Read the edited text; refuse an edit that would leave more errors than there were."""
    after = read(text)
    if len(after.errors) > len(before.errors):
        first = after.errors[0]
        raise NotationError(
            f"the result would not be valid notation: {first.message}",
            hint=first.hint,
            problems=after.errors,
        )
    return after.draft


def _extent_end(bracket: Bracket) -> int:
    """Offset just past the bracket's last attribution, or past its `]`."""
    if bracket.attributions:
        return bracket.attributions[-1].pos.end
    return bracket.pos.end


def _require_closed(bracket: Bracket, bracket_id: str) -> None:
    if not bracket.closed:
        raise NotationError(
            f"bracket '{bracket_id}' is never closed",
            line=bracket.pos.line if bracket.pos else None,
            column=bracket.pos.column if bracket.pos else None,
            hint="close it with ']' first (`cicatext check FILE` shows where)",
        )


def _alternative_ids(paragraph: Paragraph, group: Bracket, group_id: str) -> str:
    ids = shown_by_bracket(paragraph)
    return ", ".join(ids[id(alternative)] for alternative in group.options)


def _drop_alternative(text: str, group: Bracket, alternative: Bracket) -> str:
    """The text with one alternative of an options group dropped."""
    alternatives = group.options
    index = next(i for i, a in enumerate(alternatives) if a is alternative)
    if len(alternatives) == 2:
        other = alternatives[1 - index]
        merged = list(other.attributions)
        said = {(a.code, a.stance) for a in merged}
        merged.extend(a for a in group.attributions if (a.code, a.stance) not in said)
        trailer = group.trailer if merged else ""
        body = text[other.pos.start + 1 : other.pos.end - 1]
        marks = "".join((a.lead or " ") + a.source() for a in merged)
        replacement = "[" + body + "]" + trailer + marks
        return text[: group.pos.start] + replacement + text[_extent_end(group) :]
    if index + 1 < len(alternatives):
        cut_from, cut_to = alternative.pos.start, alternatives[index + 1].pos.start
    else:
        cut_from, cut_to = _extent_end(alternatives[index - 1]), _extent_end(alternative)
    return text[:cut_from] + text[cut_to:]


def _without_paragraph(draft: Draft, paragraph: Paragraph) -> str:
    """The draft's text without one paragraph, keeping the wider of the blank-line runs around it."""
    index = draft.paragraphs.index(paragraph)
    paragraphs = draft.paragraphs[:index] + draft.paragraphs[index + 1 :]
    separators = list(draft.separators)
    before, after = separators[index], separators[index + 1]
    if index == 0:
        kept = before
    elif index == len(draft.paragraphs) - 1:
        kept = after
    else:
        kept = before if before.count("\n") >= after.count("\n") else after
    separators[index : index + 2] = [kept]
    return render(Draft(paragraphs, tuple(separators)))


def _stance(stance: Stance | str) -> Stance:
    try:
        return Stance(stance)
    except ValueError:
        raise NotationError(f"'{stance}' is not a stance", hint="use '+', '-' or 'tcb'") from None


def _code(code: str) -> str:
    if not is_code(code):
        raise NotationError(
            f"'{code}' is not a delegation code",
            hint=f"codes are capitals and digits, e.g. IRAN, CHN, SEC; did you mean '{code.strip().upper()}'?",
        )
    return code
