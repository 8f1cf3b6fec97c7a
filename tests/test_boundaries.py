"""The pure core stays pure: importing it in a fresh interpreter loads neither Textual nor git."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = (
    "import sys; import {modules}; "
    "loaded = sorted(m for m in ('textual', 'git') if m in sys.modules); "
    "print(','.join(loaded))"
)


@pytest.mark.parametrize(
    "modules",
    [
        "cicatext.notation.reader, cicatext.notation.views, cicatext.notation.operations, "
        "cicatext.notation.render, cicatext.notation.codes, cicatext.errors",
        "cicatext.records",
    ],
)
def test_core_imports_neither_textual_nor_git(modules: str) -> None:
    """The notation modules and the records package import without Textual or git."""
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(modules=modules)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == ""
