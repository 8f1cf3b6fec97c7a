"""The title bar at the top of every screen: the app, the screen's title and its subtitle, on one line."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class TitleBar(Static):
    """`cicatext │ title — subtitle`, following the screen's title and sub_title."""

    DEFAULT_CSS = """
    TitleBar {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.screen, "title", self._changed)
        self.watch(self.screen, "sub_title", self._changed)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> Content:
        screen = self.screen
        parts: list = [("cicatext", "bold $text-accent"), ("  │  ", "$text-muted"), (screen.title or "", "bold")]
        if screen.sub_title:
            parts += [("  —  ", "$text-muted"), (screen.sub_title, "$text-muted")]
        return Content.assemble(*parts)
