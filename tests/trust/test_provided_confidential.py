"""Information provided in confidence by a member state (Modalities 4.2): encrypted on its machine, committed on its
own branch, pushed through the guarded repository, carried to main by a round, read by its recipients only."""

from __future__ import annotations

import subprocess

import pytest

from cicatext.errors import UsageError
from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.rounds import run_round
from cicatext.store.trust.confidential import add_record, list_records, open_record
from tests.trust.conftest import SYMBOL, git
from tests.trust.test_server import proposes, push, refused

SECRET = b"Exercise notified in confidence: 3 brigades, 12-19 March. PROVIDED-MARKER-91c2\n"


def _secret_file(world):
    path = world.tmp / "outside" / "exercise-notice.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(SECRET)
    return path


def _round_and_share(world) -> str:
    git(world.secretariat.root, "fetch", "--quiet", "origin")
    result = run_round(world.secretariat, SYMBOL)
    process = git(world.secretariat.root, "push", "--follow-tags", "origin", "main", check=False)
    assert process.returncode == 0, process.stderr
    return result.message


def test_the_provider_pushes_its_record_and_a_round_carries_it(world):
    """IND encrypts on its machine and commits on delegations/IND; the push is taken; the round brings it to main,
    where CHN reads it and the plaintext is in no object of the shared repository."""
    india = world.clone("india", "IND")
    proposes(india, "IND")
    record = add_record(india, _secret_file(world), provider="IND", recipients=["CHN"], title="Notice")
    pushed = push(india, "delegations/IND")
    assert pushed.returncode == 0, pushed.stderr
    assert record.paths[0] == f"positions/IND/confidential/{record.id}.yaml"
    _round_and_share(world)
    china = world.clone("china", "CHN")
    assert [r.id for r in list_records(china)] == [record.id]
    assert open_record(china, record.id, identity=world.keys["CHN"]) == (SECRET, "exercise-notice.txt")
    everything = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=world.bare,
                                capture_output=True, check=True).stdout
    assert len(everything) > 1000
    assert b"PROVIDED-MARKER-91c2" not in everything and b"exercise-notice" not in everything


def test_a_round_carries_a_record_from_a_branch_with_nothing_to_compile(world):
    """IND pushes only a confidential record, CHN a proposal: the round compiles CHN and carries IND's record."""
    india = world.clone("india", "IND")
    start_delegation(india, "IND")
    record = add_record(india, _secret_file(world), provider="IND", recipients=["CHN"])
    assert push(india, "delegations/IND").returncode == 0
    china = world.clone("china", "CHN")
    proposes(china, "CHN")
    assert push(china, "delegations/CHN").returncode == 0
    message = _round_and_share(world)
    assert "Cicatext-Delegations: CHN\n" in message
    assert world.secretariat.path(record.paths[1]).exists()
    assert open_record(world.secretariat, record.id, identity=world.keys["IND"])[0] == SECRET


def test_a_delegation_provides_only_its_own_information(world):
    """On delegations/CHN, add refuses IND as provider; a record slipped into CHN's folder naming IND is refused
    at push, as is CHN writing into IND's folder."""
    china = world.clone("china", "CHN")
    start_delegation(china, "CHN")
    with pytest.raises(UsageError, match="provided by CHN, not IND"):
        add_record(china, _secret_file(world), provider="IND", recipients=["SEC"])
    record = add_record(china, _secret_file(world), provider="CHN", recipients=["SEC"])
    meta = china.path(record.paths[0])
    meta.write_text(meta.read_text(encoding="utf-8").replace("provider: CHN", "provider: IND"), encoding="utf-8")
    git(china.root, "commit", "-qam", "claim IND provided it")
    refused(push(china, "delegations/CHN"), record.paths[0], "provided by CHN, not 'IND'")
    git(china.root, "reset", "-q", "--hard", "HEAD~2")
    target = china.path(f"positions/IND/confidential/{record.id}.yaml")
    target.parent.mkdir(parents=True)
    target.write_text("id: x\n", encoding="utf-8")
    git(china.root, "add", "-A")
    git(china.root, "commit", "-qm", "into IND's folder")
    refused(push(china, "delegations/CHN"), "outside positions/CHN/")
