"""The register's table of documents: a virtual list that draws only the rows on screen.

Five thousand documents cost nothing here: rows are plain summaries, column
widths come from string lengths (each row measured once, however often the
rows are set, as they are while a first start streams them in), and only
visible lines are rendered. The header stays put, clicking it sorts, and
narrow terminals drop the least useful columns before the title gets too
short to read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cicatext.store.register.catalogue import DocumentSummary


@dataclass(frozen=True)
class Column:
    """One column of the register."""

    key: str
    """The sort key, also the summary's attribute."""
    label: str
    """The header."""
    cap: int
    """The widest it gets."""
    right: bool = False
    """Right-aligned (numbers)."""


COLUMNS: tuple[Column, ...] = (
    Column("current_symbol", "Symbol", 30),
    Column("title", "Title", 0),
    Column("kind", "Kind", 15),
    Column("sponsor", "Sponsor", 7),
    Column("revision", "Rev", 3, right=True),
    Column("status", "Status", 11),
    Column("brackets", "[ ]", 4, right=True),
)
# Dropped in this order when the terminal is too narrow for a readable title.
DROPPABLE = ("kind", "sponsor", "status", "revision")
MIN_TITLE = 30
GAP = 2


def cell_text(summary: DocumentSummary, key: str) -> str:
    """What one cell of the register shows."""
    if key == "brackets":
        return "—" if summary.brackets is None else str(summary.brackets)
    if key == "current_symbol":
        return ("⚠ " if summary.problem else "") + summary.current_symbol
    if key == "title" and summary.problem and not summary.title:
        return summary.problem
    if key == "revision":
        return f"{summary.revision}" if summary.revision else "—"
    return str(getattr(summary, key))


def shorten_title(title: str, width: int) -> str:
    """A title cut in the middle to fit `width`: its start and its end, which tell revisions and drafts apart.

    Titles of one meeting's drafts share their start (`Draft decision of the CICA Ministerial Council
    on …`); what follows is what differs, so it is kept.
    """
    if cell_len(title) <= width or width < 12:
        return title
    head_room = width * 2 // 5
    head = title[:head_room]
    if " " in head.strip():
        head = head[:head.rindex(" ")].rstrip()
    tail_room = width - len(head) - 3
    tail = title[-tail_room:]
    if " " in tail[:tail_room // 2]:
        tail = tail[tail.index(" ") + 1:]
    return f"{head} … {tail}"


class DocumentTable(ScrollView, can_focus=True):
    """Rows of document summaries with a cursor, sortable by clicking the header."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "choose", "Open", show=True),
    ]

    COMPONENT_CLASSES = {
        "document-table--header",
        "document-table--cursor",
        "document-table--problem",
        "document-table--sorted",
    }

    DEFAULT_CSS = """
    DocumentTable {
        background: $surface;
        height: 1fr;
    }
    DocumentTable > .document-table--header {
        background: $panel;
        color: $text;
        text-style: bold;
    }
    DocumentTable > .document-table--sorted {
        color: $text-accent;
        text-style: bold;
    }
    DocumentTable > .document-table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    DocumentTable:focus > .document-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    DocumentTable > .document-table--problem {
        color: $text-warning;
    }
    """

    cursor: reactive[int] = reactive(0)
    """The row under the cursor."""

    class Highlighted(Message):
        """The cursor moved to a document."""

        def __init__(self, summary: DocumentSummary | None) -> None:
            super().__init__()
            self.summary = summary

    class Chosen(Message):
        """A document was chosen (enter or double click)."""

        def __init__(self, summary: DocumentSummary) -> None:
            super().__init__()
            self.summary = summary

    class SortRequested(Message):
        """The header of a column was clicked."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[DocumentSummary] = []
        """The rows shown, in order."""
        self.sort_key: str | None = None
        self.sort_reverse = False
        self._layout: list[tuple[Column, int]] = []
        self._layout_width = -1
        # By the row's id, with the row kept to tell it from a later row given the same id.
        self._cell_widths: dict[int, tuple[DocumentSummary, tuple[int, ...]]] = {}

    def set_rows(self, rows: Sequence[DocumentSummary], *, keep: str | None = None) -> None:
        """Show these rows; keep the cursor on the document `keep` (a slug) when it is among them."""
        self.rows = list(rows)
        self._layout = []
        if len(self._cell_widths) > 2 * len(self.rows) + 1000:
            self._cell_widths = {}  # rows of earlier readings
        target = 0
        if keep is not None:
            for index, row in enumerate(self.rows):
                if row.slug == keep:
                    target = index
                    break
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        self.set_reactive(DocumentTable.cursor, min(target, max(len(self.rows) - 1, 0)))
        self._keep_cursor_visible()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    @property
    def current(self) -> DocumentSummary | None:
        """The summary under the cursor."""
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    def _columns(self) -> list[tuple[Column, int]]:
        width = self.scrollable_content_region.width or self.size.width
        if self._layout and self._layout_width == width:
            return self._layout
        widths: dict[str, int] = {}
        for column, cells in zip(COLUMNS, self._longest()):
            if column.key != "title":
                widths[column.key] = max(cell_len(column.label), min(column.cap, cells))
        shown = [c for c in COLUMNS]
        dropped = list(DROPPABLE)

        def title_width() -> int:
            others = sum(widths[c.key] for c in shown if c.key != "title")
            return width - others - GAP * (len(shown) - 1) - 1

        while title_width() < MIN_TITLE and dropped:
            key = dropped.pop(0)
            shown = [c for c in shown if c.key != key]
        widths["title"] = max(title_width(), 8)
        self._layout = [(c, widths[c.key]) for c in shown]
        self._layout_width = width
        return self._layout

    def _longest(self) -> list[int]:
        """The widest cell of each column among the first 2,000 rows, in the order of COLUMNS; the title's is not
        measured (its width is what the others leave), and a column stops being measured once at its cap."""
        longest = [0] * len(COLUMNS)
        measuring = [index for index, column in enumerate(COLUMNS) if column.key != "title"]
        for row in self.rows[:2000]:
            if not measuring:
                break
            widths = self._measure(row)
            for index in measuring:
                longest[index] = max(longest[index], widths[index])
            measuring = [index for index in measuring if longest[index] < COLUMNS[index].cap]
        return longest

    def _measure(self, row: DocumentSummary) -> tuple[int, ...]:
        """The width of each of a row's cells but the title's (0), in the order of COLUMNS."""
        known = self._cell_widths.get(id(row))
        if known is not None and known[0] is row:
            return known[1]
        widths = tuple(0 if column.key == "title" else cell_len(cell_text(row, column.key)) for column in COLUMNS)
        self._cell_widths[id(row)] = (row, widths)
        return widths

    @property
    def visible_columns(self) -> list[str]:
        """The keys of the columns shown at the current width."""
        return [column.key for column, _ in self._columns()]

    def on_resize(self) -> None:
        self._layout = []
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        self._keep_cursor_visible()

    def _line(self, cells: list[tuple[str, int, bool]], style: Style, sorted_index: int | None = None,
              sorted_style: Style | None = None) -> list[Segment]:
        segments = [Segment(" ", style)]
        for index, (text, width, right) in enumerate(cells):
            if cell_len(text) > width:
                text = set_cell_size(text, max(width - 1, 0)) + "…" if width > 1 else set_cell_size(text, width)
            elif right:
                text = " " * (width - cell_len(text)) + text
            else:
                text = set_cell_size(text, width)
            cell_style = sorted_style if index == sorted_index and sorted_style else style
            segments.append(Segment(text, cell_style))
            if index < len(cells) - 1:
                segments.append(Segment(" " * GAP, style))
        return segments

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self._columns()
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("document-table--header")
            sorted_style = header + self.get_component_rich_style("document-table--sorted")
            labels = []
            sorted_index = None
            for index, (column, column_width) in enumerate(layout):
                label = column.label
                if column.key == self.sort_key:
                    label += " ▼" if self.sort_reverse else " ▲"
                    sorted_index = index
                labels.append((label, column_width, False))
            segments = self._line(labels, header, sorted_index, sorted_style)
            return Strip(segments).adjust_cell_length(width, header)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base
        if row.problem:
            style = base + self.get_component_rich_style("document-table--problem")
        if index == self.cursor:
            style = style + self.get_component_rich_style("document-table--cursor")
        cells = [(shorten_title(cell_text(row, column.key), column_width) if column.key == "title"
                  else cell_text(row, column.key), column_width, column.right) for column, column_width in layout]
        return Strip(self._line(cells, style)).adjust_cell_length(width, style)

    def watch_cursor(self, old: int, new: int) -> None:
        self._keep_cursor_visible()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    def _keep_cursor_visible(self) -> None:
        rows_shown = max(self.scrollable_content_region.height - 1, 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows_shown:
            self.scroll_to(y=self.cursor - rows_shown + 1, animate=False, immediate=True)

    def _move(self, delta: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + delta))

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_page_down(self) -> None:
        self._move(max(self.scrollable_content_region.height - 2, 1))

    def action_page_up(self) -> None:
        self._move(-max(self.scrollable_content_region.height - 2, 1))

    def action_first(self) -> None:
        self._move(-len(self.rows))

    def action_last(self) -> None:
        self._move(len(self.rows))

    def action_choose(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current))

    def on_click(self, event) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = offset.x - 1
            for column, column_width in self._columns():
                if x < column_width + GAP:
                    self.post_message(self.SortRequested(column.key))
                    return
                x -= column_width + GAP
            return
        index = int(self.scroll_offset.y) + offset.y - 1
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_choose()
