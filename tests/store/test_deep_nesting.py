"""A text nested past the reader's limit in a real repository: import refuses it, export and validate name it."""

from __future__ import annotations

import json
import subprocess

import pytest

from cicatext.cli.main import main

TEXT = "documents/mc-2023-draft-3/en.txt"


def nested(depth: int) -> str:
    return "[and " * depth + "nested words" + "] (+CHN)" * depth


def head(repo) -> str:
    return subprocess.run(["git", "-C", str(repo.root), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_import_refuses_and_writes_nothing(new_repo, tmp_path, capsys, monkeypatch, depth):
    """import of a text nested past the limit is one error located in the file given, exit 1, and no commit."""
    source = tmp_path / "deep.txt"
    source.write_text("1. First.\n\n2. " + nested(depth) + "\n", encoding="utf-8")
    before = head(new_repo)
    monkeypatch.chdir(new_repo.root)
    assert main(["import", str(source), "--symbol", "MC/2024/DRAFT/1", "--title", "Deep"]) == 1
    err = capsys.readouterr().err
    assert f"{source}:3:{3 + 5 * 100 + 1}: brackets nested {depth} deep: the limit is 100" in err
    assert "nothing was imported" in err and "Traceback" not in err
    assert head(new_repo) == before
    assert not (new_repo.root / "documents").exists() or not any((new_repo.root / "documents").iterdir())


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_export_and_validate_name_a_committed_text_nested_too_deep(demo_repo, tmp_path, capsys, depth):
    """A text committed nested past the limit: every export format refuses with the located error, validate
    reports it, and no command prints a traceback."""
    text = demo_repo.read_text(TEXT).rstrip("\n")
    lines = text.count("\n") + 3
    demo_repo.commit({TEXT: f"{text}\n\n{{#deep}} {nested(depth)}\n"}, "A paragraph nested deep")
    where = f"{TEXT}:{lines}:{len('{#deep} ') + 5 * 100 + 1}: brackets nested {depth} deep: the limit is 100"
    for extension in ("docx", "html", "md", "akn.xml", "txt"):
        out = tmp_path / f"out.{extension}"
        assert main(["export", "MC/2023/DRAFT/3", "-o", str(out), "-C", str(demo_repo.root)]) == 1
        err = capsys.readouterr().err
        assert where in err and "Traceback" not in err
        assert not out.exists()
    assert main(["validate", str(demo_repo.root), "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [p["code"] for p in problems if p["file"] == TEXT and p["message"].startswith("brackets nested")] == ["nesting"]
