"""Nothing lost: writing commands other than the round, killed at random moments, leave a commit or nothing."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

from cicatext.store import gitlocks, yamlio
from tests.trust.conftest import git

RUNS = int(os.environ.get("CICATEXT_KILL_RUNS", "12"))
DRAFT = "The Council,\n\n1. Decides [to act] (+IND) (-CHN);\n\n2. Requests [a report] (CHN tcb).\n"


def _import(root, draft):
    return [sys.executable, "-m", "cicatext", "import", str(draft), "--symbol", "MC/2024/DRAFT/1",
            "--title", "Test", "-C", str(root)]


def test_sigkill_during_import_leaves_a_commit_or_nothing(new_repo, tmp_path):
    """`cicatext import` killed at random moments: fsck clean, HEAD before or after, and the next run finishes the job."""
    rng = random.Random(20230711)
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    before = git(new_repo.root, "rev-parse", "HEAD").stdout.strip()
    start = time.monotonic()
    probe = tmp_path / "probe"
    shutil.copytree(new_repo.root, probe, symlinks=True)
    subprocess.run(_import(probe, draft), capture_output=True, check=True)
    full = time.monotonic() - start
    outcomes = {"before": 0, "after": 0, "git lock left": 0}
    for run in range(RUNS):
        root = tmp_path / f"run{run}"
        shutil.copytree(new_repo.root, root, symlinks=True)
        process = subprocess.Popen(_import(root, draft), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(rng.uniform(0, full * 1.1))
        # The whole process group, git children included, as a crash of the machine would.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        fsck = git(root, "fsck", "--no-progress", check=False)
        assert fsck.returncode == 0, fsck.stderr
        outcomes["git lock left"] += bool(gitlocks.git_lock_files(root / ".git", ignore="cicatext.lock"))
        head = git(root, "rev-parse", "HEAD").stdout.strip()
        committed = head != before
        if committed:
            assert git(root, "rev-parse", "HEAD~1").stdout.strip() == before
        for path in root.rglob("*.yaml"):
            if ".git" not in path.parts:
                yamlio.load(path.read_text(encoding="utf-8"), file=str(path))
        again = subprocess.run(_import(root, draft), capture_output=True, text=True)
        if committed:
            assert "already in the repository" in again.stderr
        else:
            assert again.returncode == 0, again.stderr
        outcomes["after" if committed else "before"] += 1
        assert git(root, "status", "--porcelain").stdout == ""
        assert (root / "documents" / "mc-2024-draft-1" / "en.txt").read_text(encoding="utf-8").startswith("{#pp1} The Council,")
        assert not list(root.rglob(".cicatext-tmp-*"))
        assert not (root / ".git" / "cicatext.lock").exists()
        assert not (root / ".git" / "cicatext-journal.json").exists()
        if not committed:
            assert not gitlocks.git_lock_files(root / ".git"), "the next import clears a killed git's lock"
        shutil.rmtree(root)
    print(f"SIGKILL runs of import: {RUNS}, {outcomes}")


def test_a_half_finished_write_is_undone_by_the_next_command(new_repo):
    """Files a killed writer left behind (its journal says so, no commit) are put back before the next write."""
    import json

    head = new_repo.head()
    original = new_repo.read_text("cicatext.yaml")
    (new_repo.root / "cicatext.yaml").write_text("torn: [\n", encoding="utf-8")
    (new_repo.root / "notes").mkdir(exist_ok=True)
    (new_repo.root / "notes" / "half.yaml").write_text("a: 1\n", encoding="utf-8")
    import base64

    journal = {"head": head, "files": {"cicatext.yaml": base64.b64encode(original.encode()).decode(),
                                       "notes/half.yaml": None}}
    (new_repo.git_dir() / "cicatext-journal.json").write_text(json.dumps(journal), encoding="utf-8")
    new_repo.commit({"notes/other.txt": "x\n"}, "next command")
    assert new_repo.read_text("cicatext.yaml") == original
    assert not (new_repo.root / "notes" / "half.yaml").exists()
    assert git(new_repo.root, "status", "--porcelain").stdout == ""
