"""Lock files of a killed git command: cleared by the next write when nobody holds them, refused while one does."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cicatext.errors import RepositoryError
from cicatext.store import gitlocks
from tests.busy_git import git_at_work
from tests.trust.conftest import git


def _old(path):
    """Make a lock file as a git killed a minute ago would have left it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    os.utime(path, (path.stat().st_atime - 60, path.stat().st_mtime - 60))
    return path


def test_a_killed_gits_index_lock_is_cleared_by_the_next_commit(new_repo):
    lock = _old(new_repo.git_dir() / "index.lock")
    before = new_repo.head()
    new_repo.commit({"notes.txt": "a note\n"}, "A note")
    assert not lock.exists()
    assert git(new_repo.root, "rev-parse", "HEAD~1").stdout.strip() == before
    assert git(new_repo.root, "status", "--porcelain").stdout == ""


def test_stale_ref_locks_go_and_cicatexts_own_lock_is_left_to_its_owner(new_repo):
    git_dir = new_repo.git_dir()
    stale = [_old(git_dir / "HEAD.lock"), _old(git_dir / "refs" / "heads" / "main.lock"),
             _old(git_dir / "packed-refs.lock")]
    own = _old(git_dir / "cicatext.lock")
    removed = gitlocks.clear_stale_locks(git_dir, ignore="cicatext.lock")
    assert sorted(removed) == sorted(stale)
    assert own.exists()
    assert not any(path.exists() for path in stale)


def test_a_lock_held_open_is_left_and_the_write_refused(new_repo):
    before = new_repo.head()
    with git_at_work(new_repo.git_dir() / "index.lock") as lock:
        with pytest.raises(RepositoryError, match=r"another git command is running here \(\.git/index\.lock exists\)"):
            new_repo.commit({"notes.txt": "a note\n"}, "A note")
        assert lock.exists()
    assert new_repo.head() == before
    assert not (new_repo.root / "notes.txt").exists()


def test_a_young_lock_is_waited_for_before_it_is_judged(new_repo):
    lock = new_repo.git_dir() / "index.lock"
    lock.write_bytes(b"")
    assert gitlocks.clear_stale_locks(new_repo.git_dir()) == [lock]
    assert not lock.exists()


def test_where_holders_cannot_be_seen_nothing_is_removed(new_repo, monkeypatch, tmp_path):
    monkeypatch.setattr(gitlocks, "PROC", tmp_path / "no-proc")
    lock = _old(new_repo.git_dir() / "index.lock")
    assert gitlocks.held_open([lock]) is None
    assert gitlocks.clear_stale_locks(new_repo.git_dir()) == []
    assert lock.exists()


def test_the_command_line_import_goes_on_after_a_killed_git(new_repo, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("The Council,\n\n1. Decides [to act] (+IND);\n", encoding="utf-8")
    lock = _old(new_repo.git_dir() / "index.lock")
    done = subprocess.run([sys.executable, "-m", "cicatext", "import", str(draft), "--symbol", "MC/2024/DRAFT/1",
                           "--title", "Test", "-C", str(new_repo.root)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not lock.exists()
    assert git(new_repo.root, "log", "-1", "--format=%s").stdout.strip() != ""
    assert (new_repo.root / "documents" / "mc-2024-draft-1" / "en.txt").exists()


def test_an_empty_cicatext_lock_is_a_writer_starting_until_it_has_stood_a_second(new_repo):
    """A writer makes its lock, then writes its pid: an empty, fresh lock is a writer at that instant, not a dead one."""
    lock = new_repo.git_dir() / "cicatext.lock"
    lock.write_bytes(b"")
    with pytest.raises(RepositoryError, match="another cicatext command is writing"):
        new_repo.commit({"notes.txt": "a note\n"}, "A note")
    _old(lock)
    new_repo.commit({"notes.txt": "a note\n"}, "A note")
    assert not lock.exists()


def test_propose_goes_on_after_a_killed_git(new_repo):
    """propose checks the repository's state before it takes the lock: a killed git's lock is cleared there too."""
    from cicatext.store.negotiation.branches import start_delegation
    from cicatext.store.negotiation.propose import propose
    from tests.negotiation.conftest import SYMBOL, add_volunteer_document, edit

    add_volunteer_document(new_repo)
    start_delegation(new_repo, "IND")
    edit(new_repo, "Improve the measures taken", "Improve the steps taken")
    lock = _old(new_repo.git_dir() / "index.lock")
    result = propose(new_repo, SYMBOL)
    assert result is not None and not lock.exists()
    assert git(new_repo.root, "status", "--porcelain").stdout == ""
