"""The watcher's files in git's folder, and the socket's address however long the path to it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SOCKET = "cicatext-watch.sock"
"""In git's folder: where the watcher answers (only its owner may connect)."""
WATCH_STATE = "cicatext-watch.json"
"""In git's folder: the running watcher's process and start, while it runs."""
WATCH_OFF = "cicatext-watch-off.json"
"""In git's folder: why the last watcher could not watch, and when; none is started for `RETRY_AFTER` seconds."""
COOKIE_PREFIX = "cicatext-watch-cookie-"
"""In git's folder: the files a watcher makes to know it has read every event before a question."""
RETRY_AFTER = 86_400


@contextmanager
def bound_address(git_dir: Path) -> Iterator[str]:
    """The socket's address: its path, or, past the 107 bytes a socket's path may hold, the same file reached through
    this process's handle on git's folder."""
    full = str(git_dir / SOCKET)
    if len(os.fsencode(full)) < 100:
        yield full
        return
    handle = os.open(git_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{handle}/{SOCKET}"
    finally:
        os.close(handle)
