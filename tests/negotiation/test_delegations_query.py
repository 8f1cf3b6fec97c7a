"""One delegation's part in every document, asked of the core without the UI (the Delegations screen draws it)."""

from __future__ import annotations

from cicatext.notation.tree import Stance
from cicatext.store.negotiation.delegations import delegations_with_positions, gather_brackets, position_files
from cicatext.store.register.catalogue import load_catalogue
from tests.ids import at_in


def test_brackets_are_gathered_by_delegation_with_their_stance(demo_repo):
    """CHN's objection to "and religious" is listed under CHN, with the other delegations' words on it apart."""
    found = gather_brackets(demo_repo, load_catalogue(demo_repo).documents)
    chn = [b for b in found["CHN"] if b.text == "and religious"]
    assert [(b.symbol, b.paragraph, b.stances) for b in chn] == [("MC/2023/DRAFT/5", "pp9", (Stance.OBJECT,))]
    ind = [b for b in found["IND"] if b.bracket == at_in(demo_repo, "MC/2023/DRAFT/5", "pp9:2")]
    assert ind and ind[0].others == ("(-IRAN)",)


def test_position_files_say_what_each_holds_or_why_it_does_not_load(demo_repo):
    """A delegation's position sets are listed with their entries counted by action; a broken one says why."""
    demo_repo.commit({"positions/IND/mc-2023-draft-5.yaml": "document: MC/2023/DRAFT/5\nentries:\n"
                      "  - {action: insert, paragraph: pp9}\n  - {action: delete, paragraph: pp9}\n"
                      "  - {action: insert, paragraph: pp10}\n"}, "IND's positions")
    demo_repo.path("positions/IND/broken.yaml").write_text("entries: [\n", encoding="utf-8")
    files = {f.path: f for f in position_files(demo_repo, "IND")}
    good = files["positions/IND/mc-2023-draft-5.yaml"]
    assert (good.document, good.entries, good.actions) == ("MC/2023/DRAFT/5", 3, "delete 1, insert 2")
    assert files["positions/IND/broken.yaml"].problem
    assert position_files(demo_repo, "TUR") == []
    assert "IND" in delegations_with_positions(demo_repo) and "TUR" not in delegations_with_positions(demo_repo)
