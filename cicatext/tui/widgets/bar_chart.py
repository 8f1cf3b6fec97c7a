"""A horizontal bar chart in text: one labelled bar per point, scaled to the width available."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.widget import Widget

EIGHTHS = " ▏▎▍▌▋▊▉█"


@dataclass(frozen=True)
class Bar:
    """One bar of the chart."""

    label: str
    """What the bar stands for (a date and a round or commit)."""
    value: int
    """Its length in units."""
    note: str = ""
    """Words after the value."""
    style: str = "$primary"
    """The bar's colour (a theme variable)."""


class BarChart(Widget):
    """Labelled horizontal bars; the longest fills the width left after the labels."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
    }
    """

    def __init__(self, bars: Sequence[Bar] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bars = list(bars)
        """The bars, top to bottom."""

    def set_bars(self, bars: Sequence[Bar]) -> None:
        """Draw these bars instead."""
        self.bars = list(bars)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(len(self.bars), 1)

    def render(self) -> Content:
        if not self.bars:
            return Content.assemble(("no data", "$text-muted"))
        width = self.content_region.width or 60
        label_width = min(max(len(b.label) for b in self.bars), max(width // 2, 10))
        value_width = max(len(str(b.value)) for b in self.bars)
        note_width = min(max((len(b.note) for b in self.bars), default=0), 24)
        room = max(width - label_width - value_width - note_width - 4, 4)
        top = max(max(b.value for b in self.bars), 1)
        lines = []
        for bar in self.bars:
            label = bar.label if len(bar.label) <= label_width else bar.label[: label_width - 1] + "…"
            eighths = round(bar.value / top * room * 8)
            body = "█" * (eighths // 8) + (EIGHTHS[eighths % 8] if eighths % 8 else "")
            note = bar.note if len(bar.note) <= note_width else bar.note[: note_width - 1] + "…"
            lines.append(Content.assemble(
                (label.ljust(label_width), "$text-muted"), " ", (body.ljust(room), bar.style), " ",
                (str(bar.value).rjust(value_width), "bold"), (f" {note}" if note else "", "$text-muted")))
        return Content("\n").join(lines)
