"""Two languages of one draft side by side, paragraph beside paragraph, aligned by paragraph id.

The reader's language (the left, or upper, one) is the one navigated and
acted on: its brackets are selected and its paragraphs are the reader's
current paragraph, exactly as in `DocumentView`. The other language is shown
beside it for reference, with its brackets coloured the same way. A paragraph
only one language has stands alone on its side, where the other language's
order puts it. When the columns would be narrower than `MIN_COLUMN` cells the
other language's paragraph is drawn under its counterpart instead.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.visual import RenderOptions

from cicatext.notation.tree import Paragraph
from cicatext.notation.views import clean_paragraph
from cicatext.tui.widgets.bracketed import paragraph_content, visible
from cicatext.tui.widgets.document_view import GUTTER, DocumentView

MIN_COLUMN = 24
"""Below this many cells per column the two languages are stacked."""
SEPARATOR = " │ "
AWAITING_MARK = "awaiting translation"
"""Shown before a paragraph of the other language that awaits translation."""
STACK_MARK = "┆ "


def align(left: Sequence[Paragraph], right: Sequence[Paragraph]) -> list[tuple[int | None, int | None]]:
    """Pairs of (left index, right index) by paragraph id, in the left's order. A paragraph only one side has
    stands alone: on the right, just after the paragraph its own text puts it after; none is left out."""
    right_at = {p.id: i for i, p in enumerate(right)}
    left_ids = {p.id for p in left}
    units: list[tuple[int | None, int | None]] = []
    taken = 0  # the right paragraphs before this one are placed

    def lone_after() -> None:
        nonlocal taken
        while taken < len(right) and right[taken].id not in left_ids:
            units.append((None, taken))
            taken += 1

    lone_after()
    for index, paragraph in enumerate(left):
        match = right_at.get(paragraph.id)
        if match is None or match < taken:
            units.append((index, None))
            continue
        # Right paragraphs passed over (moved elsewhere on the left) stand alone rather than vanish.
        units.extend((None, other) for other in range(taken, match))
        units.append((index, match))
        taken = match + 1
        lone_after()
    units.extend((None, other) for other in range(taken, len(right)))
    return units


class ParallelView(DocumentView):
    """A draft's paragraphs in the reader's language beside (or above) the same paragraphs in another."""

    COMPONENT_CLASSES = {"document-view--marker", "parallel-view--rule", "parallel-view--heading"}

    DEFAULT_CSS = """
    ParallelView > .parallel-view--rule {
        color: $panel-lighten-2;
    }
    ParallelView > .parallel-view--heading {
        color: $text-muted;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.other: list[Paragraph] = []
        """The other language's paragraphs, in their order."""
        self.language = ""
        """The reader's language (left or above)."""
        self.other_language = ""
        """The other language (right or below)."""
        self._units: list[tuple[int | None, int | None]] = []
        self.awaiting: frozenset[str] = frozenset()
        """The ids of the other language's paragraphs that await translation."""

    def set_languages(self, paragraphs: Sequence[Paragraph], other: Sequence[Paragraph], language: str,
                      other_language: str, *, awaiting: frozenset[str] = frozenset()) -> None:
        """Show a draft's paragraphs in `language` beside `other`, its text in `other_language`; the paragraphs
        of `other` named in `awaiting` are marked as awaiting translation."""
        self.awaiting = frozenset(awaiting)
        self.other = list(other)
        self.language, self.other_language = language, other_language
        self._units = align(paragraphs, self.other)
        self.set_paragraphs(paragraphs)

    @property
    def columns(self) -> bool:
        """True when the languages stand side by side, False when stacked."""
        return self._column_width() >= MIN_COLUMN

    @property
    def rows(self) -> list[tuple[str | None, str | None]]:
        """The (left id, right id) of each aligned pair on the page, in order."""
        return [(self.paragraphs[left].id if left is not None else None,
                 self.other[right].id if right is not None else None)
                for left, right in (self._units[u] for u in self._order)]

    @property
    def shown(self) -> list[int]:
        """The indices of the reader's paragraphs on the page, in order."""
        return [left for left, _ in (self._units[u] for u in self._order) if left is not None]

    def is_shown(self, index: int) -> bool:
        return self._unit_of(index) in self._order

    def _unit_of(self, index: int) -> int | None:
        return next((u for u, (left, _) in enumerate(self._units) if left == index), None)

    def _paragraphs_of(self, bracket_id: str | None) -> set[int]:
        return {unit for index in super()._paragraphs_of(bracket_id) if (unit := self._unit_of(index)) is not None}

    def _column_width(self) -> int:
        return (self._text_width() - len(SEPARATOR)) // 2

    def _render(self, content: Content, width: int) -> list[Strip]:
        if not content.plain.strip():
            return []
        return content.render_strips(width, None, self.visual_style, RenderOptions(self._get_style, self.styles))

    def _other_content(self, index: int) -> Content:
        paragraph = self.other[index]
        if self.clean:
            content = Content(visible(clean_paragraph(paragraph)), strip_control_codes=False)
        else:
            content = paragraph_content(paragraph, delegation=self.delegation)[0]
        if paragraph.id in self.awaiting:
            return Content.assemble((AWAITING_MARK, "italic reverse"), " ", content)
        return content

    def _strips(self, unit: int) -> list[Strip]:
        """The lines of one aligned pair, both languages, as wide as the text."""
        strips = self._lines.get(unit)
        if strips is not None:
            return strips
        left, right = self._units[unit]
        base = self.rich_style
        if self.columns:
            width = self._column_width()
            left_lines = self._render(self._content(left), width) if left is not None else []
            right_lines = self._render(self._other_content(right), width) if right is not None else []
            if not left_lines and not right_lines:
                strips = []
            else:
                rule = Segment(SEPARATOR, self.get_component_rich_style("parallel-view--rule"))
                blank = Strip.blank(width, base)
                strips = []
                for number in range(max(len(left_lines), len(right_lines))):
                    own = left_lines[number] if number < len(left_lines) else blank
                    other = right_lines[number] if number < len(right_lines) else blank
                    strips.append(Strip([*own.adjust_cell_length(width, base), rule, *other]))
        else:
            width = self._text_width()
            strips = self._render(self._content(left), width) if left is not None else []
            if right is not None:
                mark = Segment(STACK_MARK, self.get_component_rich_style("parallel-view--rule"))
                strips = strips + [Strip([mark, *line])
                                   for line in self._render(self._other_content(right), width - len(STACK_MARK))]
        self._lines[unit] = strips
        return strips

    def _height(self, unit: int) -> int:
        # A pair is as high as its taller side: drawn to know.
        return len(self._strips(unit))

    _TOP_ROWS = 1  # the heading naming the two languages

    def _layout_units(self) -> list[int]:
        units = []
        for unit, (left, _) in enumerate(self._units):
            if left is not None and left in self.hidden:
                continue
            if left is None and self.hidden:
                continue  # a delegation's filter shows its own paragraphs, nothing beside them
            units.append(unit)
        return units

    def _paragraph_of(self, unit: int) -> int | None:
        return self._units[unit][0]

    def _offset_line(self, unit: int, offset: int) -> int:
        width = self._column_width() if self.columns else self._text_width()
        return min(offset // max(width, 1), max(len(self._strips(unit)) - 1, 0))

    def _heading(self, width: int) -> Strip:
        style = self.get_component_rich_style("parallel-view--heading")
        base = self.rich_style
        if self.columns:
            column = self._column_width()
            left = self.language.ljust(column)[:column]
            segments = [Segment(" " * GUTTER, base), Segment(left, style),
                        Segment(SEPARATOR, self.get_component_rich_style("parallel-view--rule")),
                        Segment(self.other_language, style)]
        else:
            segments = [Segment(" " * GUTTER, base), Segment(self.language, style),
                        Segment(f"  with {self.other_language} below, marked ", base),
                        Segment(STACK_MARK.strip(), self.get_component_rich_style("parallel-view--rule"))]
        return Strip(segments).adjust_cell_length(width, base)

    def render_line(self, y: int) -> Strip:
        if self._text_width() != self._width and self.size.width:
            # A vertical scrollbar came or went without a resize: the columns must be laid out again.
            self._relayout()
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = int(self.scroll_offset.y) + y
        if row == 0:
            return self._heading(width)
        position = bisect_right(self._starts, row) - 1
        if position < 0:
            return Strip.blank(width, base)
        unit = self._order[position]
        strips = self._strips(unit)
        line = row - self._starts[position]
        if line >= len(strips):
            return Strip.blank(width, base)
        if self._units[unit][0] == self.current and self._units[unit][0] is not None:
            gutter = Segment("▌ ", self.get_component_rich_style("document-view--marker"))
        else:
            gutter = Segment(" " * GUTTER, base)
        return Strip([gutter, *strips[line]]).adjust_cell_length(width, base)
