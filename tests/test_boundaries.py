"""The layers hold: the contracts in pyproject.toml are kept, and the pure core loads no UI, git or YAML library.

import-linter reads every import statement (docs/architecture.md draws the
layers); the fresh interpreter below checks what is really loaded at run
time, which also catches a module imported by name from a string.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent

# Import every module of the given packages, then name what should not have come with them.
LOADED = (
    "import sys, importlib, pkgutil\n"
    "for name in {packages!r}:\n"
    "    package = importlib.import_module(name)\n"
    "    for info in pkgutil.walk_packages(package.__path__, name + '.'):\n"
    "        importlib.import_module(info.name)\n"
    "print(sorted(m for m in sys.modules if m.split('.')[0] in {banned!r} or m.startswith({inner!r})))\n"
)


def _loaded(packages: tuple[str, ...], banned: tuple[str, ...], inner: tuple[str, ...]) -> str:
    code = LOADED.format(packages=packages, banned=banned, inner=inner)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_the_import_contracts_are_kept():
    """`lint-imports` finds every contract of pyproject.toml kept: front ends above exchange above store above
    notation and records, and the pure core importing no Textual, git, subprocess or YAML library."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert command, "import-linter is in the test extra: pip install -e '.[test]'"
    result = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_pure_core_loads_no_ui_git_or_yaml():
    """Every module of notation and records imports in a fresh interpreter without Textual, git, subprocess,
    ruamel, python-docx, or any of cicatext's store, exchange and front ends."""
    found = _loaded(("cicatext.notation", "cicatext.records"),
                    ("textual", "rich", "git", "subprocess", "ruamel", "yaml", "docx", "lxml"),
                    ("cicatext.store", "cicatext.exchange", "cicatext.cli", "cicatext.tui"))
    assert found == "[]"


def test_the_store_loads_no_front_end():
    """Every module of the store imports without Textual and without the command line or the UI."""
    found = _loaded(("cicatext.store",), ("textual", "rich"), ("cicatext.exchange", "cicatext.cli", "cicatext.tui"))
    assert found == "[]"


def test_no_module_holds_two_jobs_by_its_size():
    """No module of the package is over 600 lines: past that it usually holds two jobs (docs/architecture.md)."""
    long = {str(path.relative_to(ROOT)): n for path in (ROOT / "cicatext").rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}
