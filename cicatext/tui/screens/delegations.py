"""Delegations: for one delegation, its open brackets across all documents and its position sets.

The brackets are gathered once, in a worker, from the catalogue's paragraphs
(default language); each row says where the bracket stands and what the
delegation said of it. Enter opens the reader at that bracket, showing that
delegation's brackets only. `m` expands the groups: a state's list then also
holds the brackets attributed to a group it belongs to (G77, EU), marked as via
that group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, OptionList
from textual.widgets.option_list import Option

from cicatext.notation.tree import Stance
from cicatext.store.layout import document_text_path
from cicatext.store.negotiation.delegations import (
    DelegationBracket,
    PositionFile,
    delegations_with_positions,
    gather_brackets,
    position_files,
)
from cicatext.store.register.catalogue import DocumentSummary
from cicatext.store.repository import Repository
from cicatext.tui.literal import LiteralScreen, literal_row
from cicatext.tui.widgets.bracketed import COLOURS, STANCE_KIND
from cicatext.tui.widgets.fitted_table import FitColumn, FittedTable
from cicatext.tui.widgets.key_bar import KeyBar
from cicatext.tui.widgets.status import StatusLine
from cicatext.tui.widgets.title_bar import TitleBar

STANCE_LABEL = {Stance.PROPOSE: "+ proposes", Stance.OBJECT: "- objects", Stance.RESERVE: "tcb"}


BRACKET_COLUMNS = (
    FitColumn("symbol", "Document", 15, 2, most=24),
    FitColumn("paragraph", "¶", 4, 3, most=12),
    FitColumn("stance", "Says", 8, 1, most=10),
    FitColumn("others", "Others", 6, 5, most=24),
    FitColumn("text", "Text", 12, 4, slack=True),
)
"""The brackets table's columns: the text takes the room left; what the others say gives way first."""


class DelegationsScreen(LiteralScreen):
    """One delegation at a time: its brackets across all documents, and its position sets."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = [
        Binding("j", "down", "Down", show=False),
        Binding("k", "up", "Up", show=False),
        Binding("tab", "app.focus_next", "Switch pane"),
        Binding("e", "edit", "Edit", show=False),
        Binding("m", "toggle_groups", "Members"),
        Binding("q,escape", "back", "Back"),
    ]

    def __init__(self, repo: Repository, documents: Sequence[DocumentSummary], names: Mapping[str, str],
                 *, delegation: str | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.documents = list(documents)
        self.names = dict(names)
        self.delegation = delegation
        """The delegation shown."""
        self.brackets: dict[str, list[DelegationBracket]] | None = None
        """Each delegation's brackets, once gathered."""
        self.positions: list[PositionFile] = []
        """The shown delegation's position sets."""
        self.expand_groups = False
        """True when a state's list also holds its groups' brackets."""
        self._codes: list[str] = []
        # Made here and kept: the screen's mount can come before its nested widgets are mounted,
        # and workers may report before the screen is composed.
        self.codes_list = OptionList(id="delegations-list")
        self.bracket_table = FittedTable(BRACKET_COLUMNS, id="delegations-brackets", cursor_type="row")
        self.position_table = DataTable(id="delegations-positions", cursor_type="row")
        self.status = StatusLine(id="status")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="delegations-body"):
            yield self.codes_list
            with Vertical(id="delegations-main"):
                yield self.bracket_table
                yield self.position_table
        yield self.status
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Delegations"
        positions = self.position_table
        positions.add_column("Position set", key="path")
        positions.add_column("On", key="document")
        positions.add_column("Entries", key="entries")
        positions.add_column("Actions", key="actions")
        self._fill_codes()
        self.status.say("Gathering brackets…")
        self.app.begin_work("delegations", "gathering brackets")
        self._gather()
        self.codes_list.focus()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _gather(self) -> None:
        try:
            # Gathered with the groups expanded, once: the rows through a group are hidden until `m`.
            found = gather_brackets(self.repo, self.documents, expand_groups=True)
        except Exception as error:  # noqa: BLE001 - show it, do not end the app
            self.app.call_from_thread(self.app.notify, f"{type(error).__name__}: {error}",
                                      title="Could not gather the brackets", severity="error")
            found = {}
        finally:
            self.app.call_from_thread(self.app.end_work, "delegations")
        self.app.call_from_thread(self._gathered, found)

    def _gathered(self, found: dict[str, list[DelegationBracket]]) -> None:
        self.brackets = found
        if not self._listed(self.delegation):
            # Nothing chosen yet that has brackets: start with the delegation that has most.
            self.delegation = max(found, key=lambda code: (len(self._listed(code)), code), default=self.delegation)
        self._fill_codes()
        self._show()

    def _fill_codes(self) -> None:
        codes = set(self.names)
        if self.brackets:
            codes |= set(self.brackets)
        codes |= delegations_with_positions(self.repo)
        # Delegations with brackets first, most brackets first; the rest by code.
        counts = {code: len(self._listed(code)) for code in codes}
        self._codes = sorted(codes, key=lambda c: (-counts[c], c))
        options = self.codes_list
        options.clear_options()
        for code in self._codes:
            count = counts[code]
            # In a narrow terminal the list keeps codes and counts only, one line each.
            name = self.names.get(code, "") if self.app.size.width >= 100 else ""
            name = name if len(name) <= 13 else name[:12].rstrip() + "…"
            label = Content.assemble((f"{code:<6}", "bold"), f" {count:>3} " if self.brackets else "     ",
                                     (name, "$text-muted"))
            options.add_option(Option(label, id=code))
        if self.delegation not in self._codes:
            self.delegation = self._codes[0] if self._codes else None
        if self.delegation is not None:
            options.highlighted = self._codes.index(self.delegation)

    @on(OptionList.OptionHighlighted, "#delegations-list")
    def _delegation_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        code = event.option.id
        if code and code != self.delegation:
            self.delegation = code
            self._show()

    @on(OptionList.OptionSelected, "#delegations-list")
    def _delegation_selected(self) -> None:
        self.bracket_table.focus()

    def _listed(self, code: str | None) -> list[DelegationBracket]:
        """The brackets listed for a delegation: its own, and its groups' when they are expanded."""
        if not self.brackets or code is None:
            return []
        return [item for item in self.brackets.get(code, []) if self.expand_groups or not item.via]

    @property
    def shown(self) -> list[DelegationBracket]:
        """The brackets listed for the delegation shown."""
        return self._listed(self.delegation)

    def _show(self) -> None:
        rows = []
        for row, item in enumerate(self.shown):
            stance_parts = []
            for stance in item.stances:
                base, text_colour = COLOURS[STANCE_KIND[stance]]
                stance_parts.append((STANCE_LABEL[stance], f"bold {text_colour}"))
            text = " ".join(item.text.split())
            # Plain text: the table sizes a column by its cells' plain width.
            others = " ".join([f"via {', '.join(item.via)}"] * bool(item.via) + list(item.others))
            rows.append((str(row), (item.symbol, item.label or item.paragraph, Content.assemble(*stance_parts),
                                    others, text)))
        self.bracket_table.set_rows(rows)
        self.positions = position_files(self.repo, self.delegation) if self.delegation else []
        positions = self.position_table
        positions.clear()
        for row, item in enumerate(self.positions):
            positions.add_row(*literal_row(item.path, item.document or "—", str(item.entries),
                                           item.problem or item.actions), key=str(row))
        name = self.names.get(self.delegation or "", "")
        if self.brackets is None:
            self.status.say("Gathering brackets…")
        else:
            documents = len({item.slug for item in self.shown})
            groups = self.repo.parties.groups_of(self.delegation) if self.delegation else ()
            if self.expand_groups:
                through = sum(1 for item in self.shown if item.via)
                grouped = f" · {through} via its groups ({', '.join(groups) or 'none'}; m: its own only)"
            else:
                grouped = f" · member of {', '.join(groups)} (m: their brackets too)" if groups else ""
            plural = "" if len(self.shown) == 1 else "s"
            self.status.say(
                f"{self.delegation} {('· ' + name) if name else ''} · {len(self.shown)} open bracket{plural} in "
                f"{documents} document(s){grouped} · {len(self.positions)} position set(s) · enter opens the bracket")

    @on(DataTable.RowSelected, "#delegations-brackets")
    def _open_bracket(self, event: DataTable.RowSelected) -> None:
        item = self.shown[event.cursor_row]
        # A bracket through a group is the group's: the reader shows that group's brackets.
        self.app.open_document(item.slug, bracket=item.bracket, delegation=item.via[0] if item.via else self.delegation,
                               language=item.language)

    @on(DataTable.RowSelected, "#delegations-positions")
    def _open_position(self, event: DataTable.RowSelected) -> None:
        self.app.edit_file(self.positions[event.cursor_row].path, 1)

    def action_down(self) -> None:
        focused = self.focused
        if isinstance(focused, (DataTable, OptionList)):
            focused.action_cursor_down()

    def action_up(self) -> None:
        focused = self.focused
        if isinstance(focused, (DataTable, OptionList)):
            focused.action_cursor_up()

    def action_edit(self) -> None:
        focused = self.focused
        if focused is self.position_table and self.positions:
            row = self.position_table.cursor_row
            self.app.edit_file(self.positions[row].path, 1)
        elif self.shown:
            row = self.bracket_table.cursor_row
            item = self.shown[row]
            self.app.edit_file(document_text_path(item.slug, item.language), item.line)

    def action_toggle_groups(self) -> None:
        """List a state's groups' brackets with its own, or its own only."""
        self.expand_groups = not self.expand_groups
        self.notify("Groups expanded: each state also lists its groups' brackets" if self.expand_groups
                    else "Groups not expanded: each delegation lists its own brackets")
        self._fill_codes()
        self._show()

    def action_back(self) -> None:
        self.dismiss()
