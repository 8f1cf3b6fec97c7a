"""The public API: `cicatext.__all__` names what loads, and docs/api.md's script prints what the page says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import cicatext

DOC = Path(__file__).parent.parent / "docs" / "api.md"


def _blocks(language: str) -> list[str]:
    """The fenced blocks of one language in docs/api.md."""
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_every_public_name_loads_from_its_module():
    """Each name in __all__ is importable from the package and is the owning module's own object."""
    for name in cicatext.__all__:
        value = getattr(cicatext, name)
        assert value.__module__.startswith("cicatext."), name
    assert sorted(cicatext.__all__) == cicatext.__all__


def test_importing_the_package_loads_nothing_else():
    """`import cicatext` (what the command line does first) loads none of the API's modules until asked."""
    code = "import sys, cicatext; print(sorted(m for m in sys.modules if m.startswith('cicatext.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_documented_script_prints_what_the_page_shows(demo_repo, tmp_path):
    """The ten-line script of docs/api.md, run on the sample repository, prints the output the page shows."""
    (script,) = _blocks("python")
    assert len(script.strip().splitlines()) <= 12
    (shown,) = _blocks("text")
    path = tmp_path / "script.py"
    path.write_text(script, encoding="utf-8")
    result = subprocess.run([sys.executable, str(path), str(demo_repo.root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == shown


def test_unknown_names_are_attribute_errors():
    """A name the API does not have is an AttributeError, as for any module."""
    try:
        cicatext.no_such_name  # noqa: B018
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("an unknown name was found")
