"""The negotiation across clones of one shared bare repository (file:// URLs, real git)."""

from __future__ import annotations

import pytest

from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.history import document_log
from cicatext.store.negotiation.propose import propose
from cicatext.store.negotiation.rounds import run_round
from cicatext.store.repository import Repository
from tests.negotiation.conftest import SYMBOL, TEXT, cli, edit, git, snapshot
from tests.ids import at_in


@pytest.fixture
def shared(volunteer, tmp_path):
    """A bare repository holding the secretariat's main, and a function that clones it."""
    bare = tmp_path / "shared.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    url = f"file://{bare}"
    git(volunteer.root, "remote", "add", "origin", url)
    git(volunteer.root, "push", "--quiet", "-u", "origin", "main")

    def clone(name: str) -> Repository:
        git(tmp_path, "clone", "--quiet", url, name)
        return Repository(tmp_path / name)

    return volunteer, clone


def delegation_proposes(clone: Repository, code: str, old: str, new: str) -> None:
    """In a delegation's clone: bring the branch up to date, edit, propose, push."""
    start_delegation(clone, code)
    edit(clone, old, new)
    propose(clone, SYMBOL)
    git(clone.root, "push", "--quiet", "-u", "origin", f"delegations/{code}")


def test_delegations_push_the_secretariat_rounds_and_delegations_pull(shared):
    """Two delegation clones push, the secretariat fetches and compiles, the delegations pull the new revision."""
    secretariat, clone = shared
    china, india = clone("china"), clone("india")
    delegation_proposes(china, "CHN", "Improve the measures taken", "Improve the steps taken")
    delegation_proposes(india, "IND", "in volunteer activities, both onsite and online;", "in volunteer activities;")

    git(secretariat.root, "fetch", "--quiet", "origin")
    result = run_round(secretariat, SYMBOL)
    assert result.delegations == ("CHN", "IND")
    parents = git(secretariat.root, "rev-list", "--parents", "-n", "1", "main").split()[1:]
    assert parents[1:] == [git(secretariat.root, "rev-parse", f"origin/delegations/{c}").strip() for c in ("CHN", "IND")]
    git(secretariat.root, "push", "--quiet", "--follow-tags", "origin", "main")

    git(china.root, "switch", "--quiet", "main")
    git(china.root, "pull", "--quiet", "--ff-only")
    assert "[[measures] (-CHN), [steps] (+CHN)]" in china.read_text(TEXT)
    assert [r.tag for r in document_log(china, SYMBOL)] == ["round/mc-2023-draft-5/1"]
    assert git(china.root, "tag", "-l", "round/*").split() == ["round/mc-2023-draft-5/1"]

    started = start_delegation(china, "CHN")
    assert started.updated == "fast-forward"
    delegation_proposes(china, "CHN", "Encourage recognition of the volunteers'",
                        "Encourage recognition of the valuable volunteers'")
    git(secretariat.root, "fetch", "--quiet", "origin")
    second = run_round(secretariat, SYMBOL)
    assert second.tag == "round/mc-2023-draft-5/2" and second.delegations == ("CHN",)
    text = secretariat.read_text(TEXT)
    assert text.count("[steps] (+CHN)") == 1 and "[valuable] (+CHN)" in text


def test_a_delegation_starts_from_the_shared_branch(shared):
    """`delegation start` in a fresh clone picks up the delegation's branch from the shared repository."""
    secretariat, clone = shared
    first = clone("first")
    delegation_proposes(first, "CHN", "Improve the measures taken", "Improve the steps taken")
    second = clone("second")
    result = start_delegation(second, "CHN")
    assert result.created and second.current_branch() == "delegations/CHN"
    assert second.path("positions/CHN/mc-2023-draft-5.yaml").exists()
    assert git(second.root, "rev-parse", "--abbrev-ref", "delegations/CHN@{upstream}").strip() == \
        "origin/delegations/CHN"


def test_round_when_main_has_diverged_from_the_remote(shared, capsys):
    """When the shared main and the local main each have commits the other lacks, the round stops, changing nothing."""
    secretariat, clone = shared
    china = clone("china")
    delegation_proposes(china, "CHN", "Improve the measures taken", "Improve the steps taken")
    colleague = clone("colleague")
    cli("agree", SYMBOL, at_in(colleague, SYMBOL, "op13:1"), "-C", str(colleague.root))
    git(colleague.root, "push", "--quiet", "origin", "main")
    cli("drop", SYMBOL, at_in(secretariat, SYMBOL, "op15:1"), "-C", str(secretariat.root))
    git(secretariat.root, "fetch", "--quiet", "origin")
    capsys.readouterr()
    before = snapshot(secretariat.root)
    assert cli("round", SYMBOL, "-C", str(secretariat.root)) != 0
    err = capsys.readouterr().err
    assert "main and origin/main have diverged" in err and "Traceback" not in err
    assert snapshot(secretariat.root) == before


def test_round_when_main_is_behind_the_remote(shared, capsys):
    """A round on a main that lacks the shared repository's commits asks for a pull first."""
    secretariat, clone = shared
    china = clone("china")
    delegation_proposes(china, "CHN", "Improve the measures taken", "Improve the steps taken")
    colleague = clone("colleague")
    cli("agree", SYMBOL, at_in(colleague, SYMBOL, "op13:1"), "-C", str(colleague.root))
    git(colleague.root, "push", "--quiet", "origin", "main")
    git(secretariat.root, "fetch", "--quiet", "origin")
    capsys.readouterr()
    before = snapshot(secretariat.root)
    assert cli("round", SYMBOL, "-C", str(secretariat.root)) != 0
    err = capsys.readouterr().err
    assert "main is behind origin/main" in err and "git pull" in err
    assert snapshot(secretariat.root) == before


def test_round_when_a_delegation_branch_has_diverged(shared, capsys):
    """A delegation branch whose local and shared copies diverged is named, and nothing changes."""
    secretariat, clone = shared
    china = clone("china")
    delegation_proposes(china, "CHN", "Improve the measures taken", "Improve the steps taken")
    git(secretariat.root, "fetch", "--quiet", "origin")
    git(secretariat.root, "branch", "delegations/CHN", "main")
    git(secretariat.root, "switch", "--quiet", "delegations/CHN")
    secretariat.commit({"positions/CHN/mc-2023-draft-5.yaml": "delegation: CHN\ndocument: MC/2023/DRAFT/5\n"
                                                              "entries: []\n"}, "local CHN")
    git(secretariat.root, "switch", "--quiet", "main")
    capsys.readouterr()
    before = snapshot(secretariat.root)
    assert cli("round", SYMBOL, "-C", str(secretariat.root)) != 0
    err = capsys.readouterr().err
    assert "have diverged" in err and "delegations/CHN" in err
    assert snapshot(secretariat.root) == before


def test_delegation_start_when_its_branch_diverged(shared, capsys):
    """`delegation start` refuses to switch onto a branch that diverged from the shared copy."""
    secretariat, clone = shared
    china = clone("china")
    delegation_proposes(china, "CHN", "Improve the measures taken", "Improve the steps taken")
    other = clone("other")
    delegation_proposes(other, "CHN", "Hereby decided to:", "Hereby decide to:")
    git(china.root, "switch", "--quiet", "delegations/CHN")
    edit(china, "Encourage recognition", "Encourage wide recognition")
    propose(china, SYMBOL)
    git(china.root, "switch", "--quiet", "main")
    git(china.root, "fetch", "--quiet", "origin")
    capsys.readouterr()
    before = snapshot(china.root)
    assert cli("delegation", "start", "CHN", "-C", str(china.root)) != 0
    err = capsys.readouterr().err
    assert "diverged" in err and "Traceback" not in err
    assert snapshot(china.root) == before


def test_rounds_pass_the_shared_repository_guard(volunteer, tmp_path):
    """Through a bare repository guarded by `cicatext server init`, delegation pushes and round pushes are taken."""
    from cicatext.store.trust.server import init_server

    bare = tmp_path / "guarded.git"
    init_server(bare, require_signatures=False)
    url = f"file://{bare}"
    git(volunteer.root, "remote", "add", "origin", url)
    git(volunteer.root, "push", "--quiet", "-u", "origin", "main")
    git(tmp_path, "clone", "--quiet", url, "china")
    china = Repository(tmp_path / "china")
    delegation_proposes(china, "CHN", "Improve the measures taken", "Improve the steps taken")
    git(volunteer.root, "fetch", "--quiet", "origin")
    result = run_round(volunteer, SYMBOL)
    git(volunteer.root, "push", "--quiet", "--follow-tags", "origin", "main")
    assert git(volunteer.root, "ls-remote", "origin", result.tag).split()[1] == f"refs/tags/{result.tag}"
    git(china.root, "switch", "--quiet", "main")
    git(china.root, "pull", "--quiet", "--ff-only")
    delegation_proposes(china, "CHN", "Hereby decided to:", "Hereby decide to:")
