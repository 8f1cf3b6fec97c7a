"""Atomic writes keep the modes git would give, and moving a branch writes every file whole."""

from __future__ import annotations

import os
import stat
import subprocess

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
    assert mode(tmp_path / "new.txt") == 0o666 & ~files._UMASK
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
