"""The warm process: the user's quick commands run in forks of a process that has done their imports already.

`cicatext.cli.launch` sends it a command (the arguments, the environment,
the umask, the signals the program ignores and blocks); it forks, and the
fork, when the command is one of `launch.WARM_COMMANDS` and the program's
key its own, says it will run it. The program then sends its working folder
and standard input, output and error as open files, and the fork becomes
that program's command: it takes those files as its own, runs
`cicatext.cli.main.main` as the program would, says its exit code and ends.
The warm process itself never runs a command, so nothing one command does
reaches another.

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
PEEK_TIMEOUT = 1.0
"""Seconds the warm process waits for a program to say what it asks, before it takes the next one."""
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


class _Stop(Exception):
    """SIGTERM, raised where the warm process waits, so that it ends at once."""


def _stop(number: int, frame: object) -> None:
    raise _Stop


def serve(path: str) -> int:
    """Serve commands on the socket `path` until idle, stopped or outdated; the exit code."""
    import gc
    import select
    import signal

    from cicatext.store.watch.hook import hold_lock_at, listen

    signal.pthread_sigmask(signal.SIG_SETMASK, [])  # not the mask of the program that started it
    key = launch.warm_key()
    if launch.address(key, make=True) != path:
        # Started for other code than this process has: say so, so that no program starts one for it again.
        _write_refused(path, "it was started for other code or settings than its own")
        return 1
    lock = hold_lock_at(path + ".lock")
    if lock is None:
        return 0  # another warm process serves this socket, or is starting to
    try:
        idle = float(os.environ.get("CICATEXT_WARM_IDLE") or IDLE)
    except ValueError:
        idle = IDLE
    learned, tell = os.pipe()
    os.set_blocking(learned, False)
    state = {"pid": os.getpid(), "started": time.time(), "served": 0, "last": time.time(), "idle": idle,
             "python": sys.executable,
             "package": os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "descriptors": (lock, learned)}
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the forks are reaped by the kernel
    # Bound before the imports: a program that asks meanwhile waits for them (or runs its command itself), and a
    # socket that cannot be made costs no imports.
    listener = listen(path, 64)
    bound = os.stat(path).st_ino
    try:
        _preload(PRELOAD)
        _build_parsers()
        loaded = _loaded_files()
        gc.collect()
        gc.freeze()
        last = looked = time.monotonic()
        while True:
            left = idle - (time.monotonic() - last)
            if left <= 0:
                break
            ready, _, _ = select.select([listener, learned], [], [], min(left, LOOK_EVERY))
            if learned in ready:
                _import_learned(learned)
                loaded = _loaded_files()
                gc.freeze()
            if listener in ready:
                answered = _answer(listener, key, tell, state)
                if answered == "stop":
                    break
                if answered == "forked":
                    last = time.monotonic()
            if time.monotonic() - looked >= LOOK_EVERY:
                looked = time.monotonic()
                if not _still_serves(path, bound, key, loaded):
                    break
    except _Stop:
        pass
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


def _build_parsers() -> None:
    """Build each quick command's parser once, dropped: what argparse looks up the first time (its messages'
    translations, found by the locale) is then done in every fork."""
    try:
        from cicatext.cli.main import build_parser

        for command in sorted(launch.WARM_COMMANDS):
            build_parser(command)
    except Exception:  # noqa: BLE001 - the command builds its parser itself, and says what fails
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


def _loaded_files() -> dict[str, tuple[int, int]]:
    """Each file a module was imported from, with its size and time: the code this process runs."""
    files = {}
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if isinstance(name, str) and name not in files:
            try:
                found = os.stat(name)
            except OSError:
                continue
            files[name] = (found.st_size, found.st_mtime_ns)
    return files


def _still_serves(path: str, bound: int, key: bytes, loaded: dict[str, tuple[int, int]]) -> bool:
    """Whether the socket is still this process's, programs started now still have its key, and no file it
    imported has changed since (a package edited where it is installed, which the key does not see)."""
    try:
        return os.stat(path).st_ino == bound and launch.warm_key() == key and \
            _loaded_files().items() >= loaded.items()
    except OSError:
        return False  # its socket, or its package, is gone


def _answer(listener, key: bytes, tell: int, state: dict) -> str | None:
    """Take one connection: a command to run in a fork, or a question about this process."""
    try:
        connection, _ = listener.accept()
    except OSError:
        return None
    try:
        if not launch.same_user(connection):
            return None
        connection.settimeout(PEEK_TIMEOUT)
        first = connection.recv(1, 2)  # MSG_PEEK: the request stays whole for the fork
        if not first:
            return None  # a program looking whether one answers
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
        return "forked"
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


GO_TIMEOUT = 10.0
"""Seconds a fork waits for the program's go (`G`) before it gives the command up."""


def _become(connection, key: bytes, tell: int) -> int:
    """Take the program's request; run its command as the program would, or say `K` (run it yourself)."""
    fields = _receive(connection)
    if fields is None or not _quick(fields, key):
        connection.sendall(b"K\n")  # not a quick command of a program of this key: the program runs it
        return 0
    mask, ignored, blocked, count = int(fields[2]), fields[3].split(), fields[4].split(), int(fields[5])
    args, environment = fields[6:6 + count], fields[6 + count:]
    connection.sendall(b"P%d\n" % os.getpid())
    descriptors = _go(connection)
    if descriptors is None:
        return 0  # the program stopped waiting: it runs the command itself, or has ended
    try:
        os.fchdir(descriptors[3])
    except OSError:
        connection.sendall(b"K\n")  # the program's folder cannot be entered from here: the program says why
        return 0
    _signals({int(n) for n in ignored}, {int(n) for n in blocked})
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
    ended = _end_with_the_program(connection)
    before = set(sys.modules)
    code = _run_command()
    ended.set()
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


def _go(connection) -> list[int] | None:
    """The program's go (`G`) and the four files sent with it: its standard streams and working folder; None when
    it does not come."""
    import _socket

    connection.settimeout(GO_TIMEOUT)
    try:
        data, ancillary, _, _ = connection.recvmsg(1, _socket.CMSG_SPACE(4 * 4))
    except OSError:
        return None
    connection.settimeout(None)
    descriptors = []
    for level, kind, payload in ancillary:
        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
            descriptors += [int.from_bytes(payload[at:at + 4], sys.byteorder) for at in range(0, len(payload) - 3, 4)]
    if data != b"G" or len(descriptors) != 4:
        for descriptor in descriptors:
            os.close(descriptor)
        return None
    return descriptors


def _quick(fields: list[bytes], key: bytes) -> bool:
    """Whether a request is whole, of a program of this key, and for a quick command (`launch.WARM_COMMANDS`):
    a warm process runs no other, whoever asks."""
    if len(fields) < 8 or fields[:2] != [b"run", key] or not (fields[2].isdigit() and fields[5].isdigit()):
        return False
    count = int(fields[5])
    return 2 <= count <= len(fields) - 6 and os.fsdecode(fields[7]) in launch.WARM_COMMANDS


def _signals(ignored: set[int], blocked: set[int]) -> None:
    """The program's signal handling: those it ignores ignored, the others as Python sets them; its mask."""
    import signal

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for number in (*launch.FORWARDED, launch.SUSPEND):
        default = signal.default_int_handler if number == signal.SIGINT else signal.SIG_DFL
        signal.signal(number, signal.SIG_IGN if number in ignored else default)
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _end_with_the_program(connection):
    """Watch the connection while the command runs: when the program ends without waiting for it (killed), so does
    the command, as it would have in the program's own process. The event to set once the command has ended."""
    import signal
    import threading

    ended = threading.Event()

    def watch() -> None:
        try:
            while connection.recv(64):
                pass
        except OSError:
            pass
        if not ended.is_set():
            os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()
    return ended


def _receive(connection) -> list[bytes] | None:
    """The request's fields; None when it is not whole."""
    connection.settimeout(GO_TIMEOUT)
    data = connection.recv(1 << 16)
    length, newline, body = data.partition(b"\n")
    if not newline or not length.isdigit():
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
    return fields


def _standard_streams() -> None:
    """New standard streams over the program's files, made as Python makes them at its start."""
    import io

    for number, name in enumerate(("stdin", "stdout", "stderr")):
        old = getattr(sys, name)
        writing = number > 0
        buffered = not writing or isinstance(old.buffer, io.BufferedIOBase)
        raw = io.FileIO(number, "wb" if writing else "rb", closefd=False)
        raw.name = f"<{name}>"
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
    from cicatext.store.watch.hook import own_folder, socket_bases

    found = []
    for base in socket_bases():
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
