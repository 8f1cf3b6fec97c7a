"""Placing an entry's anchor in a paragraph: the quoted span, the insertion point, the bracket named.

An anchor quotes a paragraph's reading text. `locate_anchor` finds it there
with white space not counting; an anchor that no longer matches exactly is
found again fuzzily when one match stands out, and otherwise the reason it
cannot be placed is returned. `resolve_bracket` finds the bracket a support,
withdraw or reserve concerns; `insertion_point`, `balanced` and
`exact_bracket` carry a place in the reading text over to the written text.
"""

from __future__ import annotations

from functools import lru_cache

from cicatext.notation.bracket_ids import name_paragraph
from cicatext.notation.paragraph_text import BracketSpan, ParagraphText, normalise, quote
from cicatext.notation.position_sets import Anchor, Entry
from cicatext.notation.tree import Paragraph

FUZZY_SCORE = 90
"""The least rapidfuzz score (0-100) at which a moved anchor is found again."""
FUZZY_MARGIN = 5
"""How far the best fuzzy match must lead the runner-up to count as unambiguous."""


@lru_cache(maxsize=1024)
def _squeezed(reading: str) -> tuple[str, tuple[int, ...]]:
    """The reading text without white space, and each remaining character's offset in the reading text."""
    offsets = tuple(i for i, ch in enumerate(reading) if not ch.isspace())
    return "".join(reading[i] for i in offsets), offsets


def locate_anchor(reading: str, anchor: Anchor) -> tuple[int, int, float] | str:
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
        return (f"the anchor {quote(_needle(anchor))} occurs {len(spans)} times in the paragraph; "
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
    lost = f"the quoted text {quote(anchor.text or needle)} is no longer in the paragraph"
    if not needle or not reading:
        return lost
    best = fuzz.partial_ratio_alignment(needle, reading)
    if best is None or best.score < FUZZY_SCORE:
        return lost
    masked = reading[: best.dest_start] + "\0" * (best.dest_end - best.dest_start) + reading[best.dest_end:]
    runner = fuzz.partial_ratio_alignment(needle, masked)
    if runner is not None and runner.score > best.score - FUZZY_MARGIN:
        return (f"the quoted text {quote(anchor.text or needle)} has moved and matches "
                f"{quote(reading[runner.dest_start:runner.dest_end])} as well as "
                f"{quote(reading[best.dest_start:best.dest_end])}; quote more words around it")
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


def resolve_bracket(text: ParagraphText, entry: Entry, paragraph_id: str,
                    paragraph: Paragraph | None = None) -> tuple[BracketSpan, float] | str:
    """The bracket a support, withdraw or reserve concerns: by id, checked against its quoted text."""
    quoted = normalise(entry.anchor.text) if entry.anchor and entry.anchor.text else ""
    if entry.bracket:
        pid, _, code = entry.bracket.rpartition(":")
        span = None
        if pid == paragraph_id and code.isdigit() and quoted and 1 <= int(code) <= len(text.brackets):
            # Written when ids numbered brackets: a place names no bracket, so only its quoted text is trusted.
            span = text.brackets[int(code) - 1]
        elif pid == paragraph_id and paragraph is not None and code:
            named = [n for n in name_paragraph(paragraph) if n.code.startswith(code)]
            if len(named) == 1:
                span = next((s for s in text.brackets if s.bracket is named[0].bracket), None)
        if span is not None and (not quoted or normalise(text.body_reading(span)) == quoted):
            return span, 100.0
        if span is None and not quoted and code.isdigit():
            return (f"bracket {entry.bracket} is a numbered id, which names a place, not a bracket: give the "
                    "bracket's id as `cicatext brackets` lists it, or quote its text (anchor.text)")
        if span is None and not quoted:
            return f"no bracket {entry.bracket} in paragraph {paragraph_id}"
    if not quoted:
        return f"bracket {entry.bracket} no longer holds the text it was written against; quote it (anchor.text)"
    bodies = list(zip(text.brackets, text.bracket_readings))
    exact = [span for span, body in bodies if body == quoted]
    if len(exact) == 1:
        return exact[0], 100.0
    if len(exact) > 1:
        return f"{len(exact)} brackets in paragraph {paragraph_id} read {quote(quoted)}; name it by id"
    from rapidfuzz import fuzz

    scored = sorted(((fuzz.ratio(quoted, body), span.ordinal) for span, body in bodies), reverse=True)
    if scored and scored[0][0] >= FUZZY_SCORE and (len(scored) == 1 or scored[1][0] <= scored[0][0] - FUZZY_MARGIN):
        return text.brackets[scored[0][1] - 1], float(scored[0][0])
    return f"no bracket in paragraph {paragraph_id} reads {quote(quoted)}"


def insertion_point(text: ParagraphText, start: int) -> int:
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


def balanced(text: ParagraphText, start: int, end: int) -> tuple[int, int]:
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


def exact_bracket(text: ParagraphText, start: int, end: int) -> BracketSpan | None:
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


__all__ = ["FUZZY_MARGIN", "FUZZY_SCORE", "balanced", "exact_bracket", "insertion_point", "locate_anchor",
           "resolve_bracket"]
