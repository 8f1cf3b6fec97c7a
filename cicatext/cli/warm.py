"""The warm process: the user's quick commands run in forks of a process that has done their imports already.

`cicatext.cli.launch` sends it a command (the arguments, the environment,
the umask, and the program's working folder and standard input, output and
error as open files); it forks, and the fork becomes that program's command:
it takes those files as its own, runs `cicatext.cli.main.main` as the
program would, says its exit code and ends. The warm process itself never
runs a command, so nothing one command does reaches another.

It serves the programs whose `warm_key` it shares, on a socket in the
user's own folder of the temporary folder; both ends check that the other is
the same user. It learns, from each fork, the modules its command imported
and imports them too, so that the next command finds them done. It ends
after `IDLE` seconds without a command (`CICATEXT_WARM_IDLE`), when its
code or packages change, when its socket is removed, on SIGTERM, and on
`cicatext warm stop`.

Run as `python -m cicatext.cli.warm SOCKET`, as `launch.start_warm` does.
"""

from __future__ import annotations

import json
import os
import sys
import time

from cicatext.cli import launch

IDLE = 900.0
"""Seconds a warm process waits for a command before it ends."""
LOOK_EVERY = 30.0
"""Seconds between its looks at whether it still serves: its socket still there, its code unchanged."""
PRELOAD = ("cicatext.cli.main", "cicatext.cli.negotiation_cmds", "cicatext.cli.notation_cmds",
           "cicatext.cli.repo_cmds", "cicatext.cli.tui_cmds", "cicatext.cli.modalities_cmds",
           "cicatext.cli.exchange_cmds", "cicatext.store.repository", "cicatext.store.yamlio",
           "cicatext.notation.reader")
"""Imported before the first command; what commands import besides is learned from them."""
LEARNED_PACKAGES = frozenset({"cicatext", "ruamel", "rapidfuzz", "jsonschema", "jsonschema_specifications",
                              "referencing", "rpds", "attr", "attrs", "fastjsonschema"})
"""The packages (with the standard library) whose modules a warm process imports when a command did: none that
starts threads or reads the terminal. The UI's are not among them."""


def serve(path: str) -> int:
    """Serve commands on the socket `path` until idle, stopped or outdated; the exit code."""
    import fcntl
    import gc
    import select
    import signal
    import socket

    key = launch.warm_key()
    if launch.address(key, make=True) != path:
        # Started for other code than this process has: say so, so that no program starts one for it again.
        _write_refused(path, "it was started for other code or settings than its own")
        return 1
    lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0  # another warm process serves this socket, or is starting to
    try:
        idle = float(os.environ.get("CICATEXT_WARM_IDLE") or IDLE)
    except ValueError:
        idle = IDLE
    _preload(PRELOAD)
    learned, tell = os.pipe()
    os.set_blocking(learned, False)
    state = {"pid": os.getpid(), "started": time.time(), "served": 0, "last": time.time(), "idle": idle,
             "python": sys.executable, "package": os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
             "descriptors": (lock, learned)}
    stopping = []
    signal.signal(signal.SIGTERM, lambda number, frame: stopping.append(number))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the forks are reaped by the kernel
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.lexists(path):
        os.unlink(path)  # left by a warm process that did not end well (the lock is ours)
    listener.bind(path)
    bound = os.stat(path).st_ino
    try:
        os.chmod(path, 0o600)
        listener.listen(64)
        gc.collect()
        gc.freeze()
        looked = time.monotonic()
        while not stopping:
            left = state["idle"] - (time.time() - state["last"])
            if left <= 0:
                break
            try:
                ready, _, _ = select.select([listener, learned], [], [], min(left, LOOK_EVERY))
            except InterruptedError:
                continue
            if learned in ready:
                _import_learned(learned)
                gc.freeze()
            if listener in ready:
                if _answer(listener, key, tell, state) == "stop":
                    break
            if time.monotonic() - looked >= LOOK_EVERY:
                looked = time.monotonic()
                if not _still_serves(path, bound, key):
                    break
    finally:
        try:
            if os.stat(path).st_ino == bound:
                os.unlink(path)
                os.unlink(path + ".lock")  # still held: a process starting now waits for no one
        except OSError:
            pass
        listener.close()
    return 0


def _write_refused(path: str, why: str) -> None:
    """Say beside the socket why no warm process serves it: no program starts one for it again, and `warm start`
    says why."""
    from pathlib import Path

    from cicatext.store.files import write_json_quietly

    write_json_quietly(Path(path + launch.REFUSED), {"at": time.time(), "why": why})


def refused(path: str) -> str | None:
    """Why the last warm process started for the socket `path` could not serve it; None when none said so."""
    from pathlib import Path

    from cicatext.store.files import read_json

    said = read_json(Path(path + launch.REFUSED))
    return str(said.get("why")) if isinstance(said, dict) else None


def _preload(names) -> None:
    from importlib import import_module

    for name in names:
        try:
            import_module(name)
        except Exception:  # noqa: BLE001 - a module that fails to import is imported by the command, which says why
            pass


def _import_learned(learned: int) -> None:
    """Import the modules the forks said their commands imported, when they are of `LEARNED_PACKAGES`."""
    try:
        said = os.read(learned, 1 << 16).decode("utf-8", "replace")
    except BlockingIOError:
        return
    names = [name for name in said.split() if name.isascii() and all(part.isidentifier() for part in name.split("."))
             and name not in sys.modules and _learnable(name)]
    _preload(names)


def _learnable(name: str) -> bool:
    top = name.partition(".")[0]
    if top == "cicatext":
        return not name.startswith("cicatext.tui")
    return top in LEARNED_PACKAGES or top in sys.stdlib_module_names


def _still_serves(path: str, bound: int, key: bytes) -> bool:
    """Whether the socket is still this process's and programs started now still have its key."""
    try:
        if os.stat(path).st_ino != bound:
            return False
    except OSError:
        return False
    return launch.warm_key() == key


def _answer(listener, key: bytes, tell: int, state: dict) -> str | None:
    """Take one connection: a command to run in a fork, or a question about this process."""
    try:
        connection, _ = listener.accept()
    except OSError:
        return None
    try:
        if not launch.same_user(connection):
            return None
        connection.settimeout(5.0)
        first = connection.recv(1, 2)  # MSG_PEEK: the request stays whole for the fork
        if first in (b"?", b"S"):
            connection.recv(1)
            said = {name: value for name, value in state.items() if name != "descriptors"}
            said.update(modules=len(sys.modules), memory_kb=_memory_kb())
            connection.sendall(json.dumps(said).encode() + b"\n")
            return "stop" if first == b"S" else None
        pid = os.fork()
        if pid == 0:
            _run_forked(connection, key, tell, (listener, *state["descriptors"]))
        state["served"] += 1
        state["last"] = time.time()
        return None
    except OSError:
        return None
    finally:
        connection.close()


def _memory_kb() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return 0


def _run_forked(connection, key: bytes, tell: int, server_files) -> None:
    """In the fork: become the program's command, run it, say its exit code and end."""
    code = 1
    try:
        listener, *descriptors = server_files
        listener.close()
        for descriptor in descriptors:
            os.close(descriptor)  # the lock, among others: a process the command leaves behind does not hold it
        code = _become(connection, key, tell)
    finally:
        os._exit(code & 0xFF)


def _become(connection, key: bytes, tell: int) -> int:
    import signal

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    request = _receive(connection)
    if request is None or request[0][:2] != [b"run", key]:
        connection.sendall(b"K\n")  # run it yourself
        return 0
    fields, descriptors = request
    mask, count = int(fields[2]), int(fields[3])
    args, environment = fields[4:4 + count], fields[4 + count:]
    try:
        os.fchdir(descriptors[3])
    except OSError:
        connection.sendall(b"K\n")  # the program's folder cannot be entered from here: the program says why
        return 0
    for number, descriptor in enumerate(descriptors[:3]):
        os.dup2(descriptor, number)
    for descriptor in descriptors:
        os.close(descriptor)
    os.umask(mask)
    os.environb.clear()
    os.environb.update(entry.partition(b"=")[::2] for entry in environment)
    time.tzset()
    if "tempfile" in sys.modules:
        sys.modules["tempfile"].tempdir = None  # found again from this environment's TMPDIR
    sys.argv = [os.fsdecode(arg) for arg in args]
    _standard_streams()
    connection.sendall(b"P%d\n" % os.getpid())
    before = set(sys.modules)
    code = _run_command()
    try:
        connection.sendall(b"E%d\n" % code)
    except OSError:
        pass
    imported = " ".join(name for name in sys.modules if name not in before).encode() + b"\n"
    if len(imported) <= 4096:  # one write to the pipe, not mixed with another fork's
        try:
            os.write(tell, imported)
        except OSError:
            pass
    return code


def _receive(connection) -> tuple[list[bytes], list[int]] | None:
    """The request's fields and the four open files sent with it; None when it is not whole."""
    import _socket

    data, ancillary, _, _ = connection.recvmsg(1 << 16, _socket.CMSG_SPACE(4 * 4))
    descriptors = []
    for level, kind, payload in ancillary:
        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
            descriptors += [int.from_bytes(payload[at:at + 4], sys.byteorder) for at in range(0, len(payload) - 3, 4)]
    length, newline, body = data.partition(b"\n")
    if not newline or not length.isdigit() or len(descriptors) != 4:
        return None
    while len(body) < int(length):
        chunk = connection.recv(1 << 16)
        if not chunk:
            return None
        body += chunk
    fields = []
    at = 0
    while at < len(body):
        size, colon, _ = body[at:at + 12].partition(b":")
        if not colon or not size.isdigit():
            return None
        start = at + len(size) + 1
        fields.append(body[start:start + int(size)])
        at = start + int(size)
    return fields, descriptors


def _standard_streams() -> None:
    """New standard streams over the program's files, made as Python makes them at its start."""
    import io

    for number, name in enumerate(("stdin", "stdout", "stderr")):
        old = getattr(sys, name)
        writing = number > 0
        buffered = not writing or isinstance(old.buffer, io.BufferedIOBase)
        raw = io.FileIO(number, "wb" if writing else "rb", closefd=False)
        stream = io.TextIOWrapper(
            io.BufferedWriter(raw) if writing and buffered else io.BufferedReader(raw) if buffered else raw,
            encoding=old.encoding, errors=old.errors, newline="\n",
            line_buffering=buffered and (number == 2 or raw.isatty()), write_through=not buffered)
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _run_command() -> int:
    """Run the command line as the program does; its exit code, as Python would give it."""
    try:
        from cicatext.cli.main import main

        code = main()
    except SystemExit as leaving:
        code = leaving.code
    except BaseException:  # noqa: BLE001 - what the program would print as it ended
        sys.excepthook(*sys.exc_info())
        code = 1
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    return code


def ask(path: str | None, question: bytes = b"?") -> dict | None:
    """What the warm process on the socket `path` says of itself (`?`), or as it stops (`S`); None when none
    answers there."""
    import socket

    if path is None:
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(5.0)
            connection.connect(path)
            if not launch.same_user(connection):
                return None
            connection.sendall(question)
            received = b""
            while not received.endswith(b"\n"):
                chunk = connection.recv(1 << 16)
                if not chunk:
                    return None
                received += chunk
        said = json.loads(received)
    except (OSError, ValueError):
        return None
    return said if isinstance(said, dict) else None


def running() -> list[tuple[str, dict]]:
    """The user's warm processes that answer: each socket with what it says of itself."""
    from cicatext.store.watch.hook import own_folder

    found = []
    for base in dict.fromkeys((os.environ.get("TMPDIR") or "/tmp", "/tmp")):
        folder = own_folder(base)
        if folder is None:
            continue
        for name in sorted(os.listdir(folder)):
            if name.startswith("warm-") and name.endswith(".sock"):
                said = ask(os.path.join(folder, name))
                if said is not None:
                    found.append((os.path.join(folder, name), said))
    return found


def start(key: bytes, wait: float = 30.0) -> dict | None:
    """Start a warm process for programs of `key` (unless one answers) and wait until it does; what it says."""
    path = launch.address(key, make=True)
    if path is None:
        return None
    try:
        os.unlink(path + launch.REFUSED)  # asked for: tried again
    except OSError:
        pass
    launch.start_warm(key)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        said = ask(path)
        if said is not None or os.path.exists(path + launch.REFUSED):
            return said
        time.sleep(0.05)
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        return 2
    try:
        return serve(argv[0])
    except Exception as error:  # noqa: BLE001 - said beside the socket, so that it is not started again and again
        _write_refused(argv[0], f"it could not start: {type(error).__name__}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
