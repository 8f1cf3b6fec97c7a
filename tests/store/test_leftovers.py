"""What a killed command leaves is cleaned by the next writer: a lock whose process is gone or is another
process now, and a round's temporary index."""

from __future__ import annotations

import os
import time

import pytest

from cicatext.errors import RepositoryError
from cicatext.store.layout import WRITE_LOCK, round_index
from cicatext.store.register.create import import_text


def _import(repo, number: int):
    return import_text(repo, "1. Decides.\n", symbol=f"MC/2024/DRAFT/{number}", title="T")


def test_a_lock_naming_a_process_started_after_it_is_taken_over(new_repo):
    """After a reboot the lock's number may be a live, unrelated process: one started after the lock was written
    is not its writer."""
    lock = new_repo.git_dir() / WRITE_LOCK
    lock.write_text(str(os.getpid()))  # this process is alive, and started long after 2001
    os.utime(lock, (1_000_000_000, 1_000_000_000))
    _import(new_repo, 1)
    assert not lock.exists()


def test_a_lock_of_a_live_writer_still_refuses(new_repo):
    lock = new_repo.git_dir() / WRITE_LOCK
    lock.write_text(str(os.getppid()))  # a live process that started before this lock was written
    now = time.time()
    os.utime(lock, (now, now))
    with pytest.raises(RepositoryError, match="another cicatext command is writing"):
        _import(new_repo, 2)
    lock.unlink()


def test_a_killed_rounds_temporary_index_is_removed_by_the_next_writer(new_repo):
    leftover = new_repo.git_dir() / round_index(999_999)
    leftover.write_bytes(b"DIRC")
    _import(new_repo, 3)
    assert not leftover.exists()


def test_an_empty_lock_left_by_a_killed_writer_is_taken_over(new_repo):
    lock = new_repo.git_dir() / WRITE_LOCK
    lock.write_text("")
    os.utime(lock, (time.time() - 60, time.time() - 60))
    _import(new_repo, 4)
    assert not lock.exists()


def test_a_record_with_a_list_as_a_key_is_one_located_error(new_repo, capsys):
    """`? [a, b]` is refused where it stands, before any value is built (it made the JSON cache writer fail)."""
    from cicatext.cli.main import main

    new_repo.path("registry/areas/odd.yaml").write_text("id: odd\n? [a, b]\n: 1\n", encoding="utf-8")
    assert main(["validate", str(new_repo.root)]) == 1
    assert "registry/areas/odd.yaml:2:3: a mapping key that is itself a list or a mapping" in capsys.readouterr().err


def test_a_file_name_that_is_not_utf8_is_named_not_a_traceback(new_repo, capsys):
    from cicatext.cli.main import main

    folder = new_repo.path("positions/CHN")
    folder.mkdir(parents=True)
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe.yaml"), "wb") as handle:
        handle.write(b"delegation: CHN\n")
    assert main(["validate", str(new_repo.root)]) == 1
    err = capsys.readouterr().err
    assert "is not UTF-8" in err and "Traceback" not in err
