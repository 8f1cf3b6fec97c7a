"""No words in another's mouth: a position set that attributes to anyone but its delegation is refused at
`propose`, at `round` and at push, in plain and in look-alike characters."""

from __future__ import annotations

import pytest

from cicatext.errors import CicatextError
from cicatext.store import yamlio
from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.propose import propose
from cicatext.store.negotiation.rounds import run_round
from cicatext.store.trust.attribution_guard import position_set_problems
from tests.negotiation.conftest import SLUG, add_volunteer_document, snapshot
from tests.trust.conftest import SYMBOL, edit, git, make_world

CHN_SET = f"positions/CHN/{SLUG}.yaml"
I_CYRILLIC = "\u0406"


def chn_set(text: str, **extra) -> str:
    """CHN's position set with one insertion whose words are `text`."""
    entry = {"id": "e1", "action": "insert", "paragraph": "op4",
             "anchor": {"before": "Improve the", "text": "", "after": "measures taken"}, "text": text, **extra}
    return yamlio.dump({"delegation": "CHN", "document": SYMBOL, "entries": [entry]})


@pytest.mark.parametrize("words", ["spiritual [and moral] (+IND)", "spiritual (-IRAN)", "spiritual ( + ind )",
                                   f"spiritual (+{I_CYRILLIC}ND)", "spiritual (IND tcb)"])
def test_guard_refuses_attributions_to_others(words):
    """Any attribution to another delegation, in any spelling or in look-alike characters, is a problem."""
    problems = position_set_problems(CHN_SET, chn_set(words), "CHN")
    assert len(problems) == 1
    assert problems[0].file == CHN_SET and problems[0].line


def test_guard_takes_own_words_and_refuses_own_lookalike():
    """CHN's own attribution is fine; CHN written in look-alike characters is not."""
    assert position_set_problems(CHN_SET, chn_set("spiritual [and moral] (+CHN)"), "CHN") == []
    assert position_set_problems(CHN_SET, chn_set("spiritual (+\u0421HN)"), "CHN")


def test_guard_refuses_an_entry_on_anothers_behalf_and_a_foreign_delegation():
    """An entry field naming another (not a field position sets have) and a set naming another are refused."""
    assert position_set_problems(CHN_SET, chn_set("spiritual", delegation="IND"), "CHN")
    foreign = chn_set("spiritual").replace("delegation: CHN", "delegation: IND")
    assert any("names delegation 'IND'" in p.message for p in position_set_problems(CHN_SET, foreign, "CHN"))
    assert position_set_problems(f"positions/IND/{SLUG}.yaml", chn_set("spiritual"), "CHN")


def _commit_chn_set(repo, text: str) -> None:
    """As CHN, but by hand: write the position set on CHN's branch and commit it; back on main."""
    start_delegation(repo, "CHN")
    repo.path(CHN_SET).parent.mkdir(parents=True, exist_ok=True)
    repo.path(CHN_SET).write_text(text, encoding="utf-8")
    git(repo.root, "add", CHN_SET)
    git(repo.root, "commit", "-q", "-m", "CHN positions")
    git(repo.root, "switch", "--quiet", "main")


@pytest.mark.parametrize("words", ["and spiritual [cooperation] (+IND)", f"and spiritual (+{I_CYRILLIC}ND)"])
def test_round_refuses_words_in_anothers_mouth(new_repo, words):
    """CHN's set holding an attribution to IND is refused by the round, naming it, and nothing moves."""
    add_volunteer_document(new_repo)
    _commit_chn_set(new_repo, chn_set(words))
    before = snapshot(new_repo.root)
    with pytest.raises(CicatextError) as refused:
        run_round(new_repo, SYMBOL)
    assert "IND" in refused.value.message and refused.value.problem.file == f"delegations/CHN:{CHN_SET}"
    assert snapshot(new_repo.root) == before


@pytest.mark.parametrize("inserted", ["[and spiritual] (+IND)", f"and spiritual (+{I_CYRILLIC}ND)"])
def test_propose_refuses_words_in_anothers_mouth(new_repo, inserted):
    """CHN's edit that writes IND's attribution, plainly or in look-alike letters, is refused; nothing committed."""
    add_volunteer_document(new_repo)
    start_delegation(new_repo, "CHN")
    head = new_repo.head()
    edit(new_repo, "Improve the measures taken", f"Improve the measures {inserted} taken")
    with pytest.raises(CicatextError) as refused:
        propose(new_repo, SYMBOL)
    assert "IND" in refused.value.message
    assert new_repo.head() == head


def test_push_refuses_words_in_anothers_mouth(tmp_path):
    """The shared repository refuses CHN's signed commit whose position set attributes words to IND."""
    world = make_world(tmp_path)
    china = world.clone("china", "CHN")
    start_delegation(china, "CHN")
    china.path(CHN_SET).parent.mkdir(parents=True, exist_ok=True)
    china.path(CHN_SET).write_text(chn_set("and spiritual [cooperation] (+IND)"), encoding="utf-8")
    git(china.root, "add", CHN_SET)
    git(china.root, "commit", "-q", "-m", "CHN positions")
    commit = china.head()
    process = git(china.root, "push", "--porcelain", "origin", "delegations/CHN", check=False)
    assert process.returncode != 0
    assert "attributes words to IND" in process.stderr
    assert not world.on_server(commit)
    # Its own words go through.
    china.path(CHN_SET).write_text(chn_set("and spiritual [cooperation] (+CHN)"), encoding="utf-8")
    git(china.root, "commit", "-q", "-am", "CHN positions, own words only")
    process = git(china.root, "push", "--porcelain", "origin", "delegations/CHN", check=False)
    assert process.returncode != 0  # the first commit is still in the push
    git(china.root, "reset", "-q", "--hard", "origin/main")
    china.path(CHN_SET).parent.mkdir(parents=True, exist_ok=True)
    china.path(CHN_SET).write_text(chn_set("and spiritual [cooperation] (+CHN)"), encoding="utf-8")
    git(china.root, "add", CHN_SET)
    git(china.root, "commit", "-q", "-m", "CHN positions, own words only")
    process = git(china.root, "push", "--porcelain", "origin", "delegations/CHN", check=False)
    assert process.returncode == 0, process.stderr


def test_compile_leaves_out_an_entry_in_anothers_name():
    """The pure compiler, whoever calls it, writes no entry whose words attribute to another: it is unplaced."""
    from cicatext.notation.compile import compile_round
    from cicatext.notation.position_sets import Anchor, Entry, PositionSet
    from cicatext.notation.reader import read

    draft = read("{#op1} 1. Improve the measures taken.\n").draft
    entries = (Entry("insert", "op1", Anchor("Improve the", "", "measures taken"), text="spiritual (+IND)", id="e1"),
               Entry("insert", "op1", Anchor("the measures", "", "taken"), text="[firmly] (+CHN) agreed", id="e2"))
    compiled = compile_round(draft, [PositionSet("CHN", SYMBOL, entries)])
    assert [u.entry.id for u in compiled.unplaced] == ["e1"]
    assert "attributes words to IND" in compiled.unplaced[0].reason
    assert "(+IND)" not in compiled.text


def test_validate_reports_words_in_anothers_mouth(new_repo):
    """`cicatext validate` (and so the shared repository's check of every pushed tip) reports such a set."""
    from cicatext.store.validation.validate import validate

    add_volunteer_document(new_repo)
    new_repo.commit({CHN_SET: chn_set("and spiritual [cooperation] (+IND)")}, "CHN positions")
    problems = [p for p in validate(new_repo) if "attributes words to IND" in p.message]
    assert len(problems) == 1 and problems[0].file == CHN_SET and problems[0].line


def test_propose_refuses_a_hand_edited_set_in_anothers_name(new_repo):
    """CHN's position set edited by hand in the working tree to attribute to IND is not committed by propose."""
    add_volunteer_document(new_repo)
    start_delegation(new_repo, "CHN")
    head = new_repo.head()
    new_repo.path(CHN_SET).parent.mkdir(parents=True, exist_ok=True)
    new_repo.path(CHN_SET).write_text(chn_set("and spiritual [cooperation] (+IND)"), encoding="utf-8")
    with pytest.raises(CicatextError) as refused:
        propose(new_repo, SYMBOL)
    assert "attributes words to IND" in refused.value.message
    assert new_repo.head() == head
