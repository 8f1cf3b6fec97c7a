"""The warm process: a quick command run in it does what it does in a process of its own.

Every command runs through the real program (`python -m cicatext`) on a copy
of the sample repository; the warm process is a real one, on a socket of its
own (each test's TMPDIR makes its key its own), stopped when the test ends.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from cicatext.cli import launch

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the warm process is tested on Linux")

SYMBOL = "MC/2023/DRAFT/5"

# Quick commands, with good and bad input: each prints the same warm as cold.
COMMANDS = [
    ["diff", "HEAD~3", "HEAD"],
    ["diff", "HEAD~3", "HEAD", "--json"],
    ["diff", "HEAD~1", "HEAD", SYMBOL],
    ["diff", "nosuchrev", "HEAD"],
    ["diff", "HEAD~1"],
    ["log", SYMBOL],
    ["log", "NO/SUCH/1", "--json"],
    ["validate"],
    ["validate", "--json"],
    ["search", "cultural", "-n", "3"],
    ["search", ""],
    ["brackets", "documents/mc-2023-draft-5/en.txt"],
    ["stats", "documents/mc-2023-draft-5/en.txt", "--json"],
    ["clean", "documents/mc-2023-draft-5/en.txt"],
    ["check", "documents/no-such.txt"],
    ["coordinators", "--as-of", "2023-13-40"],
    ["deadlines", "--as-of", "2023-07-01", "--json"],
    ["translations", SYMBOL],
    ["diff", "--help"],
]


@pytest.fixture
def warm_env():
    """The environment of programs whose warm process is the test's own, its socket in a temporary folder of the
    test's (short enough for a socket's path); it is stopped as the test ends."""
    folder = tempfile.mkdtemp(prefix="cicatext-warm-test-", dir="/tmp")
    environment = {**os.environ, "TMPDIR": folder, "CICATEXT_WARM_IDLE": "120"}
    environment.pop("CICATEXT_WARM")
    yield environment
    _ask(environment, "S")
    shutil.rmtree(folder, ignore_errors=True)


def _program(args, cwd, environment, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cicatext", *args], cwd=cwd, env=environment, capture_output=True,
                          check=False, **options)


def _ask(environment, question="?", flags=()) -> dict | None:
    """What the warm process serving programs of this environment (and Python `flags`) says (`S`: as it stops);
    None when none does."""
    done = subprocess.run([sys.executable, *flags, "-c", "import json, sys\nfrom cicatext.cli import launch, warm\n"
                           "path = launch.address(launch.warm_key())\n"
                           "print(json.dumps(warm.ask(path, sys.argv[1].encode()) if path else None))", question],
                          env=environment, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _start(environment, cwd) -> dict:
    started = _program(["warm", "start", "--json"], cwd, environment)
    assert started.returncode == 0, started.stderr
    said = _ask(environment)
    assert said is not None
    # Its socket is in the test's own temporary folder.
    ours = next(p for p in json.loads(started.stdout)["processes"] if p["serves_this_program"])
    assert ours["socket"].startswith(environment["TMPDIR"] + "/cicatext-")
    return said


def _same(cold: subprocess.CompletedProcess, warm: subprocess.CompletedProcess, args) -> None:
    assert (warm.returncode, warm.stdout.decode(), warm.stderr.decode()) == \
        (cold.returncode, cold.stdout.decode(), cold.stderr.decode()), args


def test_quick_commands_print_the_same_warm_as_cold(demo_repo, warm_env):
    """Each quick command, with good and bad input, gives the same output and exit code warm as cold, and the
    warm process ran every one of them."""
    _start(warm_env, demo_repo.root)
    cold_env = {**warm_env, "CICATEXT_WARM": "0"}
    # The first search builds the index, and says so; the runs compared both use it.
    assert _program(["search", "cultural"], demo_repo.root, cold_env).returncode == 0
    for args in COMMANDS:
        cold = _program(args, demo_repo.root, cold_env)
        _same(cold, _program(args, demo_repo.root, warm_env), args)
    assert _ask(warm_env)["served"] == len(COMMANDS)


def test_the_command_gets_the_programs_folder_input_umask_and_environment(demo_repo, warm_env, tmp_path):
    """The command works in the program's folder, reads its standard input, writes with its umask and sees its
    environment, not the warm process's."""
    _start(warm_env, demo_repo.root)
    cold_env = {**warm_env, "CICATEXT_WARM": "0"}
    sub = demo_repo.root / "documents"
    for args, options in [(["check", "-"], {"input": b"a [b (+CHN) c\n"}),
                          (["check", "mc-2023-draft-5/en.txt"], {}),
                          (["log", SYMBOL], {"env_extra": {"GIT_DIR": str(tmp_path / "nowhere")}})]:
        extra = options.pop("env_extra", {})
        cold = _program(args, sub, {**cold_env, **extra}, **options)
        _same(cold, _program(args, sub, {**warm_env, **extra}, **options), args)
    assert b"<stdin>:1:3: '[' is never closed" in _program(["check", "-"], sub, warm_env,
                                                           input=b"a [b (+CHN) c\n").stderr
    # Validate keeps its caches in git's folder: written with the program's umask, 0o077 here.
    modes = {}
    for name, environment in (("cold", cold_env), ("warm", warm_env)):
        copy = tmp_path / name
        subprocess.run(["cp", "-a", str(demo_repo.root), str(copy)], check=True)
        subprocess.run(["rm", "-rf", str(copy / ".cicatext")], check=True)
        done = _program(["validate"], copy, environment, preexec_fn=lambda: os.umask(0o077))
        assert done.returncode == 0, done.stderr
        written = [path for path in (copy / ".cicatext").rglob("*") if path.is_file()]
        assert len(written) >= 3
        modes[name] = {oct(path.stat().st_mode & 0o777) for path in written}
    assert modes["cold"] == {"0o600"}
    assert modes["warm"] == {"0o600"}
    assert _ask(warm_env)["served"] == 5


def test_a_signal_reaches_the_command(demo_repo, warm_env):
    """Ctrl-C (SIGINT) given to the program interrupts the command in the warm process, which says so and exits
    130; SIGTERM ends both."""
    _start(warm_env, demo_repo.root)
    for number, code in ((signal.SIGINT, 130), (signal.SIGTERM, -signal.SIGTERM)):
        program, _ = _waiting_command(warm_env, demo_repo.root, preexec_fn=_default_signals)
        program.send_signal(number)
        out, err = program.communicate(timeout=30)
        assert program.returncode == code, err
        if number == signal.SIGINT:
            assert b"interrupted" in err
    assert _ask(warm_env) is not None  # the warm process itself goes on


def test_a_quick_command_run_cold_starts_one_unless_turned_off(demo_repo, warm_env):
    """After a quick command that found no warm process, one starts; with CICATEXT_WARM=0 none does, and a
    command that is not quick (`warm status`) starts none either."""
    assert _program(["warm"], demo_repo.root, warm_env).returncode == 0
    assert _program(["validate"], demo_repo.root, {**warm_env, "CICATEXT_WARM": "0"}).returncode == 0
    time.sleep(0.5)
    assert _ask(warm_env) is None
    assert _program(["validate"], demo_repo.root, warm_env).returncode == 0
    deadline = time.monotonic() + 30
    while _ask(warm_env) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    said = _ask(warm_env)
    assert said is not None and said["served"] == 0
    status = _program(["warm"], demo_repo.root, warm_env)
    assert f"warm process {said['pid']}: serves this program" in status.stdout.decode()


def test_a_warm_process_ends_when_idle_or_stopped(demo_repo, warm_env):
    """A warm process ends after its idle time, and at `cicatext warm stop`; its socket goes with it."""
    quick = {**warm_env, "CICATEXT_WARM_IDLE": "1"}
    _start(quick, demo_repo.root)
    deadline = time.monotonic() + 30
    while _ask(quick) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ask(quick) is None
    said = _start(warm_env, demo_repo.root)
    stopped = _program(["warm", "stop"], demo_repo.root, warm_env)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout.decode()
    assert _ask(warm_env) is None
    with pytest.raises(ProcessLookupError):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            os.kill(said["pid"], 0)
            time.sleep(0.05)
    status = _program(["warm"], demo_repo.root, warm_env)
    assert "no warm process serves this program" in status.stdout.decode()


def test_warm_start_is_refused_when_turned_off(demo_repo, warm_env):
    """`cicatext warm start` with CICATEXT_WARM=0 says why it starts nothing, exit 2."""
    done = _program(["warm", "start"], demo_repo.root, {**warm_env, "CICATEXT_WARM": "0"})
    assert done.returncode == 2
    assert "CICATEXT_WARM not set to 0" in done.stderr.decode()
    assert _ask(warm_env) is None


def test_other_code_or_settings_have_another_key(tmp_path, monkeypatch):
    """A warm process serves only programs of the same code and settings: a changed file of the package or a
    Python setting gives another key; the working folder and git's and cicatext's variables do not."""
    package = tmp_path / "package"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "module.py").write_text("A = 1\n")
    before = launch._stamps(str(package))
    (package / "sub" / "module.py").write_text("A = 22\n")
    assert launch._stamps(str(package)) != before
    key = launch.warm_key()
    for name, value in (("PWD", "/elsewhere"), ("GIT_DIR", "/elsewhere/.git"), ("CICATEXT_WATCH", "0")):
        monkeypatch.setenv(name, value)
        assert launch.warm_key() == key, name
    for name, value in (("PYTHONHASHSEED", "7"), ("LANG", "C"), ("GIT_PYTHON_TRACE", "1")):
        monkeypatch.setenv(name, value)
        assert launch.warm_key() != key, name
        monkeypatch.delenv(name)


def test_a_warm_process_started_for_other_code_says_so_and_none_is_started_again(tmp_path):
    """A warm process asked to serve a socket of another key ends at once, leaving a mark, and programs of that
    key start none again until `warm start` is asked for."""
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    environment.pop("CICATEXT_WARM")
    other = launch.address(b"other code", make=True)
    done = subprocess.run([sys.executable, "-m", "cicatext.cli.warm", other], env=environment, capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert os.path.exists(other + launch.REFUSED)
    assert not os.path.exists(other)
    os.unlink(other + launch.REFUSED)


def test_a_request_of_another_key_is_not_run(demo_repo, warm_env):
    """The warm process answers `K` (run it yourself) to a program whose key is not its own, and runs nothing."""
    _start(warm_env, demo_repo.root)
    path = json.loads(_program(["warm", "--json"], demo_repo.root, warm_env).stdout)["processes"]
    path = next(p["socket"] for p in path if p["serves_this_program"])
    fields = [b"run", b"another key", b"18", b"", b"", b"2", b"cicatext", b"validate"]
    message = b"".join(launch.field(f) for f in fields)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(30)
        connection.connect(path)
        connection.sendall(b"%d\n" % len(message) + message)
        assert connection.recv(16) == b"K\n"
    assert _ask(warm_env)["served"] == 1  # forked, and it ran nothing


@pytest.mark.parametrize("answers, expected", [(b"K\n", None), (b"P1\n", 1), (b"P1\nE3\n", 3)])
def test_the_program_reads_what_the_warm_process_says(tmp_path, capsys, answers, expected):
    """`K` makes the program run the command itself; a command's process that ends without its exit code is said,
    exit 1; `E` gives the exit code."""
    path = str(tmp_path / "s.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(1)

        def answer():
            connection, _ = server.accept()
            with connection:
                connection.recv(1 << 20)
                connection.sendall(answers)
                got.append(connection.recv(1))  # the program's go, after `P`

        got = []

        thread = threading.Thread(target=answer)
        thread.start()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as program:
            program.connect(path)
            program.sendall(b"x")
            here = os.open(".", os.O_RDONLY)
            try:
                code = launch._Waiting(program).wait(here)
            finally:
                os.close(here)
        thread.join(10)
    assert code == expected
    assert got == ([b"G"] if answers.startswith(b"P") else [b""])
    if answers == b"P1\n":
        assert "ended the command without its exit code" in capsys.readouterr().err


def test_a_warm_process_killed_is_replaced(demo_repo, warm_env):
    """A warm process killed (SIGKILL) leaves its socket; the next quick command runs cold, as the program would,
    and a new warm process starts in its place."""
    said = _start(warm_env, demo_repo.root)
    os.kill(said["pid"], signal.SIGKILL)
    time.sleep(0.2)
    assert _ask(warm_env) is None
    cold = _program(["validate"], demo_repo.root, {**warm_env, "CICATEXT_WARM": "0"})
    _same(cold, _program(["validate"], demo_repo.root, warm_env), ["validate"])
    deadline = time.monotonic() + 30
    while _ask(warm_env) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ask(warm_env)["pid"] != said["pid"]


def test_warm_start_says_why_none_could_start(tmp_path, warm_env):
    """A warm process that cannot start says why beside its socket; `cicatext warm start` prints it, exit 1, and no
    program starts one again for that socket until `warm start` is asked for."""
    path = subprocess.run([sys.executable, "-c", "from cicatext.cli import launch\n"
                           "print(launch.address(launch.warm_key(), make=True))"],
                          env=warm_env, capture_output=True, text=True, check=True).stdout.strip()
    os.mkdir(path + ".lock")  # where its lock file would be: it cannot start
    done = _program(["warm", "start"], tmp_path, warm_env)
    assert done.returncode == 1
    assert "no warm process could start: it could not start: IsADirectoryError" in done.stderr.decode()
    said = (tmp_path / "said.json")
    said.write_bytes(open(path + launch.REFUSED, "rb").read())
    assert _program(["check", "-"], tmp_path, warm_env, input=b"a\n").returncode == 0
    time.sleep(1.0)
    assert not os.path.exists(path)
    # No other attempt was made: one would have written its own reason, at its own time.
    assert open(path + launch.REFUSED, "rb").read() == said.read_bytes()


def test_a_refusal_is_tried_again_after_a_day(tmp_path):
    """A warm process's refusal stops programs from starting another for a day only."""
    path = str(tmp_path / "warm-test.sock")
    with open(path + launch.REFUSED, "w") as said:
        said.write("{}")
    assert launch._refused_lately(path)
    old = time.time() - launch.RETRY_AFTER - 60
    os.utime(path + launch.REFUSED, (old, old))
    assert not launch._refused_lately(path)
    assert not launch._refused_lately(str(tmp_path / "other.sock"))


# A program of the test's key that asks its warm process to run any command line, as a hostile program of the same
# user could; it prints what the warm process answered first.
_ASK_ANY = """
import os, socket, sys
from cicatext.cli import launch
key = launch.warm_key()
args = [b"cicatext", *map(os.fsencode, sys.argv[1:])]
fields = [b"run", key, b"18", b"", b"", b"%d" % len(args), *args] + [b"%s=%s" % p for p in os.environb.items()]
message = b"".join(map(launch.field, fields))
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
    connection.settimeout(30)
    connection.connect(launch.address(key))
    connection.sendall(b"%d\\n" % len(message) + message)
    print(connection.recv(64).decode().split("\\n")[0][:1])
"""


def test_a_warm_process_runs_no_command_but_the_quick_ones(demo_repo, warm_env, tmp_path):
    """Asked by a program of its own key to run a command that is not quick (`demo`, which writes a repository),
    the warm process answers `K` and runs nothing; a quick one it runs."""
    _start(warm_env, demo_repo.root)
    target = tmp_path / "made"
    asked = subprocess.run([sys.executable, "-c", _ASK_ANY, "demo", "--no-tui", "--path", str(target)],
                           cwd=demo_repo.root, env=warm_env, capture_output=True, text=True, timeout=60, check=True)
    assert asked.stdout.strip() == "K"
    time.sleep(1.0)
    assert not target.exists()
    asked = subprocess.run([sys.executable, "-c", _ASK_ANY, "validate"], cwd=demo_repo.root, env=warm_env,
                           capture_output=True, text=True, timeout=60, check=True)
    assert asked.stdout.strip() == "P"


def _default_signals() -> None:
    """In the program, before it starts: the signals tested at their default, whatever the tests' runner ignores
    (a shell without job control ignores SIGTSTP, SIGINT or SIGQUIT in what it runs in the background)."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGTSTP):
        signal.signal(number, signal.SIG_DFL)


def _forks_of(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
        return [int(child) for child in children.read().split()]


def _waiting_command(environment, cwd, **options) -> tuple[subprocess.Popen, int]:
    """`cicatext check -` run warm, waiting for its input; the program and the warm process's fork running it."""
    server = _ask(environment)["pid"]
    before = set(_forks_of(server))
    program = subprocess.Popen([sys.executable, "-m", "cicatext", "check", "-"], cwd=cwd, env=environment,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)
    deadline = time.monotonic() + 30
    while not set(_forks_of(server)) - before and time.monotonic() < deadline:
        time.sleep(0.02)
    fork = (set(_forks_of(server)) - before).pop()
    # Until the fork runs the command, which waits for its input (the kernel says where it sleeps: a pipe's read;
    # where it does not say, a second).
    while time.monotonic() < deadline:
        with open(f"/proc/{fork}/wchan", encoding="ascii", errors="replace") as sleeping:
            where = sleeping.read()
        if "pipe" in where or where in ("", "0"):
            break
        time.sleep(0.02)
    time.sleep(0.2 if "pipe" in where else 1.0)
    return program, fork


def _state(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def test_a_signal_the_program_ignores_is_ignored_by_the_command(demo_repo, warm_env):
    """A program started with SIGINT ignored (as `nohup` or `&` in a script do) is not interrupted by it, warm as
    cold: the command reads its input to the end."""
    _start(warm_env, demo_repo.root)
    ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    results = []
    for environment in (warm_env, {**warm_env, "CICATEXT_WARM": "0"}):
        program = subprocess.Popen([sys.executable, "-m", "cicatext", "check", "-"], cwd=demo_repo.root,
                                   env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, preexec_fn=ignore)
        time.sleep(1.0)
        program.send_signal(signal.SIGINT)
        out, err = program.communicate(b"a [b (+CHN) c\n", timeout=30)
        results.append((program.returncode, out, err))
    assert results[0] == results[1]
    assert results[0][0] == 1 and b"never closed" in results[0][2]


def test_the_command_ends_when_the_program_is_killed(demo_repo, warm_env):
    """Killed (SIGKILL, which it cannot pass on), the program leaves no command running in the warm process."""
    _start(warm_env, demo_repo.root)
    program, fork = _waiting_command(warm_env, demo_repo.root)
    program.kill()
    program.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _state(fork) not in (None, "Z") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _state(fork) in (None, "Z")


def test_ctrl_z_stops_the_command_with_the_program(demo_repo, warm_env):
    """SIGTSTP (Ctrl-Z) stops the command with the program; SIGCONT (`fg`) continues both."""
    _start(warm_env, demo_repo.root)
    # In a process group of its own in the tests' session, as a shell's job is: the kernel does not stop a process
    # on SIGTSTP in a group with no parent in its session outside it (an orphaned group).
    program, fork = _waiting_command(warm_env, demo_repo.root, preexec_fn=_default_signals, process_group=0)
    program.send_signal(signal.SIGTSTP)
    deadline = time.monotonic() + 30
    while (_state(fork), _state(program.pid)) != ("T", "T") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (_state(fork), _state(program.pid)) == ("T", "T")
    program.send_signal(signal.SIGCONT)
    out, err = program.communicate(b"a [b (+CHN) c\n", timeout=30)
    assert program.returncode == 1 and b"never closed" in err


def test_a_stopped_warm_process_does_not_hold_the_program(demo_repo, warm_env):
    """A warm process that does not answer (stopped) costs the program a moment: it runs the command itself, and
    the warm process, continued, does not run it again."""
    said = _start(warm_env, demo_repo.root)
    cold = _program(["check", "-"], demo_repo.root, {**warm_env, "CICATEXT_WARM": "0"}, input=b"a [b c\n")
    os.kill(said["pid"], signal.SIGSTOP)
    try:
        warm = _program(["check", "-"], demo_repo.root, warm_env, input=b"a [b c\n", timeout=60)
    finally:
        os.kill(said["pid"], signal.SIGCONT)
    _same(cold, warm, ["check", "-"])
    deadline = time.monotonic() + 30
    while _forks_of(said["pid"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _forks_of(said["pid"]) == []
    assert _ask(warm_env)["served"] == 1  # forked once it went on, and the fork gave the command up


def test_output_to_a_reader_gone_ends_quietly(demo_repo, warm_env):
    """Output to a pipe whose reader has gone (`| head -1`) ends the command quietly with exit 0, warm as cold."""
    _start(warm_env, demo_repo.root)
    results = []
    for environment in ({**warm_env, "CICATEXT_WARM": "0"}, warm_env):
        reading, writing = os.pipe()
        os.close(reading)
        done = subprocess.run([sys.executable, "-m", "cicatext", "diff", "HEAD~3", "HEAD", "--json"],
                              cwd=demo_repo.root, env={**environment, "PYTHONUNBUFFERED": ""}, stdout=writing,
                              stderr=subprocess.PIPE, timeout=60, check=False)
        os.close(writing)
        results.append((done.returncode, done.stderr))
    assert results == [(0, b""), (0, b"")]


def test_the_key_holds_what_the_system_gives_the_program():
    """Programs with another file limit, priority, set of processors or unbuffered streams (`-u`) have another
    key: a fork of the warm process would otherwise run with the warm process's."""
    show = "import zlib\nfrom cicatext.cli import launch\nprint(zlib.crc32(launch.warm_key()))"
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}

    def key(*flags, preexec=None):
        return subprocess.run([sys.executable, *flags, "-c", show], capture_output=True, text=True, check=True,
                              preexec_fn=preexec, env=environment).stdout

    import resource

    plain = key()
    assert key() == plain
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert key(preexec=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, 64), hard))) != plain
    assert key(preexec=lambda: os.nice(5)) != plain
    assert key("-u") != plain


def test_a_package_file_that_cannot_be_looked_at_is_named_in_the_key(tmp_path):
    """A link to nothing in the package (an editor's lock file) is stamped by its name, not a failure."""
    (tmp_path / "module.py").write_text("A = 1\n")
    os.symlink(tmp_path / "gone", tmp_path / ".#module.py")
    assert launch._stamps(str(tmp_path)) == ["/.#module.py:unreadable",
                                             f"/module.py:6:{(tmp_path / 'module.py').stat().st_mtime_ns}"]


def test_a_relative_tmpdir_puts_the_socket_in_tmp(tmp_path, monkeypatch):
    """A relative TMPDIR names another folder from the program's working folder than from the warm process's
    (`/`): the socket is in /tmp's folder, for both."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TMPDIR", "relative")
    path = launch.address(b"some key", make=True)
    assert path.startswith(f"/tmp/cicatext-{os.getuid()}/")
    assert not (tmp_path / "relative").exists()


def test_starting_a_warm_process_warns_of_nothing(demo_repo, warm_env):
    """With Python's warnings shown (`-X dev`), a quick command that starts a warm process prints what it prints
    without them: no warning of a process left running."""
    try:
        done = subprocess.run([sys.executable, "-X", "dev", "-m", "cicatext", "validate"], cwd=demo_repo.root,
                              env=warm_env, capture_output=True, check=False)
        assert done.returncode == 0 and b"Warning" not in done.stderr, done.stderr
        deadline = time.monotonic() + 30
        while _ask(warm_env, flags=("-X", "dev")) is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _ask(warm_env, flags=("-X", "dev")) is not None
    finally:
        _ask(warm_env, "S", flags=("-X", "dev"))


def test_input_typed_at_a_terminal_is_read_by_the_program_itself(demo_repo, warm_env):
    """`check -` with a terminal as its input runs in the program's own process, which the terminal's job control
    (Ctrl-Z, `bg`) governs as it governs any reader."""
    import pty

    _start(warm_env, demo_repo.root)
    leader, follower = pty.openpty()
    try:
        program = subprocess.Popen([sys.executable, "-m", "cicatext", "check", "-"], cwd=demo_repo.root,
                                   env=warm_env, stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        os.write(leader, b"a [b (+CHN) c\n\x04")
        out, err = program.communicate(timeout=30)
    finally:
        os.close(leader)
        os.close(follower)
    assert program.returncode == 1 and b"never closed" in err
    assert _ask(warm_env)["served"] == 0


def test_elsewhere_than_linux_every_command_runs_in_its_own_process(monkeypatch):
    """On another system the program never asks for a warm process, nor starts one."""
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv("CICATEXT_WARM")
    assert not launch.available()
    monkeypatch.setattr(sys, "platform", "linux")
    assert launch.available()
    monkeypatch.setenv("CICATEXT_WARM", "0")
    assert not launch.available()
