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


def _ask(environment, question="?") -> dict | None:
    """What the warm process serving programs of this environment says (`S`: as it stops); None when none does."""
    done = subprocess.run([sys.executable, "-c", "import json, sys\nfrom cicatext.cli import launch, warm\n"
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
        served = _ask(warm_env)["served"]
        program = subprocess.Popen([sys.executable, "-m", "cicatext", "check", "-"], cwd=demo_repo.root,
                                   env=warm_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while _ask(warm_env)["served"] == served and time.monotonic() < deadline:
            time.sleep(0.05)  # until the warm process has forked the command, which waits for its input
        time.sleep(0.2)
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
    assert "CICATEXT_WARM=0" in done.stderr.decode()
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
    fields = [b"run", b"another key", b"18", b"2", b"cicatext", b"validate"]
    message = b"".join(launch.field(f) for f in fields)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(30)
        connection.connect(path)
        descriptors = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2, 0))
        connection.sendmsg([b"%d\n" % len(message) + message],
                           [(socket.SOL_SOCKET, socket.SCM_RIGHTS, descriptors)])
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

        thread = threading.Thread(target=answer)
        thread.start()
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as program:
            program.connect(path)
            program.sendall(b"x")
            code = launch._Waiting().wait(program)
        thread.join(10)
    assert code == expected
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
