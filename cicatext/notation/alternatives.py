"""What a draft offers as alternatives, and which brackets are placeholders or status notes rather than unagreed text.

Drafts offer alternatives in three ways besides the options group
(`[[a] (+X), [b] (-Y)]`, see `Bracket.options`):

- **side by side**: sibling brackets with nothing but white space between
  them, `[shall][should][other]`;
- **Option blocks**: consecutive paragraphs opening `Option 1:`,
  `Option 2:`, `Option (a):` ..., each an alternative text of one provision
  (`Option 3: {No text required}` offers to say nothing);
- an options group written without commas, `[[date][1990][2000]]`, which
  `Bracket.options` already takes as one.

A bracket whose whole text is a **placeholder** (`[X]`, `[year x]`,
`[...]`, `[document symbol to be added]`) stands for text to come; one
whose whole text is a **status note** (`[Agreed ad ref]`) says something
about the paragraph and is not unagreed text. Both lists are settings
(`notation:` in `cicatext.yaml`); `DEFAULT_PLACEHOLDERS` and
`DEFAULT_STATUS_NOTES` hold when a repository sets none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cicatext.notation.render import render
from cicatext.notation.tree import Bracket, Draft, Paragraph, Text, texts_in

DEFAULT_PLACEHOLDERS = (
    r"x+",
    r"(?:year|date|number|amount|percentage|level|name)\s+x+|date",
    r"(?:\.\s*){3}|…",
    r"document\s+symbol\s+to\s+be\s+added",
    r"(?:placeholder|to\s+be\s+(?:added|completed|determined|inserted|confirmed))(?:\s.*)?",
    r"tbd|tbc",
)
"""Whole bracket texts (regular expressions, case ignored) that stand for text to come."""

DEFAULT_STATUS_NOTES = (
    r"agreed(?:\s+ad\s+ref(?:erendum)?\.?)?",
    r"agreed\s+in\s+principle",
    r"(?:text\s+)?(?:under\s+consultation|pending|parked)",
)
"""Whole bracket texts (regular expressions, case ignored) that are notes on a paragraph's status."""

OPTION_HEAD = re.compile(
    r"\s*\[?\s*(?P<head>Option\s+(?P<label>\d+|\([a-z]\)|[A-Z]|[a-z]\)?|[IVX]+)\s*[:.])", re.IGNORECASE)
"""How a paragraph that is one option of a provision opens: `Option 1:`; `head` is the words, `label` the number."""
_NO_TEXT = re.compile(r"\{\s*no\s+text(?:\s+required)?\s*\}|\bno\s+text\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
CURLY_PLACEHOLDER = re.compile(r"\{(?!#)[^{}\n]{1,120}\}")
"""A placeholder written in braces, `{Placeholder for preamble}`, `{No text required}`: text, read as text to come."""
# A paragraph that starts another provision rather than continuing an option: a heading.
_NEW_PROVISION = re.compile(r"\s*\[?\s*(?:Article|Chapter|Section|Part|Annex|Decision|[IVXLC]+\.\s)", re.IGNORECASE)


@dataclass(frozen=True)
class Kinds:
    """The lists a repository gives for what a bracket's whole text may be besides unagreed text."""

    placeholders: tuple[re.Pattern, ...]
    status_notes: tuple[re.Pattern, ...]

    @classmethod
    def of(cls, placeholders: Iterable[str] | None = None, status_notes: Iterable[str] | None = None) -> Kinds:
        """Compiled lists; None for a list takes its default."""
        def compiled(patterns: Iterable[str]) -> tuple[re.Pattern, ...]:
            found = []
            for pattern in patterns:
                try:
                    found.append(re.compile(rf"(?:{pattern})", re.IGNORECASE))
                except (re.error, TypeError):
                    continue  # not a regular expression: `cicatext validate` reports it
            return tuple(found)

        return cls(compiled(DEFAULT_PLACEHOLDERS if placeholders is None else placeholders),
                   compiled(DEFAULT_STATUS_NOTES if status_notes is None else status_notes))


DEFAULT_KINDS = Kinds.of()


def bracket_kind(bracket: Bracket, kinds: Kinds = DEFAULT_KINDS) -> str:
    """`placeholder`, `status` or `bracket` (unagreed text) for a bracket, by its whole text.

    Only a bracket holding plain text and no attribution can be a placeholder
    or a status note: what a delegation proposed or objected to is unagreed
    text whatever it says.
    """
    if bracket.attributions or bracket.continued or bracket.continues:
        return "bracket"
    if any(not isinstance(node, Text) for node in bracket.body):
        return "bracket"
    words = _SPACE.sub(" ", render(bracket.body)).strip()
    if any(pattern.fullmatch(words) for pattern in kinds.status_notes):
        return "status"
    if any(pattern.fullmatch(words) for pattern in kinds.placeholders):
        return "placeholder"
    return "bracket"


def curly_placeholders(paragraph: Paragraph) -> int:
    """How many placeholders in braces (`{Placeholder for preamble}`) the paragraph's text holds."""
    return sum(len(CURLY_PLACEHOLDER.findall(node.text)) for node in texts_in(paragraph.content))


def side_by_side(nodes: Sequence) -> list[tuple[Bracket, ...]]:
    """The runs of two or more sibling brackets written touching, `[shall][should][other]`, among `nodes`.

    Brackets with a space between them, or after an attributed or punctuated
    bracket, are brackets of their own.
    """
    runs: list[tuple[Bracket, ...]] = []
    current: list[Bracket] = []
    for node in nodes:
        if isinstance(node, Bracket) and not (current and (current[-1].attributions or current[-1].trailer)):
            current.append(node)
            continue
        _close_run(runs, current)
        current = [node] if isinstance(node, Bracket) else []
    _close_run(runs, current)
    return runs


def side_by_side_runs(paragraph: Paragraph) -> list[tuple[Bracket, ...]]:
    """`side_by_side` at every depth of a paragraph (inside options groups the alternatives are a group already)."""
    runs = list(side_by_side(paragraph.content))
    for bracket, _ in paragraph.brackets():
        if not bracket.is_options:
            runs.extend(side_by_side(bracket.body))
    return runs


def _close_run(runs: list[tuple[Bracket, ...]], current: list[Bracket]) -> None:
    if len(current) >= 2:
        runs.append(tuple(current))


@dataclass(frozen=True)
class OptionBlock:
    """Consecutive paragraphs offering alternative texts of one provision: `Option 1:`, `Option 2:` ..."""

    paragraphs: tuple[str, ...]
    """The ids of the paragraphs, one per option, in order (a paragraph following an option without
    `Option` of its own belongs to that option and is not listed)."""
    labels: tuple[str, ...]
    """Each option's label as written: `1`, `2`, `(a)`."""
    no_text: tuple[str, ...]
    """The labels of the options that offer no text (`{No text required}`)."""

    def to_json(self) -> dict:
        """The block as plain data."""
        return {"paragraphs": list(self.paragraphs), "labels": list(self.labels), "no_text": list(self.no_text)}


def option_label(paragraph: Paragraph) -> str | None:
    """The option label a paragraph opens with (`Option 2:` → `2`), or None."""
    head = render(paragraph.content[:3])[:60]
    found = OPTION_HEAD.match(head)
    return found["label"] if found else None


def option_blocks(draft: Draft) -> list[OptionBlock]:
    """Every run of `Option N:` paragraphs that offers at least two options."""
    blocks: list[OptionBlock] = []
    ids: list[str] = []
    labels: list[str] = []
    empty: list[str] = []

    def close() -> None:
        if len(ids) >= 2:
            blocks.append(OptionBlock(tuple(ids), tuple(labels), tuple(empty)))
        ids.clear()
        labels.clear()
        empty.clear()

    for paragraph in draft.paragraphs:
        label = option_label(paragraph)
        if label is None:
            if ids and paragraph.label is None and not _NEW_PROVISION.match(render(paragraph.content[:2])[:40]):
                # A sub-paragraph of the option before it, (a), (i) or a line of text: part of that option.
                continue
            close()
            continue
        if labels and label == labels[0]:
            close()  # `Option 1:` again starts the next provision's block
        ids.append(paragraph.id)
        labels.append(label)
        if _NO_TEXT.search(render(paragraph.content)):
            empty.append(label)
    close()
    return blocks
