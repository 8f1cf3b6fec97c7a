"""How the `cicatext` program starts: its quick commands in the user's warm process when one answers, else here.

Python's start and the imports a command needs cost more than the work of a
quick command (a diff of two rounds: about 60 ms of imports before 80 ms of
work). A *warm process* (`cicatext.cli.warm`) holds those imports done: for
each quick command (`WARM_COMMANDS`) this program sends it the arguments,
the environment, the working folder, the umask and its own standard input,
output and error, and the warm process runs the command in a fresh fork of
itself, writing straight to this program's output. This program waits,
passes on the signals it gets, and exits with the command's exit code.

A warm process serves only programs that would have imported the same code
the same way (`warm_key`): the same interpreter and flags, the same
cicatext files and installed packages, the same environment apart from the
variables read only while a command runs (`PASSED`). When none answers,
the command runs here, and a warm process is started for the next one.
`CICATEXT_WARM=0` turns all of this off.

Only the standard library's smallest modules are imported here before the
command is known to run in this process.
"""

from __future__ import annotations

import os
import sys

WARM_COMMANDS = frozenset({
    "brackets", "check", "clean", "coordinators", "deadlines", "diff", "diff-driver", "diff-textconv", "log",
    "search", "stats", "translations", "validate",
})
"""The commands run in a warm process: those that only read (or keep their caches) and never ask at a terminal.
Commands that commit, sign, serve a shared repository or open the UI always run in a process of their own."""

PASSED = ("PWD", "OLDPWD", "SHLVL", "_", "COLUMNS", "LINES", "TMUX_PANE", "WINDOWID", "TERM_SESSION_ID")
PASSED_PREFIXES = ("CICATEXT_", "SSH_", "GIT_")
"""Environment variables no import reads (cicatext reads its own, and git's, while a command runs): a warm process
serves programs whose values differ. `GIT_PYTHON_` variables, read as GitPython is imported, are not among them."""

CONNECT_TIMEOUT = 2.0
ANSWER_TIMEOUT = 2.0
"""Seconds to wait for the warm process to say it runs the command; past them the command runs here."""
REFUSED = ".refused"
"""Beside a socket's name: why a warm process started for that name could not serve it; none is started for it
again for `RETRY_AFTER` seconds (or until `cicatext warm start`)."""
RETRY_AFTER = 86_400


def main() -> int:
    """Run the command line: in a warm process when the command is quick and one answers, else here."""
    argv = sys.argv[1:]
    quick = bool(argv) and argv[0] in WARM_COMMANDS and available() and \
        not ("-" in argv and os.isatty(0))  # typed at a terminal: read by the terminal's own job, as the shell says
    key = None
    if quick:
        try:
            key = warm_key()
            code = run_warm(argv, key)
        except OSError:
            code = None  # whatever kept the warm process from serving (a package file that cannot be read): here
        if code is not None:
            return code
    from cicatext.cli.main import main as run_here

    try:
        return run_here()
    finally:
        if key is not None:
            start_warm(key)


def available() -> bool:
    """Whether quick commands may run in a warm process: on Linux (whose socket credentials, processor sets and
    /proc it relies on), unless `CICATEXT_WARM=0`."""
    return sys.platform.startswith("linux") and os.environ.get("CICATEXT_WARM") != "0"


def warm_key() -> bytes:
    """What a warm process must share with this program to run its commands as this program would: the
    interpreter, its flags and standard streams, cicatext's files and the installed packages, the environment (but
    `PASSED`), and what the system gives the process (groups, limits, priority, processors, namespaces)."""
    import cicatext

    package = os.path.dirname(os.path.abspath(cicatext.__file__))
    fields = [sys.executable, sys.version, repr(sys.flags), repr(sys.warnoptions), repr(sys._xoptions),
              _streams(), package, *_stamps(package), *_standing()]
    # The first entry of the path is this program's folder (or, run with -m, the working folder): not compared.
    fields += [f"{entry}@{_mtime(entry)}" for entry in sys.path[1:]]
    key = [field.encode("utf-8", "surrogateescape") for field in fields]
    key += [b"%s=%s" % (name, value) for name, value in sorted(os.environb.items()) if not _passed(name)]
    return b"\0".join(key)


def _streams() -> str:
    """How the standard streams were made (`-u` makes them unbuffered, and is not among `sys.flags`)."""
    return repr([(type(getattr(stream, "buffer", None)).__name__, getattr(stream, "write_through", None))
                 for stream in (sys.stdin, sys.stdout, sys.stderr)])


def _standing() -> list[str]:
    """What the system gives this process that a fork of the warm process would have otherwise: its user and
    groups, its limits, its priority, the processors it may use, its control group and namespaces."""
    import resource

    fields = [f"ids {os.getuid()} {os.geteuid()} {os.getgid()} {os.getegid()} {sorted(os.getgroups())}",
              f"priority {os.getpriority(os.PRIO_PROCESS, 0)}", f"processors {sorted(os.sched_getaffinity(0))}"]
    fields += [f"{name} {resource.getrlimit(getattr(resource, name))}" for name in sorted(dir(resource))
               if name.startswith("RLIMIT_")]
    try:
        with open("/proc/self/cgroup", encoding="utf-8", errors="replace") as cgroup:
            fields.append(cgroup.read())
    except OSError:
        fields.append("cgroup unknown")
    for space in ("mnt", "pid", "user", "net", "ipc", "uts"):
        try:
            fields.append(os.readlink(f"/proc/self/ns/{space}"))
        except OSError:
            fields.append(f"{space} unknown")
    return fields


def _passed(name: bytes) -> bool:
    text = name.decode("utf-8", "surrogateescape")
    return text in PASSED or (text.startswith(PASSED_PREFIXES) and not text.startswith("GIT_PYTHON_"))


def _stamps(folder: str) -> list[str]:
    """Each file of the package with its size and time, so that a warm process never runs other code; a file that
    cannot be looked at (a link to nothing, as an editor leaves while a file is edited) by its name alone."""
    stamps = []
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(entry.path)
                    continue
                try:
                    found = entry.stat()
                except OSError:
                    stamps.append(f"{entry.path[len(folder):]}:unreadable")
                    continue
                stamps.append(f"{entry.path[len(folder):]}:{found.st_size}:{found.st_mtime_ns}")
    return sorted(stamps)


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def address(key: bytes, *, make: bool = False) -> str | None:
    """The warm process's socket for programs of this key; None when the user has no safe folder for it."""
    import zlib

    from cicatext.store.watch.hook import socket_path

    return socket_path(f"warm-{zlib.crc32(key):08x}-{zlib.adler32(key):08x}.sock", make=make)


def field(data: bytes) -> bytes:
    """One field of a message: its length, a colon, the bytes."""
    return b"%d:%s" % (len(data), data)


FORWARDED = (2, 15, 1, 3)
"""The signals passed on to the command's process: SIGINT, SIGTERM, SIGHUP, SIGQUIT (SIGTSTP stops it)."""
STOP, CONTINUE, SUSPEND = 19, 18, 20
"""SIGSTOP, SIGCONT, SIGTSTP."""


def run_warm(argv: list[str], key: bytes) -> int | None:
    """The exit code of the command run by the warm process; None when none answers or it will not run it.

    The warm process first says the command's process (`P<pid>`), or that it will not run it (`K`); this program
    answers `G` (go) with its files, so that a command this program has stopped waiting for never runs; then the
    warm process says the exit code (`E<code>`), or `K` when it could not take the files."""
    import _signal
    import _socket

    path = address(key)
    if path is None or not os.path.exists(path):
        return None
    try:
        here = os.open(".", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None  # the working folder is gone or unreadable: run here, where the command says so
    if here < 3:
        os.close(here)
        return None  # a standard stream is closed: run here, as the program would with it closed
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    ignored = [n for n in (*FORWARDED, SUSPEND) if _signal.getsignal(n) == _signal.SIG_IGN]
    waiting = _Waiting(connection)
    handlers = {n: _signal.signal(n, waiting.forward) for n in FORWARDED if n not in ignored}
    if SUSPEND not in ignored:
        handlers[SUSPEND] = _signal.signal(SUSPEND, waiting.suspend)
    try:
        try:
            connection.settimeout(CONNECT_TIMEOUT)
            connection.connect(path)
            if not same_user(connection):
                return None
            mask = os.umask(0o022)
            os.umask(mask)
            blocked = sorted(_signal.pthread_sigmask(_signal.SIG_BLOCK, []))
            args = [os.fsencode(arg) for arg in sys.argv[:1] + argv]
            fields = [b"run", key, b"%d" % mask, b" ".join(b"%d" % n for n in ignored),
                      b" ".join(b"%d" % n for n in blocked), b"%d" % len(args), *args]
            fields += [b"%s=%s" % pair for pair in os.environb.items()]
            from cicatext.store.watch.hook import framed

            connection.sendall(framed(b"".join(map(field, fields))))
        except OSError:
            return None
        return waiting.wait(here)
    finally:
        os.close(here)
        connection.close()
        for number, handler in handlers.items():
            _signal.signal(number, handler)
        waiting.end()


def same_user(connection) -> bool:
    """Whether the process at the other end of the socket is this user's."""
    import _socket

    credentials = connection.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, 12)
    return int.from_bytes(credentials[4:8], sys.byteorder) == os.getuid()


class _Waiting:
    """This program's side of a command run in the warm process: its process, and the signals passed on to it."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.pid = 0
        self.signals: list[int] = []
        self.killed = False

    def forward(self, number: int, frame: object) -> None:
        self.signals.append(number)
        if self.pid:
            self._tell(number)

    def _tell(self, number: int) -> None:
        """Pass a signal on to the command's process, which may have ended meanwhile."""
        try:
            os.kill(self.pid, number)
        except OSError:
            pass

    def suspend(self, number: int, frame: object) -> None:
        """Ctrl-Z: the command's process is stopped, then this program, as one process would be; both go on
        together."""
        import _signal

        if self.pid:
            self._tell(STOP)
        _signal.signal(SUSPEND, _signal.SIG_DFL)
        os.kill(os.getpid(), SUSPEND)  # returns once this program is continued
        _signal.signal(SUSPEND, self.suspend)
        if self.pid:
            self._tell(CONTINUE)

    def wait(self, here: int) -> int | None:
        """The command's exit code; None when nothing was run (then this program runs it).

        The program's files (its standard streams and working folder, `here`) are sent with the go: a warm
        process that never answers never holds them."""
        import _socket
        import time

        received = b""
        deadline = time.monotonic() + ANSWER_TIMEOUT
        while True:
            line, newline, rest = received.partition(b"\n")
            if not newline:
                if not self.pid:
                    self.connection.settimeout(max(0.0, deadline - time.monotonic()))
                try:
                    chunk = self.connection.recv(256)
                except OSError:  # the time is up, or the connection failed
                    chunk = b""
                if not chunk:
                    break
                received += chunk
                continue
            received = rest
            if line == b"K":
                self.pid = 0  # nothing was run: the fork could not take the program's folder
                break
            if line.startswith(b"P") and line[1:].isdigit() and not self.pid:
                files = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2, here))
                try:
                    self.connection.sendmsg([b"G"], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, files)])
                except OSError:
                    break
                self.connection.settimeout(None)
                self.pid = int(line[1:])
                for number in self.signals:  # signals that came before the process was known
                    self._tell(number)
            elif line.startswith(b"E") and line[1:].lstrip(b"-").isdigit() and self.pid:
                return int(line[1:])
        # Nothing more will come: a signal this program got ends it, as it would have ended it alone.
        self.killed = bool(self.signals)
        if not self.pid:
            return None
        if not self.killed:
            print("cicatext: the warm process ended the command without its exit code; run it again with "
                  "CICATEXT_WARM=0 to run it in a process of its own", file=sys.stderr)
        return 1

    def end(self) -> None:
        """End as the command's process did when it ended on a signal passed on to it (or, when none ran, as this
        program would have on the signal it got)."""
        if self.killed:
            import _signal

            _signal.signal(self.signals[-1], _signal.SIG_DFL)
            os.kill(os.getpid(), self.signals[-1])


def _refused_lately(path: str) -> bool:
    import time

    try:
        return os.stat(path + REFUSED).st_mtime > time.time() - RETRY_AFTER
    except OSError:
        return False


def start_warm(key: bytes) -> None:
    """Start a warm process for programs of this key, unless one answers or there is no safe folder for it."""
    path = address(key, make=True)
    from cicatext.store.watch.hook import answers

    if path is None or _refused_lately(path) or answers(path):
        return
    from cicatext.store.background import interpreter_flags, start_detached

    try:
        start_detached([sys.executable, *interpreter_flags(), "-m", "cicatext.cli.warm", path], cwd="/")
    except OSError:
        pass
