"""Which editor `e` opens, found as git finds one: $VISUAL, then $EDITOR, then vi or nano if installed.

The editor is looked up before the terminal is handed over, so a missing one
is a message in the UI, never a blank screen.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Mapping
from pathlib import Path

from cicatext.errors import CicatextError

FALLBACKS = ("vi", "nano")
"""Tried in this order when neither $VISUAL nor $EDITOR is set."""


def editor_command(path: Path, line: int, environ: Mapping[str, str] | None = None) -> list[str]:
    """The command that opens `path` at `line`; refused when the editor named, or any editor, is not installed."""
    environ = os.environ if environ is None else environ
    search_path = environ.get("PATH", os.defpath)
    where = [f"+{max(line, 1)}", str(path)]
    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable, "").strip()
        if not value:
            continue
        try:
            words = shlex.split(value)
        except ValueError as error:
            raise CicatextError(f"${variable} cannot be read as a command ({error}): {value}",
                                hint=f"set ${variable} to an editor's command") from None
        if shutil.which(words[0], path=search_path) is None:
            raise CicatextError(f"the editor {words[0]!r} (from ${variable}) was not found",
                                hint=f"install it or set ${variable} to an editor that is installed; "
                                     f"or open {path} at line {line} yourself")
        return [*words, *where]
    for name in FALLBACKS:
        if shutil.which(name, path=search_path) is not None:
            return [name, *where]
    raise CicatextError("no editor was found: $VISUAL and $EDITOR are not set, and neither vi nor nano is installed",
                        hint=f"set $EDITOR to an editor that is installed; or open {path} at line {line} yourself")
