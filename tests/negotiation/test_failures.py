"""Bad input and failure: each gets one clear message, and main and the working tree stay exactly as they were."""

from __future__ import annotations

import os

import pytest

from cicatext.store import yamlio
from cicatext.store.negotiation.branches import start_delegation
from tests.busy_git import git_at_work
from tests.negotiation.conftest import SLUG, SYMBOL, TEXT, cli, edit, git, propose_as, snapshot

MEASURES = ("Improve the measures taken", "Improve the steps taken")


def refused(repo, capsys, *args: str) -> str:
    """Run a command that must fail; return its message after checking the repository did not change."""
    before = snapshot(repo.root)
    code = cli(*args, "-C", str(repo.root))
    err = capsys.readouterr().err
    assert code != 0, err
    assert "Traceback" not in err and err.strip()
    assert snapshot(repo.root) == before
    return err


def hand_written(repo, code: str, entries: list[dict], *, delegation: str | None = None,
                 document: str = SYMBOL) -> None:
    """Commit a hand-written position set on the delegation's branch, then return to main."""
    start_delegation(repo, code)
    repo.commit({f"positions/{code}/{SLUG}.yaml": yamlio.dump(
        {"delegation": delegation or code, "document": document, "entries": entries})}, f"{code} positions")
    git(repo.root, "switch", "--quiet", "main")


def test_unknown_delegation_suggests_the_nearest_code(volunteer, capsys):
    """`delegation start` with a code nobody has names the nearest known one."""
    err = refused(volunteer, capsys, "delegation", "start", "CHNA")
    assert "unknown delegation 'CHNA'" in err and "did you mean CHN" in err


def test_round_with_an_unknown_delegation(volunteer, capsys):
    """`round --delegations` with an unknown code is refused with a suggestion."""
    propose_as(volunteer, "CHN", MEASURES)
    err = refused(volunteer, capsys, "round", SYMBOL, "--delegations", "CHN,IRN")
    assert "unknown delegation 'IRN'" in err and "IRAN" in err


def test_round_with_a_delegation_that_has_no_branch(volunteer, capsys):
    """A known delegation without a branch here or in a remote is named."""
    propose_as(volunteer, "CHN", MEASURES)
    err = refused(volunteer, capsys, "round", SYMBOL, "--delegations", "TUR")
    assert "no branch delegations/TUR" in err


def test_position_on_a_missing_paragraph(volunteer, capsys):
    """An entry anchored to a paragraph the document lacks stops the round, naming the paragraph and the file."""
    hand_written(volunteer, "IRAN", [{"id": "e1", "action": "delete", "paragraph": "op99",
                                      "anchor": {"text": "volunteers"}}])
    err = refused(volunteer, capsys, "round", SYMBOL)
    assert "'op99'" in err and "delegations/IRAN:positions/IRAN/mc-2023-draft-5.yaml" in err


def test_dirty_working_tree(volunteer, capsys):
    """A round, or switching to a delegation branch, refuses uncommitted changes and keeps them."""
    propose_as(volunteer, "CHN", MEASURES)
    edit(volunteer, "Hereby decided to:", "Hereby decide to:")
    err = refused(volunteer, capsys, "round", SYMBOL)
    assert "uncommitted changes" in err and TEXT in err
    err = refused(volunteer, capsys, "delegation", "start", "IND")
    assert "uncommitted changes" in err
    assert "Hereby decide to:" in volunteer.read_text(TEXT)


def test_merge_in_progress(volunteer, capsys):
    """A round during an unfinished git merge says so and leaves the merge as it is."""
    propose_as(volunteer, "CHN", MEASURES)
    root = volunteer.root
    git(root, "switch", "--quiet", "-c", "side")
    (root / "README.md").write_text("side\n")
    git(root, "commit", "-qam", "side")
    git(root, "switch", "--quiet", "main")
    (root / "README.md").write_text("main\n")
    git(root, "commit", "-qam", "main")
    git(root, "merge", "side", check=False)
    assert (root / ".git" / "MERGE_HEAD").exists()
    err = refused(volunteer, capsys, "round", SYMBOL)
    assert "a merge is in progress" in err and "git merge --abort" in err


def test_second_round_while_one_runs(volunteer, capsys):
    """While another cicatext command holds the repository's lock, a round is refused."""
    propose_as(volunteer, "CHN", MEASURES)
    with volunteer.lock():
        err = refused(volunteer, capsys, "round", SYMBOL)
    assert "another cicatext command is writing" in err


def test_round_while_git_holds_its_index_lock(volunteer, capsys):
    """While a git command holds .git/index.lock, a round is refused with git's lock named."""
    propose_as(volunteer, "CHN", MEASURES)
    with git_at_work(volunteer.root / ".git" / "index.lock"):
        err = refused(volunteer, capsys, "round", SYMBOL)
    assert "index.lock" in err


def test_round_off_main(volunteer, capsys):
    """A round runs on main only."""
    propose_as(volunteer, "CHN", MEASURES)
    git(volunteer.root, "switch", "--quiet", "delegations/CHN")
    err = refused(volunteer, capsys, "round", SYMBOL)
    assert "runs on main" in err


def test_propose_off_a_delegation_branch(volunteer, capsys):
    """propose runs on a delegation branch only."""
    edit(volunteer, *MEASURES)
    err = refused(volunteer, capsys, "propose", SYMBOL)
    assert "delegation branch" in err and "delegation start" in err


def test_propose_with_nothing_changed(volunteer, capsys):
    """propose without an edit says there is nothing to propose."""
    start_delegation(volunteer, "CHN")
    err = refused(volunteer, capsys, "propose", SYMBOL)
    assert "nothing to propose" in err


def test_propose_changing_another_delegations_attribution(volunteer, capsys):
    """Editing another delegation's attribution is refused; the edit stays for the delegation to fix."""
    start_delegation(volunteer, "IND")
    edit(volunteer, "(CHN tcb)", "(-CHN)")
    err = refused(volunteer, capsys, "propose", SYMBOL)
    assert "CHN" in err and "only your own" in err
    assert "(-CHN)" in volunteer.read_text(TEXT)


def test_propose_with_broken_notation(volunteer, capsys):
    """An edit that leaves a bracket open is a located notation error; nothing is committed."""
    start_delegation(volunteer, "IND")
    edit(volunteer, "Improve the measures", "Improve the [measures")
    err = refused(volunteer, capsys, "propose", SYMBOL)
    assert "never closed" in err and f"{TEXT}:" in err


def test_branch_changing_files_outside_its_positions(volunteer, capsys):
    """A delegation branch that changes anything but positions/CODE/ is not merged."""
    start_delegation(volunteer, "CHN")
    edit(volunteer, *MEASURES)
    git(volunteer.root, "commit", "-qam", "edit the text directly")
    git(volunteer.root, "switch", "--quiet", "main")
    hand_written(volunteer, "IND", [{"id": "e1", "action": "reserve", "paragraph": "op13", "bracket": "op13:1"}])
    err = refused(volunteer, capsys, "round", SYMBOL)
    assert "delegations/CHN changes files outside positions/CHN/" in err and TEXT in err


def test_position_set_in_another_delegations_name(volunteer, capsys):
    """A position set naming another delegation than its folder is refused."""
    hand_written(volunteer, "IND", [{"id": "e1", "action": "reserve", "paragraph": "op13", "bracket": "op13:1"}],
                 delegation="CHN")
    err = refused(volunteer, capsys, "round", SYMBOL)
    assert "names delegation 'CHN', not IND" in err


def test_position_set_with_a_bad_entry(volunteer, capsys):
    """A malformed entry is a record error naming the branch, file and entry."""
    hand_written(volunteer, "IND", [{"id": "e1", "action": "delete", "paragraph": "op13"}])
    err = refused(volunteer, capsys, "round", SYMBOL)
    assert "delegations/IND:positions/IND/" in err and "entry 1" in err


def test_existing_round_tag(volunteer, capsys):
    """A round whose tag already exists (another clone's round not pulled) is refused."""
    propose_as(volunteer, "CHN", MEASURES)
    git(volunteer.root, "tag", "round/mc-2023-draft-5/1", "main")
    err = refused(volunteer, capsys, "round", SYMBOL)
    assert "round/mc-2023-draft-5/1 already exists" in err


def test_unknown_ref_in_diff(volunteer, capsys):
    """diff with a ref git does not know names it and what refs look like."""
    err = refused(volunteer, capsys, "diff", "round/nothing/1", "main")
    assert "unknown revision 'round/nothing/1'" in err


def test_round_whose_signature_cannot_be_made(volunteer, capsys, tmp_path):
    """git set to sign every commit with a key that is not there: the round is refused and nothing moves."""
    propose_as(volunteer, "CHN", MEASURES)
    for setting, value in (("gpg.format", "ssh"), ("user.signingkey", str(tmp_path / "no-such-key")),
                           ("commit.gpgSign", "true")):
        git(volunteer.root, "config", setting, value)
    err = refused(volunteer, capsys, "round", SYMBOL)
    assert "could not be signed" in err and "commit.gpgSign" in err


def test_diff_names_the_unknown_one_of_two_refs(volunteer, capsys):
    """When the first ref is known and the second is not, the message names the second."""
    err = refused(volunteer, capsys, "diff", "main", "round/nothing/2", SYMBOL)
    assert "unknown revision 'round/nothing/2'" in err and "'main'" not in err


def test_diff_of_a_document_at_two_commits_without_it(volunteer, capsys):
    """A document that has no text at either commit is named, with both commits."""
    err = refused(volunteer, capsys, "diff", "main~1", "main~1", SYMBOL)
    assert f"{SYMBOL} has no en text at main~1 or main~1" in err



def test_diff_names_an_unknown_first_ref_before_a_text_that_is_not_utf8(volunteer, capsys):
    """An unknown first revision is named, though the document's text at the second is not UTF-8."""
    (volunteer.root / TEXT).write_bytes(b"{#op1} 1. Decides \xff\n")
    git(volunteer.root, "commit", "-qam", "not UTF-8")
    err = refused(volunteer, capsys, "diff", "round/nothing/1", "main", SYMBOL)
    assert "unknown revision 'round/nothing/1'" in err and "UTF-8" not in err


def test_diff_refuses_a_tree_for_a_revision(volunteer, capsys):
    """A tree, which holds the document's text but is no commit, is named as an unknown revision."""
    err = refused(volunteer, capsys, "diff", "main^{tree}", "main", SYMBOL)
    assert "unknown revision 'main^{tree}'" in err


def test_diff_of_a_symbol_nowhere_suggests_the_nearest(volunteer, capsys):
    """A symbol with no text at either commit and none in the register now: the nearest symbol is suggested."""
    err = refused(volunteer, capsys, "diff", "main~1", "main", "MC/2023/DRAFT/6")
    assert "MC/2023/DRAFT/6 has no en text at main~1 or main" in err
    assert "not in the register now either" in err and "MC/2023/DRAFT/5" in err


def test_failed_tag_puts_main_and_the_tree_back(volunteer, monkeypatch):
    """When the last step (the tag) fails, main and the working tree return to where they were."""
    from cicatext.errors import RepositoryError
    from cicatext.store.negotiation import rounds
    from cicatext.store.repository import Repository

    propose_as(volunteer, "CHN", MEASURES)
    before = snapshot(volunteer.root)
    real = Repository.run_git

    def failing(self, *args, **kwargs):
        if args[:1] == ("tag",):
            raise RepositoryError("git tag failed: simulated")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Repository, "run_git", failing)
    with pytest.raises(RepositoryError):
        rounds.run_round(volunteer, SYMBOL)
    monkeypatch.undo()
    assert snapshot(volunteer.root) == before
    assert not list((volunteer.root / ".git").glob("cicatext-round-*.index"))
    assert os.listdir(volunteer.root / ".git" / "refs" / "tags") == []


def _half_moved(repo, stop_after: str) -> tuple[str, str]:
    """A move of main to a new commit, stopped as a kill would stop it: after the work tree, or after main.

    Returns (old, new). The journal is the one `Repository.move_branch` writes.
    """
    import json

    from cicatext.store.layout import JOURNAL

    old = git(repo.root, "rev-parse", "main").strip()
    edit(repo, "Recognizing", "Recognising after the crash")
    git(repo.root, "add", TEXT)
    tree = git(repo.root, "write-tree").strip()
    git(repo.root, "reset", "--quiet", "--hard", old)
    new = git(repo.root, "commit-tree", tree, "-p", old, "-m", "Round").strip()
    move = {"ref": "refs/heads/main", "old": old, "new": new, "tag": ["round/test/1", "Round 1"], "env": {}}
    (repo.git_dir() / JOURNAL).write_text(json.dumps({"move": move}), encoding="utf-8")
    git(repo.root, "read-tree", "-m", "-u", old, new)
    if stop_after == "main":
        git(repo.root, "update-ref", "refs/heads/main", new, old)
    return old, new


@pytest.mark.parametrize("stop_after", ["work tree", "main"])
def test_a_move_of_main_cut_short_is_settled_by_the_next_command(volunteer, stop_after):
    """Killed between the work tree and main, or between main and the tag: the next writer settles it."""
    old, new = _half_moved(volunteer, stop_after)
    volunteer.commit({"notes/after.txt": "x\n"}, "After the crash")
    moved = stop_after == "main"
    assert git(volunteer.root, "rev-parse", "main~1").strip() == (new if moved else old)
    assert git(volunteer.root, "status", "--porcelain", "--untracked-files=no") == ""
    assert ("Recognising after the crash" in (volunteer.root / TEXT).read_text(encoding="utf-8")) is moved
    tags = git(volunteer.root, "tag", "--list", "round/test/1").split()
    assert tags == (["round/test/1"] if moved else [])
    assert not (volunteer.git_dir() / "cicatext-journal.json").exists()


def test_start_refused_part_way_puts_back_the_branch_it_switched_from(volunteer, capsys):
    """Switched to the delegation's branch, then refused bringing it up to date (a file git does not track stands
    where main adds one): the branch checked out before is checked out again, and nothing else moved."""
    root = volunteer.root
    git(root, "branch", "delegations/CHN")
    git(root, "branch", "other")
    volunteer.commit({"notes/new.txt": "main's\n"}, "Main moves on")
    git(root, "switch", "--quiet", "other")
    (root / "notes").mkdir(exist_ok=True)
    (root / "notes" / "new.txt").write_text("MINE\n")
    before = git(root, "rev-parse", "delegations/CHN")
    err = refused(volunteer, capsys, "delegation", "start", "CHN")
    assert "notes/new.txt: git does not track this file" in err
    assert git(root, "symbolic-ref", "--short", "HEAD").strip() == "other"
    assert git(root, "rev-parse", "delegations/CHN") == before
    assert (root / "notes" / "new.txt").read_text() == "MINE\n"
