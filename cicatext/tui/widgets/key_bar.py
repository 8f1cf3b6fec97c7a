"""The key bar at the foot of every screen: the screen's keys, drawn as one line; click a key to press it.

Textual's Footer builds a widget per key and rebuilds them whenever focus
moves, which costs more than the rest of a screen; this bar is one widget that
redraws its line when the bindings change.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

ESSENTIAL = ("Back", "Quit", "Help")
"""Descriptions of the keys a bar too narrow for all still shows: the rest are in the help."""


class KeyBar(Widget):
    """`key description` pairs for the bindings shown on the active screen, then the command palette key."""

    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._places: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if screen is self.screen:
            self.refresh()

    def keys(self) -> list[tuple[str, str, str]]:
        """(key to press, key as shown, description) for each binding shown, one per action."""
        shown: list[tuple[str, str, str]] = []
        actions: set[str] = set()
        palette = None
        for key, (_, binding, enabled, _) in self.screen.active_bindings.items():
            if not enabled:
                continue
            if key == self.app.COMMAND_PALETTE_BINDING:
                palette = (binding.key, self.app.get_key_display(binding), "palette")
                continue
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            shown.append((binding.key, self.app.get_key_display(binding), binding.description))
        if palette is not None:
            shown.append(palette)
        return shown

    def fitting(self, width: int) -> list[tuple[str, str, str]]:
        """The keys that fit in `width` cells: back and help are kept, then the others in order."""
        keys = self.keys()

        def length(chosen) -> int:
            pieces = [len(f"{display} {description}") for _, display, description in chosen]
            return sum(pieces) + 2 * max(len(pieces) - 1, 0)

        if length(keys) <= width:
            return keys
        kept = [k for k in keys if k[2] in ESSENTIAL]
        for key in keys:
            if key not in kept and length([*kept, key]) <= width:
                kept.append(key)
        return [k for k in keys if k in kept]

    def render(self) -> Content:
        parts: list = []
        self._places = []
        x = 0
        for key, display, description in self.fitting(self.content_region.width or self.size.width or 80):
            piece = f"{display} {description}"
            if parts:
                parts.append("  ")
                x += 2
            self._places.append((x, x + len(piece), key))
            parts.append((display, "bold $footer-key-foreground"))
            parts.append(f" {description}")
            x += len(piece)
        return Content.assemble(*parts)

    def on_click(self, event) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for start, end, key in self._places:
            if start <= offset.x < end:
                self.app.simulate_key(key)
                return
