"""The help screen: every key, screen by screen (`?` anywhere)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from cicatext.tui.literal import LiteralModalScreen

INTRO = ("Keys follow lazygit and tig: j/k move, / finds, ? helps, q goes back, e edits. "
         "The mouse works too: click a row, a header (to sort), a paragraph (to select its brackets).")

SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Everywhere", (
        ("?", "this help"),
        ("/", "search every paragraph and symbol (on the register: filter the list)"),
        ("ctrl+p", "command palette: search, screens, themes"),
        ("v", "validation: every problem in the repository"),
        ("d", "delegations: one delegation's brackets and positions"),
        ("c", "coordinators and deadlines"),
        ("R", ("the last round: its document, from the round before (or the commit before it) to it; "
               "with no round yet, the last two commits (D: one document's last two rounds)")),
        ("r", "reload after changes made outside (a git pull, an edit)"),
        ("t", "dark ↔ light theme"),
        ("q  escape", "back; on the register, quit"),
    )),
    ("Register", (
        ("j k ↑ ↓ g G", "move"),
        ("enter", "open the document in the reader"),
        ("/", "filter: words match symbol and title fuzzily; kind:decision, status:considered, "
              "sponsor:chair, open narrow exactly"),
        ("s  S", "sort by the next column / reverse (or click a header)"),
        ("h  D", "the document's history / round diff"),
        ("e", "open document.yaml in $EDITOR"),
    )),
    ("Reader", (
        ("n ]  N [", "next / previous bracket"),
        ("j k", "next / previous paragraph"),
        ("b", "bracketed text ↔ clean text (only what is agreed)"),
        ("f  F", "only one delegation's brackets / all again"),
        ("l", "next language"),
        ("L", "two languages side by side, aligned by paragraph id / one again"),
        ("a  x", "agree / drop the selected bracket (asks first; commits as cicatext agree / drop do)"),
        ("h  D", "history / round diff"),
        ("e", "open the text in $EDITOR at the selected bracket"),
    )),
    ("Validation", (
        ("j k", "move; the file is shown at the problem's line"),
        ("e  enter", "open the file at that line in $EDITOR"),
    )),
    ("Delegations, coordinators", (
        ("tab", "the other list or table"),
        ("enter", "open the bracket in the reader (delegations); edit the record (coordinators)"),
        ("m", "open the groups to their members: a state also lists its groups' brackets, marked via the group "
              "(delegations)"),
    )),
    ("History, round diff", (
        ("enter  D", "diff of the selected commit (history)"),
        ("f  t  s", "choose from / to (rounds, branches, commits), swap (diff)"),
    )),
)

COLOURS_LINE = (("proposal (+CODE)", "$text-success"), ("  objection (-CODE)", "$text-error"),
                ("  to come back (CODE tcb)", "$text-warning"), ("  options", "$text-accent"),
                ("; deeper nesting, stronger shade", ""))


def help_content() -> Content:
    """The help text: keys by screen, then the colours."""
    parts: list = [("cicatext — keys\n\n", "bold"), (INTRO, "$text-muted"), "\n"]
    for title, keys in SECTIONS:
        parts.append((f"\n{title}\n", "bold $text-accent"))
        for key, does in keys:
            parts.append((f"  {key:<13}", "bold"))
            parts.append(f" {does}\n")
    parts.append(("\nColours  ", "bold $text-accent"))
    parts.extend(COLOURS_LINE)
    return Content.assemble(*parts)


class HelpScreen(LiteralModalScreen[None]):
    """Keys and colours, screen by screen."""

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close"),
        Binding("j", "scroll(1)", show=False),
        Binding("k", "scroll(-1)", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(help_content(), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_scroll(self, lines: int) -> None:
        help_box = self.query_one("#help")
        help_box.scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
