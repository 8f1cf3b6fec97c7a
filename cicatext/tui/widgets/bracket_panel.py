"""The reader's side panel: the selected bracket, who said what about it, and the round that introduced it."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.widgets import Static

from cicatext.notation.tree import Stance
from cicatext.notation.views import BracketInfo
from cicatext.tui.widgets.bracketed import COLOURS, KIND_WORDS, STANCE_KIND

STANCE_WORDS = {Stance.PROPOSE: "proposes", Stance.OBJECT: "objects", Stance.RESERVE: "will come back (tcb)"}


class BracketPanel(Static):
    """What the reader knows about the selected bracket."""

    DEFAULT_CSS = """
    BracketPanel {
        padding: 0 1;
        background: $surface;
        border-left: vkey $panel-lighten-2;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bracket: BracketInfo | None = None
        """The bracket shown, if any."""
        self.origin: str | None = None
        """The round (or commit) that introduced it, once known."""
        self.kind = "plain"
        """How the bracket shown reads: a stance, `options`, `placeholder`, `status` or `plain`."""

    def show(self, bracket: BracketInfo | None, *, kind: str = "plain", names: Mapping[str, str] | None = None,
             origin: str | None = None, note: str = "") -> None:
        """Describe a bracket (None: say how to select one)."""
        self.bracket = bracket
        self.origin = origin
        self.kind = kind
        names = names or {}
        if bracket is None:
            keys = "n or ]  next bracket\nN or [  previous\nf  one delegation\nb  clean text"
            self.update(Content.assemble(("No bracket selected", "bold"), "\n\n", (keys, "$text-muted"),
                                         f"\n\n{note}" if note else ""))
            return
        base, text_colour = COLOURS[kind]
        parts: list = [(f" {bracket.id} ", f"bold {text_colour} on {base} 25%"),
                       f" {KIND_WORDS[kind]}, depth {bracket.depth}",
                       (f" · line {bracket.line}:{bracket.column}\n", "$text-muted")]
        if bracket.attributions:
            for index, attribution in enumerate(bracket.attributions):
                own_base, own_text = COLOURS[STANCE_KIND[attribution.stance]]
                name = names.get(attribution.code)
                parts.append("\n" if index else "")
                parts.append((f"{attribution.source()}", f"bold {own_text} on {own_base} 25%"))
                parts.append(f" {name or attribution.code} {STANCE_WORDS[attribution.stance]}")
        else:
            parts.append(("no attribution", "$text-muted"))
        parts.append("\n")
        parts.append(("Introduced: ", "bold"))
        parts.append(origin if origin else ("looking…", "$text-muted"))
        parts.append("\n")
        body = bracket.text if len(bracket.text) <= 400 else bracket.text[:399] + "…"
        parts.append((body, "italic"))
        if note:
            parts.append(f"\n{note}")
        self.update(Content.assemble(*parts))
