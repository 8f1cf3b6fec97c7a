"""The bracketed-text commands: brackets, clean, stats, check, in text and JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cicatext.cli.main import main
from cicatext.notation.reader import parse, read
from tests.notation.corpus import (
    MODALITIES_1_10,
    OP15,
    UNDERLINING,
    UNDERLINING_CLEAN,
    at,
)

DOCUMENT = f"{{#pp9}} {UNDERLINING}\n\n{{#1.10}} {MODALITIES_1_10}\n\n{{#op15}} {OP15}\n"


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "en.txt"
    path.write_text(DOCUMENT, encoding="utf-8", newline="")
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.txt"
    path.write_text("{#a} fine [text] (+IRAN)\n\n{#b} open [here\n", encoding="utf-8")
    return path


def test_brackets_text(document: Path, capsys) -> None:
    """`brackets` prints one line per bracket: id, line:column, depth, attributions, text."""
    assert main(["brackets", str(document)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 9
    draft = parse(DOCUMENT)
    assert lines[0] == f"{at(draft, 'pp9:1')}  1:81  depth 1  (+IRAN)  intercivilizational and intercultural exchanges"
    assert lines[4].startswith(f"{at(draft, 'pp9:5')}  1:")
    assert "depth 2  [of civilizations] (-CHN)" in lines[4]
    assert lines[8].startswith(f"{at(draft, 'op15:1')}  5:9  depth 1  (+IRAN) (SEC tcb)  15. Encourage")
    assert lines[8].endswith("…")


def test_brackets_json(document: Path, capsys) -> None:
    """`brackets --json` prints every bracket's JSON and an empty error list."""
    assert main(["brackets", str(document), "--json", "--codes", "IRAN,CHN,IND,SEC"]) == 0
    out = json.loads(capsys.readouterr().out)
    draft = parse(DOCUMENT)
    assert [b["id"] for b in out["brackets"]] == [at(draft, place) for place in
                                                  [*(f"pp9:{n}" for n in range(1, 8)), "1.10:1", "op15:1"]]
    assert out["brackets"][7]["attributions"] == [{"code": "IND", "stance": "-"}]
    assert out["errors"] == []
    assert DOCUMENT[out["brackets"][0]["start"]] == "["


def test_brackets_with_errors(broken: Path, capsys) -> None:
    """Malformed input lists what it can, then the located errors on stderr, and exits 1."""
    assert main(["brackets", str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{at(read(broken.read_text()).draft, 'a:1')}  1:11  depth 1  (+IRAN)  text")
    assert f"{broken}:3:11: '[' is never closed" in captured.err
    assert "    {#b} open [here\n              ^" in captured.err
    assert "hint: close it with ']'" in captured.err


def test_brackets_json_with_errors(broken: Path, capsys) -> None:
    """With --json, the errors come in the JSON too, and the exit code is 1."""
    assert main(["brackets", str(broken), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["errors"][0]["line"] == 3 and out["errors"][0]["column"] == 11
    assert out["errors"][0]["code"] == "notation"


def test_unknown_code(document: Path, capsys) -> None:
    """A code outside --codes is an error suggesting the nearest."""
    assert main(["check", str(document), "--codes", "IRAN,CHN,IND,SECR"]) == 1
    err = capsys.readouterr().err
    assert "unknown delegation code 'SEC'" in err
    assert "did you mean 'SECR'?" in err


def test_bad_codes_option(document: Path, capsys) -> None:
    """A malformed --codes value is a usage error."""
    assert main(["check", str(document), "--codes", "IRAN,chn"]) == 2
    assert "'chn' is not a delegation code" in capsys.readouterr().err


def test_clean(document: Path, capsys) -> None:
    """`clean` prints only the agreed text."""
    assert main(["clean", str(document)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(UNDERLINING_CLEAN + "\n\n1.10 A Member State")
    assert out.endswith("indicating the proposed tenure.\n")


def test_clean_json(document: Path, capsys) -> None:
    """`clean --json` gives each non-empty paragraph's clean text and the whole."""
    assert main(["clean", str(document), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in out["paragraphs"]] == ["pp9", "1.10"]
    assert out["text"].startswith(UNDERLINING_CLEAN)


def test_clean_of_malformed_input_prints_and_exits_1(broken: Path, capsys) -> None:
    """`clean` of malformed input prints what it read, reports the errors and exits 1."""
    assert main(["clean", str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("fine")
    assert "never closed" in captured.err


def test_stats(document: Path, capsys) -> None:
    """`stats` prints totals, a line per bracketed paragraph and per delegation."""
    assert main(["stats", str(document)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("9 brackets (1 options groups) in 3 of 3 paragraphs; 10 attributions\n")
    assert "pp9                     7        1" in out
    assert "IRAN              2        1        0" in out


def test_stats_json(document: Path, capsys) -> None:
    """`stats --json` prints the counts."""
    assert main(["stats", str(document), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["totals"]["brackets"] == 9
    assert out["delegations"]["SEC"] == {"+": 0, "-": 0, "tcb": 1}


def test_check_silent_when_sound(document: Path, capsys) -> None:
    """`check` prints nothing and exits 0 on sound text."""
    assert main(["check", str(document)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_check_errors(broken: Path, capsys) -> None:
    """`check` prints located errors and exits 1; with --json they are in the JSON."""
    assert main(["check", str(broken)]) == 1
    assert f"{broken}:3:11:" in capsys.readouterr().err
    for command in ("check", "brackets", "stats", "clean"):
        assert main([command, str(broken), "--json"]) == 1, command
        captured = capsys.readouterr()
        assert json.loads(captured.out)["errors"][0]["message"] == "'[' is never closed", command
        assert captured.err == "", f"{command} --json gives its problems once, in the JSON"


def test_check_warnings_do_not_fail(tmp_path: Path, capsys) -> None:
    """Warnings are printed but do not fail the check."""
    path = tmp_path / "loose.txt"
    path.write_text("[text] (+ IRAN)\n", encoding="utf-8")
    assert main(["check", str(path)]) == 0
    assert "warning: attribution '(+ IRAN)' is not in its normal spelling" in capsys.readouterr().err


def test_stdin(monkeypatch, capsys) -> None:
    """FILE '-' reads standard input, CRLF kept."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"[a] (+IRAN)\r\n\r\nb [c] (-CHN)\r\n")))
    assert main(["brackets", "-", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(b["paragraph"], b["line"], b["column"]) for b in out["brackets"]] == [("p1", 1, 1), ("p2", 3, 3)]


def test_crlf_clean(tmp_path: Path, capsys) -> None:
    """A CRLF file is read as written, so its line breaks survive."""
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"one [two] (+IRAN)\r\nthree\r\n")
    assert main(["clean", str(path)]) == 0
    assert capsys.readouterr().out == "one\r\nthree\n"


def test_missing_file(tmp_path: Path, capsys) -> None:
    """A missing file is a clear usage error, not a traceback."""
    assert main(["check", str(tmp_path / "nope.txt")]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err


def test_not_utf8(tmp_path: Path, capsys) -> None:
    """A file that is not UTF-8 is a clear error naming where the bad byte is."""
    path = tmp_path / "cp1251.txt"
    path.write_bytes("ok\n[текст]".encode("cp1251"))
    assert main(["brackets", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:2:2: {path} is not UTF-8 text" in err
    assert "hint: save the file as UTF-8" in err
