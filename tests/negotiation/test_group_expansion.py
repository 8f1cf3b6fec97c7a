"""An attribution to a group is the group's; the per-delegation views can list it under each member state too."""

from __future__ import annotations

import json

import pytest

from cicatext.cli.main import main
from cicatext.notation.tree import Stance
from cicatext.store.negotiation.delegations import delegation_brackets
from cicatext.store.register.create import import_text, init_repository
from cicatext.store.validation.validate import validate

DRAFT = """Draft decision

1. Parties [shall] (+G77) (-USA) take [ambitious] (-EU) action [now] (+CHN) (+G77).

2. [Agreed] (CHN tcb) text, to be carried out [urgently] (+G77) (-AOSIS).
"""


@pytest.fixture
def un_draft(tmp_path):
    """A UN repository holding one draft whose brackets are attributed to states and groups."""
    repo = init_repository(tmp_path / "repo", parties="un")
    import_text(repo, DRAFT, symbol="A/AC.296/2026/L.1", title="Draft decision")
    return repo


def _rows(repo, code, expand):
    return [(b.text, b.stances, b.via) for b in delegation_brackets(repo, code, expand_groups=expand)]


def test_group_codes_are_attributions_the_registry_knows(un_draft):
    """(+G77), (-EU) and (-AOSIS) are known codes: the draft with them validates without a problem."""
    assert validate(un_draft) == []
    assert {"G77", "EU", "AOSIS"} <= un_draft.codes


def test_a_groups_bracket_is_listed_under_its_members_only_when_expanded(un_draft):
    """India has no bracket of its own; expanded, it has G77's three, each marked via G77, in document order."""
    assert _rows(un_draft, "IND", False) == []
    assert _rows(un_draft, "IND", True) == [("shall", (Stance.PROPOSE,), ("G77",)),
                                             ("now", (Stance.PROPOSE,), ("G77",)),
                                             ("urgently", (Stance.PROPOSE,), ("G77",))]
    assert _rows(un_draft, "G77", True) == _rows(un_draft, "G77", False) == [
        ("shall", (Stance.PROPOSE,), ()), ("now", (Stance.PROPOSE,), ()), ("urgently", (Stance.PROPOSE,), ())]


def test_a_state_named_itself_is_not_listed_again_through_its_group(un_draft):
    """China's own (+CHN) on "now" is listed once, as its own; G77's "shall" and "urgently" come via G77."""
    assert _rows(un_draft, "CHN", True) == [("shall", (Stance.PROPOSE,), ("G77",)),
                                             ("now", (Stance.PROPOSE,), ()),
                                             ("Agreed", (Stance.RESERVE,), ()),
                                             ("urgently", (Stance.PROPOSE,), ("G77",))]
    now = next(b for b in delegation_brackets(un_draft, "CHN", expand_groups=True) if b.text == "now")
    assert now.others == ("(+G77)",)


def test_a_state_in_two_groups_on_one_bracket_has_one_row_naming_both(un_draft):
    """Cuba, in G77 and AOSIS, has one row for "urgently": via both groups, with both stances."""
    cuba = [b for b in delegation_brackets(un_draft, "CUB", expand_groups=True) if b.text == "urgently"]
    assert [(b.via, b.stances, b.others) for b in cuba] == [(("G77", "AOSIS"), (Stance.PROPOSE, Stance.OBJECT), ())]
    assert _rows(un_draft, "FRA", True) == [("ambitious", (Stance.OBJECT,), ("EU",))]
    assert _rows(un_draft, "USA", True) == _rows(un_draft, "USA", False) == [("shall", (Stance.OBJECT,), ())]


def test_delegation_show_lists_a_states_brackets_and_its_groups(un_draft, capsys):
    """`delegation show` takes a code or a name; --expand-groups adds the groups' brackets marked via the group."""
    root = str(un_draft.root)
    assert main(["delegation", "show", "India", "-C", root]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "IND (India): 0 open bracket(s)" in err and "member of BASIC, G77, LMDC" in err
    assert main(["delegation", "show", "IND", "--expand-groups", "-C", root]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 3 and all("via G77" in line for line in lines)
    assert lines[0].startswith("A/AC.296/2026/L.1  1.  op1:") and lines[0].endswith("+  via G77  (-USA)  shall")
    assert "3 through its groups" in err
    assert main(["delegation", "show", "U.S.", "--json", "-C", root]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["delegation"] == "USA" and shown["groups"] == ["JUSSCANNZ", "UMBRELLA"]
    assert [(b["text"], b["stances"], b["via"]) for b in shown["brackets"]] == [("shall", ["-"], [])]


def test_delegation_show_of_an_unknown_code_is_one_message(un_draft, capsys):
    """A code that names no party is refused with the nearest one, without a traceback."""
    assert main(["delegation", "show", "USB", "-C", str(un_draft.root)]) != 0
    err = capsys.readouterr().err
    assert "unknown delegation 'USB'" in err and "Traceback" not in err
