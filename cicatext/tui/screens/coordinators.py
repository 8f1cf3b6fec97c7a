"""Coordinators and deadlines: who coordinates each priority area, by dimension, and what falls due.

Both come from the Modalities records (`coordinators/`, `concept-papers/`,
`reviews/`, `meetings/`) judged as of one day (today, or `--as-of`), through
the same query as `cicatext coordinators --all` and `cicatext deadlines`, so
the areas come in the registry's order as there. Overdue deadlines stand out
in red, those due soon in amber.
"""

from __future__ import annotations

import datetime as dt

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from cicatext.store.layout import coordinator_path, source_file
from cicatext.store.repository import Repository
from cicatext.tui.literal import LiteralScreen, literal_row
from cicatext.tui.widgets.fitted_table import FitColumn, FittedTable
from cicatext.tui.widgets.key_bar import KeyBar
from cicatext.tui.widgets.status import StatusLine
from cicatext.tui.widgets.title_bar import TitleBar

STATUS_STYLE = {"overdue": "bold $text-error", "due": "bold $text-warning", "upcoming": "$text-muted"}


def _tenure(appointment) -> str:
    if appointment is None or appointment.start is None:
        return ""
    end = appointment.effective_end
    return f"{appointment.start.isoformat()} – {end.isoformat() if end else '…'}"


def _proposed(appointments) -> str:
    """The tenure offered or recommended (the Offers column says which), when no one holds the area yet:
    once if all share it, else each state's."""
    tenures = [(a.state, _tenure(a)) for a in appointments if a.start is not None]
    if len({tenure for _, tenure in tenures}) == 1:
        return tenures[0][1]
    return ", ".join(f"{state} {tenure}" for state, tenure in tenures)


AREA_COLUMNS = (
    FitColumn("area", "Priority area", 24, 1, most=36, slack=True),
    FitColumn("coordinator", "Coordinator", 11, 2),
    FitColumn("co", "Co-coordinators", 8, 5),
    FitColumn("tenure", "Tenure", 10, 3, most=23),
    FitColumn("pending", "Offers", 14, 4, most=26),
    FitColumn("paper", "Concept paper", 8, 6),
)
"""In a narrow terminal empty columns, then the concept paper and the co-coordinators, give way first."""


class CoordinatorsScreen(LiteralScreen):
    """The coordinators table by dimension and area, and the deadlines with what is due or overdue."""

    BINDINGS = [
        Binding("j", "down", "Down", show=False),
        Binding("k", "up", "Up", show=False),
        Binding("tab", "app.focus_next", "Switch table"),
        Binding("e", "edit", "Edit"),
        Binding("q,escape", "back", "Back"),
    ]

    def __init__(self, repo: Repository, as_of: dt.date) -> None:
        super().__init__()
        self.repo = repo
        self.as_of = as_of
        """The day the deadlines are judged against."""
        self.rows: list[dict] = []
        """One row per priority area: dimension, area, coordinator, co-coordinators, tenure, pending, paper, file."""
        self.deadlines: list = []
        """The deadlines, sorted by date."""
        self._table_rows: list[dict | None] = []
        # Made here and kept: the screen's mount can come before its nested widgets are mounted,
        # and workers may report before the screen is composed.
        self.area_table = FittedTable(AREA_COLUMNS, id="coordinators-table", cursor_type="row", zebra_stripes=True)
        self.deadline_table = DataTable(id="deadlines-table", cursor_type="row")
        self.detail = Static("", id="deadline-detail")
        self.status = StatusLine(id="status")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="coordinators-body"):
            yield self.area_table
            yield self.deadline_table
            yield self.detail
        yield self.status
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Coordinators and deadlines"
        self.sub_title = f"as of {self.as_of.isoformat()}"
        table = self.area_table
        deadlines = self.deadline_table
        for label, key, width in (("Due", "due", 10), ("", "status", 8), ("Rule", "rule", None),
                                  ("What", "what", None)):
            deadlines.add_column(label, key=key, width=width)
        self.status.say("Reading the Modalities records…")
        self.app.begin_work("coordinators", "reading coordinators")
        self._load()
        table.focus()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        try:
            rows, deadlines, problems = self._read()
        except Exception as error:  # noqa: BLE001 - show it, do not end the app
            self.app.call_from_thread(self.app.notify, f"{type(error).__name__}: {error}",
                                      title="Could not read the coordinators", severity="error")
            rows, deadlines, problems = [], [], 0
        finally:
            self.app.call_from_thread(self.app.end_work, "coordinators")
        self.app.call_from_thread(self._show, rows, deadlines, problems)

    def _read(self) -> tuple[list[dict], list, int]:
        from cicatext.store.modalities.reports import overview

        found = overview(self.repo, self.as_of)
        rows = []
        for dimension in found.coordinators.dimensions:
            for area in dimension.areas:
                state = area.coordination
                coordinator = state.coordinator or state.acting
                who = ""
                if state.coordinator is not None:
                    who = state.coordinator.state
                elif state.acting is not None:
                    who = f"{state.acting.state} (acting)"
                co = ", ".join(a.state for a in state.co_coordinators if a is not state.acting)
                future = ", ".join(f"{a.state} from {a.start}" for a in state.future)
                pending = ", ".join(f"{a.state} ({a.state_of_record})" for a in state.pending)
                paper = ""
                if state.concept_paper is not None:
                    paper = f"{state.concept_paper.id} ({state.concept_paper.condition})"
                tenure = _tenure(coordinator) or (f"next: {future}" if future else "") or _proposed(state.pending)
                rows.append({
                    "dimension": dimension.name or str(dimension.id),
                    "area": area.name or area.id,
                    "area_id": area.id,
                    "coordinator": who,
                    "co": co,
                    "tenure": tenure,
                    "pending": pending,
                    "paper": paper,
                    "file": area.file,
                    "empty": state.empty,
                })
        # The areas with something recorded first (as `cicatext coordinators` lists them), then the rest;
        # each part keeps the registry's order of dimensions and areas.
        rows.sort(key=lambda row: row["empty"])
        return rows, list(found.deadlines), found.problems

    def _show(self, rows: list[dict], deadlines: list, problems: int) -> None:
        self.rows = rows
        self.deadlines = deadlines
        table_rows: list = []
        self._table_rows = []
        previous = None
        for index, row in enumerate(rows):
            if row["empty"] and (index == 0 or not rows[index - 1]["empty"]):
                table_rows.append(("nothing-recorded", (Content.assemble(
                    ("Nothing recorded yet (no coordinator, offer or concept paper)", "bold $text-muted")),
                    "", "", "", "", "")))
                self._table_rows.append(None)
                previous = None
            if row["dimension"] != previous:
                # The dimension heads its areas, as in the Catalogue.
                previous = row["dimension"]
                table_rows.append((f"dimension-{index}", (Content.assemble((row["dimension"], "bold $text-accent")),
                                                          "", "", "", "", "")))
                self._table_rows.append(None)
            coordinator = Content.assemble((row["coordinator"], "bold")) if row["coordinator"] else \
                Content.assemble(("none", "$text-muted"))
            table_rows.append((str(index), (Content("  " + row["area"]), coordinator, row["co"], row["tenure"],
                                            row["pending"], row["paper"])))
            self._table_rows.append(row)
        self.area_table.set_rows(table_rows)
        deadlines_table = self.deadline_table
        deadlines_table.clear()
        for index, deadline in enumerate(deadlines):
            style = STATUS_STYLE.get(deadline.status, "")
            deadlines_table.add_row(Content.assemble((deadline.due.isoformat(), style)),
                                    Content.assemble((deadline.status, style)),
                                    *literal_row(deadline.rule, deadline.what), key=str(index))
        overdue = sum(1 for d in deadlines if d.status == "overdue")
        due = sum(1 for d in deadlines if d.status == "due")
        covered = sum(1 for r in rows if r["coordinator"])
        words = (f"{covered} of {len(rows)} areas coordinated · deadlines: {overdue} overdue, {due} due, "
                 f"{len(deadlines) - overdue - due} upcoming")
        if problems:
            words += f" · {problems} problem(s) in the records (v)"
        self.status.say(words)

    @property
    def overdue(self) -> list:
        """The deadlines past their date."""
        return [d for d in self.deadlines if d.status == "overdue"]

    def action_down(self) -> None:
        if isinstance(self.focused, DataTable):
            self.focused.action_cursor_down()

    def action_up(self) -> None:
        if isinstance(self.focused, DataTable):
            self.focused.action_cursor_up()

    def action_edit(self) -> None:
        if self.focused is self.deadline_table and self.deadlines:
            deadline = self.deadlines[self.deadline_table.cursor_row]
            if deadline.source:
                self.app.edit_file(source_file(deadline.source), 1)
            return
        cursor = self.area_table.cursor_row
        row = self._table_rows[cursor] if 0 <= cursor < len(self._table_rows) else None
        if row is not None:
            self.app.edit_file(row["file"] or coordinator_path(row["area_id"]), 1)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()

    @on(DataTable.RowHighlighted, "#deadlines-table")
    def _deadline_highlighted(self, event: DataTable.RowHighlighted) -> None:
        detail = self.detail
        row = event.cursor_row
        if not 0 <= row < len(self.deadlines):
            detail.update("")
            return
        deadline = self.deadlines[row]
        style = STATUS_STYLE.get(deadline.status, "")
        where = f" · {source_file(deadline.source)}" if deadline.source else ""
        rule = f"Modalities {deadline.rule}" if deadline.rule[:1].isdigit() else deadline.rule
        detail.update(Content.assemble((f"{deadline.due.isoformat()} {deadline.status}", style),
                                       f" · {rule}{where}\n", deadline.what))

    def action_back(self) -> None:
        self.dismiss()
