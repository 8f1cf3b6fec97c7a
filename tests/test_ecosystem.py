"""The tools people already run: a standard JSON Schema validator on the shipped schemas, offline, and the
pre-commit hooks this project ships, run as pre-commit runs them."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "cicatext" / "schemas"
DOCUMENT = "documents/mc-2023-draft-5/document.yaml"


def _check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
    assert tool, "check-jsonschema is in the test extra"
    # No network: a proxy that does not exist, so that a fetch of a schema would fail, not hang.
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    return subprocess.run([tool, "--schemafile", str(SCHEMAS / schema), *map(str, files)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_check_jsonschema_uses_the_shipped_schemas_offline(demo_repo):
    """`check-jsonschema --schemafile cicatext/schemas/document.schema.json documents/*/document.yaml` resolves
    common.schema.json beside the schema, validates the sample and finds a bad date, with no network."""
    documents = sorted(demo_repo.root.glob("documents/*/document.yaml"))
    passed = _check_jsonschema("document.schema.json", *documents)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    path = demo_repo.path(DOCUMENT)
    text = path.read_text(encoding="utf-8")
    assert "\ndate: '2023-06-14'" in text
    path.write_text(text.replace("\ndate: '2023-06-14'", "\ndate: '2023-13-45'", 1), encoding="utf-8")
    failed = _check_jsonschema("document.schema.json", path)
    assert failed.returncode == 1 and "is not a 'date'" in failed.stdout, failed.stdout + failed.stderr


def _hooks() -> list[dict]:
    return YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_shipped_pre_commit_hooks_run_as_pre_commit_runs_them(demo_repo):
    """Each hook's entry, run in a cicatext repository as pre-commit runs it (no file names for these), passes on
    the sample and fails on a broken record."""
    hooks = _hooks()
    assert [hook["id"] for hook in hooks] == ["cicatext-validate"]
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        command = shlex.split(hook["entry"])
        assert command[0] == "cicatext"
        run = [sys.executable, "-m", "cicatext", *command[1:]]
        ok = subprocess.run(run, cwd=demo_repo.root, capture_output=True, text=True, timeout=300, check=False)
        assert ok.returncode == 0, ok.stdout + ok.stderr
    path = demo_repo.path(DOCUMENT)
    path.write_text(path.read_text(encoding="utf-8").replace("kind: statement", "kind: [statement"), encoding="utf-8")
    broken = subprocess.run(run, cwd=demo_repo.root, capture_output=True, text=True, timeout=300, check=False)
    assert broken.returncode == 1 and DOCUMENT in broken.stderr


@pytest.mark.parametrize("name", ["pyproject.toml", ".pre-commit-hooks.yaml"])
def test_the_hooks_install_from_the_project_root(name):
    """pre-commit installs a `language: python` hook from the repository root: the package is there."""
    assert (ROOT / name).is_file()
