"""The watcher: one background process per repository, watching every folder of the work tree with Linux inotify
and answering git's file-system monitor questions through a socket of the user's own (`hook.address`).

    python -m cicatext.store.watch.daemon ROOT

It keeps, for each path that changed since it started, the number of the
last change (`Journal`). Asked "what changed since TOKEN" (a token it gave),
it first makes sure it has read every event up to the question: it creates
a file in git's folder (a cookie) and reads events until it sees that file's
own; then it answers with every path changed after the token, and a new
token. A folder that appears is watched and everything in it is reported;
one that goes is reported with all below it (`name/`). A token it did not
give, events the kernel dropped (`IN_Q_OVERFLOW`), or a cookie not seen
within a second, are answered with `/`: anything may have changed.

It stops after `IDLE` seconds without a question (`CICATEXT_WATCH_IDLE`),
when its work tree goes, when it is told to (`stop`), or on SIGTERM; it
leaves no socket behind. When the kernel refuses to watch more folders
(`fs.inotify.max_user_watches`), it writes why to `WATCH_OFF` in git's
folder and stops: no watcher is started again for a day.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import select
import signal
import socket
import struct
import sys
import time
from pathlib import Path

from cicatext.store.files import write_json_quietly
from cicatext.store.layout import CACHE_DIR
from cicatext.store.watch.hook import (
    COOKIE_PREFIX,
    WATCH_OFF,
    address,
    framed,
    hold_lock,
    listen,
)

IDLE = 3600.0
"""Seconds without a question after which the watcher stops."""
KEPT_AT_MOST = 200_000
"""The most changed paths kept; past it, older tokens are answered with everything."""
COOKIE_WAIT = 1.0

IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF, IN_Q_OVERFLOW, IN_IGNORED = 0x400, 0x800, 0x4000, 0x8000
IN_ONLYDIR, IN_DONT_FOLLOW, IN_ISDIR = 0x01000000, 0x02000000, 0x40000000
IN_NONBLOCK, IN_CLOEXEC = os.O_NONBLOCK, 0o2000000
WATCHED = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
           | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)
_EVENT = struct.Struct("iIII")


class WatchRefused(OSError):
    """The kernel would not watch another folder."""


class Inotify:
    """Linux inotify through the C library."""

    def __init__(self) -> None:
        self._libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.fd = self._libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise WatchRefused(ctypes.get_errno(), os.strerror(ctypes.get_errno()))

    def add(self, path: str, mask: int = WATCHED) -> int | None:
        """The watch descriptor of a folder; None when it is gone or no folder; WatchRefused past the limit."""
        wd = self._libc.inotify_add_watch(self.fd, os.fsencode(path), mask)
        if wd >= 0:
            return wd
        error = ctypes.get_errno()
        if error in (errno.ENOSPC, errno.ENOMEM):
            raise WatchRefused(error, os.strerror(error))
        return None

    def remove(self, wd: int) -> None:
        self._libc.inotify_rm_watch(self.fd, wd)

    def events(self) -> list[tuple[int, int, str]]:
        """(watch, mask, name) of each event waiting; none when none is."""
        found = []
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return found
            at = 0
            while at < len(data):
                wd, mask, _, size = _EVENT.unpack_from(data, at)
                name = data[at + 16:at + 16 + size].split(b"\0", 1)[0]
                found.append((wd, mask, os.fsdecode(name)))
                at += 16 + size


class Journal:
    """Each path that changed, with the number of its last change; and from which number on it is whole."""

    def __init__(self) -> None:
        self.epoch = f"{os.getpid()}.{time.time_ns()}"
        self.number = 0
        self.whole_from = 0
        self.changed: dict[str, int] = {}

    def note(self, path: str) -> None:
        self.number += 1
        self.changed.pop(path, None)
        self.changed[path] = self.number
        if len(self.changed) > KEPT_AT_MOST:
            self.lose_track()

    def lose_track(self) -> None:
        """Forget every change: tokens given so far are answered with everything."""
        self.number += 1
        self.changed.clear()
        self.whole_from = self.number

    def token(self) -> str:
        return f"cicatext:{self.epoch}:{self.number}"

    def since(self, token: str) -> list[str] | None:
        """The paths changed after `token`, the latest last; None when the journal cannot say (not its token, or
        forgotten)."""
        prefix, _, number = token.rpartition(":")
        if prefix != f"cicatext:{self.epoch}" or not number.isdigit() or int(number) < self.whole_from:
            return None
        after = int(number)
        # Kept in the order of their last change (`note` moves a path to the end): read back from the end.
        found = []
        for path, changed in reversed(self.changed.items()):
            if changed <= after:
                break
            found.append(path)
        return found[::-1]


class Watcher:
    """The watches over one work tree, and what they saw."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.git_dir = os.path.join(self.root, ".git")
        self.inotify = Inotify()
        self.journal = Journal()
        self.folders: dict[int, str] = {}
        """Watch descriptor → the folder's path from the top (`""` the top itself)."""
        self.watches: dict[str, int] = {}
        self.blind: set[str] = set()
        """Folders there that could not be watched (no permission to read them): tried again at each question, and
        while one stays so, every answer is everything."""
        self.cookies = 0
        self.seen_cookies: set[str] = set()
        self.gone = False
        git_wd = self.inotify.add(self.git_dir, IN_CREATE | IN_ONLYDIR)
        if git_wd is None:
            raise WatchRefused(errno.ENOENT, "git's folder cannot be watched")
        self.git_wd = git_wd
        self.watch_tree("")

    def watch_tree(self, top: str) -> list[str]:
        """Watch `top` and every folder below it; the paths found there (folders as `name/`)."""
        found = []
        pending = [top]
        while pending:
            folder = pending.pop()
            full = os.path.join(self.root, folder) if folder else self.root
            wd = self.inotify.add(full)
            if wd is None:
                if os.path.isdir(full):
                    self.blind.add(folder)
                continue
            self.blind.discard(folder)
            self.folders[wd] = folder
            self.watches[folder] = wd
            try:
                entries = list(os.scandir(os.path.join(self.root, folder) if folder else self.root))
            except OSError:
                continue
            for entry in entries:
                path = f"{folder}/{entry.name}" if folder else entry.name
                try:
                    is_folder = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_folder = False
                if is_folder:
                    if entry.name == ".git" or (not folder and entry.name == CACHE_DIR):
                        continue  # git's own folder, or a repository inside this one; cicatext's caches
                    pending.append(path)
                    found.append(path + "/")
                else:
                    found.append(path)
        return found

    def read(self) -> None:
        """Take in every event waiting."""
        for wd, mask, name in self.inotify.events():
            if mask & IN_Q_OVERFLOW:
                # Events were dropped, folders made meanwhile among them: nothing said before stands, and every
                # folder is looked for again.
                self.journal.lose_track()
                self.watch_tree("")
                continue
            if wd == self.git_wd:
                if name.startswith(COOKIE_PREFIX):
                    self.seen_cookies.add(name)
                continue
            folder = self.folders.get(wd)
            if folder is None:
                continue
            if mask & IN_IGNORED:
                self.folders.pop(wd, None)
                if self.watches.get(folder) == wd:
                    del self.watches[folder]
                if folder == "":
                    self.gone = True
                elif os.path.isdir(os.path.join(self.root, folder)):
                    # Its watch ended though it is there (a file system unmounted over it): watched again.
                    self.journal.lose_track()
                    self.watch_tree(folder)
                continue
            if mask & (IN_DELETE_SELF | IN_MOVE_SELF):
                if folder == "":
                    self.gone = True
                continue
            path = f"{folder}/{name}" if folder else name
            if not name:
                continue
            if folder == "" and name in (".git", CACHE_DIR):
                continue
            if mask & IN_ISDIR:
                self.journal.note(path + "/")
                if mask & (IN_DELETE | IN_MOVED_FROM):
                    if path in self.watches:
                        self._unwatch_below(path)
                elif path not in self.watches or mask & IN_MOVED_TO:
                    # Made, moved in, or one not watched until now (made readable): watched, with all it holds.
                    for found in self.watch_tree(path):
                        self.journal.note(found)
            else:
                self.journal.note(path)

    def _unwatch_below(self, top: str) -> None:
        for folder in [f for f in self.watches if f == top or f.startswith(top + "/")]:
            wd = self.watches.pop(folder)
            self.folders.pop(wd, None)
            self.inotify.remove(wd)

    def settle(self) -> bool:
        """Read every event that happened before now: whether the cookie made now was seen in time."""
        self.cookies += 1
        name = f"{COOKIE_PREFIX}{os.getpid()}-{self.cookies}"
        path = os.path.join(self.git_dir, name)
        try:
            with open(path, "x"):
                pass
        except OSError:
            return False
        deadline = time.monotonic() + COOKIE_WAIT
        try:
            while name not in self.seen_cookies:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                select.select([self.inotify.fd], [], [], left)
                self.read()
            return True
        finally:
            self.seen_cookies.discard(name)
            try:
                os.unlink(path)
            except OSError:
                pass

    def answer(self, token: str) -> bytes:
        """git's answer: a new token, then the paths changed since `token` (`/` for anything), each ended by NUL."""
        if self.blind:
            # What changed in a folder nobody could watch is unknown: everything, watched again where it now can be.
            for folder in sorted(self.blind):
                self.watch_tree(folder)
            self.journal.lose_track()
        settled = self.settle()
        changed = self.journal.since(token) if settled else None
        if not settled:
            self.journal.lose_track()
        head = self.journal.token().encode() + b"\0"
        if changed is None:
            return head + b"/\0"
        return head + b"".join(os.fsencode(path) + b"\0" for path in changed)


def serve(root: Path, idle: float) -> int:
    """Watch `root` and answer on its socket until idle, gone or told to stop."""
    git_dir = root / ".git"
    socket_path = address(str(git_dir), make=True)
    state_path = address(str(git_dir), ".json")
    lock = hold_lock(str(git_dir))
    if socket_path is None or state_path is None or lock is None:
        return 0  # no safe place for a socket, or another watcher runs (it holds the lock)
    state = Path(state_path)
    write_json_quietly(state, {"pid": os.getpid(), "started": time.time(), "folders": 0})
    signal.signal(signal.SIGTERM, _stop)
    server = None
    try:
        try:
            watcher = Watcher(root)
            # Bound once every folder is watched: a question before would wait for the watches.
            server = listen(socket_path, 16)
            write_json_quietly(state, {"pid": os.getpid(), "started": time.time(), "folders": len(watcher.folders)})
            _answer_until_idle(server, watcher, idle)
        except WatchRefused as refused:
            write_json_quietly(git_dir / WATCH_OFF, {"reason": refused.strerror or str(refused), "since": time.time()})
            return 1
        return 0
    finally:
        if server is not None:
            server.close()
            _remove(Path(socket_path))
        _remove(state)
        # Removed while still held, so that lock files do not pile up, one for every repository ever watched.
        _remove(Path(address(str(git_dir), ".lock")))
        os.close(lock)


def _answer_until_idle(server: socket.socket, watcher: Watcher, idle: float) -> None:
    last_question = time.monotonic()
    while not watcher.gone:
        left = idle - (time.monotonic() - last_question)
        if left <= 0:
            return
        try:
            ready, _, _ = select.select([server, watcher.inotify.fd], [], [], min(left, 60.0))
        except InterruptedError:
            continue
        if watcher.inotify.fd in ready:
            watcher.read()
        if server in ready:
            last_question = time.monotonic()
            if _serve_one(server, watcher) == "stop":
                return


def _stop(*_) -> None:
    """SIGTERM: stop now (waiting in `select` included), leaving no socket."""
    raise SystemExit(0)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _serve_one(server: socket.socket, watcher: Watcher) -> str:
    try:
        connection, _ = server.accept()
    except OSError:
        return ""
    with connection:
        connection.settimeout(2.0)
        try:
            request = b""
            while not request.endswith(b"\n") and len(request) < 1 << 16:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                request += chunk
            words = request.decode("utf-8", "surrogateescape").rstrip("\n").split(" ", 1)
            if words[0] == "stop":
                connection.sendall(b"stopping\n")
                return "stop"
            if words[0] == "status":
                connection.sendall(json.dumps({"pid": os.getpid(), "folders": len(watcher.folders),
                                               "changed": len(watcher.journal.changed)}).encode() + b"\n")
                return ""
            if words[0] == "2":
                connection.sendall(framed(watcher.answer(words[1] if len(words) > 1 else "")))
        except WatchRefused:
            raise  # the kernel watches no more folders: the watcher stops (`serve`)
        except OSError:
            pass
    return ""


def main(argv: list[str]) -> int:
    root = Path(argv[0]).resolve()
    # Not in the work tree: a process's folder keeps a removed folder from going, and so its watch from ending.
    os.chdir("/")
    try:
        idle = float(os.environ.get("CICATEXT_WATCH_IDLE") or IDLE)
    except ValueError:
        idle = IDLE
    try:
        return serve(root, idle)
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
