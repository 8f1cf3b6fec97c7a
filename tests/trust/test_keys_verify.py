"""The key registry and `cicatext verify`: whose key signed each commit, and whether that party was entitled to it."""

from __future__ import annotations

import json

import pytest

from cicatext.errors import UsageError
from cicatext.store.trust.keys import add_key, load_keyring, revoke_key
from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.propose import propose
from cicatext.store.trust.verify import verified_author, verify
from tests.trust.conftest import SYMBOL, TEXT, edit, git, keygen, sign_with


@pytest.fixture
def keyed(new_repo, tmp_path):
    """A repository holding the volunteer statement, with SEC, IND and CHN keys registered."""
    from tests.negotiation.conftest import add_volunteer_document

    add_volunteer_document(new_repo)
    keys = {code: keygen(tmp_path / "keys", code.lower()) for code in ("SEC", "IND", "CHN")}
    for code, key in keys.items():
        add_key(new_repo, code, f"{key}.pub")
    return new_repo, keys


def test_allowed_signers_names_each_code(keyed):
    """Each key is registered under its code, in git's allowed-signers format."""
    repo, keys = keyed
    text = repo.read_text("keys/allowed_signers")
    for code, key in keys.items():
        assert f"{code} {(key.parent / (key.name + '.pub')).read_text().split(' ')[0]}" in text
    assert {k.code for k in load_keyring(repo).keys} == {"SEC", "IND", "CHN"}


def test_one_key_speaks_for_one_code(keyed):
    """A key already registered for IND cannot be registered for CHN too; unknown codes are refused."""
    repo, keys = keyed
    with pytest.raises(UsageError, match="already registered for IND"):
        add_key(repo, "CHN", f"{keys['IND']}.pub")
    with pytest.raises(UsageError, match="unknown code"):
        add_key(repo, "XYZ", f"{keys['IND']}.pub")
    with pytest.raises(UsageError, match="private key"):
        add_key(repo, "CHN", keys["IND"])


def test_verify_names_signer_and_entitlement(keyed):
    """A delegation's signed proposal is verified and entitled; its signed edit of a document text is not."""
    repo, keys = keyed
    sign_with(repo.root, keys["IND"])
    start_delegation(repo, "IND")
    edit(repo, "Improve the measures taken", "Improve the steps taken")
    proposed = propose(repo, SYMBOL).commit
    edit(repo, "Encourage recognition", "Encourage the recognition")
    git(repo.root, "commit", "-qam", "hand edit")
    checks = {c.commit: c for c in verify(repo)}
    assert checks[proposed].signature.code == "IND" and checks[proposed].entitled is True
    forged = checks[repo.head()]
    assert forged.signature.code == "IND" and forged.entitled is False
    assert TEXT in forged.reason
    assert verified_author(repo, proposed).code == "IND"
    assert verified_author(repo, "main").code is None


def test_verify_json_and_exit_code(keyed, capsys):
    """`cicatext verify --json` lists every commit and exits 1 when one is not entitled."""
    from cicatext.cli.main import main

    repo, keys = keyed
    sign_with(repo.root, keys["CHN"])
    start_delegation(repo, "IND")
    edit(repo, "Improve the measures taken", "Improve the steps taken")
    propose(repo, SYMBOL)
    assert main(["verify", "-C", str(repo.root), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["commits"][0]["signer"] == "CHN" and report["commits"][0]["entitled"] is False
    assert main(["verify", "main", "-C", str(repo.root)]) == 0


def test_revoked_key_no_longer_verifies(keyed):
    """After revocation a signature by the key reports `revoked`, and the key cannot be registered again."""
    repo, keys = keyed
    sign_with(repo.root, keys["SEC"])
    git(repo.root, "commit", "-q", "--allow-empty", "-m", "signed by SEC")
    signed = repo.head()
    assert verified_author(repo, signed).code == "SEC"
    git(repo.root, "config", "commit.gpgSign", "false")
    revoke_key(repo, f"{keys['SEC']}.pub", reason="laptop lost")
    assert "laptop lost" in repo.read_text("keys/revoked")
    assert verified_author(repo, signed).status == "revoked"
    with pytest.raises(UsageError, match="revoked"):
        add_key(repo, "SEC", f"{keys['SEC']}.pub")


def test_tampered_signature_is_bad(keyed):
    """A commit whose content was altered after signing does not verify."""
    from cicatext.store.trust.verify import Git, Verifier, split_signed

    repo, keys = keyed
    sign_with(repo.root, keys["CHN"])
    git(repo.root, "commit", "-q", "--allow-empty", "-m", "original message")
    raw = Git(repo.root).objects([repo.head()])[0][1]
    with Verifier(load_keyring(repo)) as verifier:
        assert verifier.commit(raw).code == "CHN"
        assert verifier.commit(raw.replace(b"original", b"doctored")).status == "bad"
    assert split_signed(raw)[0].count(b"gpgsig") == 0
