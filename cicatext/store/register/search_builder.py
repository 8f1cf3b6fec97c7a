"""Building the search index file in a process of its own, so that a search need not wait for it.

`start` starts the builder, detached from the terminal and from the process
that started it, unless one is running; the builder (this module's `main`)
takes the build lock, builds the file into one named for it and puts it in
place in one step (`cicatext.store.register.search_file`). Killed, it leaves
a lock whose process is gone and a file no one builds: the next builder
takes the lock over and deletes the file.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from typing import TYPE_CHECKING

from cicatext.errors import CicatextError
from cicatext.store.background import start_module
from cicatext.store.register.search_file import (
    BuildRunning,
    build_lock,
    build_locked,
    building,
    index_path,
    ready,
)

if TYPE_CHECKING:
    import subprocess

    from cicatext.store.repository import Repository


def start(repo: Repository) -> subprocess.Popen | None:
    """Start building the repository's index file in the background; None when a builder runs or none can."""
    path = index_path(repo)
    if building(path):
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(path.parent, os.W_OK):
        return None
    return start_module(__name__, str(repo.root), cwd=repo.root)


def build(repo: Repository) -> bool:
    """Build the index file unless another process is building it or it is up to date; whether this one built it."""
    path = index_path(repo)
    try:
        with build_lock(path, wait=False):
            database = ready(repo, path)
            if database is None:
                database = build_locked(repo, path, None)
            database.close()
    except BuildRunning:
        return False
    return True


def main(argv: list[str]) -> int:
    from cicatext.store.repository import Repository

    try:
        build(Repository.open(argv[0]))
    except (CicatextError, OSError, sqlite3.DatabaseError):
        return 1  # nobody to tell: a later search answers quickly again and starts another builder
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
