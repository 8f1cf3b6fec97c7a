"""The shared repository's guard: signed proposals are taken, forged pushes are refused and leave nothing behind."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.propose import propose
from tests.trust.conftest import SYMBOL, TEXT, edit, git, make_world

OLD = "Improve the measures taken"
NEW = "Improve the steps taken"


def proposes(clone, code: str, old: str = OLD, new: str = NEW) -> str:
    """Start the branch, edit the text, propose; returns the commit."""
    start_delegation(clone, code)
    edit(clone, old, new)
    return propose(clone, SYMBOL).commit


def push(clone, ref: str, *extra: str):
    return git(clone.root, "push", "--porcelain", *extra, "origin", ref, check=False)


def refused(process, *words: str) -> str:
    """Assert the push failed and cicatext said why; returns what it said."""
    assert process.returncode != 0, process.stdout + process.stderr
    said = process.stderr
    for word in words:
        assert word in said, said
    return said


def test_signed_proposal_is_taken(world):
    """A delegation's proposal, signed with its own key, reaches the shared repository."""
    india = world.clone("india", "IND")
    commit = proposes(india, "IND")
    process = push(india, "delegations/IND")
    assert process.returncode == 0, process.stderr
    assert world.on_server(commit)


def test_another_delegations_key_is_refused(world):
    """IND's key on CHN's branch is refused, even though the signature itself is valid; the objects are not kept."""
    india = world.clone("india", "IND")
    commit = proposes(india, "CHN")
    said = refused(push(india, "delegations/CHN"), "signed by IND", "only CHN's keys")
    assert "cicatext: refused delegations/CHN" in said
    assert not world.on_server(commit)


def test_change_outside_own_folder_is_refused(world):
    """A delegation commit touching a document text is refused with the path named."""
    india = world.clone("india", "IND")
    start_delegation(india, "IND")
    edit(india, OLD, NEW)
    git(india.root, "commit", "-qam", "rewrite the draft directly")
    commit = india.head()
    refused(push(india, "delegations/IND"), f"changes {TEXT}", "outside positions/IND/")
    assert not world.on_server(commit)


def test_evil_merge_is_refused(world):
    """A merge that carries a change neither parent has is checked as the merge's own change."""
    india = world.clone("india", "IND")
    proposes(india, "IND")
    git(india.root, "checkout", "-q", "-b", "side", "main")
    git(india.root, "commit", "-q", "--allow-empty", "-m", "side")
    git(india.root, "checkout", "-q", "delegations/IND")
    git(india.root, "merge", "-q", "--no-commit", "--no-ff", "side")
    edit(india, OLD, NEW)
    git(india.root, "add", TEXT)
    git(india.root, "commit", "-q", "-m", "merge side")
    refused(push(india, "delegations/IND"), "outside positions/IND/")
    assert not world.on_server(india.head())


def test_unsigned_commit_is_refused(world):
    """With --require-signatures an unsigned commit on a delegation branch is refused."""
    india = world.clone("india", "IND")
    git(india.root, "config", "commit.gpgSign", "false")
    commit = proposes(india, "IND")
    refused(push(india, "delegations/IND"), "unsigned", "IND's signature")
    assert not world.on_server(commit)


def test_force_push_is_refused(world):
    """A push that would drop shared commits is refused; the shared branch keeps its commit."""
    india = world.clone("india", "IND")
    first = proposes(india, "IND")
    assert push(india, "delegations/IND").returncode == 0
    git(india.root, "commit", "-q", "--amend", "-m", "rewritten")
    refused(push(india, "delegations/IND", "--force"), "force push")
    assert git(world.bare, "rev-parse", "delegations/IND").stdout.strip() == first


def test_deleting_main_is_refused(world):
    """Nobody deletes main on the shared repository."""
    india = world.clone("india", "IND")
    process = push(india, ":main")
    assert process.returncode != 0
    assert git(world.bare, "rev-parse", "--verify", "main", check=False).returncode == 0


def test_broken_yaml_on_a_delegation_branch_is_refused(world):
    """A position set with a duplicate key never reaches the shared repository; the refusal names the file."""
    india = world.clone("india", "IND")
    proposes(india, "IND")
    path = india.path("positions/IND/mc-2023-draft-5.yaml")
    path.write_text(path.read_text(encoding="utf-8") + "delegation: IND\n", encoding="utf-8")
    git(india.root, "commit", "-qam", "oops")
    refused(push(india, "delegations/IND"), "positions/IND/mc-2023-draft-5.yaml", "duplicate key")
    assert not world.on_server(india.head())


def test_a_delegation_cannot_move_main(world):
    """A commit on main signed by a delegation's key is refused: main moves only by the Secretariat's keys."""
    india = world.clone("india", "IND")
    edit(india, OLD, NEW)
    git(india.root, "commit", "-qam", "IND edits main")
    refused(push(india, "main"), "signed by IND", "main moves only by the Secretariat")
    assert not world.on_server(india.head())


def test_unknown_refs_and_codes_are_refused(world):
    """Only main, delegations/<registered code> and round tags are taken."""
    india = world.clone("india", "IND")
    proposes(india, "IND")
    refused(push(india, "delegations/IND:refs/heads/delegations/XYZ"), "no registered delegation code")
    refused(push(india, "delegations/IND:refs/heads/feature"), "takes only main")


def test_round_tag_needs_the_secretariat(world):
    """A round tag set with a delegation's key is refused; a tag never moves once shared."""
    india = world.clone("india", "IND")
    git(india.root, "tag", "-s", "-m", "fake round", "round/mc-2023-draft-5/9", "main")
    refused(push(india, "round/mc-2023-draft-5/9"), "Secretariat's keys")


def test_server_init_settings(tmp_path, capsys):
    """server init sets the receive options, requires signatures by default and installs an executable hook
    running this interpreter; --allow-unsigned is explicit and says what it gives up."""
    import sys

    from cicatext.cli.main import main

    bare = tmp_path / "shared.git"
    assert main(["server", "init", str(bare)]) == 0
    for key, value in (("receive.fsckObjects", "true"), ("receive.denyNonFastForwards", "true"),
                       ("receive.denyDeletes", "true"), ("cicatext.requireSignatures", "true")):
        assert git(bare, "config", key).stdout.strip() == value
    hook = bare / "hooks" / "pre-receive"
    assert hook.stat().st_mode & 0o111
    assert sys.executable in hook.read_text()
    assert "signatures required" in capsys.readouterr().out
    assert main(["server", "init", str(bare), "--allow-unsigned"]) == 0
    assert git(bare, "config", "cicatext.requireSignatures").stdout.strip() == "false"
    said = capsys.readouterr().err
    assert "gives up verified authorship" in said and "any delegation's position set" in said
    assert main(["server", "init", str(bare), "--allow-unsigned", "--require-signatures"]) == 2
    assert git(bare, "config", "cicatext.requireSignatures").stdout.strip() == "false"


def test_plain_server_init_refuses_writing_into_another_delegations_position_set(tmp_path):
    """Class 6: on a repository made by a plain `server init`, an unsigned commit writing CHN's position set on
    delegations/CHN is refused (it was taken when signatures were optional by default)."""
    from cicatext.cli.main import main

    world = make_world(tmp_path)
    assert main(["server", "init", str(world.bare)]) == 0
    india = world.clone("india")
    commit = proposes(india, "CHN")
    refused(push(india, "delegations/CHN"), "unsigned", "CHN's signature")
    assert not world.on_server(commit)


def test_a_config_without_the_setting_requires_signatures(world):
    """A bare repository whose cicatext.requireSignatures is unset (armed by hand) requires signatures."""
    git(world.bare, "config", "--unset", "cicatext.requireSignatures")
    india = world.clone("india")
    commit = proposes(india, "IND")
    refused(push(india, "delegations/IND"), "unsigned")
    assert not world.on_server(commit)


def test_without_required_signatures_folder_rules_still_hold(tmp_path):
    """Without --require-signatures unsigned proposals are taken, but a change outside the folder is not."""
    world = make_world(tmp_path, require_signatures=False)
    india = world.clone("india")
    proposes(india, "IND")
    assert push(india, "delegations/IND").returncode == 0
    edit(india, "Encourage recognition", "Encourage the recognition")
    git(india.root, "commit", "-qam", "direct edit")
    refused(push(india, "delegations/IND"), "outside positions/IND/")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")
def test_pushes_over_git_daemon_on_loopback(world):
    """Over git:// on 127.0.0.1 the same hook takes the signed proposal and refuses the forged one."""
    port = _free_port()
    daemon = subprocess.Popen(
        ["git", "daemon", "--reuseaddr", "--listen=127.0.0.1", f"--port={port}", "--export-all",
         "--enable=receive-pack", f"--base-path={world.tmp}", str(world.tmp)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"git://127.0.0.1:{port}/shared.git"
        deadline = time.monotonic() + 10
        while git(world.tmp, "ls-remote", url, check=False).returncode != 0:
            if time.monotonic() > deadline or daemon.poll() is not None:
                pytest.skip("git daemon did not start")
            time.sleep(0.05)
        git(world.tmp, "clone", "--quiet", url, "india")
        from cicatext.store.repository import Repository
        from tests.trust.conftest import sign_with

        india = Repository(world.tmp / "india")
        sign_with(india.root, world.keys["IND"])
        good = proposes(india, "IND")
        assert push(india, "delegations/IND").returncode == 0
        assert world.on_server(good)
        forged = proposes(india, "CHN", "Encourage recognition", "Encourage the recognition")
        refused(push(india, "delegations/CHN"), "only CHN's keys")
        assert not world.on_server(forged)
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=5)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def test_a_round_by_a_signing_secretariat_is_taken_with_its_tag_signed(world):
    """With commit.gpgSign alone (no tag.gpgSign), `cicatext round` signs its tag too, so the round is taken."""
    from cicatext.store.negotiation.rounds import run_round

    india = world.clone("india", "IND")
    proposes(india, "IND")
    assert push(india, "delegations/IND").returncode == 0
    secretariat = world.secretariat
    git(secretariat.root, "config", "tag.gpgSign", "false")
    git(secretariat.root, "fetch", "--quiet", "origin")
    result = run_round(secretariat, SYMBOL)
    assert "-----BEGIN SSH SIGNATURE-----" in git(secretariat.root, "cat-file", "tag", result.tag).stdout
    process = push(secretariat, "main", "--follow-tags")
    assert process.returncode == 0, process.stderr
    assert git(world.bare, "rev-parse", f"{result.tag}^{{commit}}").stdout.strip() == result.commit


def test_allow_unsigned_still_checks_who_pushes(tmp_path):
    """With --allow-unsigned, a known pusher (as `cicatext serve` sets it) still moves only its own branch: IND's
    unsigned write on CHN's branch is refused, CHN's own is taken, and only the Secretariat moves main."""
    world = make_world(tmp_path, require_signatures=False)
    india = world.clone("india")
    commit = proposes(india, "CHN")
    as_ind = {"CICATEXT_PUSHER": "IND"}
    said = refused(git(india.root, "push", "origin", "delegations/CHN", check=False, env=as_ind))
    assert "pushed by IND: only CHN moves delegations/CHN" in said
    assert not world.on_server(commit)
    assert git(india.root, "push", "origin", "delegations/CHN", check=False,
               env={"CICATEXT_PUSHER": "CHN"}).returncode == 0
    refused(git(india.root, "push", "origin", "delegations/CHN:main", check=False, env={"CICATEXT_PUSHER": "CHN"}),
            "pushed by CHN: only SEC moves main")
    refused(push(india, "delegations/CHN:main"), "main's new tip would be a delegation's commit")


def test_a_refused_push_says_which_of_its_refs_were_sound(world):
    """git rejects every ref of a refused push: the hook says why each refused ref is refused, and that the
    others were not taken only because the push is taken whole or not at all."""
    india = world.clone("india", "IND")
    commit = proposes(india, "IND")
    process = git(india.root, "push", "--porcelain", "origin", "delegations/IND",
                  "delegations/IND:refs/heads/feature", check=False)
    said = refused(process, "refused feature", "takes only main")
    assert "not taken delegations/IND: nothing is wrong with it" in said
    assert "not taken feature" not in said
    assert not world.on_server(commit)
    assert push(india, "delegations/IND").returncode == 0
