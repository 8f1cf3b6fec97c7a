"""Verified authorship where people read the history: `cicatext log`, and `Authorship`, which the UI uses."""

from __future__ import annotations

import json

import pytest

from cicatext.store.trust.keys import add_key
from cicatext.store.negotiation.decisions import agree_bracket
from cicatext.store.negotiation.rounds import run_round
from cicatext.store.trust.verify import Authorship
from tests.negotiation.conftest import add_volunteer_document, cli, propose_as
from tests.trust.conftest import SYMBOL, TEXT, edit, git, keygen, sign_with
from tests.ids import at, at_in


@pytest.fixture
def keyed(new_repo, tmp_path):
    """The volunteer statement with SEC and IND keys registered, and a key nobody registered."""
    add_volunteer_document(new_repo)
    keys = {code: keygen(tmp_path / "keys", code.lower()) for code in ("SEC", "IND", "STRANGER")}
    for code in ("SEC", "IND"):
        add_key(new_repo, code, f"{keys[code]}.pub")
    return new_repo, keys


def signed_commit(repo, key, message: str) -> str:
    """Commit the working tree's change to the text, signed with `key` as a secretariat officer would."""
    git(repo.root, "-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "commit", "-q", "-S", "-m", message,
        "--", TEXT)
    return repo.head()


def test_log_names_each_rounds_verified_signer(new_repo, tmp_path, capsys):
    """An unsigned round (made before the Secretariat registered its key) reads `unsigned`; one whose tag alone
    the Secretariat signed, or whose commit it signed, `signed by SEC`."""
    repo = new_repo
    add_volunteer_document(repo)
    keys = {code: keygen(tmp_path / "keys", code.lower()) for code in ("SEC", "IND")}
    add_key(repo, "IND", f"{keys['IND']}.pub")
    propose_as(repo, "IND", ("Improve the measures taken", "Improve the steps taken"))
    first = run_round(repo, SYMBOL)
    add_key(repo, "SEC", f"{keys['SEC']}.pub")
    sign_with(repo.root, keys["SEC"])
    git(repo.root, "config", "commit.gpgSign", "false")
    propose_as(repo, "IND", ("Encourage recognition", "Encourage the recognition"))
    second = run_round(repo, SYMBOL)
    git(repo.root, "config", "commit.gpgSign", "true")
    propose_as(repo, "IND", ("Create a favourable environment", "Create an enabling environment"))
    third = run_round(repo, SYMBOL)
    assert "gpgsig" not in git(repo.root, "cat-file", "commit", second.commit).stdout
    assert "gpgsig" in git(repo.root, "cat-file", "commit", third.commit).stdout
    capsys.readouterr()
    assert cli("log", SYMBOL, "-C", str(repo.root)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("  unsigned") and first.tag in lines[0]
    assert lines[1].endswith("  signed by SEC") and second.tag in lines[1]
    assert lines[2].endswith("  signed by SEC") and third.tag in lines[2]
    assert cli("log", SYMBOL, "-C", str(repo.root), "--json") == 0
    rounds = json.loads(capsys.readouterr().out)["rounds"]
    assert [r["signed_by"] for r in rounds] == [None, "SEC", "SEC"]
    assert rounds[0]["signature"] == "unsigned"
    assert rounds[1]["signature"].startswith("signed by SEC (vouched by the signed tag ")
    assert rounds[2]["signature"].startswith("signed by SEC (SHA256:")


def test_authorship_of_signed_unsigned_and_unregistered_commits(keyed):
    """`git commit -S` with IND's key verifies as IND; with an unregistered key it is not verified; plain is unsigned."""
    repo, keys = keyed
    edit(repo, "Improve the measures taken", "Improve the steps taken")
    by_ind = signed_commit(repo, keys["IND"], "IND's edit")
    edit(repo, "Encourage recognition", "Encourage the recognition")
    by_stranger = signed_commit(repo, keys["STRANGER"], "a stranger's edit")
    plain = agree_bracket(repo, SYMBOL, at_in(repo, SYMBOL, "op15:1")).commit
    authors = Authorship(repo)
    authors.verify([by_ind, by_stranger, plain])
    assert authors.signer(by_ind) == "IND"
    assert authors.describe(by_ind).startswith("signed by IND (SHA256:")
    assert authors.signer(by_stranger) == "not verified"
    assert "unregistered key" in authors.describe(by_stranger)
    assert authors.signer(plain) == "unsigned"
    assert authors.to_json(by_ind)["signed_by"] == "IND"


def test_each_commit_is_verified_once(keyed, monkeypatch):
    """Asking again about a commit already verified runs no second verification."""
    import cicatext.store.trust.verify as verify

    repo, keys = keyed
    edit(repo, "Improve the measures taken", "Improve the steps taken")
    commit = signed_commit(repo, keys["SEC"], "SEC's edit")
    calls = []
    real = verify.verify_commits
    monkeypatch.setattr(verify, "verify_commits", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    authors = Authorship(repo)
    for _ in range(3):
        assert authors.signer(commit) == "SEC"
    authors.verify([commit, repo.head()])
    assert calls == [[commit]]


def test_no_keys_means_no_verification(new_repo, monkeypatch, capsys):
    """In a repository without registered keys nothing is verified: every round reads `not verified`."""
    import cicatext.store.trust.verify as verify

    volunteer = new_repo
    add_volunteer_document(volunteer)
    def refuse(*args, **kwargs):
        raise AssertionError("verified although no key is registered")

    monkeypatch.setattr(verify, "verify_commits", refuse)
    propose_as(volunteer, "IND", ("Improve the measures taken", "Improve the steps taken"))
    run_round(volunteer, SYMBOL)
    capsys.readouterr()
    assert cli("log", SYMBOL, "-C", str(volunteer.root)) == 0
    assert capsys.readouterr().out.rstrip().endswith("  not verified")
    assert cli("log", SYMBOL, "-C", str(volunteer.root), "--json") == 0
    entry = json.loads(capsys.readouterr().out)["rounds"][0]
    assert entry["signed_by"] is None and entry["signature"] == "not verified (no keys registered)"
