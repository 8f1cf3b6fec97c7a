"""Word out for capitals: the delegations' positions as tracked changes and comments, and back in unchanged."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from cicatext.cli.main import main
from cicatext.exchange.docx_import import import_docx
from cicatext.notation.paragraph_text import normalise, paragraph_text
from cicatext.notation.reader import read

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def positions(text: str) -> set[tuple[str, str, str]]:
    """Every (bracket words, code, stance) of a text."""
    found = set()
    for paragraph in read(text).draft.paragraphs:
        written = paragraph_text(paragraph)
        for span in written.brackets:
            for attribution in span.bracket.attributions:
                found.add((normalise(written.body_reading(span)), attribution.code, attribution.stance.value))
    return found


def _parts(path):
    with zipfile.ZipFile(path) as archive:
        return (etree.fromstring(archive.read("word/document.xml")),
                etree.fromstring(archive.read("word/comments.xml")))


def test_export_writes_real_tracked_changes_by_delegation(demo_repo, tmp_path, capsys):
    """Proposals are w:ins and objections w:del by the delegation's code; other positions its labelled comments."""
    out = tmp_path / "draft5.docx"
    assert main(["export", "MC/2023/DRAFT/5", "--format", "docx", "--track-changes", "-o", str(out),
                 "-C", str(demo_repo.root)]) == 0
    assert "positions as tracked changes" in capsys.readouterr().err
    body, comments = _parts(out)
    inserted = {(e.get(f"{{{NS['w']}}}author"), "".join(e.xpath(".//w:t/text()|.//w:delText/text()", namespaces=NS)))
                for e in body.xpath("//w:ins", namespaces=NS)}
    deleted_by = set(body.xpath("//w:del/@w:author", namespaces=NS))
    assert ("IRAN", "intercivilizational and intercultural exchanges") in inserted
    assert deleted_by == {"IND", "IRAN"}
    # Paragraph 11, `[...] (-IRAN) (+AZER)`: one run inserted by AZER and deleted by IRAN.
    both = body.xpath("//w:ins[@w:author='AZER']/w:del[@w:author='IRAN']//w:delText/text()", namespaces=NS)
    assert len(both) == 1 and both[0].startswith("11. Promote volunteers' participation")
    labels = {(c.get(f"{{{NS['w']}}}author"), "".join(c.xpath(".//w:t/text()", namespaces=NS)))
              for c in comments.xpath("//w:comment", namespaces=NS)}
    assert ("AZER", "AZER: tcb") in labels and ("CHN", "CHN: tcb") in labels
    assert ("IRAN", "IRAN: delete") in labels and ("CHN", "CHN: delete") in labels
    # A proposal inside another's proposed paragraph: Word holds one insertion per run, so it is a comment.
    assert ("TUR", "TUR: retain") in labels
    starts = body.xpath("//w:commentRangeStart/@w:id", namespaces=NS)
    assert sorted(starts) == sorted(body.xpath("//w:commentRangeEnd/@w:id", namespaces=NS))
    assert len(starts) == len(comments.xpath("//w:comment", namespaces=NS)) == 8
    text = "".join(body.xpath("//w:t/text()", namespaces=NS))
    assert "(+IRAN)" not in text and "(AZER tcb)" not in text


@pytest.mark.parametrize("slug", ["mc-2023-draft-5", "mc-2023-draft-4"])
def test_export_then_import_gives_the_same_positions(demo_repo, new_repo, tmp_path, slug):
    """Exported with --track-changes and imported again, every bracket has the same parties and stances."""
    out = tmp_path / f"{slug}.docx"
    assert main(["export", slug, "--track-changes", "-o", str(out), "-C", str(demo_repo.root)]) == 0
    result = import_docx(new_repo, out, symbol="MC/2031/DRAFT/9", title="Round trip")
    original = demo_repo.read_text(f"documents/{slug}/en.txt")
    imported = new_repo.read_text(f"documents/{result.slug}/en.txt")
    assert positions(imported) == positions(original)
    assert positions(original)
    assert result.review == ()
    assert [normalise(paragraph_text(p).reading) for p in read(imported).draft.paragraphs] == [
        normalise(paragraph_text(p).reading) for p in read(original).draft.paragraphs]


def test_track_changes_takes_no_clean_or_other_format(demo_repo, tmp_path, capsys):
    """--track-changes with --clean or another format is refused and writes nothing."""
    out = tmp_path / "x.html"
    assert main(["export", "MC/2023/DRAFT/5", "--track-changes", "--format", "html", "-o", str(out),
                 "-C", str(demo_repo.root)]) == 2
    assert main(["export", "MC/2023/DRAFT/5", "--track-changes", "--clean", "-o", str(tmp_path / "x.docx"),
                 "-C", str(demo_repo.root)]) == 2
    assert "--track-changes writes a Word file" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "x.docx").exists()


def test_changes_and_comments_carry_the_documents_date(demo_repo, tmp_path):
    """Every tracked change and comment is dated with the document's date, so two exports of one text are alike."""
    out = tmp_path / "d5.docx"
    assert main(["export", "MC/2023/DRAFT/5", "--track-changes", "-o", str(out), "-C", str(demo_repo.root)]) == 0
    body, comments = _parts(out)
    dates = set(body.xpath("//w:ins/@w:date|//w:del/@w:date", namespaces=NS))
    dates |= set(comments.xpath("//w:comment/@w:date", namespaces=NS))
    assert len(dates) == 1 and next(iter(dates)).endswith("T00:00:00Z")
    again = tmp_path / "again.docx"
    assert main(["export", "MC/2023/DRAFT/5", "--track-changes", "-o", str(again), "-C", str(demo_repo.root)]) == 0
    with zipfile.ZipFile(out) as first, zipfile.ZipFile(again) as second:
        assert first.read("word/document.xml") == second.read("word/document.xml")
        assert first.read("word/comments.xml") == second.read("word/comments.xml")
