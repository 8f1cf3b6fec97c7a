"""Revision tags on the shared repository: the Secretariat's revision and its tag are taken; a delegation's are not."""

from __future__ import annotations

from tests.trust.conftest import SYMBOL, TEXT, git
from tests.trust.test_server import push, refused


def test_secretariat_revision_is_taken_with_its_tag(world, tmp_path):
    """A revision imported by the Secretariat (signed commit and tag) is pushed with --follow-tags and taken."""
    from cicatext.store.register.revisions import import_revision

    repo = world.secretariat
    blocks = repo.path(TEXT).read_text(encoding="utf-8").strip().split("\n\n")
    # The Chair's Rev.1: the markers gone, the last paragraph moved to the top.
    revised = "\n\n".join(block.split("} ", 1)[1] for block in [blocks[-1], *blocks[:-1]]) + "\n"
    result = import_revision(repo, revised, symbol=f"{SYMBOL}/Rev.1", source="revised.txt")
    process = push(repo, "main", "--follow-tags")
    assert process.returncode == 0, process.stdout + process.stderr
    assert world.on_server(result.commit)
    assert git(world.bare, "rev-parse", f"{result.tag}^{{commit}}").stdout.strip() == result.commit


def test_revision_tag_needs_the_secretariat(world):
    """A revision tag set with a delegation's key is refused, as a round tag is."""
    india = world.clone("india", "IND")
    git(india.root, "tag", "-s", "-m", "fake revision", "rev/mc-2023-draft-5/9", "main")
    refused(push(india, "rev/mc-2023-draft-5/9"), "Secretariat's keys")
