"""Confidential records: encrypted to their recipients, readable by no one else, shared only with signed consent."""

from __future__ import annotations

import json
import subprocess

import pytest

from cicatext.errors import RuleError, UsageError
from cicatext.store.trust.confidential import add_record, list_records, record_consent, share_record, show_record
from cicatext.store.trust.keys import add_key
from tests.trust.conftest import keygen

SECRET = b"Troop rotation near the border: 14 July, 0400 local. CONFIDENTIAL-MARKER-7f3a\r\n"


@pytest.fixture
def keyed(new_repo, tmp_path):
    """A repository with keys for IND, CHN, IRAN and SEC, and the secret in a file outside it."""
    keys = {code: keygen(tmp_path / "keys", code.lower()) for code in ("IND", "CHN", "IRAN", "SEC")}
    for code, key in keys.items():
        add_key(new_repo, code, f"{key}.pub")
    source = tmp_path / "notice.txt"
    source.write_bytes(SECRET)
    return new_repo, keys, source


def test_plaintext_is_in_no_git_object(keyed):
    """After add, consent and share, no object of the repository holds the plaintext or a part of it."""
    repo, keys, source = keyed
    record = add_record(repo, source, provider="IND", recipients=["CHN"], title="Notice of a military activity")
    record_consent(repo, record.id, to="IRAN", key=keys["IND"])
    share_record(repo, record.id, to="IRAN", identity=keys["CHN"])
    everything = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=repo.root,
                                capture_output=True, check=True).stdout
    assert len(everything) > 1000
    for fragment in (SECRET.strip(), b"CONFIDENTIAL-MARKER-7f3a", b"Troop rotation"):
        assert fragment not in everything


def test_recipients_read_others_are_refused(keyed):
    """The provider and recipients read the exact bytes; a third state gets a clear refusal."""
    repo, keys, source = keyed
    record = add_record(repo, source, provider="IND", recipients=["CHN"])
    assert show_record(repo, record.id, identity=keys["CHN"]) == SECRET
    assert show_record(repo, record.id, identity=keys["IND"]) == SECRET
    with pytest.raises(RuleError, match="may not read"):
        show_record(repo, record.id, identity=keys["IRAN"])


def test_share_needs_the_providers_consent(keyed):
    """A recipient cannot pass the record on without the provider's consent; a forged consent does not count."""
    repo, keys, source = keyed
    record = add_record(repo, source, provider="IND", recipients=["CHN"])
    with pytest.raises(RuleError, match="has not consented"):
        share_record(repo, record.id, to="IRAN", identity=keys["CHN"])
    with pytest.raises(RuleError, match="only IND"):
        record_consent(repo, record.id, to="IRAN", key=keys["CHN"])
    # CHN writes a consent signed with its own key into the metadata by hand: it does not verify as IND's.
    from cicatext.store import yamlio
    from cicatext.store.trust.confidential import sign_consent

    meta = f"confidential/{record.id}.yaml"
    data = yamlio.load(repo.read_text(meta))
    data["consents"] = [{"to": "IRAN", "date": "2023-06-14", "signature": sign_consent(record, "IRAN", keys["CHN"])}]
    repo.commit({meta: yamlio.dump(data)}, "forged consent")
    with pytest.raises(RuleError, match="has not consented"):
        share_record(repo, record.id, to="IRAN", identity=keys["CHN"])


def test_provider_shares_by_consenting(keyed):
    """The provider's own share signs its consent; the new recipient then reads the content."""
    repo, keys, source = keyed
    record = add_record(repo, source, provider="IND", recipients=["CHN"])
    shared = share_record(repo, record.id, to="IRAN", identity=keys["IND"])
    assert shared.recipients == ("CHN", "IRAN")
    assert [c["to"] for c in shared.consents] == ["IRAN"]
    assert show_record(repo, record.id, identity=keys["IRAN"]) == SECRET


def test_list_json_and_validation(keyed, capsys):
    """`confidential list --json` shows metadata to anyone; the metadata matches its schema."""
    from cicatext.cli.main import main
    from cicatext.store import schemas, yamlio

    repo, keys, source = keyed
    record = add_record(repo, source, provider="IND", recipients=["CHN", "SEC"], title="Notice")
    assert main(["confidential", "list", "-C", str(repo.root), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["id"] == record.id and listed[0]["recipients"] == ["CHN", "SEC"]
    assert list(schemas.errors("confidential", yamlio.load(repo.read_text(f"confidential/{record.id}.yaml")))) == []
    assert [r.id for r in list_records(repo)] == [record.id]


def test_recipient_without_key_is_refused(keyed, tmp_path):
    """A recipient with no registered key cannot be encrypted to: the refusal says how to register one."""
    repo, keys, source = keyed
    with pytest.raises(UsageError, match="AZER has no registered"):
        add_record(repo, source, provider="IND", recipients=["AZER"])


def test_cli_show_refuses_clearly(keyed, capsys):
    """`confidential show` with a non-recipient's key exits non-zero with one message, no traceback."""
    from cicatext.cli.main import main

    repo, keys, source = keyed
    record = add_record(repo, source, provider="IND", recipients=["CHN"])
    assert main(["confidential", "show", record.id, "--identity", str(keys["IRAN"]), "-C", str(repo.root)]) == 1
    err = capsys.readouterr().err
    assert "may not read" in err and "Traceback" not in err
