"""The immutable tree of bracketed negotiating text.

A `Draft` is a sequence of `Paragraph`s separated by blank lines. A paragraph
holds inline nodes: plain `Text` and `Bracket`s, which nest to any depth and
carry the `Attribution`s written after them. Every node keeps the exact
characters it was read from (spacing, punctuation, the raw attribution), so
rendering a parsed draft gives back the input byte for byte.

Positions are character offsets into the whole input plus 1-based line and
column of the node's first character. Trees made by operations get fresh
positions by being rendered and read again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple


class Stance(str, Enum):
    """What a delegation says of a bracket."""

    PROPOSE = "+"
    """`(+CODE)`: the delegation proposes this text."""
    OBJECT = "-"
    """`(-CODE)`: the delegation wants this text deleted."""
    RESERVE = "tcb"
    """`(CODE tcb)`: the delegation will come back to it."""


class Position(NamedTuple):
    """Where a node stands in the input.

    A named tuple rather than a frozen dataclass: the reader makes one for
    nearly every node, and a tuple is made in a fraction of the time.
    """

    start: int
    """Offset of the node's first character."""
    end: int
    """Offset just past the node's last character."""
    line: int
    """1-based line of `start`."""
    column: int
    """1-based column of `start`."""


@dataclass(frozen=True)
class Text:
    """Plain text, agreed unless it stands inside a bracket."""

    text: str
    """The characters, exactly as written."""
    pos: Position | None = None
    """Where it was read from; None for text made by an operation."""


@dataclass(frozen=True)
class Attribution:
    """One `(+CODE)`, `(-CODE)` or `(CODE tcb)` after a bracket."""

    code: str
    """The delegation code, e.g. `IRAN`, `CHN`, `SEC`."""
    stance: Stance
    """Proposal, objection or reservation."""
    raw: str = ""
    """The attribution exactly as written, round brackets included; empty means canonical."""
    lead: str = " "
    """The white space written before it."""
    pos: Position | None = None
    """Where it was read from."""

    def canonical(self) -> str:
        """The attribution in its normal spelling: `(+IRAN)`, `(-CHN)`, `(AZER tcb)`."""
        if self.stance is Stance.RESERVE:
            return f"({self.code} tcb)"
        return f"({self.stance.value}{self.code})"

    def source(self) -> str:
        """The characters to render: as written, or canonical for made attributions."""
        return self.raw or self.canonical()


@dataclass(frozen=True)
class Bracket:
    """Unagreed text in square brackets, with the attributions that follow it."""

    body: tuple[Inline, ...]
    """What stands between `[` and `]`."""
    attributions: tuple[Attribution, ...] = ()
    """The attributions after the bracket, in the order written."""
    trailer: str = ""
    """Punctuation written between `]` and the first attribution, as in `]. (-IND)`."""
    closed: bool = True
    """False when no `]` is written here: in a lenient read where it is missing, or where the bracket `continues`."""
    pos: Position | None = None
    """From `[` to just past `]` (attributions not included)."""
    continued: bool = False
    """This part of a bracket spanning paragraphs began in an earlier paragraph: no `[` here."""
    continues: bool = False
    """This part of a bracket spanning paragraphs goes on into the next paragraph: no `]` here."""

    @property
    def options(self) -> tuple[Bracket, ...]:
        """The alternatives when this bracket is an options group, else empty.

        An options group holds only bracketed alternatives separated by commas
        (and white space): `[[of civilizations] (-CHN), [exchanges ...] (+CHN)]`.
        """
        alternatives = tuple(node for node in self.body if isinstance(node, Bracket))
        if len(alternatives) < 2:
            return ()
        for node in self.body:
            if isinstance(node, Text) and node.text.strip(" \t\n,"):
                return ()
        return alternatives

    @property
    def is_options(self) -> bool:
        """True for an options group."""
        return bool(self.options)


Inline = Text | Bracket


@dataclass(frozen=True)
class Paragraph:
    """One block of text between blank lines."""

    id: str
    """Stable id: the `{#id}` marker when written, else `p1`, `p2`, ... by order."""
    content: tuple[Inline, ...]
    """The paragraph's text and brackets, marker excluded."""
    marker: str = ""
    """The id marker exactly as written (`{#op11} `), or empty."""
    label: str | None = None
    """The paragraph's own numbering as written (`11.`, `11altern.`, `1.10`, `3alt.`, `1bis.`), if any."""
    pos: Position | None = None
    """From the marker (or first character) to the end of the block."""

    def brackets(self) -> Iterator[tuple[Bracket, int]]:
        """Every bracket in document order (outer before inner) with its depth (outermost 1)."""
        yield from brackets_in(self.content)

    def written(self) -> tuple[str, int] | None:
        """While the paragraph's nodes are yet to be made (a large text, read lazily): its content as written
        (marker excluded) and how many brackets opened in earlier paragraphs are still open where it starts.

        None once they are made. Two paragraphs written alike, with none carried in, read alike: a comparison
        can tell so without making the nodes of either.
        """
        recipe = self.__dict__.get("_build")
        if recipe is None:
            return None
        return recipe[1].text[recipe[2]:recipe[3]], recipe[4] if len(recipe) > 4 else 0

    def __getattr__(self, name: str):
        # Reached only for an attribute the instance lacks: the content or the position of a paragraph the reader
        # left to be made on first use (a large text; see cicatext.notation.reader).
        return _made_on_first_use(self, name, _MADE_LATER)


# The attributes a lazily read paragraph makes on first use, and the name of each one's recipe (which makes
# that attribute alone).
_MADE_LATER = {"content": ("_build", None), "pos": ("_place", None)}
# `pos` has a default, which the dataclass keeps as a class attribute; without it a paragraph that
# lacks `pos` reaches __getattr__ (the default stays in __init__'s signature).
del Paragraph.pos


@dataclass(frozen=True)
class Draft:
    """A whole bracketed text: paragraphs and the blank-line runs between them."""

    paragraphs: tuple[Paragraph, ...]
    """The paragraphs in order."""
    separators: tuple[str, ...]
    """White space before, between and after paragraphs: one more than there are paragraphs."""

    def paragraph(self, paragraph_id: str) -> Paragraph | None:
        """The paragraph with this id, or None."""
        for paragraph in self.paragraphs:
            if paragraph.id == paragraph_id:
                return paragraph
        return None

    def bracket_count(self) -> int:
        """How many brackets the draft holds, at every depth (an options group and each alternative alike).

        A bracket spanning paragraphs counts once, where it opens.
        """
        return sum(1 for paragraph in self.paragraphs for bracket, _ in paragraph.brackets() if not bracket.continued)

    def __getattr__(self, name: str):
        # Reached only for an attribute the instance lacks: the paragraphs and separators of a large text the
        # reader left to be made on first use (see cicatext.notation.reader), made together from one recipe.
        return _made_on_first_use(self, name, _DRAFT_MADE_LATER)


# The attributes a lazily read draft makes, together, on first use: their recipe, and what it makes.
_DRAFT_MADE_LATER = dict.fromkeys(("paragraphs", "separators"), ("_made", ("paragraphs", "separators")))


def _made_on_first_use(instance: object, name: str, made_later: dict[str, tuple[str, tuple[str, ...] | None]]):
    """The attribute `name` of an instance that lacks it, made now from its recipe when `made_later` names one
    for it: the recipe's name, and None when it makes that one value, or the attributes whose values it gives
    together.

    What is made is kept; the recipe goes only after every value is in place, so a second thread asking
    meanwhile makes its own and keeps the first made, instead of finding neither.
    """
    found = made_later.get(name)
    if found is not None:
        fields = instance.__dict__
        recipe_name, together = found
        recipe = fields.get(recipe_name)
        if recipe is not None:
            value = recipe[0](*recipe[1:])
            if together is None:
                value = fields.setdefault(name, value)
                fields.pop(recipe_name, None)
                return value
            for made, part in zip(together, value):
                fields.setdefault(made, part)
            fields.pop(recipe_name, None)
        if name in fields:
            return fields[name]
    raise AttributeError(f"'{type(instance).__name__}' object has no attribute '{name}'")


def brackets_in(nodes: tuple[Inline, ...], depth: int = 1) -> Iterator[tuple[Bracket, int]]:
    """Every bracket within `nodes` in document order, outer first, with its depth (`depth` for the outermost).

    On an explicit stack of the bodies being walked: brackets nest to any depth.
    """
    stack = [iter(nodes)]
    base = depth - 1
    while stack:
        for node in stack[-1]:
            if isinstance(node, Bracket):
                yield node, base + len(stack)
                stack.append(iter(node.body))
                break
        else:
            stack.pop()


def texts_in(nodes: tuple[Inline, ...]) -> Iterator[Text]:
    """Every Text within `nodes`, at any depth, in document order (on an explicit stack)."""
    stack = [iter(nodes)]
    while stack:
        for node in stack[-1]:
            if isinstance(node, Text):
                yield node
            else:
                stack.append(iter(node.body))
                break
        else:
            stack.pop()


def rebuild(nodes: tuple[Inline, ...], finish: Callable[[Bracket, list[Inline]], Sequence[Inline]],
            step: Callable[[list[Inline], Inline], object] = list.append,
            keep: Callable[[Bracket], Sequence[Inline] | None] | None = None) -> list[Inline]:
    """Inline nodes made anew from the innermost brackets out, on an explicit stack (brackets nest to any depth).

    Each bracket's body is made first: `finish(bracket, body)` gives the nodes
    standing for the bracket, given in turn to `step(made, node)` with the
    nodes made so far at its level, as a Text is (by default appended).
    `keep(bracket)`, when given, may give the nodes standing for a bracket
    without its body being made.
    """
    stack: list[tuple[Bracket | None, list[Inline], Iterator]] = []
    bracket: Bracket | None = None
    made: list[Inline] = []
    pending = iter(nodes)
    while True:
        for node in pending:
            if isinstance(node, Bracket):
                kept = keep(node) if keep is not None else None
                if kept is not None:
                    for one in kept:
                        step(made, one)
                    continue
                stack.append((bracket, made, pending))
                bracket, made, pending = node, [], iter(node.body)
                break
            step(made, node)
        else:
            if bracket is None:
                return made
            finished = finish(bracket, made)
            bracket, made, pending = stack.pop()
            for one in finished:
                step(made, one)
