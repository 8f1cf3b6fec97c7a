"""A NUL character is no text: every reading reports it, located, and an import refuses the file."""

from __future__ import annotations

from cicatext.cli.main import main
from cicatext.notation.reader import check, read
from cicatext.notation.render import render
from tests.negotiation.conftest import snapshot


def test_a_nul_character_is_a_located_error_and_the_text_still_renders_back():
    reading = read("1. Decides [to\x00 act] (+IND).\n", file="t.txt")
    [problem] = [p for p in reading.problems if "NUL" in p.message]
    assert (problem.severity, problem.line, problem.column) == ("error", 1, 15)
    assert check("ok\n\nfine\x00\n")[0].line == 3


def test_many_nul_characters_are_counted_not_listed_one_by_one():
    problems = [p for p in read("\x00" * 100_000).problems if "NUL" in p.message]
    assert len(problems) == 10
    assert "and 99990 more" in problems[-1].message


def test_import_refuses_a_text_with_a_nul_character_and_writes_nothing(new_repo, tmp_path, capsys):
    path = tmp_path / "draft.txt"
    path.write_bytes(b"1. Decides [to\x00 act] (+IND).\n")
    before = snapshot(new_repo.root)
    assert main(["import", str(path), "--symbol", "MC/2024/DRAFT/9", "--title", "T", "-C", str(new_repo.root)]) == 1
    assert f"{path}:1:15: a NUL character (U+0000) is no text" in capsys.readouterr().err
    assert snapshot(new_repo.root) == before


def test_a_lone_surrogate_in_a_large_text_is_read_not_raised():
    # A string can hold one (decoded with surrogateescape); the large text's quick scan encodes the text.
    text = "1. Decides [to \udcff act] (+IND).\n\n" * 3000
    assert render(read(text).draft) == text
    assert check(text) == ()
