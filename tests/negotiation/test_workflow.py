"""Delegations propose on their branches, the secretariat compiles rounds, everyone reads the history (one clone)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from cicatext.errors import UsageError
from cicatext.notation.reader import read
from cicatext.notation.views import bracket_list
from cicatext.store import yamlio
from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.decisions import agree_bracket, drop_bracket
from cicatext.store.negotiation.diff import diff_refs
from cicatext.store.negotiation.driver import git_setup
from cicatext.store.negotiation.history import bracket_origin, document_log, round_refs
from cicatext.store.negotiation.propose import propose
from cicatext.store.negotiation.rounds import run_round
from tests.ids import at_in
from tests.negotiation.conftest import SLUG, SYMBOL, TEXT, cli, edit, git, propose_as

MEASURES = ("Improve the measures taken", "Improve the steps taken")
ONLINE = ("in volunteer activities, both onsite and online;", "in volunteer activities;")


def test_start_creates_the_branch_from_main(volunteer):
    """`delegation start CODE` makes delegations/CODE at main and checks it out."""
    result = start_delegation(volunteer, "chn")
    assert (result.code, result.branch, result.created) == ("CHN", "delegations/CHN", True)
    assert volunteer.current_branch() == "delegations/CHN"
    assert result.base == git(volunteer.root, "rev-parse", "main").strip()


def test_propose_commits_only_the_position_set_and_restores_the_text(volunteer):
    """propose turns the edit into entries, commits only positions/CODE/, and puts the text back."""
    before = volunteer.read_text(TEXT)
    start_delegation(volunteer, "CHN")
    edit(volunteer, *MEASURES)
    result = propose(volunteer, SYMBOL, justification="clearer")
    assert [(e.id, e.action, e.text) for e in result.entries] == [("e1", "replace", "steps")]
    assert volunteer.read_text(TEXT) == before
    assert git(volunteer.root, "status", "--porcelain") == ""
    changed = git(volunteer.root, "show", "--name-only", "--format=", "HEAD").split()
    assert changed == [f"positions/CHN/{SLUG}.yaml"]
    record = yamlio.load(volunteer.read_text(f"positions/CHN/{SLUG}.yaml"))
    assert record["delegation"] == "CHN" and record["document"] == SYMBOL
    assert record["entries"][0]["anchor"] == {"before": "4. Improve the", "text": "measures",
                                              "after": "taken by the CICA"}
    assert record["entries"][0]["justification"] == "clearer"


def test_round_is_one_merge_commit_tagged_with_the_next_revision(volunteer):
    """A round merges every delegation branch in one commit, records Rev.1 and tags round/<slug>/1."""
    propose_as(volunteer, "CHN", MEASURES)
    propose_as(volunteer, "IND", ("Improve the measures taken", "Improve the actions taken"), ONLINE)
    main_before = git(volunteer.root, "rev-parse", "main").strip()
    result = run_round(volunteer, SYMBOL, date="2023-07-01T10:00:00+06:00")
    parents = git(volunteer.root, "rev-list", "--parents", "-n", "1", "main").split()[1:]
    tips = [git(volunteer.root, "rev-parse", f"delegations/{c}").strip() for c in ("CHN", "IND")]
    assert parents == [main_before, *tips]
    assert result.tag == "round/mc-2023-draft-5/1" and result.revision == "MC/2023/DRAFT/5/Rev.1"
    assert git(volunteer.root, "cat-file", "-t", result.tag).strip() == "tag"
    text = volunteer.read_text(TEXT)
    assert "Improve the [[measures] (-CHN) (-IND), [steps] (+CHN), [actions] (+IND)] taken" in text
    assert "in volunteer activities[, both onsite and online] (-IND);" in text
    revisions = yamlio.load(volunteer.read_text(f"documents/{SLUG}/document.yaml"))["revisions"]
    assert revisions[-1] == {"rev": 1, "symbol": "MC/2023/DRAFT/5/Rev.1", "date": "2023-07-01",
                             "round": "round/mc-2023-draft-5/1"}
    message = git(volunteer.root, "log", "-1", "--format=%B", "main")
    assert "CHN proposed:" in message and "replace in op4 “steps”" in message
    assert "IND proposed:" in message and "delete in op9" in message
    assert git(volunteer.root, "status", "--porcelain") == ""
    assert (volunteer.path(f"positions/IND/{SLUG}.yaml")).exists()


def test_second_round_compiles_only_new_entries(volunteer):
    """Entries compiled in a round are not compiled again; the delegation's new ones are."""
    propose_as(volunteer, "CHN", MEASURES)
    run_round(volunteer, SYMBOL)
    start = start_delegation(volunteer, "CHN")
    assert start.updated == "fast-forward"
    edit(volunteer, *ONLINE)
    propose(volunteer, SYMBOL)
    git(volunteer.root, "switch", "--quiet", "main")
    result = run_round(volunteer, SYMBOL)
    assert result.tag.endswith("/2") and result.revision.endswith("/Rev.2")
    assert [p.entry.id for p in result.compiled.placed] == ["e2"]
    assert volunteer.read_text(TEXT).count("[steps] (+CHN)") == 1


def test_nothing_new_is_refused(volunteer):
    """A round with no new positions says so and changes nothing."""
    propose_as(volunteer, "CHN", MEASURES)
    run_round(volunteer, SYMBOL)
    with pytest.raises(UsageError) as caught:
        run_round(volunteer, SYMBOL)
    assert "nothing to compile" in caught.value.message


def test_unplaced_entry_is_reported_and_tried_again(volunteer):
    """An entry whose anchor is gone is listed as not placed in the round and retried in the next."""
    start_delegation(volunteer, "TUR")
    volunteer.commit({f"positions/TUR/{SLUG}.yaml": yamlio.dump({
        "delegation": "TUR", "document": SYMBOL, "entries": [
            {"id": "e1", "action": "delete", "paragraph": "op4", "anchor": {"text": "no such words at all here"}},
            {"id": "e2", "action": "reserve", "paragraph": "op13", "bracket": at_in(volunteer, SYMBOL, "op13:1")}]})},
        "TUR positions")
    git(volunteer.root, "switch", "--quiet", "main")
    result = run_round(volunteer, SYMBOL)
    assert [(u.delegation, u.entry.id) for u in result.compiled.unplaced] == [("TUR", "e1")]
    assert "(CHN tcb) (TUR tcb)" in volunteer.read_text(TEXT)
    assert "NOT PLACED" in result.message
    assert document_log(volunteer, SYMBOL)[0].unplaced == 1
    propose_as(volunteer, "CHN", MEASURES)
    again = run_round(volunteer, SYMBOL)
    assert [(u.delegation, u.entry.id) for u in again.compiled.unplaced] == [("TUR", "e1")]
    assert [p.delegation for p in again.compiled.placed] == ["CHN"]


def test_log_lists_rounds_with_bracket_counts(volunteer, capsys):
    """`cicatext log` gives each round's date, revision, delegations and brackets before and after."""
    propose_as(volunteer, "CHN", MEASURES)
    run_round(volunteer, SYMBOL, date="2023-07-01T10:00:00+06:00")
    rounds = document_log(volunteer, SYMBOL)
    assert [(r.tag, r.revision, r.delegations, r.brackets_before, r.brackets_after) for r in rounds] == [
        ("round/mc-2023-draft-5/1", "MC/2023/DRAFT/5/Rev.1", ("CHN",), 13, 16)]
    assert rounds[0].date.startswith("2023-07-01")
    assert cli("log", SYMBOL, "-C", str(volunteer.root), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rounds"][0]["brackets_after"] == 16
    assert round_refs(volunteer, SYMBOL) == ["round/mc-2023-draft-5/1"]


def test_diff_between_rounds_and_the_working_tree(volunteer, capsys):
    """`diff` compares a tag, a branch or the working tree, paragraph by paragraph."""
    propose_as(volunteer, "CHN", MEASURES)
    result = run_round(volunteer, SYMBOL)
    documents = diff_refs(volunteer, "main~1", result.tag)
    assert [d.symbol for d in documents] == [SYMBOL]
    op4 = documents[0].paragraphs[0]
    assert op4.paragraph == "op4"
    assert {b.text for b in op4.brackets_added} >= {"steps", "measures"}
    edit(volunteer, "[steps] (+CHN)", "[steps] (+CHN) (+IND)")
    worktree = diff_refs(volunteer, "HEAD", "WORKTREE", SYMBOL)
    assert [(a.code, a.stance) for a in worktree[0].paragraphs[0].attributions_joined] == [("IND", "+")]
    assert cli("diff", "HEAD", "WORKTREE", SYMBOL, "-C", str(volunteer.root), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["documents"][0]["paragraphs"][0]["attributions_joined"][0]["code"] == "IND"


def test_diff_prints_changed_words_with_whole_unchanged_words_around(volunteer, capsys):
    """The words line marks what changed and cuts the unchanged text between whole words."""
    import re

    edit(volunteer, "the great potential of volunteering", "the very great potential of volunteering")
    edit(volunteer, "in promoting social cohesion", "in promoting cohesion")
    assert cli("diff", "HEAD", "WORKTREE", SYMBOL, "-C", str(volunteer.root)) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("    words: "))
    assert "⟨+very+⟩" in line and "⟨-social-⟩" in line and " … " in line
    written = " ".join(volunteer.read_text(TEXT).split())
    pieces = re.split(r"⟨[-+].*?[-+]⟩", line[len("    words: "):])
    for piece in pieces:
        for left, right in zip(piece.split(" … "), piece.split(" … ")[1:]):
            left, right = left.strip(), right.strip()
            # A cut never falls inside a word: no word character goes on past either side of it.
            assert re.search(re.escape(left) + (r"(?!\w)" if left[-1:].isalnum() else ""), written), left
            assert re.search((r"(?<!\w)" if right[:1].isalnum() else "") + re.escape(right), written), right


def test_diff_of_one_document_added_between_two_commits(volunteer):
    """A document absent at the first commit is diffed as all added, under the symbol its record gives."""
    documents = diff_refs(volunteer, "main~1", "main", SYMBOL)
    assert [(d.symbol, d.slug) for d in documents] == [(SYMBOL, SLUG)]
    paragraphs = documents[0].paragraphs
    assert paragraphs and {p.status for p in paragraphs} == {"added"}
    draft = read(volunteer.read_text(TEXT)).draft
    assert sum(len(p.brackets_added) for p in paragraphs) == sum(len(list(p.brackets())) for p in draft.paragraphs)
    # Removed: named by its record at the first commit, the second holding none, one document or all diffed.
    assert [d.symbol for d in diff_refs(volunteer, "main", "main~1", SYMBOL)] == [SYMBOL]
    assert [d.symbol for d in diff_refs(volunteer, "main", "main~1")] == [SYMBOL]


def test_agree_and_drop_commit_what_the_room_decided(volunteer):
    """agree lifts a bracket keeping its words, drop removes it with them; each is one commit."""
    before = git(volunteer.root, "rev-parse", "HEAD").strip()
    agreed = agree_bracket(volunteer, SYMBOL, at_in(volunteer, SYMBOL, "op13:1"))
    text = volunteer.read_text(TEXT)
    assert "volunteers, and encourage to assign" in text and "(CHN tcb)" not in text
    assert git(volunteer.root, "rev-parse", "HEAD~1").strip() == before
    dropped = drop_bracket(volunteer, SYMBOL, at_in(volunteer, SYMBOL, "op15:1"))
    assert "integrating volunteerism for sustainable development" not in volunteer.read_text(TEXT)
    assert git(volunteer.root, "rev-parse", "HEAD~1").strip() == agreed.commit
    assert dropped.commit == git(volunteer.root, "rev-parse", "HEAD").strip()
    assert git(volunteer.root, "log", "-1", "--format=%s").startswith(f"Drop {dropped.id} in MC/2023/DRAFT/5")
    assert agreed.text.startswith(", and encourage") and agreed.attributions == ("(CHN tcb)",)
    assert f"Cicatext-Bracket: {dropped.full_id}" in git(volunteer.root, "log", "-1", "--format=%B")


def test_an_id_agreed_twice_says_so_and_changes_nothing(volunteer, capsys):
    """The second agree of one id does not lift another bracket: it says when the first one was agreed."""
    bracket = at_in(volunteer, SYMBOL, "op13:1")
    assert cli("agree", SYMBOL, bracket, "-C", str(volunteer.root)) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Agreed {bracket} in MC/2023/DRAFT/5: [, and encourage") and "(CHN tcb)" in out
    head, text = git(volunteer.root, "rev-parse", "HEAD"), volunteer.read_text(TEXT)
    assert cli("agree", SYMBOL, bracket, "-C", str(volunteer.root)) == 1
    err = capsys.readouterr().err
    assert f"bracket {bracket} of MC/2023/DRAFT/5 was already agreed in commit {head[:10]}" in err
    assert "[, and encourage" in err and "Traceback" not in err
    assert git(volunteer.root, "rev-parse", "HEAD") == head and volunteer.read_text(TEXT) == text
    assert cli("drop", SYMBOL, bracket, "-C", str(volunteer.root)) == 1
    assert "was already agreed" in capsys.readouterr().err


def test_expect_refuses_a_bracket_that_does_not_read_so(volunteer, capsys):
    """--expect TEXT: the bracket is acted on only if it says TEXT."""
    bracket = at_in(volunteer, SYMBOL, "op15:1")
    head = git(volunteer.root, "rev-parse", "HEAD")
    assert cli("drop", SYMBOL, bracket, "--expect", "something else", "-C", str(volunteer.root)) == 1
    err = capsys.readouterr().err
    assert "reads [15. Encourage" in err and "not [something else]" in err
    assert git(volunteer.root, "rev-parse", "HEAD") == head
    info = next(b for b in bracket_list(read(volunteer.read_text(TEXT)).draft) if b.id == bracket)
    assert cli("drop", SYMBOL, bracket, "--expect", "  " + info.text.replace(" ", "\n  ") + " ", "--json",
               "-C", str(volunteer.root)) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["action"], out["id"], out["text"]) == ("drop", bracket, " ".join(info.text.split()))
    assert out["attributions"] == ["(+IRAN)", "(SEC tcb)"] and out["commit"] == git(volunteer.root, "rev-parse", "HEAD").strip()


def test_agree_unknown_bracket_names_the_nearest(volunteer, capsys):
    """An unknown bracket id is one message with the paragraph's bracket ids, and nothing is committed."""
    head = git(volunteer.root, "rev-parse", "HEAD")
    assert cli("agree", SYMBOL, "op13:zzzz", "-C", str(volunteer.root)) != 0
    err = capsys.readouterr().err
    assert "no bracket 'op13:zzzz'" in err and at_in(volunteer, SYMBOL, "op13:1") in err and "Traceback" not in err
    assert cli("agree", SYMBOL, "op13:1", "-C", str(volunteer.root)) != 0
    err = capsys.readouterr().err
    assert "'op13:1' is a numbered bracket id" in err and at_in(volunteer, SYMBOL, "op13:1") in err
    assert git(volunteer.root, "rev-parse", "HEAD") == head


def test_bracket_origin_names_the_round_that_added_it(volunteer):
    """bracket_origin finds the round whose text first held the bracket; older brackets have none."""
    propose_as(volunteer, "CHN", MEASURES)
    run_round(volunteer, SYMBOL)
    from cicatext.notation.reader import read
    from cicatext.notation.views import bracket_list

    infos = bracket_list(read(volunteer.read_text(TEXT)).draft)
    steps = next(i for i in infos if i.text == "steps")
    assert bracket_origin(volunteer, SYMBOL, steps.id).tag == "round/mc-2023-draft-5/1"
    assert bracket_origin(volunteer, SYMBOL, at_in(volunteer, SYMBOL, "op13:1")) is None


def test_cli_workflow_with_json(volunteer, capsys, monkeypatch):
    """The commands run end to end from the command line, each with JSON output."""
    root = str(volunteer.root)
    assert cli("delegation", "start", "AZER", "-C", root, "--json") == 0
    assert json.loads(capsys.readouterr().out)["branch"] == "delegations/AZER"
    edit(volunteer, *MEASURES)
    assert cli("propose", SYMBOL, "-C", root, "--json", "-j", "simpler") == 0
    proposed = json.loads(capsys.readouterr().out)
    assert proposed["entries"][0]["justification"] == "simpler"
    git(root, "switch", "--quiet", "main")
    assert cli("round", SYMBOL, "--delegations", "AZER", "-C", root, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["delegations"] == ["AZER"] and data["tag"] == "round/mc-2023-draft-5/1"
    assert data["proposed"]["AZER"] == ["replace in op4 “steps”"]
    assert cli("agree", SYMBOL, at_in(volunteer, SYMBOL, "op4:3"), "-C", root, "--json") == 0
    assert json.loads(capsys.readouterr().out)["action"] == "agree"


def test_git_diff_uses_the_bracket_aware_driver(volunteer):
    """After git-setup, `git diff` shows changed words with ⟨-…-⟩/⟨+…+⟩ and `git log -p` shows brackets as ⟦ ⟧."""
    settings = git_setup(volunteer)
    assert settings["attributes"] == ".gitattributes"
    edit(volunteer, "(CHN tcb) in the", "(-CHN) in the")
    shown = subprocess.run(["git", "diff"], cwd=volunteer.root, capture_output=True, text=True, check=True,
                           env={**os.environ, "GIT_PAGER_IN_USE": "true"}).stdout  # as git's pager sees it
    assert "diff --cicatext a/documents/mc-2023-draft-5/en.txt" in shown
    assert "@@ op13 " in shown and "⟨-(CHN tcb)-⟩⟨+(-CHN)+⟩" in shown
    git(volunteer.root, "commit", "-qam", "CHN objects")
    log = git(volunteer.root, "log", "-p", "-1", "--word-diff=plain")
    assert "[-(CHN tcb)-]{+(-CHN)+}" in log
    assert "⟦, and encourage" in log and "[, and encourage" not in log


def test_git_diff_written_to_a_file_is_a_patch_git_applies(volunteer, tmp_path):
    """After git-setup, `git diff > p.patch` (no terminal, no pager) is git's own patch, which `git apply` takes;
    the bracket-aware view is for the terminal and the pager."""
    git_setup(volunteer)
    edit(volunteer, "(CHN tcb) in the", "(-CHN) in the")
    patch = tmp_path / "p.patch"
    with patch.open("wb") as handle:
        subprocess.run(["git", "diff"], cwd=volunteer.root, stdout=handle, check=True,
                       env={k: v for k, v in os.environ.items() if k != "GIT_PAGER_IN_USE"})
    written = patch.read_text(encoding="utf-8")
    assert written.startswith("diff --git a/documents/mc-2023-draft-5/en.txt b/documents/mc-2023-draft-5/en.txt\n")
    assert "diff --cicatext" not in written
    edited = volunteer.read_text(TEXT)
    git(volunteer.root, "checkout", "--", TEXT)
    git(volunteer.root, "apply", str(patch))
    assert volunteer.read_text(TEXT) == edited


def test_word_diff_keeps_a_reservation_as_one_word(volunteer):
    """The driver's word regex keeps `(CHN tcb)` whole in `git diff --word-diff`."""
    git_setup(volunteer)
    edit(volunteer, "(CHN tcb) in the", "(IND tcb) in the")
    shown = git(volunteer.root, "diff", "--no-ext-diff", "--word-diff=porcelain")
    assert "-(CHN tcb)" in shown.splitlines() and "+(IND tcb)" in shown.splitlines()


def test_proposed_position_set_matches_its_schema(volunteer):
    """What propose writes (text changes, a stance, a new paragraph) is a valid position-set record."""
    from cicatext.store.schemas import errors

    start_delegation(volunteer, "IRAN")
    edit(volunteer, *MEASURES)
    edit(volunteer, "(CHN tcb)", "(CHN tcb) (IRAN tcb)")
    target = volunteer.path(TEXT)
    target.write_text(target.read_text(encoding="utf-8") + "\n{#op16} 16. Welcome the Rally of 2024.\n",
                      encoding="utf-8")
    result = propose(volunteer, SYMBOL, justification="as discussed")
    assert [e.action for e in result.entries] == ["replace", "reserve", "insert"]
    assert result.entries[-1].after_paragraph == "op15"
    record = yamlio.load(volunteer.read_text(f"positions/IRAN/{SLUG}.yaml"))
    assert [str(e.message) for e in errors("position-set", record)] == []


def test_a_justification_per_paragraph(volunteer, capsys):
    """`-j TEXT` justifies every entry, `-j PARAGRAPH=TEXT` the entries on one paragraph; a paragraph the edit
    proposes nothing on is refused with nothing written."""
    from tests.negotiation.conftest import snapshot

    start_delegation(volunteer, "IND")
    edit(volunteer, *MEASURES)
    edit(volunteer, *ONLINE)
    before = snapshot(volunteer.root)
    assert cli("propose", SYMBOL, "-j", "op99=why", "-C", str(volunteer.root)) == 2
    assert "proposes nothing there" in capsys.readouterr().err
    assert snapshot(volunteer.root) == before
    paragraphs = {e.paragraph for e in propose(volunteer, SYMBOL, justification={"": "x"}).entries}
    git(volunteer.root, "reset", "--quiet", "--hard", "HEAD~1")
    edit(volunteer, *MEASURES)
    edit(volunteer, *ONLINE)
    first = min(paragraphs)
    assert cli("propose", SYMBOL, "-j", "clearer wording", "-j", f"{first}=as agreed in Bonn=yes",
               "-C", str(volunteer.root), "--json") == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert {e["paragraph"]: e["justification"] for e in entries} == {
        p: "as agreed in Bonn=yes" if p == first else "clearer wording" for p in paragraphs}
