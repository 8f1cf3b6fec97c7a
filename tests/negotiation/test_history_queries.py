"""The history queries the TUI draws: a document's commits, the refs worth comparing, where a bracket came from."""

from __future__ import annotations

from cicatext.notation.reader import read
from cicatext.notation.views import bracket_list
from cicatext.store.negotiation.decisions import agree_bracket
from cicatext.store.negotiation.history import (BracketSource, RefChoice, bracket_source, document_history,
                                                ref_choices)
from cicatext.store.negotiation.rounds import run_round
from tests.negotiation.conftest import SLUG, SYMBOL, TEXT, edit, propose_as
from tests.ids import at, at_in

MEASURES = ("Improve the measures taken", "Improve the steps taken")


def test_document_history_counts_the_brackets_after_each_commit_and_marks_the_rounds(volunteer):
    """Every commit that changed the text is a point, oldest first; the round's merge carries its tag."""
    propose_as(volunteer, "CHN", MEASURES)
    run_round(volunteer, SYMBOL)
    agree_bracket(volunteer, SYMBOL, at_in(volunteer, SYMBOL, "op13:1"))
    points = document_history(volunteer, SLUG, "en")
    assert [(p.brackets, p.round, p.delegations) for p in points] == [
        (13, None, ()), (16, "round/mc-2023-draft-5/1", ("CHN",)), (15, None, ())]
    assert points[0].subject == f"Add {SYMBOL}" and points[1].revision == "MC/2023/DRAFT/5/Rev.1"
    assert document_history(volunteer, SLUG, "ru") == []


def test_ref_choices_are_the_working_tree_rounds_branches_and_commits_newest_first(volunteer):
    """The round diff is offered the working tree, then the rounds, the branches and the text's commits."""
    propose_as(volunteer, "CHN", MEASURES)
    run_round(volunteer, SYMBOL)
    choices = ref_choices(volunteer, SLUG, "en")
    assert choices[0] == RefChoice("worktree", "WORKTREE")
    assert [c.kind for c in choices] == ["worktree", "round", "branch", "branch", "commit", "commit"]
    assert [c.ref for c in choices if c.kind in ("round", "branch")] == [
        "round/mc-2023-draft-5/1", "delegations/CHN", "main"]
    subjects = [c.subject for c in choices if c.kind == "commit"]
    assert subjects[0].startswith("Round 1 on") and subjects[1] == f"Add {SYMBOL}"


def test_bracket_source_names_the_round_else_the_first_commit_holding_the_text(volunteer):
    """A bracket comes from its round, else from the first commit with its text; an uncommitted one from
    none, and one the draft does not hold is unknown."""
    propose_as(volunteer, "CHN", MEASURES)
    run_round(volunteer, SYMBOL)
    draft = read(volunteer.read_text(TEXT)).draft
    infos = bracket_list(draft)
    steps = bracket_source(volunteer, SLUG, "en", next(info for info in infos if info.text == "steps"), draft)
    assert steps.round.tag == "round/mc-2023-draft-5/1" and steps.commit is None
    older = next(info for info in infos if info.id == at_in(volunteer, SYMBOL, "op13:1"))
    source = bracket_source(volunteer, SLUG, "en", older, draft)
    assert source.round is None and source.commit.subject == f"Add {SYMBOL}"
    edit(volunteer, "Improve the", "Improve [quite newly] (+CHN) the")
    edited = read(volunteer.read_text(TEXT)).draft
    new = next(info for info in bracket_list(edited) if info.text == "quite newly")
    assert bracket_source(volunteer, SLUG, "en", new, edited) == BracketSource()
    assert bracket_source(volunteer, SLUG, "en", new, None) is None
