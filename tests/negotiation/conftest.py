"""Fixtures for the negotiation tests: a repository holding the volunteerism statement, snapshots of git state."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

SLUG = "mc-2023-draft-5"
SYMBOL = "MC/2023/DRAFT/5"
TEXT = f"documents/{SLUG}/en.txt"


def volunteer_text() -> str:
    """The heavily bracketed volunteerism statement as the sample repository keeps it."""
    from cicatext.resources import seed_file
    from cicatext.store.demo.sample import DOCUMENTS, document_text

    document = next(d for d in DOCUMENTS if d.slug == SLUG)
    text, _ = document_text(seed_file().read_text(encoding="utf-8"), document)
    return text


def add_volunteer_document(repo) -> None:
    """Commit the statement's record and English text into a repository."""
    from cicatext.store import yamlio
    from cicatext.store.demo.sample import DOCUMENTS

    document = next(d for d in DOCUMENTS if d.slug == SLUG)
    repo.commit({f"documents/{SLUG}/document.yaml": yamlio.dump(dict(document.record)), TEXT: volunteer_text()},
                f"Add {SYMBOL}")


@pytest.fixture
def volunteer(new_repo):
    """A new repository holding MC/2023/DRAFT/5 on main."""
    add_volunteer_document(new_repo)
    return new_repo


def git(path, *args: str, check: bool = True) -> str:
    """Run git in a folder and return its stdout."""
    process = subprocess.run(["git", *args], cwd=path, capture_output=True, text=True)
    if check and process.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {process.stderr}")
    return process.stdout


def snapshot(path) -> dict:
    """Everything a failed command must leave as it was: refs, HEAD, index, and every working-tree file."""
    root = Path(path)
    files = {}
    for item in sorted(root.rglob("*")):
        if ".git" in item.relative_to(root).parts or not item.is_file():
            continue
        files[str(item.relative_to(root))] = hashlib.sha1(item.read_bytes()).hexdigest()
    return {
        "refs": git(root, "for-each-ref", "--format=%(refname) %(objectname)"),
        "head": git(root, "symbolic-ref", "-q", "HEAD", check=False).strip() or git(root, "rev-parse", "HEAD"),
        "status": git(root, "status", "--porcelain"),
        "files": files,
    }


def edit(repo, old: str, new: str, path: str = TEXT) -> None:
    """Replace text in a working-tree file, failing when the old text is not there."""
    target = repo.path(path)
    content = target.read_text(encoding="utf-8")
    assert old in content, old
    target.write_text(content.replace(old, new, 1), encoding="utf-8")


def propose_as(repo, code: str, *edits: tuple[str, str], justification: str | None = None):
    """As delegation `code`: start its branch, make the edits to the text, propose; then back to main."""
    from cicatext.store.negotiation.branches import start_delegation
    from cicatext.store.negotiation.propose import propose

    start_delegation(repo, code)
    for old, new in edits:
        edit(repo, old, new)
    result = propose(repo, SYMBOL, justification=justification)
    git(repo.root, "switch", "--quiet", "main")
    return result


def cli(*args: str) -> int:
    """Run the cicatext command line in-process; returns its exit code."""
    from cicatext.cli.main import main

    return main(list(args))
