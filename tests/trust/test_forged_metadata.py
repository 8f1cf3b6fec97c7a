"""Forged metadata: `Cicatext-` trailers count only from the Secretariat's commits on main's first-parent line."""

from __future__ import annotations

import pytest

from cicatext.errors import CicatextError, RepositoryError
from cicatext.store.negotiation.decisions import agree_bracket
from cicatext.store.negotiation.history import document_log
from cicatext.store.negotiation.rounds import run_round
from cicatext.store.trust.keys import add_key
from cicatext.store.validation.integrity import check_attributions
from tests.ids import at
from tests.negotiation.conftest import SLUG, add_volunteer_document, cli, propose_as
from tests.trust.conftest import SYMBOL, TEXT, git, keygen, sign_with

POSITIONS_IND = f"positions/IND/{SLUG}.yaml"


def _forge_on_chn_branch(repo, message: str) -> None:
    """As CHN: a proposal, then a commit of its own whose message carries forged trailers; back on main."""
    propose_as(repo, "CHN", ("Encourage recognition", "Encourage the recognition"))
    git(repo.root, "switch", "--quiet", "delegations/CHN")
    git(repo.root, "commit", "--quiet", "--allow-empty", "-m", message)
    git(repo.root, "switch", "--quiet", "main")


def test_forged_compiled_trailer_does_not_make_a_round_skip_a_real_proposal(new_repo):
    """CHN's commit claiming IND's position set was compiled: the next round still compiles IND's proposal."""
    add_volunteer_document(new_repo)
    propose_as(new_repo, "IND", ("Improve the measures taken", "Improve the steps taken"))
    blob = git(new_repo.root, "rev-parse", f"delegations/IND:{POSITIONS_IND}").stdout.strip()
    _forge_on_chn_branch(new_repo, f"Tidy\n\nCicatext-Round: round/{SLUG}/1\nCicatext-Revision: {SYMBOL}/Rev.9\n"
                                   f"Cicatext-Delegations: IND\nCicatext-Compiled: IND {blob}\n")
    first = run_round(new_repo, SYMBOL, delegations=["CHN"])
    assert first.delegations == ("CHN",)
    second = run_round(new_repo, SYMBOL, delegations=["IND"])
    assert second.delegations == ("IND",)
    assert "[steps] (+IND)" in new_repo.read_text(TEXT)
    assert second.tag == f"round/{SLUG}/2"


def test_forged_round_trailer_shows_no_phantom_round_in_log(new_repo, capsys):
    """A delegation's commit claiming to be a round, merged by a real round, is not listed by `log`."""
    add_volunteer_document(new_repo)
    _forge_on_chn_branch(new_repo, f"Round 7\n\nCicatext-Round: round/{SLUG}/7\nCicatext-Revision: {SYMBOL}/Rev.7\n"
                                   "Cicatext-Brackets: 1 -> 99\nCicatext-Delegations: IRAN\n")
    run_round(new_repo, SYMBOL)
    rounds = document_log(new_repo, SYMBOL)
    assert [r.tag for r in rounds] == [f"round/{SLUG}/1"]
    capsys.readouterr()
    assert cli("log", SYMBOL, "-C", str(new_repo.root)) == 0
    out = capsys.readouterr().out
    assert "round/mc-2023-draft-5/7" not in out and "Rev.7" not in out


@pytest.fixture
def sec_keyed(new_repo, tmp_path):
    """The statement with the Secretariat's key registered and the clone signing as the Secretariat."""
    add_volunteer_document(new_repo)
    key = keygen(tmp_path / "keys", "sec")
    add_key(new_repo, "SEC", f"{key}.pub")
    sign_with(new_repo.root, key)
    return new_repo


def _unsigned_commit_on_main(repo, message: str, text: str | None = None) -> str:
    """A commit made on main by someone without the Secretariat's key (as if main had been moved by another)."""
    if text is not None:
        repo.path(TEXT).write_text(text, encoding="utf-8")
        git(repo.root, "add", TEXT)
    git(repo.root, "-c", "commit.gpgSign=false", "commit", "--quiet", "--allow-empty", "-m", message)
    return git(repo.root, "rev-parse", "HEAD").stdout.strip()


def test_unsigned_round_on_main_is_not_believed_where_the_secretariat_signs(sec_keyed):
    """With a Secretariat key registered, a round record on main's line that nobody signed is neither listed nor
    taken by the next round, which refuses and names it."""
    repo = sec_keyed
    propose_as(repo, "IND", ("Improve the measures taken", "Improve the steps taken"))
    real = run_round(repo, SYMBOL)
    forged = _unsigned_commit_on_main(repo, f"Round 2\n\nCicatext-Round: round/{SLUG}/2\n"
                                            f"Cicatext-Revision: {SYMBOL}/Rev.2\nCicatext-Delegations: CHN\n")
    assert [r.commit for r in document_log(repo, SYMBOL)] == [real.commit]
    propose_as(repo, "CHN", ("Encourage recognition", "Encourage the recognition"))
    with pytest.raises(RepositoryError) as refused:
        run_round(repo, SYMBOL)
    assert forged[:10] in refused.value.message and "did not sign" in refused.value.message


def test_signed_rounds_are_believed_and_a_round_before_the_key_counts(new_repo, tmp_path):
    """A round made before any Secretariat key was registered, and one signed after, both count."""
    add_volunteer_document(new_repo)
    propose_as(new_repo, "IND", ("Improve the measures taken", "Improve the steps taken"))
    first = run_round(new_repo, SYMBOL)
    key = keygen(tmp_path / "keys", "sec")
    add_key(new_repo, "SEC", f"{key}.pub")
    sign_with(new_repo.root, key)
    propose_as(new_repo, "CHN", ("Encourage recognition", "Encourage the recognition"))
    second = run_round(new_repo, SYMBOL)
    assert [r.commit for r in document_log(new_repo, SYMBOL)] == [first.commit, second.commit]
    propose_as(new_repo, "IND", ("Create a favourable environment", "Create an enabling environment"))
    third = run_round(new_repo, SYMBOL)
    assert third.delegations == ("IND",) and third.tag == f"round/{SLUG}/3"


def test_unsigned_decision_record_neither_blocks_agree_nor_accounts_for_attributions(sec_keyed):
    """An unsigned commit on main claiming a bracket was agreed does not make `agree` refuse it as already agreed,
    and its `Cicatext-Decision:` trailer does not account for the attribution it typed in."""
    repo = sec_keyed
    text = repo.read_text(TEXT)
    bracket = at(text, "pp9:1")
    forged = text.replace("Improve the measures taken", "Improve the [measures] (-CHN) taken", 1)
    # A record of another bracket whose id starts like this one's would make `agree` ask for a longer id.
    _unsigned_commit_on_main(repo, f"Agree\n\nCicatext-Decision: agree\nCicatext-Bracket: {bracket}qqqq\n", forged)
    problems = check_attributions(repo, use_cache=False)
    assert any("(-CHN)" in p.message for p in problems)
    decision = agree_bracket(repo, SYMBOL, bracket)
    assert decision.commit


def test_signed_decision_is_believed(sec_keyed):
    """The Secretariat's own signed agree is found again: agreeing the same bracket twice is refused."""
    repo = sec_keyed
    bracket = at(repo.read_text(TEXT), "pp9:1")
    agree_bracket(repo, SYMBOL, bracket)
    with pytest.raises(CicatextError) as refused:
        agree_bracket(repo, SYMBOL, bracket)
    assert "already agreed" in refused.value.message


def test_a_secretariat_tag_shared_under_another_name_vouches_for_nothing(sec_keyed):
    """The Secretariat's round tag object, given a second ref name (another document's, another number), is no
    round tag there: only the name written in the tag object counts, in a clone as on the server."""
    from pathlib import Path

    from cicatext.store.trust.tags import vouching_tags
    from cicatext.store.trust.verify import Git

    repo = sec_keyed
    propose_as(repo, "IND", ("Improve the measures taken", "Improve the steps taken"))
    real = run_round(repo, SYMBOL)
    tag_object = git(repo.root, "rev-parse", f"refs/tags/{real.tag}").stdout.strip()
    for forged in (f"refs/tags/round/{SLUG}/7", "refs/tags/round/other-document/1", f"refs/tags/rev/{SLUG}/3"):
        git(repo.root, "update-ref", forged, tag_object)
    assert {target: [name for name, _ in tags] for target, tags in vouching_tags(Git(Path(repo.root))).items()} \
        == {real.commit: [real.tag]}
