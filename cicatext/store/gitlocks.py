"""Lock files: cicatext's own, taken and taken over from a process that is gone; and those a killed git command left
in .git, found and cleared.

cicatext's locks (the repository's write lock, the search index's build lock)
are files holding the id of the process that took them (`take_lock`). One is
stale when that process is gone, or when its number now names a process
started after the lock was written (`stale_lock`); a stale one is taken over.

Git takes `index.lock`, `HEAD.lock`, `refs/heads/main.lock` and the like for
the few milliseconds of a write, and leaves them behind when it is killed (a
crash, SIGKILL, a machine switched off); every later git write then fails
with "File exists". A lock is stale, and is removed, when it is at least
`GRACE` seconds old and no process holds it open. Where this cannot be told
(no /proc), nothing is removed and the caller's message asks the user.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

GRACE = 1.0
"""Seconds a lock must stand unchanged before it can be stale; git holds its locks for milliseconds."""

PROC = Path("/proc")


def git_lock_files(git_dir: Path, *, ignore: str = "") -> list[Path]:
    """The `*.lock` files git itself makes: in the git folder and under refs/; `ignore` names one to leave out."""
    found = [path for path in git_dir.glob("*.lock") if path.name != ignore]
    refs = git_dir / "refs"
    if refs.is_dir():
        found.extend(refs.rglob("*.lock"))
    return found


def held_open(paths: list[Path]) -> set[Path] | None:
    """Those of `paths` some process has open, or None when this system cannot tell (no /proc)."""
    if not (PROC / "self" / "fd").is_dir():
        return None
    wanted = {os.path.realpath(path): path for path in paths}
    held: set[Path] = set()
    try:
        processes = [entry.name for entry in os.scandir(PROC) if entry.name.isdigit()]
    except OSError:
        return None
    for pid in processes:
        try:
            descriptors = list(os.scandir(PROC / pid / "fd"))
        except OSError:
            # Gone, or another user's: a git of another user in this repository is not looked for.
            continue
        for descriptor in descriptors:
            try:
                target = os.readlink(descriptor.path)
            except OSError:
                continue
            if target in wanted:
                held.add(wanted[target])
    return held


def clear_stale_locks(git_dir: Path, *, ignore: str = "") -> list[Path]:
    """Remove the git lock files nobody holds and nothing touched for `GRACE` seconds; return those removed.

    Waits up to `GRACE` seconds for a young lock, so that a git command at
    work has finished with it (and it is gone) before the check.
    """
    locks = git_lock_files(git_dir, ignore=ignore)
    if not locks:
        return []
    seen: dict[Path, os.stat_result] = {}
    for lock in locks:
        try:
            seen[lock] = lock.stat()
        except FileNotFoundError:
            continue
    if not seen:
        return []
    youngest = max(stat.st_mtime for stat in seen.values())
    wait = youngest + GRACE - time.time()
    if wait > 0:
        time.sleep(min(wait, GRACE))
    held = held_open(list(seen))
    if held is None:
        return []
    removed = []
    for lock, before in seen.items():
        if lock in held:
            continue
        try:
            now = lock.stat()
        except FileNotFoundError:
            continue
        if (now.st_ino, now.st_mtime_ns, now.st_size) != (before.st_ino, before.st_mtime_ns, before.st_size):
            continue
        lock.unlink(missing_ok=True)
        removed.append(lock)
    return removed


def take_lock(lock_path: Path) -> bool | None:
    """Create `lock_path` holding this process's id, taking over a lock left by a process that is gone: None when
    a live process holds it, else whether a gone process's lock was taken over."""
    taken_over = False
    for _ in range(3):  # another process may take a lock over between our look and our own try
        try:
            fd = os.open(lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if not stale_lock(lock_path):
                return None
            lock_path.unlink(missing_ok=True)
            taken_over = True
            continue
        try:
            os.write(fd, str(os.getpid()).encode())
        finally:
            os.close(fd)
        return taken_over
    return None


def stale_lock(lock_path: Path) -> bool:
    """Whether a lock file holding a process id was left by a process that is gone (or not yet written, by one that died)."""
    try:
        written = lock_path.read_text().strip()
        pid = int(written or "0")
    except (OSError, ValueError):
        return True
    if not written:
        # Made by a writer that has not yet written its pid, unless it died doing so.
        try:
            return time.time() - lock_path.stat().st_mtime > 1.0
        except OSError:
            return True
    if pid <= 0 or not alive(pid):
        return True
    # A live process of that number, but one started after the lock was written (after a reboot, or the
    # number taken again): not the writer that made it.
    started = _process_start(pid)
    try:
        written_at = lock_path.stat().st_mtime
    except OSError:
        return True
    return started is not None and started > written_at + 1.0


def alive(pid: int) -> bool:
    """Whether a process of that number is running (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _process_start(pid: int) -> float | None:
    """When a process started (seconds since the epoch), from Linux's /proc; None where that cannot be told."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
        ticks = float(stat.rsplit(")", 1)[1].split()[19])
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None
