"""Nothing lost: SIGKILL at random moments and concurrent writers leave a consistent repository."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cicatext.store import yamlio
from tests.negotiation.conftest import SYMBOL, TEXT, add_volunteer_document, propose_as
from tests.trust.conftest import git, keygen

RUNS = int(os.environ.get("CICATEXT_KILL_RUNS", "12"))


def cicatext(*args: str) -> list[str]:
    return [sys.executable, "-m", "cicatext", *args]


def consistent(root: Path, before: str, versions: set[bytes]) -> str:
    """Assert fsck is clean, main is before or one round after, and no file is torn (the text is one of `versions`).

    Returns main. The working tree may still lag behind main or run ahead of
    it: the next command's recovery settles it (see `settled`).
    """
    fsck = git(root, "fsck", "--no-progress", check=False)
    assert fsck.returncode == 0 and "error" not in fsck.stderr.lower(), fsck.stderr
    main = git(root, "rev-parse", "main").stdout.strip()
    if main != before:
        assert git(root, "rev-parse", "main^1").stdout.strip() == before
    for path in root.rglob("*.yaml"):
        if ".git" not in path.parts:
            yamlio.load(path.read_text(encoding="utf-8"), file=str(path))
    assert (root / TEXT).read_bytes() in versions
    return main


def settled(root: Path, before: str) -> None:
    """Assert the working tree is main's, to the file, and a round that moved main has its tag."""
    assert git(root, "status", "--porcelain", "--untracked-files=no").stdout == ""
    main = git(root, "rev-parse", "main").stdout.strip()
    if main != before:
        assert git(root, "tag", "--points-at", main).stdout.strip()


@pytest.fixture(scope="module")
def proposals(tmp_path_factory):
    """A repository where IND and CHN have proposed on MC/2023/DRAFT/5 (built once)."""
    from cicatext.store.register.create import init_repository

    repo = init_repository(tmp_path_factory.mktemp("kill") / "master")
    add_volunteer_document(repo)
    propose_as(repo, "IND", ("Improve the measures taken", "Improve the steps taken"))
    propose_as(repo, "CHN", ("Encourage recognition", "Encourage the recognition"))
    return repo.root


def test_sigkill_during_round(proposals, tmp_path):
    """`cicatext round` killed at random moments: fsck clean, main before or after, no torn file, next run works."""
    rng = random.Random(20230614)
    before = git(proposals, "rev-parse", "main").stdout.strip()
    start = time.monotonic()
    subprocess.run(cicatext("round", SYMBOL, "-C", str(proposals), "--date", "2023-06-14T10:00:00+00:00"),
                   capture_output=True, check=False, cwd=tmp_path)
    full = time.monotonic() - start
    versions = {git(proposals, "show", f"{rev}:{TEXT}").stdout.encode() for rev in (before, "main")}
    git(proposals, "reset", "--quiet", "--hard", before)
    git(proposals, "tag", "-d", "round/mc-2023-draft-5/1")
    outcomes = {"before": 0, "after": 0}
    for run in range(RUNS):
        root = tmp_path / f"run{run}"
        shutil.copytree(proposals, root, symlinks=True)
        process = subprocess.Popen(cicatext("round", SYMBOL, "-C", str(root)), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, cwd=tmp_path, start_new_session=True)
        time.sleep(rng.uniform(0, full * 1.1))
        # The whole process group, git children included, as a crash of the machine would.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        main = consistent(root, before, versions)
        outcomes["after" if main != before else "before"] += 1
        again = subprocess.run(cicatext("round", SYMBOL, "-C", str(root)), capture_output=True, text=True,
                               cwd=tmp_path)
        if main == before:
            assert again.returncode == 0, again.stderr
            assert git(root, "rev-parse", "main^1").stdout.strip() == before
        else:
            assert "nothing to compile" in again.stderr or again.returncode == 0, again.stderr
        settled(root, before)
        assert not list(root.rglob(".cicatext-tmp-*"))
        assert not (root / ".git" / "cicatext.lock").exists()
        shutil.rmtree(root)
    print(f"SIGKILL runs: {RUNS}, {outcomes}")


KILL_AT_WRITE = """
import os, signal, sys
from pathlib import Path
import cicatext.store.journal as journal
from cicatext.cli.main import main

writes = 0
real = journal.write_atomic

def write_atomic(path, data, **options):
    # Killed before the given write into the work tree, as a crash would kill it.
    global writes
    if ".git" not in Path(path).parts:
        writes += 1
        if writes == int(os.environ["KILL_AT_WRITE"]):
            os.kill(os.getpid(), signal.SIGKILL)
    return real(path, data, **options)

journal.write_atomic = write_atomic
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("kill_at", [1, 2])
def test_sigkill_while_main_moves_leaves_each_file_whole(proposals, tmp_path, kill_at):
    """Killed while the round writes the work tree (before its first file, between two): no file is empty or torn.

    Git's own checkout writes a file in place, so a kill there could leave it
    empty; the move writes each file whole. The next command settles the tree.
    """
    before = git(proposals, "rev-parse", "main").stdout.strip()
    root = tmp_path / "copy"
    shutil.copytree(proposals, root, symlinks=True)
    record = "documents/mc-2023-draft-5/document.yaml"
    old = {path: (root / path).read_bytes() for path in (TEXT, record)}
    killed = subprocess.run([sys.executable, "-c", KILL_AT_WRITE, "round", SYMBOL, "-C", str(root)],
                            capture_output=True, text=True, cwd=tmp_path, env=dict(os.environ, KILL_AT_WRITE=str(kill_at)))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # Killed before main moved: main, the tag and the journal say so; the journal names the round's commit.
    assert git(root, "rev-parse", "main").stdout.strip() == before
    assert git(root, "tag", "--list").stdout == ""
    target = json.loads((root / ".git" / "cicatext-journal.json").read_text(encoding="utf-8"))["move"]["new"]
    for path in (TEXT, record):
        after = git(root, "show", f"{target}:{path}").stdout.encode()
        assert old[path] != after
        assert (root / path).read_bytes() in (old[path], after)
    written = sum((root / path).read_bytes() != old[path] for path in (TEXT, record))
    assert written == kill_at - 1
    again = subprocess.run(cicatext("round", SYMBOL, "-C", str(root)), capture_output=True, text=True, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert git(root, "rev-parse", "main^1").stdout.strip() == before
    settled(root, before)
    assert not (root / ".git" / "cicatext-journal.json").exists()


@pytest.mark.parametrize("kill_at", [1, 2])
def test_sigkill_while_switching_to_a_delegation_branch_leaves_each_file_whole(proposals, tmp_path, kill_at):
    """`cicatext delegation start IND` killed while it writes the work tree: each file is main's or the branch's; the next
    `start` finishes the switch."""
    root = tmp_path / "copy"
    shutil.copytree(proposals, root, symlinks=True)
    branch = "delegations/IND"
    # A second file on the branch, so that the kill can fall between two writes.
    git(root, "switch", "--quiet", branch)
    (root / "notes").mkdir(exist_ok=True)
    (root / "notes" / "ind.txt").write_text("IND's working note\n", encoding="utf-8")
    git(root, "add", "notes/ind.txt")
    git(root, "commit", "--quiet", "-m", "A note")
    git(root, "switch", "--quiet", "main")
    paths = git(root, "diff", "--name-only", "main", branch).stdout.split()
    assert len(paths) == 2

    def version(rev: str, path: str) -> bytes | None:
        shown = git(root, "show", f"{rev}:{path}", check=False)
        return shown.stdout.encode() if shown.returncode == 0 else None

    killed = subprocess.run([sys.executable, "-c", KILL_AT_WRITE, "delegation", "start", "IND", "-C", str(root)],
                            capture_output=True, text=True, cwd=tmp_path, env=dict(os.environ, KILL_AT_WRITE=str(kill_at)))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert git(root, "symbolic-ref", "HEAD").stdout.strip() == "refs/heads/main"
    switched = 0
    for path in paths:
        now = (root / path).read_bytes() if (root / path).exists() else None
        assert now in (version("main", path), version(branch, path)), path
        switched += now == version(branch, path)
    assert switched == kill_at - 1
    again = subprocess.run(cicatext("delegation", "start", "IND", "-C", str(root)), capture_output=True, text=True, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert git(root, "symbolic-ref", "HEAD").stdout.strip() == f"refs/heads/{branch}"
    assert git(root, "status", "--porcelain").stdout == ""
    assert not (root / ".git" / "cicatext-journal.json").exists()


def test_stale_lock_of_a_dead_process_is_cleared(new_repo):
    """A lock left by a killed process (its pid is dead) does not block the next command."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (new_repo.git_dir() / "cicatext.lock").write_text(str(dead.pid))
    (new_repo.root / "registry" / ".cicatext-tmp-leftover").write_text("torn")
    new_repo.commit({"notes/x.txt": "x\n"}, "after a crash")
    assert not (new_repo.root / "registry" / ".cicatext-tmp-leftover").exists()


def test_concurrent_writers_serialize_or_refuse(new_repo, tmp_path):
    """Six `keys add` at once: each succeeds or says another command is writing; every success is recorded."""
    codes = ["IND", "CHN", "IRAN", "AZER", "TUR", "SEC"]
    keys = {code: keygen(tmp_path / "keys", code.lower()) for code in codes}
    processes = {code: subprocess.Popen(cicatext("keys", "add", code, f"{keys[code]}.pub", "-C", str(new_repo.root)),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for code in codes}
    accepted = []
    for code, process in processes.items():
        out, err = process.communicate(timeout=60)
        if process.returncode == 0:
            accepted.append(code)
        else:
            assert "another cicatext command is writing" in err or "index.lock" in err, err
    assert accepted
    registered = {line.split()[0] for line in new_repo.read_text("keys/allowed_signers").splitlines()
                  if line and not line.startswith("#")}
    assert registered == set(accepted)
    log = git(new_repo.root, "log", "--format=%s").stdout
    assert all(f"Register a signing key for {code}" in log for code in accepted)
    assert git(new_repo.root, "fsck", "--no-progress", check=False).returncode == 0


def test_yaml_is_strict():
    """Duplicate keys are located errors; NO stays a string; dates come back as the ISO strings the schemas say."""
    from cicatext.errors import RecordError

    with pytest.raises(RecordError) as caught:
        yamlio.load("a: 1\nb: 2\na: 3\n", file="x.yaml")
    assert caught.value.problem.line == 3
    assert yamlio.load("code: NO\nflag: no\n") == {"code": "NO", "flag": "no"}
    assert yamlio.load("date: 2023-06-13\n") == {"date": "2023-06-13"}
