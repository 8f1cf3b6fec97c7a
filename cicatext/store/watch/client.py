"""Whether git is pointed at the repository's watcher for a call, and starting, asking and stopping the watcher."""

from __future__ import annotations

import json
import os
import shlex
import socket
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cicatext.store.background import start_module
from cicatext.store.files import read_json
from cicatext.store.watch.hook import (
    RETRY_AFTER,
    WATCH_OFF,
    address,
    answers,
    hold_lock,
    unframed,
)

if TYPE_CHECKING:
    import subprocess

USE_FROM = 10_000
"""From this many files in git's index, git asks the watcher: below, starting the hook costs more than it saves
(about 8 ms a call against git's looking at 10,000 files, about as long)."""


def git_options(root: Path) -> tuple[str, ...]:
    """The options that point one git call looking at the work tree at the watcher (none when none answers or
    the repository is small); in a large repository without a watcher, one is started for the calls after this.

    `CICATEXT_WATCH=0` turns the watcher off; `CICATEXT_WATCH_FROM` sets `USE_FROM`.
    """
    if not large(root):
        return ()
    if answering(root):
        return ("-c", f"core.fsmonitor={hook_command()}", "-c", "core.fsmonitorHookVersion=2")
    start(root)
    return ()


def start_when_large(root: Path) -> None:
    """Start a watcher in the background for the runs after this one, when the repository is large enough for git
    to ask one (`git_options`) and none answers."""
    if large(root) and not answering(root):
        start(root)


def large(root: Path) -> bool:
    """Whether git is to ask a watcher about this repository: one may serve it, and its index holds `USE_FROM`
    files or more."""
    return wanted(root) and _index_files(root / ".git" / "index") >= _use_from()


def wanted(root: Path) -> bool:
    """Whether a watcher may serve this repository: on Linux, not turned off, git's folder where it usually is."""
    if os.environ.get("CICATEXT_WATCH", "").lower() in ("0", "no", "off", "false") or not sys.platform.startswith(
            "linux"):
        return False
    if any(os.environ.get(name) for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")):
        return False
    return (root / ".git").is_dir()


def hook_command() -> str:
    """What git runs to ask the watcher: this Python without site packages or the environment's settings, on the
    hook's file."""
    return shlex.join([sys.executable, "-I", "-S", str(Path(__file__).with_name("hook.py"))])


def answering(root: Path) -> bool:
    """Whether a watcher answers on the repository's socket."""
    path = address(str(root / ".git"))
    return path is not None and os.path.exists(path) and answers(path)


def start(root: Path) -> subprocess.Popen | None:
    """Start a watcher in the background; None when one is starting, or none can be (see `refused`)."""
    git_dir = root / ".git"
    if refused(root) is not None or _starting(git_dir):
        return None
    try:
        return start_module("cicatext.store.watch.daemon", str(root), cwd="/")
    except OSError:
        return None


def refused(root: Path) -> str | None:
    """Why the last watcher could not watch, when that was less than a day ago."""
    said = read_json(root / ".git" / WATCH_OFF)
    try:
        if time.time() - float(said["since"]) < RETRY_AFTER:
            return str(said["reason"])
    except (ValueError, KeyError, TypeError):
        pass
    return None


def ask(root: Path, request: str, *, raw: bool = False):
    """The watcher's answer to one request (`status`, `stop`, `2 TOKEN`), as text (as bytes with `raw`); None when
    none answers."""
    path = address(str(root / ".git"))
    if path is None:
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(5.0)
        try:
            connection.connect(path)
            connection.sendall(request.encode() + b"\n")
            parts = []
            while chunk := connection.recv(1 << 16):
                parts.append(chunk)
        except OSError:
            return None
    answer = b"".join(parts)
    return answer if raw else answer.decode("utf-8", "replace")


def changed_since(root: Path, token: str) -> tuple[str, list[str] | None] | None:
    """The watcher's new token and the paths changed since `token` (folders as `name/`; None for anything, as for a
    token it did not give); None when no watcher answers. Asking costs one exchange on the socket."""
    path = address(str(root / ".git"))
    if not wanted(root) or path is None or not os.path.exists(path):
        return None
    answer = unframed(ask(root, f"2 {token}", raw=True) or b"")
    if answer is None:
        return None
    new, *paths = answer[:-1].split(b"\0")
    return new.decode("utf-8", "replace"), None if paths == [b"/"] else [os.fsdecode(path) for path in paths]


def status(root: Path) -> dict:
    """What `cicatext watch status` says: whether a watcher answers, what it watches, whether git asks it."""
    files = _index_files(root / ".git" / "index")
    said: dict = {"repository": str(root), "files": files, "used_from": _use_from(), "watching": False,
                  "used": False, "refused": refused(root)}
    if not wanted(root):
        said["off"] = True
        return said
    answer = ask(root, "status")
    if answer:
        try:
            said.update(json.loads(answer), watching=True, used=files >= _use_from())
        except ValueError:
            pass
    return said


def start_and_wait(root: Path, wait: float = 60.0) -> None:
    """Start the repository's watcher as asked for (tried again at once, whatever the last one could not watch)
    and wait until it answers, or says why it cannot watch."""
    (root / ".git" / WATCH_OFF).unlink(missing_ok=True)
    if answering(root):
        return
    start(root)
    deadline = time.monotonic() + wait
    while not answering(root) and time.monotonic() < deadline and refused(root) is None:
        time.sleep(0.05)


def stop(root: Path, wait: float = 5.0) -> bool:
    """Stop the repository's watcher, waiting until its socket is gone; whether one was running."""
    if ask(root, "stop") is None:
        return False
    deadline = time.monotonic() + wait
    path = address(str(root / ".git"))
    while path is not None and os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.02)
    return True


def _starting(git_dir: Path) -> bool:
    """Whether a watcher's process holds the lock (starting: it answers once every folder is watched), or there is
    no safe place for one to run."""
    lock = hold_lock(str(git_dir))
    if lock is None:
        return True
    path = address(str(git_dir), ".lock")
    if path is not None:
        os.unlink(path)  # while held: a look leaves no lock file behind (the watcher makes its own)
    os.close(lock)
    return False


def _index_files(index: Path) -> int:
    """How many entries git's index holds, from its header."""
    try:
        with open(index, "rb") as file:
            header = file.read(12)
    except OSError:
        return 0
    if len(header) < 12 or header[:4] != b"DIRC":
        return 0
    return int.from_bytes(header[8:12], "big")


def _use_from() -> int:
    try:
        return int(os.environ.get("CICATEXT_WATCH_FROM") or USE_FROM)
    except ValueError:
        return USE_FROM
