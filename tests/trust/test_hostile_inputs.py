"""The shared repository's hook refuses hostile inputs in bounded memory: a YAML alias bomb, a file over the limit."""

from __future__ import annotations

import resource
import subprocess

from cicatext.store import limits
from cicatext.store.negotiation.branches import start_delegation
from tests.store.test_limits import alias_bomb
from tests.trust.conftest import git

POSITION_SET = "positions/IND/mc-2023-draft-5.yaml"


def _bounded_memory() -> None:
    # The hook is a child of the push: with 2 GB of address space, a bomb that is expanded fails, it is not refused.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def push_bounded(clone, ref: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "push", "--porcelain", "origin", ref], cwd=clone.root, check=False, capture_output=True,
                          text=True, preexec_fn=_bounded_memory, timeout=300)


def test_an_alias_bomb_is_refused_by_the_hook(world):
    """A 400-byte alias bomb (387 million values expanded) pushed as a position set is refused with its place."""
    india = world.clone("india", "IND")
    start_delegation(india, "IND")
    india.path(POSITION_SET).parent.mkdir(parents=True, exist_ok=True)
    india.path(POSITION_SET).write_text(alias_bomb(levels=9), encoding="utf-8")
    git(india.root, "add", "-A")
    git(india.root, "commit", "-qm", "positions")
    process = push_bounded(india, "delegations/IND")
    assert process.returncode != 0
    assert f"{POSITION_SET}:" in process.stderr and "expands to more than 1,000,000 values" in process.stderr, \
        process.stderr
    assert "MemoryError" not in process.stderr and "Traceback" not in process.stderr
    assert not world.on_server(india.head())


def test_a_record_over_the_size_limit_is_refused_by_the_hook(world):
    """A position set over the file limit is refused, the limit named, and nothing is kept."""
    india = world.clone("india", "IND")
    start_delegation(india, "IND")
    india.path(POSITION_SET).parent.mkdir(parents=True, exist_ok=True)
    filler = "# " + "x" * 1000 + "\n"
    india.path(POSITION_SET).write_text("delegation: IND\n" + filler * (limits.MAX_FILE_BYTES // len(filler) + 1),
                                        encoding="utf-8")
    git(india.root, "add", "-A")
    git(india.root, "commit", "-qm", "positions")
    process = push_bounded(india, "delegations/IND")
    assert process.returncode != 0
    assert POSITION_SET in process.stderr and "over cicatext's limit" in process.stderr, process.stderr
    assert not world.on_server(india.head())


def test_a_push_cannot_raise_its_own_limits(world):
    """The hook reads a push under the limits of main as it stood: a Secretariat push raising limits.file_bytes
    in cicatext.yaml together with a text over main's limit is refused, naming main's setting; nothing is kept."""
    secretariat = world.secretariat
    text = "documents/mc-2023-draft-5/en.txt"
    limit = max(secretariat.path(text).stat().st_size, secretariat.path("cicatext.yaml").stat().st_size) + 200
    settings = secretariat.path("cicatext.yaml").read_text(encoding="utf-8")
    secretariat.path("cicatext.yaml").write_text(settings + f"limits:\n  file_bytes: {limit}\n", encoding="utf-8")
    git(secretariat.root, "commit", "-qam", "Limits")
    assert push_bounded(secretariat, "main").returncode == 0
    secretariat.path("cicatext.yaml").write_text(settings + f"limits:\n  file_bytes: {limit * 10}\n", encoding="utf-8")
    with secretariat.path(text).open("a", encoding="utf-8") as handle:
        handle.write("\n" + "More agreed words for the record. " * (limit // 30) + "\n")
    git(secretariat.root, "commit", "-qam", "A longer text, and limits raised to take it")
    process = push_bounded(secretariat, "main")
    assert process.returncode != 0
    assert f"over the limit of {limit:,} bytes set by limits.file_bytes in cicatext.yaml" in process.stderr, \
        process.stderr
    assert text in process.stderr
    assert not world.on_server(secretariat.head())
