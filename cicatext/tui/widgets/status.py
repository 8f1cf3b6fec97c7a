"""The status line at the foot of every screen: where you are, what is running, how many problems.

The app owns the facts (work in progress, problem count); each screen says
what it is showing. Running work gets a spinner, so slow git or validation
never looks like a frozen screen.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class StatusLine(Static):
    """One line: the screen's own words on the left, the app's running work and problems on the right."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text
        """What the screen says about itself."""
        self._frame = 0

    def on_mount(self) -> None:
        self.set_interval(0.12, self._tick)

    def say(self, text: str) -> None:
        """Replace the screen's own words."""
        self.text = text
        self.refresh()

    def _tick(self) -> None:
        if getattr(self.app, "running_work", None):
            self._frame = (self._frame + 1) % len(SPINNER)
            self.refresh()

    def render(self) -> Content:
        app = self.app
        right: list[tuple[str, str]] = []
        work = getattr(app, "running_work", {})
        if work:
            right.append((f"{SPINNER[self._frame]} {', '.join(work.values())}", "$text-accent"))
        summary = getattr(app, "problem_summary", None)
        if callable(summary):
            text, style = summary()
            if text:
                right.append((text, style))
        right_text = "   ".join(text for text, _ in right)
        width = self.content_region.width or 80
        left = self.text
        room = width - len(right_text) - 2
        if len(left) > room:
            left = left[: max(room - 1, 0)] + "…" if room > 1 else ""
        parts: list[tuple[str, str] | str] = [left, " " * max(width - len(left) - len(right_text), 1)]
        for index, (text, style) in enumerate(right):
            if index:
                parts.append("   ")
            parts.append((text, style))
        return Content.assemble(*parts)
