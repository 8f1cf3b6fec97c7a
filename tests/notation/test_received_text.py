"""Text as it is received: a byte-order mark is no part of it, and a text with problems still prints."""

from __future__ import annotations

import json
from pathlib import Path

from cicatext.cli.main import main
from cicatext.notation.reader import LAZY_FROM, count_brackets, read
from cicatext.notation.render import render
from tests.ids import at

BOM = "\ufeff"


def test_a_byte_order_mark_hides_neither_id_nor_number():
    """After a byte-order mark the first paragraph's marker and number are found, and the text renders back."""
    text = BOM + "{#op1} 1. Decides [to act] (+IND).\n\n2. Requests.\n"
    reading = read(text)
    assert [(p.id, p.label) for p in reading.draft.paragraphs] == [("op1", "1."), ("p2", "2.")]
    assert reading.problems == ()
    assert render(reading.draft) == text
    assert count_brackets(text) == (2, 1)


def test_a_byte_order_mark_before_a_bare_number_and_crlf():
    """A numbered first paragraph after a byte-order mark, in CRLF text, keeps its label."""
    text = BOM + "1. Decides.\r\n\r\n2. Two.\r\n"
    draft = read(text).draft
    assert [p.label for p in draft.paragraphs] == ["1.", "2."]
    assert render(draft) == text


def test_a_byte_order_mark_in_a_large_text_read_lazily():
    """A large text (read lazily, by the quick loop) finds the first marker after a byte-order mark too."""
    body = "".join(f"{{#op{n}}} {n}. Decides [to act] (+IND).\n\n" for n in range(1, LAZY_FROM // 30))
    text = BOM + body
    assert len(text) >= LAZY_FROM
    draft = read(text).draft
    assert draft.paragraphs[0].id == "op1" and draft.paragraphs[0].label == "1."
    assert render(draft) == text


def test_commands_read_a_file_with_a_byte_order_mark(tmp_path: Path, capsys):
    """brackets, stats and check read a file with a byte-order mark; columns count from the first character after it."""
    path = tmp_path / "bom.txt"
    path.write_bytes((BOM + "{#op1} 1. Decides [to act] (+IND).\n").encode())
    assert main(["brackets", str(path)]) == 0
    bracket = at("{#op1} 1. Decides [to act] (+IND).\n", "op1:1")
    assert capsys.readouterr().out.startswith(f"{bracket}  1:19  depth 1  (+IND)  to act")
    assert main(["stats", str(path), "--json"]) == 0
    assert [p["id"] for p in json.loads(capsys.readouterr().out)["paragraphs"]] == ["op1"]
    broken = tmp_path / "broken-bom.txt"
    broken.write_bytes((BOM + "1. Decides [to act.\n").encode())
    assert main(["check", str(broken)]) == 1
    assert f"{broken}:1:12: '[' is never closed" in capsys.readouterr().err


BROKEN = "{#a} fine [text] (+IRAN)\n\n{#b} open [here\n"


def test_stats_prints_its_counts_for_a_text_with_problems(tmp_path: Path, capsys):
    """stats prints the counts of what it read, the problems on standard error, and exits 1."""
    path = tmp_path / "broken.txt"
    path.write_text(BROKEN, encoding="utf-8")
    assert main(["stats", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("2 brackets (0 options groups) in 2 of 2 paragraphs; 1 attributions\n")
    assert f"{path}:3:11: '[' is never closed" in captured.err
    assert main(["stats", str(path), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["totals"]["brackets"] == 2
    assert "never closed" in json.dumps(json.loads(captured.out)["errors"]) and captured.err == ""


def test_clean_prints_the_agreed_text_of_a_text_with_problems(tmp_path: Path, capsys):
    """clean prints the agreed text it can read, the problems on standard error, and exits 1."""
    path = tmp_path / "broken.txt"
    path.write_text(BROKEN, encoding="utf-8")
    assert main(["clean", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("fine\n")
    assert f"{path}:3:11: '[' is never closed" in captured.err
    assert main(["clean", str(path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["paragraphs"][0] == {"id": "a", "text": "fine"}


def test_reading_commands_take_a_file_written_one_paragraph_per_line(tmp_path: Path, capsys):
    """brackets, stats and check read a line-per-paragraph file paragraph by paragraph, at the file's own lines."""
    path = tmp_path / "lines.txt"
    path.write_text("The Conference of the Parties,\n1. Decides that each Party [shall][should] communicate:\n"
                    "   (a) a [nationally] (-CHN) determined contribution;\n   (b) its [adaptation plan;\n"
                    "2. Requests the secretariat to report.\n", encoding="utf-8")
    assert main(["stats", str(path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["totals"]["paragraphs"] == 5 and out["totals"]["alternatives"] == 1
    assert main(["brackets", str(path), "--json"]) == 1
    listed = json.loads(capsys.readouterr().out)
    assert [(b["text"], b["line"], b["column"]) for b in listed["brackets"]][:3] == [
        ("shall", 2, 28), ("should", 2, 35), ("nationally", 3, 10)]
    text = path.read_text(encoding="utf-8")
    assert text[listed["brackets"][2]["start"]:listed["brackets"][2]["end"]] == "[nationally]"
    [error] = listed["errors"]
    assert (error["line"], error["column"], error["message"]) == (4, 12, "'[' is never closed")
