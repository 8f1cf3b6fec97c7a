"""What a writer checks before it starts.

The check for uncommitted changes names every change (staged, unstaged, a
deletion) and no file that was only touched or copied. The write lock walks
the tree for a killed writer's temporary files only when a writer was killed:
its lock taken over, or its journal left.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from cicatext.errors import RepositoryError
from cicatext.store import files
from cicatext.store.layout import JOURNAL, TEMP_PREFIX, WRITE_LOCK
from cicatext.store.negotiation.checks import require_clean
from cicatext.store.repository import Repository


def git(root, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def test_a_clean_tree_passes_and_each_kind_of_change_is_named(new_repo):
    """Clean: no refusal. An edit, a staged edit and a deletion are each refused with the file's name."""
    require_clean(new_repo, "a round")
    settings = new_repo.path("cicatext.yaml")
    original = settings.read_text(encoding="utf-8")
    settings.write_text(original + "# changed\n", encoding="utf-8")
    with pytest.raises(RepositoryError, match=r"uncommitted changes \(cicatext\.yaml\); a round needs a clean tree"):
        require_clean(new_repo, "a round")
    git(new_repo.root, "add", "cicatext.yaml")
    with pytest.raises(RepositoryError, match=r"cicatext\.yaml"):
        require_clean(new_repo, "a round")
    git(new_repo.root, "reset", "-q", "--hard")
    require_clean(new_repo, "a round")
    tracked = git(new_repo.root, "ls-files").split()[0]
    new_repo.path(tracked).unlink()
    with pytest.raises(RepositoryError, match="uncommitted changes"):
        require_clean(new_repo, "a round")


def test_an_untracked_file_does_not_make_the_tree_dirty(new_repo):
    """A file git does not track is not an uncommitted change, as before."""
    new_repo.path("notes.txt").write_text("mine\n", encoding="utf-8")
    require_clean(new_repo, "a round")


def test_files_only_touched_or_copied_are_clean(new_repo, tmp_path):
    """A repository copied whole (every file's time and inode new to git's index) is clean, and stays so."""
    for path in new_repo.root.rglob("*"):
        if ".git" not in path.parts and path.is_file():
            os.utime(path, ns=(1_600_000_000_000_000_000,) * 2)
    copy = tmp_path / "copy"
    shutil.copytree(new_repo.root, copy, symlinks=True)
    copied = Repository(copy)
    assert new_repo.dirty_paths() == []  # its index no longer matches the files' times
    assert copied.dirty_paths() == []
    assert copied.dirty_paths() == []
    copied.path("cicatext.yaml").write_text("touched: true\n", encoding="utf-8")
    assert copied.dirty_paths() == ["cicatext.yaml"]


def test_a_leftover_is_kept_while_no_writer_was_killed_and_removed_after_one(new_repo):
    """A temporary file beside a write in progress is not a killed writer's: a writer that took the lock
    cleanly leaves it; one that takes over a dead writer's lock removes it."""
    leftover = new_repo.path(f"registry/{TEMP_PREFIX}in-progress")
    leftover.write_text("half", encoding="utf-8")
    new_repo.commit({"notes/a.txt": "a\n"}, "a clean writer")
    assert leftover.exists()
    dead = subprocess.Popen(["true"])
    dead.wait()
    (new_repo.git_dir() / WRITE_LOCK).write_text(str(dead.pid))
    new_repo.commit({"notes/b.txt": "b\n"}, "after a killed writer")
    assert not leftover.exists()


def test_a_leftover_is_removed_when_a_killed_writers_journal_remains(new_repo):
    """A killed writer's lock removed by hand: the journal it left still has the tree searched for leftovers."""
    leftover = new_repo.path(f"registry/{TEMP_PREFIX}torn")
    leftover.write_text("torn", encoding="utf-8")
    journal = {"head": new_repo.head(), "files": {"notes/half.txt": None}}
    (new_repo.git_dir() / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    new_repo.commit({"notes/c.txt": "c\n"}, "next command")
    assert not leftover.exists()
    assert not (new_repo.git_dir() / JOURNAL).exists()


def test_remove_leftovers_finds_them_in_any_folder(tmp_path):
    """The walk itself still finds a temporary file at any depth, and leaves .git alone."""
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (deep / f"{TEMP_PREFIX}x").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / f"{TEMP_PREFIX}y").write_text("y")
    assert files.remove_leftovers(tmp_path) == [deep / f"{TEMP_PREFIX}x"]
    assert (tmp_path / ".git" / f"{TEMP_PREFIX}y").exists()
