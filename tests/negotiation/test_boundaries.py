"""The negotiation's pure core loads neither git nor Textual; the store part loads no Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("modules, banned", [
    ("cicatext.notation.position_sets, cicatext.notation.paragraph_text, cicatext.notation.anchors, "
     "cicatext.notation.compile, cicatext.notation.edits, cicatext.notation.bracket_diff", ("textual", "git")),
    ("cicatext.store.negotiation.branches, cicatext.store.negotiation.propose, cicatext.store.negotiation.rounds, "
     "cicatext.store.negotiation.decisions, cicatext.store.negotiation.history, cicatext.store.negotiation.diff, "
     "cicatext.store.negotiation.driver, cicatext.cli.negotiation_cmds", ("textual", "git")),
])
def test_imports_stay_light(modules: str, banned: tuple[str, ...]) -> None:
    """Importing these modules in a fresh interpreter leaves the banned packages unloaded."""
    code = f"import sys; import {modules}; print(','.join(m for m in {banned!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
