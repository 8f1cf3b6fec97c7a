"""Concurrent `cicatext agree` and `drop` on one text: each succeeds or is refused clearly, and no success is lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from cicatext.notation import operations
from cicatext.notation.reader import read
from cicatext.notation.render import render
from tests.ids import at

SYMBOL = "MC/2023/DRAFT/5"
TEXT = "documents/mc-2023-draft-5/en.txt"
# Brackets by place; two in one paragraph, since an id names its bracket whatever happens to the others.
PLACES = [("agree", "pp9:1"), ("drop", "pp9:4"), ("drop", "op11:1"), ("agree", "op11altern:1"), ("drop", "op13:1"),
          ("agree", "op15:1")]
START_GATE = """
import os, sys, time
gate = float(os.environ["CICATEXT_TEST_GATE"])
time.sleep(max(0.0, gate - time.time()))
from cicatext.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _run_at_once(root, operations_: list[tuple[str, str]]) -> list[subprocess.CompletedProcess]:
    """Start every operation in its own process, all released at the same moment."""
    env = dict(os.environ, CICATEXT_TEST_GATE=str(time.time() + 1.5))
    processes = [subprocess.Popen([sys.executable, "-c", START_GATE, verb, SYMBOL, bracket, "-C", str(root)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for verb, bracket in operations_]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def test_concurrent_agree_and_drop_serialize_or_fail_clearly(demo_repo):
    """Each of five simultaneous agree/drop commands commits or says another command is writing; every commit shows."""
    root = demo_repo.root
    original = demo_repo.read_text(TEXT)
    head_before = demo_repo.head()
    wanted = [(verb, at(original, place)) for verb, place in PLACES]
    results = _run_at_once(root, wanted)
    succeeded = []
    for (verb, bracket), result in zip(wanted, results):
        if result.returncode == 0:
            succeeded.append((verb, bracket))
        else:
            assert "another cicatext command is writing" in result.stderr, (verb, bracket, result.stderr)
            assert "Traceback" not in result.stderr
    assert succeeded, [r.stderr for r in results]
    expected = read(original).draft
    for verb, bracket in succeeded:
        expected = operations.agree(expected, bracket) if verb == "agree" else operations.drop(expected, bracket)
    assert demo_repo.read_text(TEXT) == render(expected)
    log = subprocess.run(["git", "log", "--format=%s", f"{head_before}..HEAD"], cwd=root, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert sorted(log) == sorted(f"{'Agree' if verb == 'agree' else 'Drop'} {bracket} in {SYMBOL}"
                                 for verb, bracket in succeeded)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                            capture_output=True, text=True, check=True).stdout
    assert status == ""
