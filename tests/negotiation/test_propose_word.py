"""A delegation's Word file as its proposal: `propose --from FILE.docx`, and the round trip with export --track-changes."""

from __future__ import annotations

import json

import pytest

from cicatext.cli.main import main
from cicatext.errors import UsageError
from cicatext.exchange.docx_propose import propose_from_word
from cicatext.exchange.docx_tracked import to_docx_tracked
from cicatext.exchange.source import load
from cicatext.notation.paragraph_text import paragraph_text
from cicatext.notation.reader import read
from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.rounds import run_round
from tests.exchange.test_word_tracked import positions
from tests.exchange.word_files import Comment, dele, ins, word_file
from tests.negotiation.conftest import (
    SYMBOL,
    TEXT,
    add_volunteer_document,
    edit,
    git,
    propose_as,
    snapshot,
)


def reading(repo, paragraph_id: str) -> str:
    """A paragraph's words as a Word file shows them (no marks, no attributions)."""
    draft = read(repo.read_text(TEXT)).draft
    return paragraph_text(draft.paragraph(paragraph_id)).reading


def pieces(text: str, words: str, *middle) -> list:
    """`text` with `words` replaced by the pieces `middle`."""
    before, found, after = text.partition(words)
    assert found, words
    return [before, *middle, after]


def test_tracked_changes_and_comments_become_entries(volunteer, tmp_path):
    """IND's insertion, deletion and comments become its entries; CHN's change is left out with a warning."""
    start_delegation(volunteer, "IND")
    op4, op9, op13 = reading(volunteer, "op4"), reading(volunteer, "op9"), reading(volunteer, "op13")
    op2 = reading(volunteer, "op2")
    bracketed = ", and encourage to assign country operators responsible for supporting and promoting such platforms"
    path = word_file(
        tmp_path / "ind.docx",
        pieces(op4, "measures", dele("India", "measures"), ins("India", "steps")),
        pieces(op9, ", both onsite and online", dele("Priya Raman", ", both onsite and online")),
        pieces(op13, bracketed, Comment("IND", "retain", bracketed)),
        pieces(op2, "efforts", "efforts", ins("China", " and merits")),
    )
    before = volunteer.read_text(TEXT)
    result = propose_from_word(volunteer, SYMBOL, path, justification="from capital")
    described = [e.describe() for e in result.entries]
    assert described[:2] == ["replace in op4 “steps”", "delete in op9 “, both onsite and online”"]
    assert (result.entries[2].action, result.entries[2].stance, result.entries[2].paragraph) == ("support", "+", "op13")
    assert result.entries[2].anchor.text == bracketed
    assert all(e.justification == "from capital" for e in result.entries)
    assert any("1 change(s) by “China” (CHN) are not IND's; left out" in w for w in result.warnings)
    assert any("“Priya Raman”, who is no party in the registry, read as IND's" in w for w in result.warnings)
    assert volunteer.read_text(TEXT) == before
    assert git(volunteer.root, "status", "--porcelain") == ""


def test_comments_delete_and_insert(volunteer, tmp_path):
    """`delete` on unbracketed words deletes them; `Insert “x”` inserts after the anchor; a quoted word is found in it."""
    start_delegation(volunteer, "IND")
    op5, op6 = reading(volunteer, "op5"), reading(volunteer, "op6")
    path = word_file(tmp_path / "ind.docx",
                     pieces(op5, "in Astana", Comment("India", "delete", "in Astana")),
                     pieces(op6, "relevant initiatives",
                            Comment("IND", "India: Delete “relevant”. Insert “joint”", "relevant initiatives")))
    result = propose_from_word(volunteer, SYMBOL, path)
    assert [(e.action, e.paragraph, e.anchor.text, e.text) for e in result.entries] == [
        ("delete", "op5", "in Astana", None), ("replace", "op6", "relevant", "joint")]


def test_a_paragraph_that_is_not_in_the_text_is_named_and_nothing_is_written(volunteer, tmp_path, capsys):
    """Changes in a paragraph the committed text does not hold: one message naming it, no commit."""
    start_delegation(volunteer, "IND")
    path = word_file(tmp_path / "ind.docx", ["A paragraph that is in no draft ", ins("IND", "at all"), "."])
    state = snapshot(volunteer.root)
    assert main(["propose", SYMBOL, "--from", str(path), "-C", str(volunteer.root)]) != 0
    err = capsys.readouterr().err
    assert "paragraph 1 holds changes of IND but reads as no paragraph of documents/mc-2023-draft-5/en.txt" in err
    assert snapshot(volunteer.root) == state


def test_untracked_edits_are_refused(volunteer, tmp_path):
    """A paragraph edited without tracking, beside a tracked change, is refused, naming the words."""
    start_delegation(volunteer, "IND")
    op4 = reading(volunteer, "op4").replace("active engagement", "lively engagement")
    path = word_file(tmp_path / "ind.docx", pieces(op4, "measures", dele("IND", "measures")))
    with pytest.raises(UsageError, match="differs from it where no change is tracked"):
        propose_from_word(volunteer, SYMBOL, path)


def test_a_file_without_changes_is_refused(volunteer, tmp_path, capsys):
    """A Word file with no tracked change and no comment: nothing to propose, nothing written."""
    start_delegation(volunteer, "IND")
    path = word_file(tmp_path / "plain.docx", [reading(volunteer, "op4")])
    state = snapshot(volunteer.root)
    assert main(["propose", SYMBOL, "--from", str(path), "-C", str(volunteer.root)]) != 0
    assert "holds no tracked changes and no comments: nothing to propose" in capsys.readouterr().err
    assert snapshot(volunteer.root) == state


def test_only_other_parties_changes_is_nothing_to_propose(volunteer, tmp_path, capsys):
    """Changes and comments all by other parties: refused, the hint saying what was left out."""
    start_delegation(volunteer, "IND")
    op4 = reading(volunteer, "op4")
    path = word_file(tmp_path / "chn.docx", pieces(op4, "measures", dele("CHN", "measures")),
                     pieces(reading(volunteer, "op5"), "Astana", Comment("KAZ", "Atlantis: retain", "Astana")))
    state = snapshot(volunteer.root)
    assert main(["propose", SYMBOL, "--from", str(path), "-C", str(volunteer.root)]) != 0
    err = capsys.readouterr().err
    assert "nothing to propose" in err and "by “CHN” (CHN) are not IND's" in err
    assert snapshot(volunteer.root) == state


def test_an_edit_in_progress_is_not_overwritten(volunteer, tmp_path):
    """propose --from refuses while the text has an unproposed edit, and leaves that edit alone."""
    start_delegation(volunteer, "IND")
    path = word_file(tmp_path / "ind.docx", pieces(reading(volunteer, "op4"), "measures", dele("IND", "measures")))
    edit(volunteer, "Improve the measures taken", "Improve the steps taken")
    edited = volunteer.read_text(TEXT)
    with pytest.raises(UsageError, match="has an edit of yours in progress"):
        propose_from_word(volunteer, SYMBOL, path)
    assert volunteer.read_text(TEXT) == edited


def test_json_output_lists_entries_and_warnings(volunteer, tmp_path, capsys):
    """`propose --from --json` gives the entries and the warnings."""
    start_delegation(volunteer, "IND")
    op4 = reading(volunteer, "op4")
    path = word_file(tmp_path / "ind.docx", pieces(op4, "measures taken", dele("IND", "measures"), " ",
                                                   Comment("IND", "Atlantis: retain", "taken")))
    assert main(["propose", SYMBOL, "--from", str(path), "--json", "-C", str(volunteer.root)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [e["action"] for e in report["entries"]] == ["delete"]
    assert any("names “Atlantis”, who is not a known party" in w for w in report["warnings"])


def test_export_track_changes_then_propose_from_gives_the_same_positions(new_repo, tmp_path):
    """IND's positions compiled, exported with --track-changes and proposed from Word elsewhere compile the same."""
    from cicatext.store.register.create import init_repository

    add_volunteer_document(new_repo)
    propose_as(new_repo, "IND", ("Improve the measures taken", "Improve the steps taken"),
               ("in volunteer activities, both onsite and online;", "in volunteer activities;"),
               ("development planning and strategies;", "development planning and national strategies;"))
    run_round(new_repo, SYMBOL, date="2023-07-01T10:00:00+06:00")
    compiled = new_repo.read_text(TEXT)
    word = tmp_path / "compiled.docx"
    word.write_bytes(to_docx_tracked(load(new_repo, SYMBOL)))

    other = init_repository(tmp_path / "other")
    add_volunteer_document(other)
    start_delegation(other, "IND")
    result = propose_from_word(other, SYMBOL, word)
    assert len(result.entries) == 3
    git(other.root, "checkout", "-q", "main")
    run_round(other, SYMBOL, date="2023-07-01T10:00:00+06:00")
    again = other.read_text(TEXT)
    mine = {p for p in positions(compiled) if p[1] == "IND"}
    assert {p for p in positions(again) if p[1] == "IND"} == mine
    assert positions(again) == positions(compiled)
    assert len(mine) >= 5


def test_a_corrupt_word_file_is_refused(volunteer, tmp_path, capsys):
    """A .docx that is no Word file: one message naming it, nothing written."""
    start_delegation(volunteer, "IND")
    path = tmp_path / "ind.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    state = snapshot(volunteer.root)
    assert main(["propose", SYMBOL, "--from", str(path), "-C", str(volunteer.root)]) != 0
    assert "ind.docx is not a Word file (.docx)" in capsys.readouterr().err
    assert snapshot(volunteer.root) == state


def test_a_paragraph_inserted_or_deleted_whole(volunteer, tmp_path):
    """A paragraph inserted whole becomes a new paragraph after the one before it; one deleted whole, its deletion."""
    start_delegation(volunteer, "IND")
    op4, op5 = reading(volunteer, "op4"), reading(volunteer, "op5")
    path = word_file(tmp_path / "ind.docx", [op4], [ins("IND", "4bis. Share volunteering practices online;")],
                     [dele("IND", op5)])
    result = propose_from_word(volunteer, SYMBOL, path)
    assert [(e.action, e.after_paragraph, e.text) for e in result.entries if e.action == "insert"] == [
        ("insert", "op4", "4bis. Share volunteering practices online;")]
    deleted = [e for e in result.entries if e.action == "delete"]
    assert [(e.paragraph, e.anchor.text) for e in deleted] == [("op5", op5)]
