"""Where a repository's watcher answers, and the program git runs as its file-system monitor (`core.fsmonitor`,
protocol 2), which asks it and prints the answer.

The watcher's socket and its state file live in a folder of the user's own in
the temporary folder (`cicatext-UID`, which only the user may enter: one
anybody else made or may write to is not used), named after git's folder's
real path: a copy of the repository has a watcher of its own, and copying one
never copies a socket.

git runs this file in the work tree's top folder as `hook.py 2 TOKEN`; it
prints the watcher's answer (a new token, a NUL, then each changed path
followed by a NUL). Without a watcher to answer, it says that anything may
have changed (the path `/`), and git looks at every file. It imports nothing
but the standard library and is run without site packages (`python -I -S`),
so that starting it costs little.
"""

import os
import stat
import sys

EVERYTHING = b"cicatext:none:0\0/\0"
TIMEOUT = 5.0
WATCH_OFF = "cicatext-watch-off.json"
"""In git's folder: why the last watcher could not watch, and when; none is started for `RETRY_AFTER` seconds."""
COOKIE_PREFIX = "cicatext-watch-cookie-"
"""In git's folder: the files a watcher makes to know it has read every event before a question."""
RETRY_AFTER = 86_400


def own_folder(base: str, make: bool = False) -> str | None:
    """The user's folder for sockets in `base` (the watchers' and the warm process's), made with `make`; None when
    it is not the user's alone."""
    folder = os.path.join(base, f"cicatext-{os.getuid()}")
    if make:
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return None
    try:
        found = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
        return None
    return folder


def address(git_dir: str, suffix: str = ".sock", *, make: bool = False) -> str | None:
    """The watcher's socket (or, with `suffix` `.json`, its state file) for a git folder, named after its real
    path, in the user's folder for sockets (`socket_path`)."""
    # What hashlib gives, without loading OpenSSL: the hook runs at every git status.
    try:
        from _sha1 import sha1
    except ImportError:
        from hashlib import sha1

    return socket_path(sha1(os.fsencode(os.path.realpath(git_dir))).hexdigest()[:24] + suffix, make=make)


def socket_bases() -> list[str]:
    """The temporary folders the user's folder for sockets may be in, first choice first: `TMPDIR` (when it is
    absolute: a relative one names another folder from each working folder), then `/tmp`."""
    tmpdir = os.environ.get("TMPDIR") or "/tmp"
    return list(dict.fromkeys(([tmpdir] if os.path.isabs(tmpdir) else []) + ["/tmp"]))


def socket_path(name: str, *, make: bool = False) -> str | None:
    """Where the file `name` lives in the user's folder for sockets (`own_folder`): in `TMPDIR`, or `/tmp` when
    TMPDIR is relative or the path would be too long for a socket; None when there is no safe place for it."""
    for base in socket_bases():
        if len(os.fsencode(os.path.join(base, f"cicatext-{os.getuid()}", name))) < 100:
            folder = own_folder(base, make)
            return os.path.join(folder, name) if folder is not None else None
    return None


def hold_lock(git_dir: str) -> int | None:
    """A handle holding the lock of a git folder's watcher (the kernel lets go of it when the process ends); None
    when another process holds it (a watcher runs, or is starting), or there is no safe place for it."""
    path = address(git_dir, ".lock", make=True)
    return hold_lock_at(path) if path is not None else None


def hold_lock_at(path: str) -> int | None:
    """A handle holding the lock file `path` (made when missing, the user's alone); None when another process
    holds it."""
    import fcntl

    handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return None
    return handle


def listen(path: str, backlog: int):
    """A socket bound at `path` and listening, its owner alone allowed to connect. The caller holds the lock of
    `path`: a socket left there is a dead process's."""
    import socket

    if os.path.lexists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    os.chmod(path, 0o600)
    server.listen(backlog)
    return server


def framed(answer: bytes) -> bytes:
    """An answer as the watcher sends it: its length on a line, then the answer."""
    return b"%d\n" % len(answer) + answer


def unframed(received: bytes) -> bytes | None:
    """The answer a watcher sent, when it came whole (its length as said, ended by a NUL); None otherwise."""
    length, newline, answer = received.partition(b"\n")
    if not newline or not length.isdigit() or int(length) != len(answer) or not answer.endswith(b"\0"):
        return None
    return answer


def answers(path: str) -> bool:
    """Whether a process (a watcher, a warm process) listens on the socket `path`; one left by a process that
    ended answers no more."""
    import _socket  # the socket module's own class, without the module's imports: programs ask this as they start

    probe = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        probe.connect(path)
    except OSError:
        return False
    finally:
        probe.close()
    return True


def main(argv: list[str]) -> int:
    token = argv[1] if len(argv) > 1 else ""
    answer = EVERYTHING
    path = address(".git")
    if path is not None:
        import _socket  # the socket module's own class, without the module's imports (enum and more)

        connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            connection.settimeout(TIMEOUT)
            connection.connect(path)
            connection.sendall(f"2 {token}\n".encode("utf-8", "surrogateescape"))
            parts = []
            while chunk := connection.recv(1 << 16):
                parts.append(chunk)
            answer = unframed(b"".join(parts)) or EVERYTHING
        except OSError:
            pass
        finally:
            connection.close()
    sys.stdout.buffer.write(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
