"""Atomic writes keep the modes git would give, and moving a branch writes every file whole."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from cicatext.store.files import write_atomic


def git(path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, check=True).stdout


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_the_mode_of_the_umask(tmp_path):
    """Not mkstemp's 0600: the 0666-less-umask a checkout or an editor gives."""
    from cicatext.store import files

    write_atomic(tmp_path / "new.txt", "text\n")
    # The umask as it was when cicatext started (read once, as for a command).
    assert mode(tmp_path / "new.txt") == 0o666 & ~files.umask()
    assert (tmp_path / "new.txt").read_text() == "text\n"


def test_a_replaced_file_keeps_its_mode(tmp_path):
    """A file shared with the group (0660) stays shared after cicatext writes it."""
    target = tmp_path / "shared.txt"
    target.write_text("old\n")
    os.chmod(target, 0o660)
    write_atomic(target, "new\n")
    assert mode(target) == 0o660
    write_atomic(target, "newer\n", executable=True)
    assert mode(target) == 0o770
    write_atomic(target, "newest\n", executable=False)
    assert mode(target) == 0o660
    assert target.read_text() == "newest\n"


def test_moving_main_writes_changes_deletions_and_modes_as_git_would(new_repo):
    """`move_branch`: changed, added, deleted (its emptied folder removed) and executable files, then a clean status."""
    root = new_repo.root
    new_repo.commit({"notes/gone/a.txt": "to be deleted\n", "notes/kept.txt": "one\n"}, "Before")
    old = git(root, "rev-parse", "HEAD").strip()
    (root / "notes" / "gone" / "a.txt").unlink()
    (root / "notes" / "kept.txt").write_text("two\n")
    (root / "notes" / "run.sh").write_text("#!/bin/sh\necho hi\n")
    os.chmod(root / "notes" / "run.sh", 0o755)
    git(root, "add", "--all", "notes")
    git(root, "commit", "--quiet", "-m", "After")
    new = git(root, "rev-parse", "HEAD").strip()
    git(root, "reset", "--quiet", "--hard", old)
    assert (root / "notes" / "gone" / "a.txt").exists()

    with new_repo.lock():
        new_repo.move_branch("main", old, new)

    assert git(root, "rev-parse", "main").strip() == new
    assert (root / "notes" / "kept.txt").read_text() == "two\n"
    assert not (root / "notes" / "gone").exists()
    assert mode(root / "notes" / "run.sh") & 0o111
    assert mode(root / "notes" / "kept.txt") & 0o111 == 0
    assert git(root, "status", "--porcelain") == ""
    # Stat data refreshed: git finds nothing to re-read.
    assert git(root, "diff-files", "--name-only") == ""


def two_commits(repo, before: dict[str, str], after: dict[str, str]) -> tuple[str, str]:
    """Commit `before`'s files, then (on top) `after`'s exactly in their place; the tree is put back at the first."""
    root = repo.root

    def commit(files: dict[str, str], message: str) -> str:
        for path, text in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(text.encode())
        git(root, "add", "--all")
        git(root, "commit", "--quiet", "-m", message)
        return git(root, "rev-parse", "HEAD").strip()

    old = commit(before, "Before")
    git(root, "rm", "--quiet", "-r", "--", *before)
    new = commit(after, "After")
    git(root, "reset", "--quiet", "--hard", old)
    return old, new


def test_a_file_git_does_not_track_is_never_written_over(new_repo):
    """Where the move would write a file over one git does not track, it is refused before anything changes."""
    from cicatext.errors import RepositoryError

    root = new_repo.root
    old, new = two_commits(new_repo, {"notes/a.txt": "a\n"}, {"notes/a.txt": "a\n", "positions/CHN/x.yaml": "theirs\n"})
    (root / "positions" / "CHN").mkdir(parents=True)
    (root / "positions" / "CHN" / "x.yaml").write_text("MY UNSAVED WORK\n")
    with new_repo.lock(), pytest.raises(RepositoryError) as refused:
        new_repo.move_branch("main", old, new)
    assert refused.value.problem.file == "positions/CHN/x.yaml"
    assert "git does not track this file" in str(refused.value)
    assert (root / "positions" / "CHN" / "x.yaml").read_text() == "MY UNSAVED WORK\n"
    assert git(root, "rev-parse", "main").strip() == old
    assert git(root, "status", "--porcelain", "--untracked-files=no") == ""


def test_a_folder_that_becomes_a_file_and_back(new_repo):
    """`notes/a/b.txt` becomes a file `notes/a`, and the move back: both written, the status clean."""
    root = new_repo.root
    old, new = two_commits(new_repo, {"notes/a/b.txt": "deep\n"}, {"notes/a": "flat\n"})
    with new_repo.lock():
        new_repo.move_branch("main", old, new)
    assert (root / "notes" / "a").read_text() == "flat\n"
    with new_repo.lock():
        new_repo.move_branch("main", new, old)
    assert (root / "notes" / "a" / "b.txt").read_text() == "deep\n"
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "rev-parse", "ORIG_HEAD").strip() == new


def test_odd_file_names_are_written_to_their_own_paths(new_repo):
    """A name with a space, a non-ASCII letter or a line break gets its own content, not the next file's."""
    root = new_repo.root
    names = ["notes/with space.txt", "notes/línea\nrota.txt", "notes/zeta.txt"]
    old, new = two_commits(new_repo, {"notes/keep.txt": "k\n"},
                           {"notes/keep.txt": "k\n", **{name: f"{name}\n" for name in names}})
    with new_repo.lock():
        new_repo.move_branch("main", old, new)
    for name in names:
        assert (root / name).read_text() == f"{name}\n"
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize("asked_by", ["autocrlf true", "autocrlf yes", "gitattributes"])
def test_line_endings_git_converts_are_left_to_git(new_repo, asked_by):
    """CRLF asked by core.autocrlf (in any spelling git takes for true), or by a .gitattributes the move itself
    edits (read as the commit being written has it): the text comes out with CRLF as git writes it, status clean."""
    root = new_repo.root
    before, after = {"notes/a.txt": "a\n"}, {"notes/a.txt": "a\nb\n"}
    if asked_by == "gitattributes":
        before["notes/.gitattributes"], after["notes/.gitattributes"] = "*.txt -text\n", "*.txt text eol=crlf\n"
    old, new = two_commits(new_repo, before, after)
    if asked_by != "gitattributes":
        git(root, "config", "core.autocrlf", asked_by.split()[1])
    with new_repo.lock():
        new_repo.move_branch("main", old, new)
    assert (root / "notes" / "a.txt").read_bytes() == b"a\r\nb\r\n"
    assert git(root, "status", "--porcelain") == ""


def test_a_switch_left_by_a_killed_writer_is_not_undone_once_head_moved_on(new_repo):
    """The journal of a switch whose HEAD was moved by hand since is dropped, not used to put old files back."""
    import json

    root = new_repo.root
    old, new = two_commits(new_repo, {"notes/f.txt": "v1\n"}, {"notes/f.txt": "v2\n"})
    git(root, "branch", "other", new)
    journal = {"switch": {"ref": "refs/heads/other", "old": old, "new": new}}
    # The user, after the kill, committed on main by hand.
    (root / "notes" / "f.txt").write_text("by hand\n")
    git(root, "commit", "--quiet", "-am", "By hand")
    (new_repo.git_dir() / "cicatext-journal.json").write_text(json.dumps(journal))
    new_repo.commit({"notes/later.txt": "x\n"}, "Later")
    assert (root / "notes" / "f.txt").read_text() == "by hand\n"
    assert git(root, "status", "--porcelain") == ""


def test_after_a_switch_git_checkout_dash_goes_back(new_repo):
    """`switch_branch` leaves the reflog words `git checkout -` reads, so it returns to the branch before."""
    root = new_repo.root
    old, new = two_commits(new_repo, {"notes/f.txt": "v1\n"}, {"notes/f.txt": "v2\n"})
    git(root, "branch", "delegations/CHN", new)
    with new_repo.lock():
        new_repo.switch_branch("delegations/CHN")
    assert git(root, "symbolic-ref", "--short", "HEAD").strip() == "delegations/CHN"
    assert (root / "notes" / "f.txt").read_text() == "v2\n"
    git(root, "checkout", "--quiet", "-")
    assert git(root, "symbolic-ref", "--short", "HEAD").strip() == "main"
    assert (root / "notes" / "f.txt").read_text() == "v1\n"


def test_an_empty_folder_where_a_file_goes_is_replaced(new_repo):
    """An empty folder at a file's path (git checkout replaces it too) is no crash."""
    root = new_repo.root
    old, new = two_commits(new_repo, {"notes/a.txt": "a\n"}, {"notes/a.txt": "a\n", "notes/b.txt": "b\n"})
    (root / "notes" / "b.txt").mkdir()
    with new_repo.lock():
        new_repo.move_branch("main", old, new)
    assert (root / "notes" / "b.txt").read_text() == "b\n"


def test_a_branch_checked_out_in_another_working_tree_is_not_switched_to(new_repo, tmp_path):
    """As git refuses: two working trees on one branch would each see the other's moves as their own changes."""
    from cicatext.errors import RepositoryError

    root = new_repo.root
    git(root, "branch", "delegations/CHN")
    git(root, "worktree", "add", "--quiet", str(tmp_path / "other"), "delegations/CHN")
    with new_repo.lock(), pytest.raises(RepositoryError) as refused:
        new_repo.switch_branch("delegations/CHN")
    assert "checked out in another working tree" in str(refused.value)
    assert git(root, "symbolic-ref", "--short", "HEAD").strip() == "main"


def test_a_move_of_main_is_not_recovered_once_head_is_on_another_branch(new_repo):
    """The journal of a killed move is dropped, not used, when the user has since checked out another branch."""
    import json

    root = new_repo.root
    old, new = two_commits(new_repo, {"notes/f.txt": "v1\n"}, {"notes/f.txt": "v2\n"})
    move = {"ref": "refs/heads/main", "old": old, "new": new, "tag": None, "env": {}}
    git(root, "switch", "--quiet", "-c", "other", new)
    (new_repo.git_dir() / "cicatext-journal.json").write_text(json.dumps({"move": move}))
    new_repo.commit({"notes/later.txt": "x\n"}, "Later")
    assert (root / "notes" / "f.txt").read_text() == "v2\n"
    assert git(root, "status", "--porcelain") == ""


def test_a_recovery_that_fails_keeps_its_journal_and_says_so(new_repo):
    """While git holds the index, the killed move cannot be finished: the command refuses and the journal stays;
    once git is done, the next command finishes it."""
    import json

    from cicatext.errors import RepositoryError
    from tests.busy_git import git_at_work

    root = new_repo.root
    old, new = two_commits(new_repo, {"notes/f.txt": "v1\n"}, {"notes/f.txt": "v2\n"})
    journal = new_repo.git_dir() / "cicatext-journal.json"
    journal.write_text(json.dumps({"move": {"ref": "refs/heads/main", "old": old, "new": new, "tag": None,
                                            "env": {}}}))
    git(root, "update-ref", "refs/heads/main", new, old)  # killed after main moved, before the tree did
    with git_at_work(new_repo.git_dir() / "index.lock"), pytest.raises(RepositoryError) as refused:
        new_repo.commit({"notes/later.txt": "x\n"}, "Later")
    assert "was interrupted here, and finishing its work failed" in str(refused.value)
    assert journal.exists()
    new_repo.commit({"notes/later.txt": "x\n"}, "Later")
    assert not journal.exists()
    assert (root / "notes" / "f.txt").read_text() == "v2\n"
    assert git(root, "status", "--porcelain") == ""
