"""A repository's attribution style: received texts read from it, texts written in it.

The repository keeps its texts in the cica style; `notation: style` in its
settings names the style texts come in and go out in when a command is not
given `--style`. Party names in another style are read through the
registry's names and aliases (`Repository.parties`).
"""

from __future__ import annotations

from cicatext.errors import UsageError
from cicatext.notation.styles import (
    DESCRIPTIONS,
    STYLES,
    Conversion,
    from_cica,
    to_cica,
)
from cicatext.store.repository import Repository


def style_named(style: str | None, repo: Repository | None) -> str:
    """The style a command works in: the one it was given, else the repository's, else cica."""
    if style is None:
        return repo.attribution_style if repo is not None else STYLES[0]
    if style not in STYLES:
        listed = "; ".join(f"{name} {DESCRIPTIONS[name]}" for name in STYLES)
        raise UsageError(f"unknown attribution style {style!r}", hint=f"the styles are: {listed}")
    return style


def read_received(repo: Repository | None, text: str, style: str | None, *, file: str | None = None) -> Conversion:
    """A received text, written in `style` (or the repository's), in the cica style the repository keeps."""
    chosen = style_named(style, repo)
    return to_cica(text, chosen, parties=repo.parties if repo is not None else None, file=file)


def write_styled(repo: Repository | None, text: str, style: str | None, *, file: str | None = None) -> Conversion:
    """A cica text written in `style` (or the repository's)."""
    return from_cica(text, style_named(style, repo), file=file)
