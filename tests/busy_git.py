"""A git command at work, as far as its lock file shows: the lock made and held open by another process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HOLD = "import sys, time; f = open(sys.argv[1], 'ab'); print('open', flush=True); time.sleep(120)"


@contextmanager
def git_at_work(lock: Path, *, age: float = 60.0) -> Iterator[Path]:
    """Make `lock` (dated `age` seconds back) and hold it open in a child process until the block ends; then it is gone."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_bytes(b"")
    stat = lock.stat()
    os.utime(lock, (stat.st_atime - age, stat.st_mtime - age))
    process = subprocess.Popen([sys.executable, "-c", _HOLD, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "open"
        yield lock
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
        lock.unlink(missing_ok=True)
