"""Reading a Word file's tracked changes and comments, and importing a compilation with them as positions."""

from __future__ import annotations

import json
import subprocess
import zipfile

import pytest

from cicatext.cli.main import main
from cicatext.errors import UsageError
from cicatext.exchange.docx_import import import_docx
from cicatext.exchange.docx_review import read_review
from tests.exchange.word_files import Comment, Piece, dele, ins, word_file


def _head(path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True, check=True).stdout


def test_runs_carry_offsets_authors_and_nested_changes(tmp_path):
    """Each run has its offset in the full text, its insertion and deletion (a deletion inside another's insertion), moves too."""
    path = word_file(tmp_path / "review.docx",
                     ["Share ", ins("India", "best "), Piece("practices", ins="India", dele="China"), " and ",
                      dele("Iran", "plans", move=True), ins("Iran", " later", move=True)])
    review = read_review(path)
    (paragraph,) = review.paragraphs
    assert paragraph.text == "Share best practices and plans later"
    assert paragraph.accepted == "Share best  and  later"
    assert paragraph.original == "Share  and plans"
    practices = paragraph.runs[2]
    assert (practices.text, practices.start, practices.end) == ("practices", 11, 20)
    assert (practices.inserted.author, practices.deleted.author) == ("India", "China")
    assert practices.inserted.date == "2026-03-02T10:00:00Z"
    moved = paragraph.runs[4]
    assert (moved.text, moved.deleted.author, moved.deleted.moved) == ("plans", "Iran", True)
    assert paragraph.runs[5].inserted.moved is True
    assert review.changes() == 5


def test_comments_have_author_text_and_anchor(tmp_path):
    """A comment is read from comments.xml with its author, text and the offsets of the text it stands on."""
    path = word_file(tmp_path / "comments.docx",
                     ["Hold ", Comment("China", "CHN: delete", "regular meetings"), " of experts."],
                     ["Plain paragraph."])
    review = read_review(path)
    (comment,) = review.comments.values()
    assert (comment.author, comment.text, comment.paragraph, comment.start, comment.end) == (
        "China", "CHN: delete", 1, 5, 21)
    assert review.paragraphs[0].text[comment.start:comment.end] == "regular meetings"
    assert comment.anchored
    assert [p.index for p in review.marked()] == [1]


def test_the_written_xml_is_what_a_second_reader_sees(tmp_path):
    """The test files hold real w:ins/w:del and comments, as zipfile and lxml read them apart from our reader."""
    from lxml import etree

    path = word_file(tmp_path / "x.docx", ["a ", ins("India", "b"), dele("Iran", "c"), Comment("IND", "retain", "d")])
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        comments = etree.fromstring(archive.read("word/comments.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    assert body.xpath("//w:ins/@w:author", namespaces=ns) == ["India"]
    assert body.xpath("//w:del//w:delText/text()", namespaces=ns) == ["c"]
    assert comments.xpath("//w:comment/@w:author", namespaces=ns) == ["IND"]


@pytest.mark.parametrize("content", [b"not a zip", None, b"<w:document"])
def test_a_damaged_word_file_is_one_clear_message(tmp_path, content):
    """Not a zip, a zip with no document part, a document that is not XML: UsageError naming the file."""
    path = tmp_path / "bad.docx"
    if content == b"not a zip":
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "x")
            if content is not None:
                archive.writestr("word/document.xml", content)
    with pytest.raises(UsageError, match="bad.docx"):
        read_review(path)


def test_a_compilation_imports_with_positions(new_repo, tmp_path):
    """Insertions and deletions become attributed brackets; comments attributions on the text or bracket they stand on."""
    path = word_file(
        tmp_path / "compilation.docx",
        ["The Council,"],
        ["1. Promote ", ins("India", "cultural "), Piece("and religious", ins="India", dele="China"),
         " exchanges ", dele("Iran", "among peoples"), ";"],
        ["2. Hold ", Comment("Secretariat", "CHN: Delete “regular”", "regular meetings"), " of experts ",
         Comment("IRAN", "retain", "at all levels"), ";"],
        ["3. Support ", ins("AZER", "voluntary"), Comment("TUR", "tcb", ""), " programmes ",
         Comment("KAZ", "Iran, India: “new”. Insert “further”", "new activities"), "."],
        ["4. Hold ", dele("China", "regular"), ins("China", "annual"), " meetings."])
    result = import_docx(new_repo, path, symbol="MC/2031/DRAFT/1", title="Compiled")
    text = new_repo.read_text(f"documents/{result.slug}/en.txt")
    assert text == (
        "{#pp1} The Council,\n\n"
        "{#op1} 1. Promote [cultural [and religious] (-CHN)] (+IND) exchanges [among peoples] (-IRAN);\n\n"
        "{#op2} 2. Hold [regular] (-CHN) meetings of experts [at all levels] (+IRAN);\n\n"
        "{#op3} 3. Support [voluntary] (+AZER) programmes [new] (-IRAN) (-IND) [further] (+IRAN) (+IND) "
        "activities.\n\n"
        "{#op4} 4. Hold [[regular] (-CHN), [annual] (+CHN)] meetings.\n")
    assert [(w.paragraph, w.message) for w in result.review] == [(4, "the comment “tcb” stands on no text; not read")]
    assert result.problems == ()


def test_a_comment_exactly_on_a_change_joins_its_bracket(new_repo, tmp_path):
    """A comment on exactly the words of a tracked change, or of a bracket typed in the text, joins that bracket."""
    path = word_file(tmp_path / "join.docx",
                     ["1. Act ", Comment("TUR", "TUR: retain", ins("IRAN", "jointly")), " now."],
                     ["2. Keep [", Comment("AZER", "delete", "this"), "] (+IND) too."])
    result = import_docx(new_repo, path, symbol="MC/2031/DRAFT/2", title="Joined")
    assert new_repo.read_text(f"documents/{result.slug}/en.txt") == (
        "{#op1} 1. Act [jointly] (+IRAN) (+TUR) now.\n\n{#op2} 2. Keep [this] (+IND) (-AZER) too.\n")


def test_what_cannot_be_mapped_is_a_warning_and_the_text_is_kept(new_repo, tmp_path, capsys):
    """An unknown author, an unknown party in a label, an unreadable comment: warnings in the output and --json."""
    path = word_file(tmp_path / "unknown.docx",
                     ["1. Act ", ins("Jane Smith", "swiftly"), " and ",
                      Comment("KAZ", "Atlantis, India delete", "firmly"), " ",
                      Comment("KAZ", "nice wording", "together"), "."])
    code = main(["import", str(path), "--symbol", "MC/2031/DRAFT/3", "--title", "Unknown", "--json",
                 "-C", str(new_repo.root)])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    messages = [w["message"] for w in report["warnings"]]
    assert any("“Jane Smith” names no known party" in m for m in messages)
    assert any("names “Atlantis”, who is not a known party" in m for m in messages)
    assert any("no position that can be read: “nice wording”" in m for m in messages)
    assert {w["paragraph"] for w in report["warnings"]} == {1}
    assert new_repo.read_text("documents/mc-2031-draft-3/en.txt") == (
        "{#op1} 1. Act [swiftly] and [firmly] (-IND) together.\n")


def test_warnings_are_printed_without_json(new_repo, tmp_path, capsys):
    """Without --json, each warning is one line naming the file and the paragraph."""
    path = word_file(tmp_path / "w.docx", ["1. Act ", dele("Nobody In Particular", "now"), "."])
    assert main(["import", str(path), "--symbol", "MC/2031/DRAFT/4", "--title", "W", "-C", str(new_repo.root)]) == 0
    err = capsys.readouterr().err
    assert "w.docx: warning: paragraph 1: tracked deletion by “Nobody In Particular” names no known party" in err


def test_a_damaged_file_imports_nothing(new_repo, tmp_path, capsys):
    """A corrupt .docx given to import: exit code for a refusal, one message, no commit."""
    before = _head(new_repo.root)
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<not-closed")
    code = main(["import", str(path), "--symbol", "MC/2031/DRAFT/5", "--title", "X", "-C", str(new_repo.root)])
    assert code != 0
    assert "broken.docx" in capsys.readouterr().err
    assert _head(new_repo.root) == before


def test_a_comment_crossing_a_change_is_a_warning(new_repo, tmp_path):
    """A comment whose words cross a tracked change cannot be one bracket: a warning, the change kept."""
    path = word_file(tmp_path / "cross.docx",
                     ["1. Act ", ins("CHN", "one "), Comment("IND", "IND: delete", ins("CHN", "two"), " three"), "."])
    result = import_docx(new_repo, path, symbol="MC/2031/DRAFT/6", title="Cross")
    assert [(w.paragraph, w.message, w.text) for w in result.review] == [
        (1, "a comment stands on text that crosses a tracked change; not read", "two three")]
    assert new_repo.read_text(f"documents/{result.slug}/en.txt") == "{#op1} 1. Act [one two] (+CHN) three.\n"


def test_a_revised_text_with_changes_says_they_were_accepted(new_repo, tmp_path, capsys):
    """A Chair's Rev.N in Word is read with its changes accepted; a warning says so rather than dropping them silently."""
    draft = tmp_path / "draft.txt"
    draft.write_text("The Council,\n\n1. Decides to act;\n\n2. Requests a report.\n", encoding="utf-8")
    assert main(["import", str(draft), "--symbol", "MC/2031/DRAFT/7", "--title", "Base",
                 "-C", str(new_repo.root)]) == 0
    path = word_file(tmp_path / "rev1.docx", ["The Council,"], ["1. Decides to act ", ins("Chair", "jointly"), ";"],
                     ["2. Requests ", Comment("Chair", "to be discussed", "a report"), "."])
    capsys.readouterr()
    assert main(["import", str(path), "--symbol", "MC/2031/DRAFT/7/Rev.1", "-C", str(new_repo.root)]) == 0
    err = capsys.readouterr().err
    assert "rev1.docx: warning: the file holds 1 tracked change(s) and 1 comment(s); a revised text is read with " \
           "its changes accepted and its comments left out" in err
    assert "1. Decides to act jointly;" in new_repo.read_text("documents/mc-2031-draft-7/en.txt")
