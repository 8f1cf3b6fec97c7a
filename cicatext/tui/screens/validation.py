"""Validation: every problem in the repository; the selected one shown in its file at its line.

`e` (or enter) opens the file at that line in `$EDITOR`. Validation itself runs
in a worker; until it is done the screen shows what the register already knows
(records or texts that do not load) and says that it is still checking.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Static, TextArea
from textual.widgets.text_area import Selection

from cicatext.errors import CicatextError, Problem
from cicatext.store.repository import Repository
from cicatext.tui.literal import LiteralScreen
from cicatext.tui.widgets.fitted_table import FitColumn, FittedTable
from cicatext.tui.widgets.key_bar import KeyBar
from cicatext.tui.widgets.status import StatusLine
from cicatext.tui.widgets.title_bar import TitleBar

PROBLEM_COLUMNS = (
    FitColumn("severity", "", 1, 1, most=1),
    FitColumn("where", "Where", 16, 2, most=48),
    FitColumn("message", "Problem", 20, 1, slack=True),
)
"""The problems table: the message takes the room left and is cut to fit; the pane below shows it whole."""


class ValidationScreen(LiteralScreen):
    """Every problem, and the file at the selected one's line."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding("j", "down", "Down", show=False),
        Binding("k", "up", "Up", show=False),
        Binding("e", "edit", "Edit in $EDITOR"),
        Binding("tab", "app.focus_next", "Switch pane", show=False),
        Binding("q,escape", "back", "Back"),
    ]

    def __init__(self, repo: Repository, problems: Sequence[Problem], *, complete: bool) -> None:
        super().__init__()
        self.repo = repo
        self.problems: list[Problem] = list(problems)
        """The problems listed, in file order."""
        self.complete = complete
        """False while validation is still running and only the problems seen while loading are listed."""
        self._texts: dict[str, str | None] = {}
        # Made here and kept: the screen's mount can come before its nested widgets are mounted,
        # and workers may report before the screen is composed.
        self.table = FittedTable(PROBLEM_COLUMNS, id="validation-table", cursor_type="row", zebra_stripes=True)
        self.detail = Static("", id="validation-problem")
        self.file_view = TextArea("", id="validation-file", read_only=True, show_line_numbers=True, soft_wrap=False)
        self.status = StatusLine(id="status")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="validation-body"):
            yield self.table
            with Vertical(id="validation-detail"):
                yield self.detail
                yield self.file_view
        yield self.status
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Validation"
        self._fill()
        self.table.focus()

    def set_problems(self, problems: Sequence[Problem], *, complete: bool) -> None:
        """Replace the list (when validation finishes or the repository was reloaded)."""
        self.problems = list(problems)
        self.complete = complete
        self._texts.clear()
        if self.is_mounted:
            self._fill()

    @property
    def selected(self) -> Problem | None:
        """The problem under the cursor."""
        table = self.table
        if not self.problems or table.cursor_row is None or not 0 <= table.cursor_row < len(self.problems):
            return None
        return self.problems[table.cursor_row]

    def _fill(self) -> None:
        table = self.table
        row = table.cursor_row if table.row_count else 0
        rows = []
        for index, problem in enumerate(self.problems):
            mark = ("E", "bold $text-error") if problem.severity == "error" else ("W", "bold $text-warning")
            rows.append((str(index), (Content.assemble(mark), problem.location(), problem.message)))
        table.set_rows(rows)
        errors = sum(1 for p in self.problems if p.severity == "error")
        warnings = len(self.problems) - errors
        state = "" if self.complete else " · still validating: showing what loading found so far"
        if not self.problems:
            words = "No problems found" if self.complete else "No problems found yet"
        else:
            words = f"{errors} error(s), {warnings} warning(s)"
        self.status.say(f"{words}{state}")
        if self.problems:
            table.move_cursor(row=min(row, len(self.problems) - 1))
        self._show(self.selected)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(self.selected)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def _file_text(self, relative: str) -> str | None:
        if relative not in self._texts:
            try:
                self._texts[relative] = self.repo.read_text(relative)
            except CicatextError:
                self._texts[relative] = None
            except OSError:
                self._texts[relative] = None
        return self._texts[relative]

    def _show(self, problem: Problem | None) -> None:
        detail = self.detail
        area = self.file_view
        if problem is None:
            detail.update("Nothing to show." if self.complete else "Validating…")
            area.load_text("")
            return
        style = "bold $text-error" if problem.severity == "error" else "bold $text-warning"
        parts: list = [(problem.location(), "bold"), "\n", (problem.message, style)]
        if problem.hint:
            parts += ["\n", ("hint: ", "$text-muted"), problem.hint]
        detail.update(Content.assemble(*parts))
        text = self._file_text(problem.file) if problem.file else None
        if text is None:
            area.load_text("" if not problem.file else f"({problem.file} cannot be shown)")
            return
        area.load_text(text)
        if problem.line:
            row = max(problem.line - 1, 0)
            line_text = area.document.get_line(row) if row < area.document.line_count else ""
            # The whole line selected, the cursor at its start, so the view stays at the left margin.
            area.selection = Selection((row, len(line_text)), (row, 0))
            area.scroll_to(x=0, y=max(row - 4, 0), animate=False)

    def action_down(self) -> None:
        self.table.action_cursor_down()

    def action_up(self) -> None:
        self.table.action_cursor_up()

    def action_edit(self) -> None:
        problem = self.selected
        if problem is None or not problem.file:
            self.notify("This problem belongs to no file.", severity="warning")
            return
        self.app.edit_file(problem.file, problem.line or 1)

    def action_back(self) -> None:
        self.dismiss()
