"""The README's sessions, run as a user runs them, give byte for byte the output recorded in `tests/golden/`.

Each step is one command run in a fresh process inside a newly built sample
repository; its exit code, standard output and standard error are compared
with the recorded ones, with the repository's folder written as `<REPO>`.
Moving code between modules must not change what a user sees: when a change
is meant to alter an output, record it again with
`CICATEXT_RECORD_GOLDEN=1 python -m pytest tests/test_first_session.py` and
read the difference in `git diff tests/golden/` before committing it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
RECORD = bool(os.environ.get("CICATEXT_RECORD_GOLDEN"))
TEXT = "documents/mc-2023-draft-5/en.txt"
SYMBOL = "MC/2023/DRAFT/5"

# The README's first session, then every reporting command's --json, the text exports and the help texts.
FIRST_SESSION = [
    ["validate"],
    ["validate", "--json"],
    ["brackets", TEXT],
    ["brackets", "--json", TEXT],
    ["clean", TEXT],
    ["stats", TEXT],
    ["stats", "--json", TEXT],
    ["check", TEXT],
    ["coordinators", "--as-of", "2024-03-01"],
    ["coordinators", "--as-of", "2024-03-01", "--json"],
    ["deadlines", "--as-of", "2023-07-01"],
    ["deadlines", "--as-of", "2023-07-01", "--json"],
    ["note", "--lang", "ru"],
    ["note"],
    ["search", "mutual learning"],
    ["search", "mutual learning", "--json"],
    ["export", SYMBOL, "--format", "txt"],
    ["export", SYMBOL, "--format", "md"],
    ["export", SYMBOL, "--format", "html"],
    ["export", SYMBOL, "--format", "akn"],
    ["export", SYMBOL, "--format", "txt", "--clean"],
    ["export", SYMBOL, "-o", "../statement.docx"],
    ["export", SYMBOL, "--format", "html", "-o", "inside.html"],
    ["@rm", "inside.html"],
    ["validate"],
    ["translations", "--json"],
    ["keys", "list"],
    ["verify", "--json"],
    ["log", SYMBOL],
    ["export", "SWG/801"],
    ["agree", SYMBOL, "op99:abcd"],
    ["agree", SYMBOL, "pp9:1"],
]

# The README's round: IND edits the text on its branch, proposes, the Secretariat compiles and agrees.
ROUND_SESSION = [
    ["delegation", "start", "IND"],
    ["@edit", TEXT, "mutual learning among civilizations", "mutual understanding among civilizations"],
    ["propose", SYMBOL],
    ["@git", "switch", "main"],
    ["round", SYMBOL],
    ["log", SYMBOL],
    ["log", SYMBOL, "--json"],
    ["diff", "round/mc-2023-draft-5/1~1", "round/mc-2023-draft-5/1", SYMBOL],
    ["diff", "round/mc-2023-draft-5/1~1", "round/mc-2023-draft-5/1", SYMBOL, "--json"],
    ["agree", SYMBOL, "pp9:gbyh"],
    ["agree", SYMBOL, "pp9:gbyh"],
    ["drop", SYMBOL, "pp9:syjv", "--expect", "and religious", "--json"],
    ["export", SYMBOL, "--redline", "round/mc-2023-draft-5/1~1", "HEAD", "-o", "../changes.docx"],
    ["validate"],
]

# Fixed identities and dates, so that commits, and the hashes printed from them, are the same on every run.
ENV = {
    "GIT_AUTHOR_NAME": "Test Secretariat", "GIT_AUTHOR_EMAIL": "test@cicatext.invalid",
    "GIT_COMMITTER_NAME": "Test Secretariat", "GIT_COMMITTER_EMAIL": "test@cicatext.invalid",
    "GIT_AUTHOR_DATE": "2023-06-20T10:00:00Z", "GIT_COMMITTER_DATE": "2023-06-20T10:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1", "COLUMNS": "100", "TZ": "UTC", "LC_ALL": "C.UTF-8",
}


def _help_commands() -> list[list[str]]:
    """`--help` of the program and of every command and sub-action, as the parser lists them."""
    from cicatext.cli.main import build_parser

    parser = build_parser()
    commands = [["--help"]]
    for action in parser._subparsers._group_actions:  # the program's one subparsers action
        for name, sub in action.choices.items():
            commands.append([name, "--help"])
            for inner in sub._actions:
                if inner.__class__.__name__ == "_SubParsersAction":
                    commands.extend([name, child, "--help"] for child in inner.choices)
    return commands


def _run(command: list[str], repo: Path, home: Path) -> str:
    """One step: run it, and return what a user saw, the repository folder written as <REPO>."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "CICATEXT_"))}, **ENV,
           "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache"),
           "CICATEXT_WARM": "0"}
    if command[0] == "@edit":
        path, old, new = repo / command[1], command[2], command[3]
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return f"$ edit {command[1]}\n"
    if command[0] == "@rm":
        (repo / command[1]).unlink()
        return f"$ rm {command[1]}\n"
    if command[0] == "@git":
        process = subprocess.run(["git", *command[1:]], cwd=repo, env=env, capture_output=True, text=True)
        return f"$ git {' '.join(command[1:])}\nexit {process.returncode}\n"
    process = subprocess.run([sys.executable, "-m", "cicatext", *command], cwd=repo, env=env,
                             capture_output=True, text=True, stdin=subprocess.DEVNULL)
    shown = "\n".join([f"$ cicatext {' '.join(command)}", f"exit {process.returncode}",
                       "--- stdout", process.stdout, "--- stderr", process.stderr])
    return shown.replace(str(repo), "<REPO>") + "\n"


def _docx_body(path: Path) -> str:
    """A Word file's document.xml, the part that holds its text (the zip's times vary)."""
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8") + "\n"


def _session(tmp_path: Path, steps: list[list[str]]) -> tuple[Path, list[str]]:
    """Build the sample repository as `cicatext demo --no-tui --path` does, then run the steps in it."""
    home = tmp_path / "home"
    home.mkdir()
    repo = tmp_path / "demo"
    outputs = [_run(["demo", "--no-tui", "--path", str(repo)], repo.parent, home).replace(str(repo), "<REPO>")]
    outputs += [_run(step, repo, home) for step in steps]
    return repo, outputs


def _compare(name: str, actual: str) -> None:
    """Compare with the recorded output, or record it when asked to."""
    path = GOLDEN / name
    if RECORD:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no recorded output {path.name}: record it (see this module's docstring)"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from the recorded output"


def test_first_session_prints_what_it_printed(tmp_path):
    """The README's first session, and every report's --json, print exactly the recorded output."""
    repo, outputs = _session(tmp_path, FIRST_SESSION)
    _compare("first-session.txt", "".join(outputs))
    _compare("statement.docx.xml", _docx_body(repo.parent / "statement.docx"))
    log = subprocess.run(["git", "log", "--format=%H %s", "--all"], cwd=repo, capture_output=True, text=True)
    _compare("first-session-git-log.txt", log.stdout)


def test_round_session_prints_what_it_printed(tmp_path):
    """The README's round (propose, round, diff, agree, drop) prints exactly the recorded output."""
    repo, outputs = _session(tmp_path, ROUND_SESSION)
    _compare("round-session.txt", "".join(outputs))
    _compare("changes.docx.xml", _docx_body(repo.parent / "changes.docx"))
    log = subprocess.run(["git", "log", "--format=%H %s%n%b", "--all"], cwd=repo, capture_output=True, text=True)
    _compare("round-session-git-log.txt", log.stdout)
    tree = subprocess.run(["git", "ls-tree", "-r", "HEAD"], cwd=repo, capture_output=True, text=True)
    _compare("round-session-tree.txt", tree.stdout)


def test_help_texts_are_what_they_were(tmp_path):
    """`--help` of the program and of every command reads exactly as recorded."""
    home = tmp_path / "home"
    home.mkdir()
    outputs = [_run(command, tmp_path, home) for command in _help_commands()]
    _compare("help.txt", "".join(outputs))


@pytest.mark.parametrize("name", ["first-session.txt", "round-session.txt", "help.txt"])
def test_recorded_outputs_hold_real_runs(name):
    """The recorded files are real outputs: every step shows its exit code and both streams."""
    text = (GOLDEN / name).read_text(encoding="utf-8")
    assert text.count("$ cicatext ") >= 10
    assert text.count("--- stdout") == text.count("$ cicatext ")
