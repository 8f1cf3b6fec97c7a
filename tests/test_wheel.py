"""A wheel built from this source works on its own: it holds every file of the package, and once installed alone in a
fresh virtual environment `cicatext init` (with either set of parties), `validate` and `demo` succeed from the
installed files.

The wheel is built from a copy of what pyproject.toml builds from (itself, README.md and cicatext/), so that
setuptools' `build/` folder is not written into the source tree and no stale file left there from an earlier build
can reach the wheel. The environment gets the wheel's dependencies from the package index, as any user's pip does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cicatext"

# Fixed identities, so that the commits of `init` and `demo` need no git configuration of the user's.
IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Secretariat", "GIT_AUTHOR_EMAIL": "test@cicatext.invalid",
    "GIT_COMMITTER_NAME": "Test Secretariat", "GIT_COMMITTER_EMAIL": "test@cicatext.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _run(command: list[str | Path], **options) -> subprocess.CompletedProcess[str]:
    """Run a command; a failure shows its output."""
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, **options)
    assert result.returncode == 0, f"{command} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of this source, built by `pip wheel` from a copy of the files the build reads."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(PACKAGE, source / "cicatext", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--quiet", "-w", work / "dist"])
    (built,) = (work / "dist").glob("cicatext-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment holding the wheel and its dependencies alone; returns its bin/ folder."""
    environment = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", environment])
    bin_dir = environment / ("Scripts" if os.name == "nt" else "bin")
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel])
    return bin_dir


def test_wheel_holds_every_file_of_the_package(wheel):
    """Every file under cicatext/, the schemas and the repository template with its dotfiles included, is in the wheel."""
    in_source = {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {name for name in archive.namelist() if name.startswith("cicatext/")}
    assert in_wheel == in_source
    assert {"cicatext/repo_template/.gitattributes", "cicatext/repo_template/.gitignore",
            "cicatext/schemas/settings.schema.json"} <= in_wheel


def test_installed_wheel_inits_validates_and_builds_the_demo(installed, tmp_path):
    """From a folder outside the source tree, the installed `cicatext` (the wheel's, not the source's) runs
    `init`, `init --parties un`, `validate` and `demo --no-tui --path DIR` successfully."""
    assert not tmp_path.resolve().is_relative_to(ROOT)
    environment = installed.parent.resolve()
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV") and not key.startswith(("GIT_", "CICATEXT_"))}
    env.update(IDENTITY, HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "home" / "data"),
               XDG_CACHE_HOME=str(tmp_path / "home" / "cache"), PATH=f"{installed}{os.pathsep}{env.get('PATH', '')}",
               CICATEXT_WARM="0")
    (tmp_path / "home").mkdir()

    where = _run([installed / "python", "-c",
                  "import cicatext, cicatext.resources as r; "
                  "print(cicatext.__file__); print(r.schemas_dir()); print(r.template_dir())"],
                 cwd=tmp_path, env=env).stdout.split()
    for path in map(Path, where):
        assert path.resolve().is_relative_to(environment), path
        assert not path.resolve().is_relative_to(ROOT), path

    cicatext = installed / "cicatext"
    _run([cicatext, "init", "repo"], cwd=tmp_path, env=env)
    assert (tmp_path / "repo" / "registry" / "states" / "KAZ.yaml").is_file()
    assert (tmp_path / "repo" / ".gitattributes").is_file()
    _run([cicatext, "validate"], cwd=tmp_path / "repo", env=env)
    _run([cicatext, "init", "un", "--parties", "un"], cwd=tmp_path, env=env)
    assert (tmp_path / "un" / "registry" / "states" / "USA.yaml").is_file()
    assert (tmp_path / "un" / "registry" / "groups" / "G77.yaml").is_file()
    _run([cicatext, "validate"], cwd=tmp_path / "un", env=env)

    demo = _run([cicatext, "demo", "--no-tui", "--path", "demo"], cwd=tmp_path, env=env)
    assert str(tmp_path / "demo") in demo.stdout + demo.stderr
    assert (tmp_path / "demo" / "documents" / "mc-2023-draft-5" / "en.txt").is_file()

    # The installed program runs its quick commands in a warm process of its own (its socket in a folder of the
    # test's), and prints what it prints alone.
    sockets = tempfile.mkdtemp(prefix="cicatext-wheel-", dir="/tmp")
    warm = {**env, "TMPDIR": sockets, "CICATEXT_WARM_IDLE": "120"}
    del warm["CICATEXT_WARM"]
    stop = [installed / "python", "-c", "from cicatext.cli import launch, warm\n"
            "print(warm.ask(launch.address(launch.warm_key()), b'S'))"]
    try:
        _run([cicatext, "warm", "start"], cwd=tmp_path / "demo", env=warm)
        alone = _run([cicatext, "diff", "HEAD~3", "HEAD"], cwd=tmp_path / "demo", env=env)
        assert _run([cicatext, "diff", "HEAD~3", "HEAD"], cwd=tmp_path / "demo", env=warm).stdout == alone.stdout
        said = json.loads(_run([cicatext, "warm", "--json"], cwd=tmp_path / "demo", env=warm).stdout)
        assert [p["served"] for p in said["processes"] if p["serves_this_program"]] == [1]
    finally:
        stopped = subprocess.run([str(part) for part in stop], cwd=tmp_path, env=warm, capture_output=True,
                                 text=True, stdin=subprocess.DEVNULL, check=False)
        shutil.rmtree(sockets, ignore_errors=True)
    assert stopped.stdout.startswith("{"), stopped.stdout + stopped.stderr
