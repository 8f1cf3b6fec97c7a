"""The watcher: git asked through it sees every change git sees looking at each file, and anything it cannot vouch
for is answered with everything."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cicatext.store.repository import Repository
from cicatext.store.validation.validate import validate
from cicatext.store.watch import client
from cicatext.store.watch.daemon import Journal, Watcher
from cicatext.store.watch.hook import WATCH_OFF, address

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the watcher uses Linux inotify")


@pytest.fixture
def watched(demo_repo, monkeypatch):
    """The sample repository with a watcher running, which git is pointed at whatever the repository's size."""
    monkeypatch.setenv("CICATEXT_WATCH_FROM", "1")
    monkeypatch.setenv("CICATEXT_WATCH_IDLE", "120")
    monkeypatch.delenv("CICATEXT_WATCH", raising=False)
    process = client.start(demo_repo.root)
    assert process is not None
    _wait_for(lambda: client.answering(demo_repo.root))
    yield demo_repo
    client.stop(demo_repo.root)
    process.wait(timeout=10)
    _stop_any(demo_repo.root)


def _stop_any(root: Path) -> None:
    """Stop whatever watcher a test left for `root`: one a validate started in the background, also one still
    starting as the running one stopped (found by its command line), so that none outlives the test."""
    client.stop(root)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        left = [pid for pid in _watchers_of(root) if _terminate(pid)]
        if not left:
            return
        time.sleep(0.1)


def _watchers_of(root: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                words = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"cicatext.store.watch.daemon" in words and os.fsencode(str(root)) in words:
                found.append(int(entry.name))
    return found


def _terminate(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        return False
    return True


def _wait_for(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the watcher did not come up"
        time.sleep(0.05)


def _status(repo, *options: str) -> str:
    return subprocess.run(["git", *options, "status", "--porcelain", "--untracked-files=all"], cwd=repo.root,
                          capture_output=True, text=True, check=True).stdout


def _through_watcher(repo) -> str:
    options = client.git_options(repo.root)
    assert options, "git was not pointed at the watcher"
    return _status(repo, "-c", "core.untrackedCache=true", *options)


def test_git_asked_through_the_watcher_sees_what_git_sees_alone(watched):
    """Each kind of change, made after git's last look, is seen through the watcher as git sees it alone: an edit of
    the same size with its time put back, a file made in a new nested folder, a folder moved, one removed, a mode
    changed."""
    repo = watched
    assert _through_watcher(repo) == _status(repo)  # the first answer: everything
    text = next((repo.root / "documents").glob("*/en.txt"))
    stat = text.stat()
    content = text.read_bytes()
    text.write_bytes(content[:-2] + (b"x" if content[-2:-1] != b"x" else b"y") + content[-1:])
    os.utime(text, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _through_watcher(repo) == _status(repo)
    text.write_bytes(content + b"more\n")
    assert " M " + str(text.relative_to(repo.root)) in _through_watcher(repo)
    assert _through_watcher(repo) == _status(repo)
    nested = repo.root / "documents/new-doc/annex/deep"
    nested.mkdir(parents=True)
    (nested / "en.txt").write_text("x\n", encoding="utf-8")
    assert _through_watcher(repo) == _status(repo)
    folder = text.parent
    shutil.move(str(folder), str(repo.root / "moved-away"))
    assert _through_watcher(repo) == _status(repo)
    shutil.move(str(repo.root / "moved-away"), str(folder))
    shutil.rmtree(repo.root / "documents/new-doc")
    assert _through_watcher(repo) == _status(repo)
    record = next((repo.root / "registry/states").glob("*.yaml"))
    record.chmod(0o755)
    seen = _through_watcher(repo)
    assert seen == _status(repo) and str(record.relative_to(repo.root)) in seen


def test_validate_through_the_watcher_gives_what_a_run_without_caches_gives(watched):
    repo = watched
    assert validate(repo) == validate(repo, use_cache=False)
    text = next((repo.root / "documents").glob("*/en.txt"))
    text.write_text(text.read_text(encoding="utf-8") + "\n[an added bracket] (+NOSUCH)\n", encoding="utf-8")
    found = validate(repo)
    assert any("NOSUCH" in p.message for p in found)
    assert found == validate(repo, use_cache=False)


def test_a_watcher_gone_leaves_git_to_look_at_every_file(watched):
    """Killed, the watcher leaves its socket: nothing answers there, so git is not pointed at it (and a new one is
    started); the hook itself, run with nothing to answer, says anything may have changed."""
    repo = watched
    pid = json.loads(Path(address(str(repo.root / ".git"), ".json")).read_text(encoding="utf-8"))["pid"]
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)  # the test started it: reaped here, as the system reaps one whose command has ended
    _wait_for(lambda: not client.answering(repo.root))
    assert Path(address(str(repo.root / ".git"))).exists()
    hook = subprocess.run([sys.executable, "-I", "-S", str(Path(client.__file__).with_name("hook.py")), "2",
                           "cicatext:1.1:5"], cwd=repo.root, capture_output=True, check=True)
    assert hook.stdout.split(b"\0")[1] == b"/"
    text = next((repo.root / "documents").glob("*/en.txt"))
    text.write_text(text.read_text(encoding="utf-8") + "\n[x] (+NOSUCH)\n", encoding="utf-8")
    found = validate(repo)
    assert found == validate(repo, use_cache=False) and any("NOSUCH" in p.message for p in found)
    _wait_for(lambda: client.answering(repo.root))  # the validate above started another


def test_the_journal_answers_only_its_own_tokens():
    journal = Journal()
    start = journal.token()
    journal.note("a.txt")
    journal.note("b/")
    assert journal.since(start) == ["a.txt", "b/"]
    assert journal.since(journal.token()) == []
    middle = journal.token()
    journal.note("c.txt")
    journal.note("a.txt")  # changed again: named once, as of its last change
    assert journal.since(start) == ["b/", "c.txt", "a.txt"] and journal.since(middle) == ["c.txt", "a.txt"]
    assert journal.since("cicatext:other:0") is None and journal.since("1765000000") is None
    journal.lose_track()
    assert journal.since(start) is None


def test_a_watcher_in_process_reports_a_folder_made_with_its_files(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "a").mkdir()
    watcher = Watcher(tmp_path)
    token = watcher.answer("").split(b"\0")[0].decode()
    (tmp_path / "a/b/c").mkdir(parents=True)
    (tmp_path / "a/b/c/f.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".git/ignored-by-the-watcher").write_text("x", encoding="utf-8")
    answer = watcher.answer(token).split(b"\0")
    assert {b"a/b/", b"a/b/c/f.txt"} <= set(answer[1:])
    assert not any(name.startswith(b".git") for name in answer[1:])
    assert watcher.answer("a token it never gave").split(b"\0")[1] == b"/"


def test_no_watcher_is_started_while_the_last_one_was_refused(demo_repo, monkeypatch):
    monkeypatch.setenv("CICATEXT_WATCH_FROM", "1")
    (demo_repo.root / ".git" / WATCH_OFF).write_text(f'{{"reason": "no space", "since": {time.time()}}}')
    assert client.refused(demo_repo.root) == "no space"
    assert client.git_options(demo_repo.root) == () and client.start(demo_repo.root) is None
    monkeypatch.setenv("CICATEXT_WATCH", "0")
    (demo_repo.root / ".git" / WATCH_OFF).unlink()
    assert client.git_options(demo_repo.root) == () and not client.answering(demo_repo.root)


def test_the_watch_command_starts_says_and_stops(demo_repo, monkeypatch, capsys):
    """`cicatext watch start` waits until the watcher answers; `status --json` says what it watches and that git
    asks it (from `CICATEXT_WATCH_FROM` files); `stop` leaves no socket and no lock file; a second repository is
    one too many."""
    from cicatext.cli.main import main

    monkeypatch.setenv("CICATEXT_WATCH_FROM", "1")
    monkeypatch.setenv("CICATEXT_WATCH_IDLE", "120")
    monkeypatch.delenv("CICATEXT_WATCH", raising=False)
    root = str(demo_repo.root)
    try:
        assert main(["watch", "start", root]) == 0
        capsys.readouterr()
        assert main(["watch", "status", root, "--json"]) == 0
        said = json.loads(capsys.readouterr().out)
        assert said["watching"] and said["used"] and said["folders"] > 10 and said["files"] > 10
    finally:
        assert main(["watch", "stop", root]) == 0
    assert "no watcher" in capsys.readouterr().out
    assert not Path(address(str(demo_repo.root / ".git"))).exists()
    lock = Path(address(str(demo_repo.root / ".git"), ".lock"))
    deadline = time.monotonic() + 10
    while lock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the watcher removes it as it ends, after its socket
    assert not lock.exists()
    assert main(["watch", "stop", root, root]) == 2
    assert "takes one repository" in capsys.readouterr().err


def test_a_copy_of_a_watched_repository_has_no_watcher_of_its_own_until_one_starts(watched, tmp_path):
    """The socket lives outside the repository, named after git's folder: a copy (made while the watcher runs)
    copies no socket and is answered by no watcher."""
    copy = tmp_path / "copy"
    shutil.copytree(watched.root, copy, symlinks=True)
    assert client.answering(watched.root) and not client.answering(copy)
    assert address(str(copy / ".git")) != address(str(watched.root / ".git"))


def test_a_socket_folder_another_may_enter_is_not_used(monkeypatch):
    """A folder for the sockets that anybody else may write to (or that is no folder) is no place for them: a
    watcher there could be anybody's."""
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="w", dir="/tmp"))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    folder = tmp_path / f"cicatext-{os.getuid()}"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    assert address(str(tmp_path / ".git"), make=True) is None
    folder.chmod(0o700)
    assert address(str(tmp_path / ".git"), make=True).startswith(str(folder))
    folder.rmdir()
    folder.symlink_to(tmp_path)
    assert address(str(tmp_path / ".git"), make=True) is None
    shutil.rmtree(tmp_path)


def test_a_watcher_stops_when_its_work_tree_is_removed(demo_repo, monkeypatch, tmp_path):
    """Removed as a whole (as a benchmark's copy or a test's folder is), the work tree takes its watcher with it:
    the watcher keeps no hold on the folder (it does not run in it) and leaves no socket."""
    monkeypatch.setenv("CICATEXT_WATCH_IDLE", "120")
    monkeypatch.delenv("CICATEXT_WATCH", raising=False)
    copy = tmp_path / "removed"
    shutil.copytree(demo_repo.root, copy, symlinks=True)
    process = client.start(copy)
    _wait_for(lambda: client.answering(copy))
    socket_path = Path(address(str(copy / ".git")))
    shutil.rmtree(copy)
    assert process.wait(timeout=20) == 0
    assert not socket_path.exists()


def test_validate_lists_with_git_only_when_the_watcher_cannot_vouch(watched, monkeypatch, tmp_path):
    """With nothing changed, or only texts edited, validate takes the last listing and what the watcher names since
    (no `git status`); a record edited, a text added, `git add`, or git's exclude file changed, send it to git. Every
    answer is what a run without caches gives."""
    from cicatext.store.validation import listing as listing_module

    repo = watched
    past = time.time() - 120  # folders whose entries last changed a while ago, as in a repository one works in
    for folder in (repo.root / "documents").iterdir():
        os.utime(folder, (past, past))
    for _ in range(3):  # the first listings may see git write its index as it looks
        validate(repo)
    made, copies = [], []
    real = listing_module.Listing.__init__
    monkeypatch.setattr(listing_module.Listing, "__init__", lambda self, root: made.append(root) or real(self, root))

    def check(expect_git: bool) -> list:
        made.clear()
        found = validate(repo)
        assert bool(made) == expect_git
        # Compared on a copy: git looking at the repository itself writes its index, which the next run would see.
        copy = tmp_path / f"copy-{len(copies)}"
        copies.append(shutil.copytree(repo.root, copy, symlinks=True, ignore=shutil.ignore_patterns(".cicatext")))
        with monkeypatch.context() as unwatched:
            unwatched.setenv("CICATEXT_WATCH", "0")  # the copy's own run starts no watcher of its own
            assert found == validate(Repository(copy), use_cache=False)
        return found

    check(expect_git=False)
    text = next((repo.root / "documents").glob("*/en.txt"))
    text.write_text(text.read_text(encoding="utf-8") + "\n[an added bracket] (+NOSUCH)\n", encoding="utf-8")
    assert any("NOSUCH" in p.message for p in check(expect_git=False))
    check(expect_git=False)
    record = text.parent / "document.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    check(expect_git=True)
    check(expect_git=True)  # git wrote its index as it looked (the watcher's token): its listing once more
    check(expect_git=False)
    (text.parent / "zz.txt").write_text("A text nobody declared.\n", encoding="utf-8")
    check(expect_git=True)
    subprocess.run(["git", "add", str(text)], cwd=repo.root, check=True)
    check(expect_git=True)
    with open(repo.root / ".git/info/exclude", "a", encoding="utf-8") as exclude:
        exclude.write("*.tmp\n")
    check(expect_git=True)


def test_events_the_kernel_dropped_leave_no_folder_unwatched(watched):
    """While the watcher cannot read (stopped here), more events than the kernel keeps are made, then a folder: the
    kernel drops the folder's event. The watcher answers everything once and looks for every folder again, so that
    files written later in the new folder are seen (before, git asked through the watcher said nothing changed, and
    so did validate, cached or not, while git alone listed the folder)."""
    repo = watched
    kept = int(Path("/proc/sys/fs/inotify/max_queued_events").read_text())
    pid = json.loads(Path(address(str(repo.root / ".git"), ".json")).read_text(encoding="utf-8"))["pid"]
    validate(repo)
    validate(repo)
    os.kill(pid, signal.SIGSTOP)
    try:
        for _ in range(kept // 2 + 1000):  # two names in turn: the kernel folds an event into the same one before it
            os.utime(repo.root / "README.md")
            os.utime(repo.root / "cicatext.yaml")
        (repo.root / "documents/new-folder").mkdir()
    finally:
        os.kill(pid, signal.SIGCONT)
    time.sleep(3)
    validate(repo)
    time.sleep(2.5)  # past the time within which git looks again at a changed folder by itself
    validate(repo)
    (repo.root / "documents/new-folder/en.txt").write_text("Some [unclosed text\n", encoding="utf-8")
    (repo.root / "documents/new-folder/document.yaml").write_text("not: [valid\n", encoding="utf-8")
    assert "?? documents/new-folder/" in _through_watcher(repo)
    found = validate(repo)
    assert any(p.file.startswith("documents/new-folder/") for p in found)


def test_a_folder_whose_watch_ends_while_it_is_there_is_watched_again(tmp_path):
    """A watch the kernel ends though the folder is still there (a file system unmounted over it; here, taken off):
    nothing said before stands, and the folder is watched again, so that a file written in it after is named."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "a").mkdir()
    watcher = Watcher(tmp_path)
    token = watcher.answer("").split(b"\0")[0].decode()
    watcher.inotify.remove(watcher.watches["a"])
    assert watcher.answer(token).split(b"\0")[1] == b"/"  # lost track: everything
    token = watcher.answer(token).split(b"\0")[0].decode()
    assert "a" in watcher.watches
    (tmp_path / "a/f.txt").write_text("x", encoding="utf-8")
    assert b"a/f.txt" in watcher.answer(token).split(b"\0")


def test_an_answer_cut_short_is_taken_for_everything(tmp_path, monkeypatch):
    """An answer that stops short (the watcher ended in the middle of it), even just after a NUL, would tell git the
    paths left out did not change: the hook and validate take only an answer of the length the watcher said."""
    import socket
    import threading

    from cicatext.store.watch.hook import EVERYTHING, framed, unframed

    whole = framed(b"cicatext:1.1:7\0documents/a/en.txt\0documents/b/en.txt\0")
    assert unframed(whole) == whole.split(b"\n", 1)[1]
    cut = whole[:whole.index(b"documents/b")]
    assert cut.endswith(b"\0") and unframed(cut) is None and unframed(b"cicatext:1.1:7\0") is None
    monkeypatch.setenv("TMPDIR", "/tmp")
    (tmp_path / ".git").mkdir()
    path = address(str(tmp_path / ".git"), make=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)

    def answer_cut() -> None:
        connection, _ = server.accept()
        connection.recv(4096)
        connection.sendall(cut)
        connection.close()

    thread = threading.Thread(target=answer_cut)
    thread.start()
    try:
        hook = subprocess.run([sys.executable, "-I", "-S", str(Path(client.__file__).with_name("hook.py")), "2",
                               "cicatext:1.1:5"], cwd=tmp_path, capture_output=True, check=True)
    finally:
        thread.join(timeout=10)
        server.close()
        os.unlink(path)
    assert hook.stdout == EVERYTHING


def test_one_watcher_a_repository_and_none_without_a_safe_place(demo_repo, monkeypatch):
    """A second watcher for the same repository ends at once (the first holds the lock); with no folder of the user's
    own for the sockets, none is started at all (no process started in vain on every git call)."""
    import tempfile

    monkeypatch.setenv("CICATEXT_WATCH_IDLE", "120")
    monkeypatch.delenv("CICATEXT_WATCH", raising=False)
    first = client.start(demo_repo.root)
    _wait_for(lambda: client.answering(demo_repo.root))
    try:
        second = subprocess.run([sys.executable, "-m", "cicatext.store.watch.daemon", str(demo_repo.root)],
                                capture_output=True, timeout=30)
        assert second.returncode == 0 and client.answering(demo_repo.root)
        assert client.start(demo_repo.root) is None  # the lock is held: none started
    finally:
        client.stop(demo_repo.root)
        first.wait(timeout=10)
    unsafe = Path(tempfile.mkdtemp(prefix="w", dir="/tmp"))
    (unsafe / f"cicatext-{os.getuid()}").mkdir(mode=0o777)
    (unsafe / f"cicatext-{os.getuid()}").chmod(0o777)
    monkeypatch.setenv("TMPDIR", str(unsafe))
    monkeypatch.setenv("CICATEXT_WATCH_FROM", "1")
    assert client.git_options(demo_repo.root) == () and client.start(demo_repo.root) is None
    shutil.rmtree(unsafe)


def test_starting_a_watcher_warns_of_nothing(demo_repo):
    """With Python's warnings shown (`-X dev`), a validate that starts a watcher prints no warning of a process
    left running."""
    environment = {**os.environ, "CICATEXT_WATCH_FROM": "1", "CICATEXT_WATCH_IDLE": "120"}
    environment.pop("CICATEXT_WATCH", None)
    try:
        done = subprocess.run([sys.executable, "-X", "dev", "-m", "cicatext", "validate"], cwd=demo_repo.root,
                              env=environment, capture_output=True, check=False)
        assert done.returncode == 0 and b"Warning" not in done.stderr, done.stderr
        _wait_for(lambda: client.answering(demo_repo.root))
    finally:
        _stop_any(demo_repo.root)


def test_looking_whether_a_watcher_starts_leaves_no_lock_file(demo_repo):
    """Asking whether a watcher is starting takes its lock for a moment, and leaves no lock file behind."""
    git_dir = demo_repo.root / ".git"
    assert client._starting(git_dir) is False
    assert not Path(address(str(git_dir), ".lock")).exists()
