"""The bracketed paragraph: a paragraph's text with its brackets coloured by stance and shaded by depth.

`paragraph_content` styles exactly the characters the reader parsed (the
paragraph's content, its id marker left out); colours only. Proposals are green,
objections red, brackets someone will come back to amber, options groups
purple, and each level of nesting deepens the shade. Attributions stand out
as badges. One bracket can be selected, and a delegation filter leaves only
that delegation's brackets in colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content, Span

from cicatext.notation.alternatives import (
    CURLY_PLACEHOLDER,
    OPTION_HEAD,
    side_by_side_runs,
)
from cicatext.notation.bracket_ids import shown_by_bracket
from cicatext.notation.nesting import MAX_DEPTH
from cicatext.notation.tree import Bracket, Paragraph, Stance, Text

# Theme variables, so the colours follow the dark and light themes.
COLOURS = {
    "proposal": ("$success", "$text-success"),
    "objection": ("$error", "$text-error"),
    "reserve": ("$warning", "$text-warning"),
    "options": ("$accent", "$text-accent"),
    "plain": ("$primary", "$text-primary"),
    "placeholder": ("$primary", "$text-muted"),
    "status": ("$success", "$text-muted"),
}
STANCE_KIND = {Stance.PROPOSE: "proposal", Stance.OBJECT: "objection", Stance.RESERVE: "reserve"}
KIND_WORDS = {
    "proposal": "proposal",
    "objection": "objection",
    "reserve": "to come back",
    "options": "options",
    "plain": "unattributed",
    "placeholder": "placeholder, text to come",
    "status": "status note, not unagreed text",
}


def bracket_kind(bracket: Bracket, grouped: bool = False, kinds=None) -> str:
    """How a bracket is coloured: `options` (an options group, or one of brackets written side by side), else the
    stance of its first attribution, else `placeholder` or `status` (`cicatext.notation.alternatives`), else
    `plain`."""
    from cicatext.notation.alternatives import DEFAULT_KINDS
    from cicatext.notation.alternatives import bracket_kind as written_kind

    if bracket.is_options or (grouped and not bracket.attributions):
        return "options"
    if bracket.attributions:
        return STANCE_KIND[bracket.attributions[0].stance]
    kind = written_kind(bracket, kinds or DEFAULT_KINDS)
    return kind if kind in ("placeholder", "status") else "plain"


def grouped_brackets(paragraph: Paragraph) -> set[int]:
    """The identities of a paragraph's brackets written side by side with others (`[shall][should]`)."""
    return {id(bracket) for run in side_by_side_runs(paragraph) for bracket in run}


def visible(text: str) -> str:
    """The text with control characters (other than line breaks and tabs) drawn as their Unicode pictures."""
    if text.isprintable():
        return text
    return "".join(
        chr(0x2400 + ord(ch)) if ord(ch) < 32 and ch not in "\n\t" else ("␡" if ch == "\x7f" else ch)
        for ch in text
    )


@dataclass(frozen=True)
class BracketSpan:
    """Where one bracket stands in the paragraph's displayed text."""

    id: str
    """`PARAGRAPH:CODE`, as in `cicatext brackets`."""
    start: int
    """Offset of its `[`."""
    end: int
    """Offset just past its last attribution."""
    codes: frozenset[str]
    """The delegation codes in its attributions."""


def paragraph_content(paragraph: Paragraph, *, selected: str | None = None,
                      delegation: str | None = None) -> tuple[Content, list[BracketSpan]]:
    """The paragraph's text (id marker left out) styled by bracket, and where each bracket stands."""
    parts: list[str] = []
    spans: list[list] = []
    located: list = []
    ids = shown_by_bracket(paragraph)
    grouped = grouped_brackets(paragraph)
    offset = 0

    def emit(text: str) -> None:
        nonlocal offset
        parts.append(text)
        offset += len(text)

    # The brackets entered, each with what its end needs and what is left of its body: an explicit stack, for
    # brackets nest to any depth. Past the reader's limit a bracket is plain text, neither styled nor listed:
    # thousands of levels of styles would take the terminal seconds to draw.
    stack: list[tuple] = [(None, None, None, None, None, None, iter(paragraph.content))]
    while stack:
        for node in stack[-1][-1]:
            if type(node) is Text:
                emit(node.text)
                continue
            depth = len(stack)
            codes = frozenset(a.code for a in node.attributions)
            lit = delegation is None or delegation in codes
            start = offset
            slot = region = None
            if depth <= MAX_DEPTH:
                base, text_colour = COLOURS[bracket_kind(node, id(node) in grouped)]
                slot = len(located)
                located.append(None)  # pre-order place, filled once the bracket's end is known
                shade = min(12 * depth, 48)
                region = [start, 0, f"{text_colour} on {base} {shade}%" if lit else "dim"]
                spans.append(region)
            if not node.continued:
                if slot is not None:
                    spans.append([start, start + 1, "bold" if lit else "dim"])
                emit("[")
            stack.append((node, codes, lit, start, slot, region, iter(node.body)))
            break
        else:
            node, codes, lit, start, slot, region, _ = stack.pop()
            if node is None:
                break
            if slot is None:
                emit(("]" if node.closed else "") + node.trailer)
                for attribution in node.attributions:
                    emit(attribution.lead + attribution.source())
                continue
            if node.closed:
                spans.append([offset, offset + 1, "bold" if lit else "dim"])
                emit("]")
            elif not node.continues:
                spans.append([start, start + 1, "bold $text-error underline"])
            emit(node.trailer)
            if region is not None:
                region[1] = offset
            for attribution in node.attributions:
                emit(attribution.lead)
                badge_start = offset
                emit(attribution.source())
                own_base, own_text = COLOURS[STANCE_KIND[attribution.stance]]
                if not lit:
                    style = "dim"
                elif attribution.code == delegation:
                    style = f"bold underline {own_text} on {own_base} 35%"
                else:
                    style = f"bold {own_text} on {own_base} 25%"
                spans.append([badge_start, offset, style])
            if slot is not None:
                located[slot] = BracketSpan(ids.get(id(node), f"{paragraph.id}:"), start, offset, codes)

    for bracket in located:
        if bracket.id == selected:
            spans.append([bracket.start, bracket.end, "reverse"])
    text = visible("".join(parts))
    for found in CURLY_PLACEHOLDER.finditer(text):
        spans.append([found.start(), found.end(), "italic $text-muted"])
    label = OPTION_HEAD.match(text)
    if label is not None:
        # An alternative text of one provision (`Option 2:`): its label marked as options groups are.
        base, text_colour = COLOURS["options"]
        spans.insert(0, [label.start("head"), label.end("head"), f"bold {text_colour} on {base} 25%"])
    return Content(text, [Span(a, b, style) for a, b, style in spans if b > a],
                   strip_control_codes=False), located
