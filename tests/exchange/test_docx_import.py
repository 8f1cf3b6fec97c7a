"""Reading Word drafts: the export→import round trip, Word's own numbering and italics, and bad files."""

from __future__ import annotations

import subprocess

import docx
import pytest

from cicatext.cli.main import main
from cicatext.errors import UsageError
from cicatext.exchange.docx import to_docx
from cicatext.exchange.docx_import import docx_text, import_docx
from cicatext.exchange.source import load

SAMPLE = ("mc-2023-draft-5", "mc-2023-draft-4", "mc-2023-draft-3", "mc-2023-chair-1", "swg-2023-ii-inf-2")


def _head(path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True).stdout


@pytest.mark.parametrize("slug", SAMPLE)
def test_export_then_import_gives_the_same_text(demo_repo, new_repo, tmp_path, slug):
    """Every sample document exported to Word and imported again has exactly its text, ids included."""
    word = tmp_path / f"{slug}.docx"
    word.write_bytes(to_docx(load(demo_repo, slug)))
    result = import_docx(new_repo, word, symbol="MC/2031/DRAFT/1", title="Round trip")
    assert result.warnings == ()
    assert new_repo.read_text(f"documents/{result.slug}/en.txt") == demo_repo.read_text(f"documents/{slug}/en.txt")


def test_word_numbering_and_italics_are_read(tmp_path):
    """Word's automatic numbering becomes typed numbers, bullets '- ', italic runs *...*, brackets kept."""
    document = docx.Document()
    document.add_paragraph("The Council,")
    paragraph = document.add_paragraph("– ")
    paragraph.add_run("Recogniz").italic = True
    paragraph.add_run("ing ").italic = True
    paragraph.add_run("the [role] (+IRAN) of volunteers,")
    document.add_paragraph("")
    document.add_paragraph("Decides [to act] (-CHN);", style="List Number")
    document.add_paragraph("Requests a report;", style="List Number")
    document.add_paragraph("a point", style="List Bullet")
    path = tmp_path / "auto.docx"
    document.save(path)
    assert docx_text(path) == ("The Council,\n\n– *Recognizing* the [role] (+IRAN) of volunteers,\n\n"
                               "1. Decides [to act] (-CHN);\n\n2. Requests a report;\n\n- a point\n")


def test_import_docx_command_commits_a_document(new_repo, tmp_path, capsys):
    """`cicatext import FILE.docx` makes the document in one commit with ids from the numbering."""
    document = docx.Document()
    document.add_paragraph("The Council,")
    document.add_paragraph("Decides [to act] (+IND);", style="List Number")
    path = tmp_path / "draft.docx"
    document.save(path)
    code = main(["import", str(path), "--symbol", "MC/2024/DRAFT/7", "--title", "Test", "--kind", "decision",
                 "-C", str(new_repo.root)])
    assert code == 0
    assert new_repo.read_text("documents/mc-2024-draft-7/en.txt") == (
        "{#pp1} The Council,\n\n{#op1} 1. Decides [to act] (+IND);\n")
    assert "Imported MC/2024/DRAFT/7" in capsys.readouterr().out


def test_a_file_that_is_not_word_is_refused(new_repo, tmp_path, capsys):
    """A text file or a damaged zip named .docx: one clear message, no commit."""
    before = _head(new_repo.root)
    fake = tmp_path / "fake.docx"
    fake.write_text("not a word file", encoding="utf-8")
    with pytest.raises(UsageError, match="is not a Word file"):
        import_docx(new_repo, fake, symbol="MC/2024/DRAFT/8", title="X")
    import zipfile

    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "no document here")
    assert main(["import", str(broken), "--symbol", "MC/2024/DRAFT/8", "--title", "X",
                 "-C", str(new_repo.root)]) == 2
    err = capsys.readouterr().err
    assert "is not a Word file" in err and "Traceback" not in err
    assert _head(new_repo.root) == before
    assert not new_repo.path("documents/mc-2024-draft-8").exists()


def test_a_word_file_without_text_is_refused(new_repo, tmp_path):
    """A Word file with only empty paragraphs holds no paragraphs: refused, nothing written."""
    document = docx.Document()
    document.add_paragraph("")
    document.add_paragraph("   ")
    path = tmp_path / "empty.docx"
    document.save(path)
    before = _head(new_repo.root)
    with pytest.raises(UsageError, match="holds no paragraphs"):
        import_docx(new_repo, path, symbol="MC/2024/DRAFT/9", title="X")
    assert _head(new_repo.root) == before


def test_broken_notation_is_imported_as_a_known_problem(new_repo, tmp_path):
    """A Word draft with a bracket left open is the circulated text: imported, its problem recorded."""
    document = docx.Document()
    document.add_paragraph("The Council,")
    document.add_paragraph("")
    document.add_paragraph("1. Decides [to act;")
    path = tmp_path / "broken.docx"
    document.save(path)
    result = import_docx(new_repo, path, symbol="MC/2024/DRAFT/10", title="X")
    assert [p.message for p in result.problems] == ["'[' is never closed"]
    record = new_repo.load("documents/mc-2024-draft-10/document.yaml")
    [known] = record["revisions"][0]["known_problems"]
    assert (known["line"], known["column"], known["message"]) == (3, 19, "'[' is never closed")


def _list_number_level(document):
    """The numbering level (w:lvl ilvl=0) behind the 'List Number' style of a python-docx document."""
    from docx.oxml.ns import qn

    style = document.styles["List Number"].element
    num_id = style.find(qn("w:pPr")).find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val"))
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    return next(level for level in abstract.findall(qn("w:lvl")) if level.get(qn("w:ilvl")) == "0")


def test_lettered_numbering_and_tracked_changes(tmp_path):
    """Lettered lists give 'a)', 'b)'; tracked insertions are kept and tracked deletions left out."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    level = _list_number_level(document)
    level.find(qn("w:numFmt")).set(qn("w:val"), "lowerLetter")
    level.find(qn("w:lvlText")).set(qn("w:val"), "%1)")
    document.add_paragraph("first point;", style="List Number")
    paragraph = document.add_paragraph("second ", style="List Number")
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="IRAN" w:date="2023-06-14T00:00:00Z">'
        "<w:r><w:t>[new] (+IRAN) </w:t></w:r></w:ins>"))
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="CHN" w:date="2023-06-14T00:00:00Z">'
        "<w:r><w:delText>old </w:delText></w:r></w:del>"))
    paragraph.add_run("point.")
    path = tmp_path / "lettered.docx"
    document.save(path)
    assert docx_text(path) == "a) first point;\n\nb) second [new] (+IRAN) point.\n"
