"""History: a document's rounds in time, with its bracket count across them drawn as a chart.

Every commit that changed the document's text is a point, its brackets counted
in the text as that commit left it; the commits that are rounds (merges
tagged by `cicatext round`) carry the round's tag, revision and delegations.
A document with no round yet still has its commits, and one with no text yet
says so.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Sparkline, Static

from cicatext.store.negotiation.history import HistoryPoint, document_history
from cicatext.store.register.catalogue import DocumentSummary, default_language
from cicatext.store.repository import Repository
from cicatext.tui.literal import LiteralScreen
from cicatext.tui.widgets.bar_chart import Bar, BarChart
from cicatext.tui.widgets.fitted_table import FitColumn, FittedTable
from cicatext.tui.widgets.key_bar import KeyBar
from cicatext.tui.widgets.status import StatusLine
from cicatext.tui.widgets.title_bar import TitleBar

HISTORY_COLUMNS = (
    FitColumn("date", "Date", 10, 1),
    FitColumn("round", "Round", 5, 6),
    FitColumn("commit", "Commit", 7, 5, most=10),
    FitColumn("brackets", "[ ]", 3, 2),
    FitColumn("signed", "Signed", 8, 4),
    FitColumn("subject", "What", 16, 3, slack=True),
)
"""In a narrow terminal the round, then the commit, give way before what was done and who signed it."""


class HistoryScreen(LiteralScreen):
    """A document's rounds and commits in time, its bracket count as bars and a sparkline."""

    BINDINGS = [
        Binding("j", "down", "Down", show=False),
        Binding("k", "up", "Up", show=False),
        Binding("D", "diff", "Diff"),
        Binding("q,escape", "back", "Back"),
    ]

    def __init__(self, repo: Repository, summary: DocumentSummary, *, language: str | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.summary = summary
        """The document."""
        self.language = language or (default_language(repo) if default_language(repo) in summary.languages
                                     else (summary.languages[0] if summary.languages else "en"))
        self.points: list[HistoryPoint] | None = None
        """The history, once read."""
        self.signers: dict[str, str] = {}
        """Each shown commit's verified signer (`unsigned`, `not verified` otherwise), once read."""
        self._authors = None
        # Made here and kept: the screen's mount can come before its nested widgets are mounted,
        # and workers may report before the screen is composed.
        self.heading = Static("", id="history-heading")
        self.chart = BarChart(id="history-bars")
        self.sparkline = Sparkline([], id="history-sparkline")
        self.table = FittedTable(HISTORY_COLUMNS, id="history-table", cursor_type="row")
        self.status = StatusLine(id="status")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="history-chart"):
            yield self.heading
            yield self.chart
        yield self.sparkline
        yield self.table
        yield self.status
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"History of {self.summary.current_symbol}"
        self.sub_title = self.language
        table = self.table
        self.status.say("Reading the history…")
        self.app.begin_work("history", "reading git history")
        self._load()
        table.focus()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        signers: dict[str, str] = {}
        try:
            points = document_history(self.repo, self.summary.slug, self.language)
            signers = self._signers(points)
        except Exception as error:  # noqa: BLE001 - show it, do not end the app
            self.app.call_from_thread(self.app.notify, f"{type(error).__name__}: {error}",
                                      title="Could not read the history", severity="error")
            points = []
        finally:
            self.app.call_from_thread(self.app.end_work, "history")
        self.app.call_from_thread(self._show, points, signers)

    def _signers(self, points: list[HistoryPoint]) -> dict[str, str]:
        """Each commit's verified signer: one verification per commit, kept while the screen lives."""
        from cicatext.store.trust.verify import Authorship

        if self._authors is None:
            self._authors = Authorship(self.repo)
        self._authors.verify(p.commit for p in points)
        return {p.commit: self._authors.shown(p.commit) for p in points}

    def _show(self, points: list[HistoryPoint], signers: dict[str, str] | None = None) -> None:
        self.points = points
        self.signers = dict(signers or {})
        heading = self.heading
        rounds = [p for p in points if p.round]
        if not points:
            heading.update(Content.assemble(("No text has been committed for this document yet", "bold"),
                                            " (earlier revisions may be known by symbol, sponsor and date only)."))
        else:
            words = f"{len(rounds)} round(s)" if rounds else "no round yet: every commit of the text"
            heading.update(Content.assemble(("Open brackets", "bold"), f" in {self.language}, {words}"))
        bars = []
        for point in points:
            label = f"{point.date} {point.round or point.commit[:7]}"
            style = "$accent" if point.round else "$primary"
            note = ", ".join(point.delegations) if point.delegations else ""
            bars.append(Bar(label, point.brackets, note, style))
        self.chart.set_bars(bars)
        sparkline = self.sparkline
        sparkline.data = [float(p.brackets) for p in points] if len(points) > 1 else []
        sparkline.display = len(points) > 1
        rows = []
        for index, point in enumerate(reversed(points)):
            round_text = point.round or ""
            if point.revision:
                round_text += f" → {point.revision}"
            rows.append((str(index), (point.date, round_text, point.commit[:10], str(point.brackets),
                                      self.signers.get(point.commit, ""), point.subject)))
        self.table.set_rows(rows)
        if points:
            first, last = points[0].brackets, points[-1].brackets
            self.status.say(
                f"{self.summary.current_symbol} · {len(points)} commit(s) · brackets {first} → {last}")
        else:
            self.status.say(f"{self.summary.current_symbol} · no history")

    @property
    def selected(self) -> HistoryPoint | None:
        """The commit under the cursor."""
        if not self.points:
            return None
        row = self.table.cursor_row
        ordered = list(reversed(self.points))
        return ordered[row] if 0 <= row < len(ordered) else None

    def action_down(self) -> None:
        self.table.action_cursor_down()

    def action_up(self) -> None:
        self.table.action_cursor_up()

    def action_diff(self) -> None:
        """The diff from the commit before the selected one to it."""
        from cicatext.tui.screens.diff import DiffScreen

        point = self.selected
        if point is None or not self.points:
            return
        index = self.points.index(point)
        before = self.points[index - 1].commit if index > 0 else f"{point.commit}^"
        self.app.push_screen(DiffScreen(self.repo, self.summary, ref_a=before, ref_b=point.commit,
                                        language=self.language))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_diff()

    def action_back(self) -> None:
        self.dismiss()
