"""The register: every document with its symbol, title, kind, sponsor, revision, status and open brackets.

Sort by any column (`s` cycles, `S` reverses, or click the header), filter and
fuzzy-find with `/`: words are matched fuzzily against symbol and title, and
`field:value` words (`kind:decision`, `status:considered`, `sponsor:chair`,
`open`) narrow the list exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, ProgressBar, Static

from cicatext.store.layout import document_record_path
from cicatext.store.register.catalogue import DocumentSummary
from cicatext.tui.literal import LiteralScreen
from cicatext.tui.widgets.document_table import COLUMNS, DocumentTable
from cicatext.tui.widgets.key_bar import KeyBar
from cicatext.tui.widgets.status import StatusLine
from cicatext.tui.widgets.title_bar import TitleBar

SORT_KEYS = [column.key for column in COLUMNS]
FIELDS = {"kind": "kind", "status": "status", "sponsor": "sponsor", "symbol": "current_symbol",
          "lang": "languages", "language": "languages", "rev": "revision"}


def sort_value(summary: DocumentSummary, key: str):
    """The value a column sorts by (numbers as numbers, missing counts first)."""
    if key == "brackets":
        return -1 if summary.brackets is None else summary.brackets
    if key == "revision":
        return summary.revision
    if key == "current_symbol":
        return _symbol_key(summary.current_symbol)
    return str(getattr(summary, key)).lower()


def _symbol_key(symbol: str) -> tuple:
    # MC/2023/DRAFT/10 sorts after MC/2023/DRAFT/9.
    return tuple((0, int(part)) if part.isdigit() else (1, part.lower()) for part in symbol.replace(".", "/").split("/"))


def filter_documents(documents: Sequence[DocumentSummary], query: str) -> list[tuple[DocumentSummary, float]]:
    """The documents a filter query keeps, each with its fuzzy score (100 when only field words were given)."""
    # Imported here, with the first filter, rather than before the register is drawn.
    from rapidfuzz import fuzz

    exact: list[tuple[str, str]] = []
    words: list[str] = []
    only_open = False
    for word in query.split():
        name, colon, value = word.partition(":")
        if colon and name.lower() in FIELDS and value:
            exact.append((FIELDS[name.lower()], value.lower()))
        elif word.lower() in ("open", "bracketed"):
            only_open = True
        else:
            words.append(word.lower())
    text = " ".join(words)
    kept = []
    for summary in documents:
        if only_open and not summary.brackets:
            continue
        if any(not _field_matches(summary, key, value) for key, value in exact):
            continue
        if not text:
            kept.append((summary, 100.0))
            continue
        symbol = summary.current_symbol.lower()
        haystack = f"{symbol} {summary.title.lower()} {summary.kind} {summary.sponsor.lower()} {summary.status}"
        if text in haystack:
            score = 100.0
        else:
            score = max(fuzz.partial_ratio(text, symbol), fuzz.partial_ratio(text, haystack) * 0.95)
            if all(word in haystack for word in words):
                score = max(score, 90.0)
        if score >= 75:
            kept.append((summary, score))
    return kept


def _field_matches(summary: DocumentSummary, key: str, value: str) -> bool:
    actual = getattr(summary, key)
    if isinstance(actual, tuple):
        return value in (item.lower() for item in actual)
    return str(actual).lower().startswith(value)


class RegisterScreen(LiteralScreen):
    """The first screen: the register of documents."""

    BINDINGS = [
        Binding("slash", "find", "Find"),
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse", "Reverse", show=False),
        Binding("h", "history", "History"),
        Binding("D", "diff", "Diff"),
        Binding("e", "edit", "Edit", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    class Open(Message):
        """Open a document in the reader."""

        def __init__(self, summary: DocumentSummary) -> None:
            super().__init__()
            self.summary = summary

    class ShowHistory(Message):
        """Show a document's history."""

        def __init__(self, summary: DocumentSummary) -> None:
            super().__init__()
            self.summary = summary

    class ShowDiff(Message):
        """Show a document's differences between rounds."""

        def __init__(self, summary: DocumentSummary) -> None:
            super().__init__()
            self.summary = summary

    def __init__(self, title: str, documents: Sequence[DocumentSummary] = ()) -> None:
        super().__init__()
        self.repository_title = title
        self.documents: list[DocumentSummary] = list(documents)
        """Every document of the repository."""
        self.reading_register = not documents
        self.sort_key: str | None = None
        self.sort_reverse = False
        self.query_text = ""
        # Made here and kept: the screen's mount can come before its nested widgets are mounted,
        # and workers may report before the screen is composed.
        self.filter_field = Input(placeholder="find: words, kind:decision, status:considered, open",
                                  id="register-filter", compact=True)
        self.loading_box = Vertical(id="register-loading")
        self.loading_label = Static("Reading the register…", id="register-loading-label")
        self.progress = ProgressBar(id="register-progress", show_eta=False)
        self.table = DocumentTable(id="register-table")
        self.status = StatusLine(id="status")
        self.filter_field.display = False
        self.loading_box.display = self.reading_register

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="register-body"):
            yield self.filter_field
            with self.loading_box:
                yield self.loading_label
                yield self.progress
            yield self.table
        yield self.status
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Register"
        self.sub_title = self.repository_title
        self._refill()
        self.table.focus()

    def show_progress(self, done: int, total: int, documents: Sequence[DocumentSummary]) -> None:
        """Show how far reading the register has got, with the rows read so far."""
        self.reading_register = True
        self.loading_box.display = True
        self.progress.update(total=max(total, 1), progress=done)
        # One line whatever the numbers: no new layout of the screen, which would draw it all again.
        self.loading_label.update(f"Reading the register… {done} of {total} documents", layout=False)
        self.documents = list(documents)
        self._refill()

    def set_documents(self, documents: Sequence[DocumentSummary]) -> None:
        """Show these documents (after loading or reloading)."""
        self.reading_register = False
        self.documents = list(documents)
        self.loading_box.display = False
        self._refill()

    @property
    def shown(self) -> list[DocumentSummary]:
        """The rows on screen, in order."""
        return list(self.table.rows)

    def _refill(self) -> None:
        table = self.table
        keep = table.current.slug if table.current else None
        kept = filter_documents(self.documents, self.query_text) if self.query_text.strip() else \
            [(d, 100.0) for d in self.documents]
        if self.sort_key:
            kept.sort(key=lambda item: sort_value(item[0], self.sort_key), reverse=self.sort_reverse)
        elif self.query_text.strip():
            kept.sort(key=lambda item: -item[1])
        table.sort_key, table.sort_reverse = self.sort_key, self.sort_reverse
        table.set_rows([summary for summary, _ in kept], keep=keep)
        self._say()

    def _say(self) -> None:
        count = len(self.table.rows)
        total = len(self.documents)
        open_brackets = sum(d.brackets or 0 for d in self.table.rows)
        documents = "document" if total == 1 else "documents"
        what = f"{count} of {total} {documents}" if count != total else f"{total} {documents}"
        if self.reading_register:
            what += " read so far"
        sort = ""
        if self.sort_key:
            label = next(c.label for c in COLUMNS if c.key == self.sort_key)
            sort = f" · sorted by {label}{' (reversed)' if self.sort_reverse else ''}"
        self.status.say(f"{what} · {open_brackets} open bracket{'' if open_brackets == 1 else 's'}{sort}")

    def action_find(self) -> None:
        field = self.filter_field
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        field = self.filter_field
        if field.value:
            field.value = ""
        field.display = False
        self.table.focus()

    @on(Input.Changed, "#register-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._refill()

    @on(Input.Submitted, "#register-filter")
    def _filter_submitted(self) -> None:
        field = self.filter_field
        if not field.value:
            field.display = False
        self.table.focus()

    def sort_by(self, key: str) -> None:
        """Sort by a column; sorting by the same column again reverses."""
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key, self.sort_reverse = key, key in ("brackets", "revision")
        self._refill()

    def action_sort(self) -> None:
        shown = self.table.visible_columns or SORT_KEYS
        position = shown.index(self.sort_key) + 1 if self.sort_key in shown else 0
        if position >= len(shown):
            self.sort_key, self.sort_reverse = None, False
        else:
            self.sort_key = shown[position]
            self.sort_reverse = self.sort_key in ("brackets", "revision")
        self._refill()

    def action_reverse(self) -> None:
        if self.sort_key is None:
            self.sort_key = "current_symbol"
        self.sort_reverse = not self.sort_reverse
        self._refill()

    @on(DocumentTable.SortRequested)
    def _sort_requested(self, event: DocumentTable.SortRequested) -> None:
        self.sort_by(event.key)

    @on(DocumentTable.Chosen)
    def _chosen(self, event: DocumentTable.Chosen) -> None:
        event.stop()
        self.post_message(self.Open(event.summary))

    def action_history(self) -> None:
        if self.table.current is not None:
            self.post_message(self.ShowHistory(self.table.current))

    def action_diff(self) -> None:
        if self.table.current is not None:
            self.post_message(self.ShowDiff(self.table.current))

    def action_edit(self) -> None:
        current = self.table.current
        if current is not None:
            self.app.edit_file(document_record_path(current.slug), 1)
