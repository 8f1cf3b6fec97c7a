"""A table whose columns share the terminal's width by importance, not by position.

Each column says how narrow it may get and how important it is. When the
terminal is too narrow for every column at its least width, the empty columns
go first, then the least important; the room left is given to the columns in order of
importance up to their natural width (the widest cell), and what remains goes
to the one column that takes the slack (a title, a subject). The widths are
worked out again when the table is resized.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable

from cicatext.tui.literal import literal_row

PAD = 2
"""The cell padding DataTable draws around each column (one each side)."""


@dataclass(frozen=True)
class FitColumn:
    """One column of a fitted table."""

    key: str
    """The column's key."""
    label: str
    """The header."""
    least: int
    """The narrowest it is drawn; below that it gives way altogether."""
    rank: int
    """Importance: 1 is kept longest."""
    most: int = 0
    """The widest it gets (0: as wide as its widest cell)."""
    slack: bool = False
    """Takes the room left once the others have their natural width."""


def fit_widths(columns: Sequence[FitColumn], natural: dict[str, int], room: int) -> dict[str, int]:
    """Each shown column's width for `room` cells, in the columns' order; columns left out give way."""
    shown = list(columns)
    by_rank = sorted(columns, key=lambda c: c.rank)

    def least(column: FitColumn) -> int:
        return min(column.least, max(natural.get(column.key, 0), cell_len(column.label)))

    def want(column: FitColumn) -> int:
        wide = max(natural.get(column.key, 0), cell_len(column.label))
        return min(wide, column.most) if column.most else wide

    if sum(want(c) + PAD for c in shown) > room:
        # Short of room: a column with nothing in it says nothing.
        shown = [c for c in shown if natural.get(c.key, 0)] or shown[:1]
    while len(shown) > 1 and sum(least(c) + PAD for c in shown) > room:
        shown.remove(max(shown, key=lambda c: c.rank))
    widths = {c.key: least(c) for c in shown}
    left = room - sum(widths[c.key] + PAD for c in shown)
    for column in [c for c in by_rank if c in shown and not c.slack] + [c for c in by_rank if c in shown and c.slack]:
        wanted = max(want(column), widths[column.key] + left) if column.slack else want(column)
        grow = max(0, min(wanted - widths[column.key], left))
        widths[column.key] += grow
        left -= grow
    return {c.key: widths[c.key] for c in columns if c in shown}


def _plain(cell: object) -> str:
    if isinstance(cell, (Content, Text)):
        return cell.plain
    return str(cell)


def _cut(cell: Content | Text, width: int) -> Content | Text:
    if cell_len(cell.plain) <= width:
        return cell
    if isinstance(cell, Content):
        return cell.truncate(width, ellipsis=True)
    cut = cell.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


class FittedTable(DataTable):
    """Rows set whole (`set_rows`); columns fitted to the width, the least important giving way first."""

    def __init__(self, columns: Sequence[FitColumn], **options) -> None:
        super().__init__(**options)
        self.fit_columns = tuple(columns)
        """The columns, in the order drawn."""
        self.widths: dict[str, int] = {}
        """Each shown column's width; a column missing here gave way."""
        self._rows: list[tuple[str, list[Content | Text]]] = []
        self._room = 0

    def set_rows(self, rows: Sequence[tuple[str, Sequence[object]]]) -> None:
        """Show these (key, cells) rows, one cell per column; strings are shown as written."""
        self._rows = [(key, literal_row(*cells)) for key, cells in rows]
        self._fit(force=True)

    def on_resize(self) -> None:
        self._fit()

    def _fit(self, *, force: bool = False) -> None:
        # The scrollbar's room is kept whether or not it shows, so a long list does not shift the columns.
        room = (self.size.width or self.app.size.width) - self.styles.scrollbar_size_vertical
        if room == self._room and not force:
            return
        self._room = room
        natural = {column.key: max((cell_len(_plain(cells[index])) for _, cells in self._rows), default=0)
                   for index, column in enumerate(self.fit_columns)}
        self.widths = fit_widths(self.fit_columns, natural, room)
        cursor = self.cursor_row
        self.clear(columns=True)
        for column in self.fit_columns:
            if column.key in self.widths:
                self.add_column(column.label, key=column.key, width=self.widths[column.key])
        for key, cells in self._rows:
            self.add_row(*(_cut(cell, self.widths[column.key]) for column, cell in zip(self.fit_columns, cells)
                           if column.key in self.widths), key=key)
        if self._rows:
            self.move_cursor(row=min(cursor, len(self._rows) - 1))
