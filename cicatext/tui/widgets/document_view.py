"""The reader's text: every paragraph of a draft in one scrolling widget that draws only what is on screen.

One widget per paragraph costs a few milliseconds each in styling and layout,
which a 500-paragraph negotiation text cannot afford; here each paragraph is
wrapped once per width and state to know its height, and only the paragraphs
on screen are drawn into lines (drawing styles every bracket: most of the cost
of a paragraph). A paragraph is styled by `paragraph_content` (bracketed) or shown as its
clean text, a marker in the gutter shows the current paragraph, and a click
says which paragraph was hit.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import RenderOptions

from cicatext.notation.tree import Paragraph
from cicatext.notation.views import clean_paragraph
from cicatext.tui.widgets.bracketed import BracketSpan, paragraph_content, visible

GUTTER = 2


class DocumentView(ScrollView, can_focus=True):
    """A draft's paragraphs, bracketed or clean, with one current paragraph and one selected bracket."""

    COMPONENT_CLASSES = {"document-view--marker"}

    DEFAULT_CSS = """
    DocumentView {
        height: 1fr;
        background: $surface;
    }
    DocumentView > .document-view--marker {
        color: $accent;
        text-style: bold;
    }
    """

    class ParagraphClicked(Message):
        """A paragraph was clicked."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paragraphs: list[Paragraph] = []
        """The paragraphs, in order."""
        self.hidden: set[int] = set()
        """Indices of paragraphs not shown (filtered out, or empty in the clean text)."""
        self.current = 0
        """The index of the current paragraph."""
        self.clean = False
        self.selected: str | None = None
        self.delegation: str | None = None
        # Each paragraph's bracket spans, found when it is drawn or first asked for.
        self._brackets: list[list[BracketSpan] | None] = []
        self._lines: dict[int, list[Strip]] = {}
        self._heights: dict[int, int] = {}
        self._starts: list[int] = []
        self._order: list[int] = []
        self._width = 0
        # Where to scroll once the text is laid out, when asked before it was (the reader opening at a paragraph).
        self._pending_view: tuple[int, int, bool] | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self._forget_lines()
        self.refresh()

    def _forget_lines(self) -> None:
        """Forget every paragraph's lines and height (the width, the mode or the text changed)."""
        self._lines.clear()
        self._heights.clear()

    def set_paragraphs(self, paragraphs: Sequence[Paragraph]) -> None:
        """Show another draft's paragraphs (another language, or the text read again)."""
        self.paragraphs = list(paragraphs)
        self._brackets = [None] * len(self.paragraphs)
        self.hidden = set()
        self.current = min(self.current, max(len(self.paragraphs) - 1, 0))
        self._forget_lines()
        self._relayout()

    def show(self, *, clean: bool, selected: str | None, delegation: str | None, current: int,
             hidden: set[int]) -> None:
        """Redraw for the reader's mode, selected bracket, delegation filter, current paragraph and hidden ones."""
        if clean != self.clean or delegation != self.delegation:
            self._forget_lines()
        elif selected != self.selected:
            for index in self._paragraphs_of(self.selected) | self._paragraphs_of(selected):
                self._lines.pop(index, None)
        relayout = clean != self.clean or hidden != self.hidden or delegation != self.delegation or \
            selected != self.selected
        self.clean, self.selected, self.delegation, self.current = clean, selected, delegation, current
        self.hidden = set(hidden)
        if relayout:
            self._relayout()
        self.refresh()

    def _paragraphs_of(self, bracket_id: str | None) -> set[int]:
        if bracket_id is None:
            return set()
        paragraph_id = bracket_id.rpartition(":")[0]
        return {i for i, p in enumerate(self.paragraphs) if p.id == paragraph_id}

    def brackets_of(self, index: int) -> list[BracketSpan]:
        """Where each bracket of a paragraph stands in its displayed text."""
        if not 0 <= index < len(self._brackets):
            return []
        spans = self._brackets[index]
        if spans is None:
            spans = self._brackets[index] = paragraph_content(self.paragraphs[index])[1]
        return spans

    def is_shown(self, index: int) -> bool:
        """True when the paragraph at this index is on the page (not filtered out, not empty)."""
        return index not in self.hidden and self._height(index) > 0

    @property
    def shown(self) -> list[int]:
        """The indices of the paragraphs on the page, in order."""
        return list(self._order)

    def _text_width(self) -> int:
        return max((self.scrollable_content_region.width or self.size.width) - GUTTER - 1, 10)

    def _content(self, index: int) -> Content:
        paragraph = self.paragraphs[index]
        if self.clean:
            return Content(visible(clean_paragraph(paragraph)), strip_control_codes=False)
        content, self._brackets[index] = paragraph_content(paragraph, selected=self.selected,
                                                           delegation=self.delegation)
        return content

    def _strips(self, index: int) -> list[Strip]:
        strips = self._lines.get(index)
        if strips is None:
            content = self._content(index)
            if not content.plain.strip():
                strips = []
            else:
                strips = content.render_strips(self._text_width(), None, self.visual_style,
                                               RenderOptions(self._get_style, self.styles))
            self._lines[index] = strips
        return strips

    def _height(self, unit: int) -> int:
        """The lines a unit takes at the current width, found without drawing it when it is not drawn yet."""
        strips = self._lines.get(unit)
        if strips is not None:
            return len(strips)
        height = self._heights.get(unit)
        if height is None:
            content = self._content(unit)
            # Textual's own measure of the lines `render_strips` makes, on the plain text: no styles to apply.
            height = content.get_height(self.styles, self._text_width()) if content.plain.strip() else 0
            self._heights[unit] = height
        return height

    # A "unit" is what the view lays out as one block: here a paragraph's
    # index; a subclass may lay out several paragraphs as one unit.
    _TOP_ROWS = 0
    """Rows drawn above the first unit (a heading)."""

    def _layout_units(self) -> list[int]:
        """The units to lay out, in order (before dropping empty ones)."""
        return [index for index in range(len(self.paragraphs)) if index not in self.hidden]

    def _unit_of(self, index: int) -> int | None:
        """The unit that draws a paragraph."""
        return index

    def _paragraph_of(self, unit: int) -> int | None:
        """The reader's paragraph a unit stands for."""
        return unit

    def _offset_line(self, unit: int, offset: int) -> int:
        """The line of a unit on which the character at `offset` stands."""
        line = 0
        seen = 0
        for number, strip in enumerate(self._strips(unit)):
            seen += strip.cell_length
            line = number
            if seen > offset:
                break
        return line

    def _relayout(self) -> None:
        if not self.size.width:
            # Not laid out yet; the first resize lays the text out.
            self._starts, self._order = [], []
            return
        width = self._text_width()
        if width != self._width:
            self._forget_lines()
            self._width = width
        starts: list[int] = []
        order: list[int] = []
        row = self._TOP_ROWS
        for unit in self._layout_units():
            height = self._height(unit)
            if not height:
                continue
            if order or self._TOP_ROWS:
                row += 1  # a blank line before each unit but a first one at the very top
            starts.append(row)
            order.append(unit)
            row += height
        self._starts, self._order = starts, order
        self.virtual_size = Size(self.size.width, row)
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()
        if self._pending_view is not None and self._order:
            index, offset, center = self._pending_view
            self._pending_view = None
            self.bring_into_view(index, offset=offset, center=center)

    def paragraph_at_row(self, row: int) -> int | None:
        """The index of the paragraph drawn on a row of the whole text, if any."""
        position = bisect_right(self._starts, row) - 1
        if position < 0:
            return None
        unit = self._order[position]
        if row - self._starts[position] < self._height(unit):
            return self._paragraph_of(unit)
        return None

    def row_of(self, index: int) -> int | None:
        """The first row of a paragraph in the whole text, if it is shown."""
        try:
            return self._starts[self._order.index(self._unit_of(index))]
        except ValueError:
            return None

    def bring_into_view(self, index: int, *, offset: int = 0, center: bool = False) -> None:
        """Scroll so a paragraph (and, for a long one, the character at `offset`) is on screen.

        Asked before the text is laid out (the reader opening at a search hit), it scrolls once it is;
        the scroll is forced because the scrollbar that permits it appears only on the next refresh.
        """
        if not self.size.width or not self._order:
            # Not laid out yet: the first resize brings it into view.
            self._pending_view = (index, offset, center)
            return
        unit = self._unit_of(index)
        row = self.row_of(index)
        if unit is None or row is None:
            return
        lines = self._height(unit)
        line = self._offset_line(unit, offset) if offset and lines else 0
        height = self.scrollable_content_region.height or self.size.height
        top = int(self.scroll_offset.y)
        if center:
            target = row + line - height // 3 if lines > height else row + lines // 2 - height // 2
            self.scroll_to(y=max(target, 0), animate=False, immediate=True, force=True)
        elif row + line < top:
            self.scroll_to(y=row + line, animate=False, immediate=True, force=True)
        elif row + min(lines, height) > top + height:
            self.scroll_to(y=row + min(lines, height) - height, animate=False, immediate=True, force=True)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = int(self.scroll_offset.y) + y
        position = bisect_right(self._starts, row) - 1
        if position < 0:
            return Strip.blank(width, base)
        index = self._order[position]
        strips = self._strips(index)
        line = row - self._starts[position]
        if line >= len(strips):
            return Strip.blank(width, base)
        if index == self.current:
            gutter = Segment("▌ ", self.get_component_rich_style("document-view--marker"))
        else:
            gutter = Segment(" " * GUTTER, base)
        return Strip([gutter, *strips[line]]).adjust_cell_length(width, base)

    def on_click(self, event) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.paragraph_at_row(int(self.scroll_offset.y) + offset.y)
        if index is not None:
            self.post_message(self.ParagraphClicked(index))
