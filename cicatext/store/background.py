"""Processes that outlive the command that starts them: started in a session of their own, never waited for.

The search index's builder, the file watcher and the warm process each run
on after the command that started them has ended. Python warns of a process
still running when the object that started it goes (a `ResourceWarning`,
shown with `-X dev`); such a process is let go as the program ends instead.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

_started: list[subprocess.Popen] = []


def interpreter_flags() -> list[str]:
    """The flags this Python was started with (`-X dev`, `-B`, ...), to start another Python as this one."""
    return subprocess._args_from_interpreter_flags()


def start_detached(args: list[str], **options) -> subprocess.Popen:
    """Start `args` with no standard streams, in a session of its own; the process, which the caller may wait for
    while it runs, and which is let go (not waited for) as the program ends."""
    import atexit

    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True, **options)
    if not _started:
        atexit.register(_let_go)
    _started.append(process)
    return process


def start_module(module: str, *args: str, cwd: str | Path) -> subprocess.Popen:
    """Run a module of cicatext's (`python -m MODULE ARGS`) detached, with this Python, cicatext found however this
    program found it (installed, or from a checkout: its folder goes first on `PYTHONPATH`)."""
    import os
    import sys

    package_parent = str(Path(__file__).resolve().parents[2])
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, environment.get("PYTHONPATH")]))
    return start_detached([sys.executable, "-m", module, *args], cwd=cwd, env=environment)


def _let_go() -> None:
    """As the program ends: a process still running is meant to outlive it, and is not a child left unwaited."""
    for process in _started:
        if process.poll() is None:
            process.returncode = 0  # what Popen checks before it warns; the process itself goes on
    _started.clear()
