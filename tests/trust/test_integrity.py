"""Attribution integrity: attributions on main come from rounds, decisions or the imported baseline."""

from __future__ import annotations

from cicatext.store.validation.integrity import check_attributions
from cicatext.store.negotiation.rounds import run_round
from tests.negotiation.conftest import TEXT, add_volunteer_document, propose_as


def test_round_attributions_are_accounted_for(new_repo):
    """The imported baseline and a round's compiled attributions raise no problem."""
    add_volunteer_document(new_repo)
    assert check_attributions(new_repo) == []
    propose_as(new_repo, "IND", ("Improve the measures taken", "Improve the steps taken"))
    run_round(new_repo, "MC/2023/DRAFT/5")
    assert "(+IND)" in new_repo.read_text(TEXT)
    assert check_attributions(new_repo) == []


def test_hand_typed_attribution_is_flagged_until_removed(new_repo):
    """An attribution typed into main's text is reported with its place; a decision commit accounts for one."""
    add_volunteer_document(new_repo)
    text = new_repo.read_text(TEXT)
    forged = text.replace("Improve the measures taken", "Improve the [measures] (-CHN) taken", 1)
    new_repo.commit({TEXT: forged}, "Tidy the text")
    problems = check_attributions(new_repo)
    assert len(problems) == 1
    assert "(-CHN)" in problems[0].message and problems[0].file == TEXT and problems[0].line
    new_repo.commit({TEXT: text}, "Undo")
    assert check_attributions(new_repo) == []
    new_repo.commit({TEXT: forged}, "Record CHN's objection\n\nCicatext-Decision: SWG of 14 June 2023, CHN objected")
    assert check_attributions(new_repo) == []


def test_a_trailer_with_no_value_accounts_for_nothing(new_repo):
    """A commit whose message has a `Cicatext-` trailer with nothing after it is read like any other: the
    attribution it brought is reported, and the check does not fail."""
    add_volunteer_document(new_repo)
    text = new_repo.read_text(TEXT)
    forged = text.replace("Improve the measures taken", "Improve the [measures] (-CHN) taken", 1)
    (new_repo.root / TEXT).write_text(forged, encoding="utf-8")
    new_repo.run_git("add", TEXT)
    # Kept as written (git's default clean-up would take the trailing spaces away): such a message can be pushed.
    new_repo.run_git("commit", "-q", "--cleanup=verbatim", "-m",
                     "Tidy the text\n\nCicatext-Translated: \nCicatext-Round: \nCicatext-Delegations: \n")
    problems = check_attributions(new_repo)
    assert len(problems) == 1 and "(-CHN)" in problems[0].message


def test_a_damaged_attributions_cache_is_made_again(new_repo):
    """A cache file whose problems or texts' entries are not what it writes is no result: the check runs again and
    finds what it finds without a cache, where it stopped with a TypeError."""
    import json

    from cicatext.store.layout import ATTRIBUTIONS_CACHE, CACHE_DIR

    add_volunteer_document(new_repo)
    text = new_repo.read_text(TEXT)
    new_repo.commit({TEXT: text.replace("Improve the measures taken", "Improve the [measures] (-CHN) taken", 1)},
                    "Tidy the text")
    expected = check_attributions(new_repo, use_cache=False)
    assert len(expected) == 1
    path = new_repo.root / CACHE_DIR / ATTRIBUTIONS_CACHE
    check_attributions(new_repo)
    kept = json.loads(path.read_text(encoding="utf-8"))
    for damaged in ({**kept, "problems": [{"no such field": 1}]},
                    {**kept, "head": "0" * 40, "paths": {TEXT: [kept["paths"][TEXT][0], [{"no such field": 1}]]}},
                    {**kept, "head": "0" * 40, "paths": {TEXT: 5}}):
        path.write_text(json.dumps(damaged), encoding="utf-8")
        assert check_attributions(new_repo) == expected
