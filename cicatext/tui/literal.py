"""Text from the repository shown as it is written, never read as Textual markup.

A bracketed text (`cultural [and religious] (-CHN)`), a title, a file name or
a commit subject may hold square brackets; a table cell, a label or a
notification given a plain string reads them as markup and drops them.
The app and every screen of cicatext are the `Literal...` classes here, whose
notifications show their message as written unless markup is asked for.
"""

from __future__ import annotations

from rich.text import Text
from textual import screen
from textual.app import App
from textual.content import Content
from textual.notifications import SeverityLevel


def literal(value: object) -> Content:
    """`value` as content that shows every character of it; content already styled is kept."""
    if isinstance(value, Content):
        return value
    return Content(str(value))


def literal_row(*cells: object) -> list[Content | Text]:
    """A table row whose cells show exactly what they hold.

    Strings become Rich text, which the table measures to size its columns;
    content already styled is kept.
    """
    return [cell if isinstance(cell, (Content, Text)) else Text(str(cell), end="") for cell in cells]


class LiteralNotices:
    """Notifications that show their message and title as written: they name documents, files and brackets."""

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)  # type: ignore[misc]


class LiteralApp(LiteralNotices, App[screen.ScreenResultType]):
    """An app whose own notifications show their text as written."""


class LiteralScreen(LiteralNotices, screen.Screen[screen.ScreenResultType]):
    """A screen whose notifications show their text as written."""


class LiteralModalScreen(LiteralNotices, screen.ModalScreen[screen.ScreenResultType]):
    """A modal screen whose notifications show their text as written."""
