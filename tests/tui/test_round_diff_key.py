"""`R` compares the last round (its document, from the state before the round to the round)."""

from __future__ import annotations

import subprocess

from cicatext.store.negotiation.last_round import last_round
from cicatext.tui.screens.diff import DiffScreen
from tests.tui.helpers import loaded, open_screen, wait_for

DRAFT5 = "documents/mc-2023-draft-5/en.txt"
DRAFT4 = "documents/mc-2023-draft-4/en.txt"


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo.root, check=True, capture_output=True, text=True).stdout.strip()


def edit(repo, path, old, new, message):
    place = repo.path(path)
    place.write_text(place.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    git(repo, "commit", "-qam", message)
    return git(repo, "rev-parse", "HEAD")


def round_then_commits(repo):
    """One round of DRAFT/5 tagged on an edit, then two later commits that are no round."""
    before = git(repo, "rev-parse", "HEAD")
    edit(repo, DRAFT5, "Promote", "Promote actively", "An edit of DRAFT/5")
    git(repo, "tag", "-a", "round/mc-2023-draft-5/1", "-m", "Round 1 of MC/2023/DRAFT/5")
    edit(repo, DRAFT4, "the", "the the", "A later edit of DRAFT/4")
    edit(repo, DRAFT4, "the the", "the", "Another later edit of DRAFT/4")
    return before


async def test_R_compares_the_last_round_not_the_last_two_commits(demo_repo, make):
    """After a round and two later commits, R shows the round's document from before the round to the round."""
    before = round_then_commits(demo_repo)
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await open_screen(pilot, "R", DiffScreen)
        screen = app.screen
        assert screen.summary is not None and screen.summary.slug == "mc-2023-draft-5"
        assert (screen.ref_a, screen.ref_b) == ("round/mc-2023-draft-5/1^", "round/mc-2023-draft-5/1")
        assert git(demo_repo, "rev-parse", screen.ref_a) == before
        assert [d.symbol for d in screen.diffs] == ["MC/2023/DRAFT/5"]


def test_last_round_is_from_the_previous_round_of_the_same_document(demo_repo):
    """With two rounds of a document, the last round is compared with the one before it."""
    round_then_commits(demo_repo)
    edit(demo_repo, DRAFT5, "Promote actively", "Promote", "Another edit of DRAFT/5")
    git(demo_repo, "tag", "-a", "round/mc-2023-draft-5/2", "-m", "Round 2 of MC/2023/DRAFT/5")
    found = last_round(demo_repo)
    assert (found.slug, found.before, found.tag) == ("mc-2023-draft-5", "round/mc-2023-draft-5/1",
                                                     "round/mc-2023-draft-5/2")


def test_no_round_yet(demo_repo):
    """A repository without rounds has no last round."""
    assert last_round(demo_repo) is None
