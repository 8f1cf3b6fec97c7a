"""Small dialogs that answer one question: confirm an action, pick one of a list.

They return domain values through `dismiss` (True/False, the chosen key or
None when cancelled); the screen that asked acts on the answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from cicatext.tui.literal import LiteralModalScreen, literal


class ConfirmAction(LiteralModalScreen[bool]):
    """Ask before doing something that commits: `y`/enter confirms, `n`/escape cancels."""

    BINDINGS = [
        Binding("y", "confirm", "Yes"),
        Binding("n,escape,q", "cancel", "No"),
        Binding("left,h", "app.focus_previous", show=False),
        Binding("right,l", "app.focus_next", show=False),
    ]

    def __init__(self, title: str, body: str, *, confirm: str = "Yes", cancel: str = "Cancel") -> None:
        super().__init__()
        self.question = title
        """The question asked."""
        self.body = body
        self.confirm_label = confirm
        self.cancel_label = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(self.question, id="dialog-title", markup=False)
            yield Static(self.body, id="dialog-body", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", id="confirm", variant="warning")
                yield Button(f"{self.cancel_label} (n)", id="cancel", variant="default")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class PickOne(LiteralModalScreen[str | None]):
    """Pick one of a list of (key, label) choices; escape returns None."""

    BINDINGS = [
        Binding("escape,q", "cancel", "Cancel"),
        Binding("j", "down", show=False),
        Binding("k", "up", show=False),
    ]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], *, current: str | None = None) -> None:
        super().__init__()
        self.question = title
        """What is being chosen."""
        self.choices = list(choices)
        """The (key, label) pairs offered."""
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog pick"):
            yield Label(self.question, id="dialog-title", markup=False)
            yield OptionList(*(Option(literal(label), id=f"choice-{index}")
                               for index, (_, label) in enumerate(self.choices)),
                             id="dialog-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for index, (key, _) in enumerate(self.choices):
            if key == self.current:
                options.highlighted = index
                break
        else:
            options.highlighted = 0 if self.choices else None
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
