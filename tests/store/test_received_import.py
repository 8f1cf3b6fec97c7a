"""`cicatext import` takes drafts as they are circulated: byte-order mark, CRLF, no-break-space lines,
one paragraph per line, PDF extracts, notation problems; `validate` reports the problems it was imported with."""

from __future__ import annotations

import json

from cicatext.cli.main import main
from cicatext.records.paragraphing import split_paragraphs
from cicatext.store.register.create import import_text
from cicatext.store.validation.validate import validate

TEXT = "documents/mc-2024-draft-1/en.txt"
RECORD = "documents/mc-2024-draft-1/document.yaml"

# A draft in the one-paragraph-per-line style: no blank line anywhere, structure from labels and indentation.
LINES = """The Conference of the Parties,
Recalling its earlier decisions on this matter,
Noting with concern the gap between the pledges made and the
pathways consistent with the goal of the Agreement,
1. Decides that each Party shall:
    (a) [Communicate] [Submit] a contribution every five years, in
        accordance with the guidance adopted for the purpose;
    (b) Report on progress;
        (i) Annually;
        (ii) [Biennially];
    (c) Other;
2. Requests the secretariat to:
Option 1: Prepare a synthesis report;
Option 2: {No text required}
3. Invites Parties to submit their views.
"""


def test_no_break_space_lines_split_paragraphs():
    """A line holding only no-break spaces is a blank line, as the reader has it."""
    paragraphs, warnings = split_paragraphs("The Council,\n\u00a0\n1. Decides.\n \u00a0 \n2. Requests.\n")
    assert [(p.id, p.text) for p in paragraphs] == [("pp1", "The Council,"), ("op1", "1. Decides."),
                                                   ("op2", "2. Requests.")]
    assert warnings == []


def test_byte_order_mark_and_crlf_are_not_text(new_repo):
    """The first paragraph's number is found after a byte-order mark; the stored text has neither mark nor CR."""
    result = import_text(new_repo, "\ufeff1. Decides [to act] (+IND);\r\n\r\n2. Requests.\r\n",
                         symbol="MC/2024/DRAFT/1", title="T")
    assert result.warnings == () and result.problems == ()
    assert new_repo.read_text(TEXT) == "{#op1} 1. Decides [to act] (+IND);\n\n{#op2} 2. Requests.\n"


def test_one_paragraph_per_line_is_split_by_numbering_and_indentation():
    """Each labelled line is a paragraph with an id from its place in the numbering; wrapped lines are joined."""
    paragraphs, warnings = split_paragraphs(LINES)
    assert [p.id for p in paragraphs] == [
        "pp1", "pp2", "pp3", "op1", "op1.a", "op1.b", "op1.b.i", "op1.b.ii", "op1.c", "op2", "op2.opt1", "op2.opt2",
        "op3"]
    assert paragraphs[2].text == ("Noting with concern the gap between the pledges made and the\n"
                                  "pathways consistent with the goal of the Agreement,")
    assert paragraphs[4].text == ("(a) [Communicate] [Submit] a contribution every five years, in\n"
                                  "        accordance with the guidance adopted for the purpose;")
    [notice] = warnings
    assert notice.line == 1 and "one paragraph per line" in notice.message
    assert "(13 paragraphs)" in notice.message and "joining 2 wrapped lines" in notice.message
    # Nothing of the text is lost or changed: the paragraphs hold its lines, in order.
    assert [line.strip() for p in paragraphs for line in p.text.split("\n")] == [
        line.strip() for line in LINES.splitlines()]


def test_letter_i_after_h_is_a_letter_and_articles_prefix_their_paragraphs():
    """`(i)` after `(h)` is the ninth letter, not a roman one; numbers under `Article 2` are art2.N."""
    letters = "".join(f"    ({c}) Item {c};\n" for c in "abcdefghij")
    paragraphs, _ = split_paragraphs("1. Decides:\n" + letters + "Article 2\n1. Each Party;\n2. Each Party also;\n")
    ids = [p.id for p in paragraphs]
    assert ids[:11] == ["op1"] + [f"op1.{c}" for c in "abcdefghij"]
    assert ids[11:] == ["art2", "art2.1", "art2.2"]


def test_a_blank_line_draft_with_one_inner_list_keeps_its_paragraphs():
    """A draft written with blank lines is read by them, even when one paragraph holds a list."""
    text = "The Council,\n\n1. Decides that:\n(a) one;\n(b) two;\n\n2. Requests.\n\n3. Ends.\n"
    paragraphs, warnings = split_paragraphs(text)
    assert [p.id for p in paragraphs] == ["pp1", "op1", "op2", "op3"]
    assert paragraphs[1].text == "1. Decides that:\n(a) one;\n(b) two;"
    assert warnings == []


def test_import_of_a_line_per_paragraph_draft_says_so(new_repo, tmp_path, capsys):
    """The command reads the style, writes a paragraph per labelled line and says what it did."""
    path = tmp_path / "draft.txt"
    path.write_text(LINES, encoding="utf-8")
    assert main(["import", str(path), "--symbol", "MC/2024/DRAFT/1", "--title", "T", "-C", str(new_repo.root)]) == 0
    captured = capsys.readouterr()
    assert "(13 paragraphs)" in captured.out
    assert f"{path}:1: warning: the text has one paragraph per line" in captured.err
    stored = new_repo.read_text(TEXT)
    assert stored.startswith("{#pp1} The Conference of the Parties,\n\n{#pp2} Recalling")
    assert "\n\n{#op1.b.ii} (ii) [Biennially];\n\n" in stored
    assert validate(new_repo) == []


PDF = """1. Decides [to act] (+IND) on the nego-
tiation of the well-
being clause;]12
GE.15-01234
3
2. Requests the well-being report of the secretariat,
as requested by Parties3 at the session.
GE.15-01234
4
3. Invites Parties to con-
tinue.
GE.15-01234
5
"""


def test_pdf_artefacts_are_reported_and_kept():
    """Page headers, page numbers, footnote marks and hyphenated words are warnings at their lines; the text stays."""
    paragraphs, warnings = split_paragraphs(PDF)
    found = [(w.line, w.message.split(" ", 1)[0]) for w in warnings if "one paragraph per line" not in w.message]
    assert found == [(1, "'nego-'"), (2, "'well-'"), (3, "'12'"), (4, "'GE.15-01234'"), (5, "'3'"), (7, "'3'"),
                     (8, "'GE.15-01234'"), (9, "'4'"), (10, "'con-'"), (12, "'GE.15-01234'"), (13, "'5'")]
    messages = {w.line: w.message for w in warnings if "one paragraph per line" not in w.message}
    assert "page header or footer" in messages[4] and "--repair-pdf" in messages[4]
    assert "page number" in messages[5]
    assert "footnote mark" in messages[3] and "footnote mark" in messages[7]
    assert "('negotiation')" in messages[1] and "('well-being')" in messages[2]
    assert "\n".join(p.text for p in paragraphs).count("GE.15-01234") == 3


def test_repair_pdf_removes_page_furniture_and_joins_words():
    """With repair_pdf the headers and page numbers go, split words are joined (keeping a hyphen the text
    writes elsewhere), each repair is a warning at its line, and footnote marks are still only reported."""
    paragraphs, warnings = split_paragraphs(PDF, repair_pdf=True)
    assert [p.id for p in paragraphs] == ["op1", "op2", "op3"]
    assert paragraphs[0].text == "1. Decides [to act] (+IND) on the negotiation\nof the well-being\nclause;]12"
    assert paragraphs[2].text == "3. Invites Parties to continue."
    repairs = [(w.line, w.message) for w in warnings if w.message.startswith(("removed", "joined"))]
    assert repairs == [
        (1, "joined 'nego-' and 'tiation' into 'negotiation'"),
        (2, "joined 'well-' and 'being' into 'well-being'"),
        (4, "removed the page header or footer 'GE.15-01234'"),
        (5, "removed the page number '3'"),
        (8, "removed the page header or footer 'GE.15-01234'"),
        (9, "removed the page number '4'"),
        (10, "joined 'con-' and 'tinue' into 'continue'"),
        (12, "removed the page header or footer 'GE.15-01234'"),
        (13, "removed the page number '5'"),
    ]
    footnotes = [w.line for w in warnings if "footnote mark" in w.message]
    assert footnotes == [3, 7]


def test_import_repair_pdf_on_the_command_line(new_repo, tmp_path, capsys):
    """`import --repair-pdf` reports each repair with the line of the file and stores the repaired text."""
    path = tmp_path / "extract.txt"
    path.write_text(PDF, encoding="utf-8")
    args = ["import", str(path), "--symbol", "MC/2024/DRAFT/1", "--title", "T", "-C", str(new_repo.root)]
    assert main([*args, "--repair-pdf"]) == 0
    err = capsys.readouterr().err
    assert f"{path}:4: warning: removed the page header or footer 'GE.15-01234'" in err
    assert f"{path}:10: warning: joined 'con-' and 'tinue' into 'continue'" in err
    stored = new_repo.read_text(TEXT)
    assert "GE.15" not in stored and "{#op3} 3. Invites Parties to continue.\n" in stored


def test_a_text_without_pdf_traces_gets_no_pdf_warning():
    """Numbers, symbols and hyphens of ordinary text are not taken for a PDF's traces."""
    text = ("1. Recalls decision 1/CP.21 and document FCCC/CP/2015/10, paragraphs 1.10 and 2, and the "
            "well-being of all;\n\n2. Decides [to act] (+IND) in 2025-2030.\n\n3. Notes [Article 4] (-CHN).\n")
    assert split_paragraphs(text)[1] == []


def test_validate_reports_known_problems_as_warnings_and_new_ones_as_errors(new_repo):
    """A text imported with problems validates with warnings at line:col; a new problem is an error; a problem
    corrected is gone."""
    import_text(new_repo, "The Council,\n\n1. Decides [to act;\n\n2. Notes [it] (+ZZZ).\n",
                symbol="MC/2024/DRAFT/1", title="T")
    problems = validate(new_repo)
    assert [(p.severity, p.line, p.column) for p in problems] == [("warning", 3, 19), ("warning", 5, 24)]
    assert problems[0].message == "'[' is never closed (a known problem of MC/2024/DRAFT/1 as circulated)"
    path = new_repo.root / TEXT
    # The lines move (a paragraph added above) but the places are unchanged: still warnings.
    path.write_text("{#pp0} Preamble.\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert [(p.severity, p.line) for p in validate(new_repo)] == [("warning", 5), ("warning", 7)]
    # A new problem is an error; the known ones stay warnings.
    text = path.read_text(encoding="utf-8").replace("{#pp1} The Council,", "{#pp1} The [Council,")
    path.write_text(text, encoding="utf-8")
    assert [(p.severity, p.line) for p in validate(new_repo)] == [("error", 3), ("warning", 5), ("warning", 7)]
    # The open bracket closed and the code corrected: nothing is left.
    text = text.replace("The [Council,", "The Council,").replace("[to act;", "[to act];").replace("ZZZ", "IND")
    path.write_text(text, encoding="utf-8")
    assert validate(new_repo) == []


def test_a_known_problem_whose_place_changed_is_an_error_again(new_repo):
    """Changing the text around a known problem makes it a problem of a new text: an error."""
    import_text(new_repo, "1. Decides [to act;\n", symbol="MC/2024/DRAFT/1", title="T")
    path = new_repo.root / TEXT
    path.write_text("{#op1} 1. Resolves [to act;\n", encoding="utf-8")
    [problem] = validate(new_repo)
    assert problem.severity == "error" and problem.message == "'[' is never closed"


def test_validate_json_counts_known_problems_as_warnings(new_repo, capsys):
    """`validate` exits 0 with the known problems as warnings, in text and JSON."""
    import_text(new_repo, "1. Decides [to act;\n", symbol="MC/2024/DRAFT/1", title="T")
    assert main(["validate", str(new_repo.root)]) == 0
    assert f"{TEXT}:1:19: warning: '[' is never closed" in capsys.readouterr().err
    assert main(["validate", str(new_repo.root), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["errors"] == 0 and out["warnings"] == 1


def test_a_text_with_known_problems_is_exported_and_a_new_error_refuses_it(new_repo, tmp_path):
    """Export reads a text whose only errors are its known problems; an error that is not known refuses it."""
    from cicatext.exchange.source import load

    import_text(new_repo, "1. Decides [to act;\n\n2. Requests [more] (+IND).\n", symbol="MC/2024/DRAFT/1", title="T")
    target = tmp_path / "out.md"
    assert main(["export", "MC/2024/DRAFT/1", "-C", str(new_repo.root), "-o", str(target)]) == 0
    assert "Decides" in target.read_text(encoding="utf-8")
    assert [p.id for p in load(new_repo, "MC/2024/DRAFT/1").paragraphs] == ["op1", "op2"]
    new_repo.commit({TEXT: "{#op1} 1. Decides [to act;\n\n{#op2} 2. Requests [more] (+ZZZ).\n"}, "a new error")
    assert main(["export", "MC/2024/DRAFT/1", "-C", str(new_repo.root), "-o", str(tmp_path / "again.md")]) == 1
    assert not (tmp_path / "again.md").exists()


def test_a_day_that_does_not_exist_is_refused_and_nothing_is_written(new_repo, tmp_path, capsys):
    from tests.negotiation.conftest import snapshot

    path = tmp_path / "draft.txt"
    path.write_text("1. Decides.\n", encoding="utf-8")
    before = snapshot(new_repo.root)
    assert main(["import", str(path), "--symbol", "MC/2024/DRAFT/1", "--title", "T", "--date", "2024-02-30",
                 "-C", str(new_repo.root)]) == 2
    assert "'2024-02-30' is not a date" in capsys.readouterr().err
    assert snapshot(new_repo.root) == before


def test_log_of_a_document_not_in_the_register_is_refused(demo_repo, capsys):
    assert main(["log", "MC/2099/DRAFT/1", "-C", str(demo_repo.root)]) != 0
    err = capsys.readouterr().err
    assert "MC/2099/DRAFT/1" in err and "no round yet" not in err
