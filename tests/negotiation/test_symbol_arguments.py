"""A symbol argument longer than any symbol is refused with the symbol's grammar, by every command that takes one."""

from __future__ import annotations

import pytest

from tests.negotiation.conftest import cli, snapshot

HUGE_NUMBER = "MC/2023/DRAFT/" + "9" * 5000
HUGE_REVISION = "MC/2023/DRAFT/5/Rev." + "9" * 5000
LONG = "MC/2023/DRAFT/" + "X" * 286

COMMANDS = {
    "log": ["log", "@"],
    "export": ["export", "@"],
    "diff": ["diff", "main", "main", "@"],
    "agree": ["agree", "@", "p1:1"],
    "drop": ["drop", "@", "p1:1"],
    "revise": ["revise", "@"],
    "translations": ["translations", "@"],
    "translated": ["translated", "--lang", "ru", "@", "p1"],
    "round": ["round", "@"],
    "import": ["import", "TEXT", "--symbol", "@", "--title", "A title"],
    "meeting add": ["meeting", "add", "swg-2023-06", "--body", "SWG", "--from", "2023-06-13", "--document", "@=considered"],
    "propose": ["propose", "@"],
}


@pytest.mark.parametrize("symbol", [HUGE_NUMBER, HUGE_REVISION, LONG], ids=["5000-digits", "5000-digit-rev", "300"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_overlong_symbol_is_one_refusal_naming_the_grammar(volunteer, command, symbol, capsys, monkeypatch,
                                                                tmp_path):
    """No traceback, no 'File name too long', no message 5,000 characters wide: one refusal saying how a symbol is
    written, and nothing changed."""
    from tests.negotiation.conftest import git

    monkeypatch.chdir(volunteer.root)
    if command == "propose":
        git(volunteer.root, "switch", "-q", "-c", "delegations/IND")
    text = tmp_path / "in.txt"
    text.write_text("1. A paragraph.\n", encoding="utf-8")
    args = [str(text) if a == "TEXT" else a.replace("@", symbol) for a in COMMANDS[command]]
    before = snapshot(volunteer.root)
    code = cli(*args)
    said = capsys.readouterr().err
    assert code != 0
    assert "is not a document symbol" in said and "joined by /" in said, said[:600]
    assert "Traceback" not in said and "too long" not in said and "4300" not in said
    assert max(len(line) for line in said.splitlines()) < 400, said[:600]
    assert snapshot(volunteer.root) == before


@pytest.mark.parametrize("bracket_id", ["p1:" + "9" * 5000, "p1:" + "k" * 5000, "p" + "1" * 5000 + ":kqt"],
                         ids=["5000-digit-place", "5000-letter-code", "5000-digit-paragraph"])
@pytest.mark.parametrize("command", ["agree", "drop"])
def test_an_overlong_bracket_id_is_one_short_refusal(volunteer, command, bracket_id, capsys, monkeypatch):
    """A bracket id of thousands of characters is refused in one short message, never int()'s 4,300-digit limit."""
    monkeypatch.chdir(volunteer.root)
    before = snapshot(volunteer.root)
    assert cli(command, "MC/2023/DRAFT/5", bracket_id) != 0
    said = capsys.readouterr().err
    assert "Traceback" not in said and "4300" not in said
    assert "bracket" in said or "paragraph" in said, said[:600]
    assert max(len(line) for line in said.splitlines()) < 400, said[:600]
    assert snapshot(volunteer.root) == before
