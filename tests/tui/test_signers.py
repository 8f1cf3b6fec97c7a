"""Verified authorship in the UI: the history's Signed column and the reader's side panel."""

from __future__ import annotations

from cicatext.store.trust.keys import add_key
from cicatext.tui.screens.history import HistoryScreen
from cicatext.tui.screens.reader import ReaderScreen
from cicatext.tui.widgets.bracket_panel import BracketPanel
from tests.trust.conftest import git, keygen
from tests.tui.helpers import loaded, screen_text, wait_for
from tests.ids import at_in

TEXT = "documents/mc-2023-draft-5/en.txt"


def signed_bracket_commit(repo, tmp_path) -> str:
    """Register a SEC key, then commit a new bracket in op12 signed with it (`git commit -S`)."""
    key = keygen(tmp_path / "keys", "sec")
    add_key(repo, "SEC", f"{key}.pub")
    target = repo.path(TEXT)
    text = target.read_text(encoding="utf-8")
    old = "involving organizations"
    assert old in text
    target.write_text(text.replace(old, "involving [national and local] (SEC tcb) organizations", 1),
                      encoding="utf-8")
    git(repo.root, "-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "commit", "-q", "-S", "-m",
        "SEC brackets op12", "--", TEXT)
    return repo.head()


async def test_history_shows_each_commits_verified_signer(demo_repo, make, tmp_path):
    """The commit signed with SEC's registered key reads SEC in the Signed column; the unsigned import reads unsigned."""
    commit = signed_bracket_commit(demo_repo, tmp_path)
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        app.show_history("mc-2023-draft-5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.points is not None)
        screen = app.screen
        assert screen.signers[commit] == "SEC"
        assert [screen.signers[p.commit] for p in screen.points] == ["unsigned", "SEC"]
        assert screen.table.get_row_at(0)[4].plain == "SEC"
        assert "Signed" in screen_text(app)


async def test_reader_panel_names_the_signer_of_the_introducing_commit(demo_repo, make, tmp_path):
    """The side panel's origin of a bracket brought by a signed commit says who verifiably signed it."""
    signed_bracket_commit(demo_repo, tmp_path)
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        op12, pp9 = (at_in(demo_repo, "MC/2023/DRAFT/5", place) for place in ("op12:1", "pp9:1"))
        app.open_document("mc-2023-draft-5", bracket=op12)
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        panel = app.screen.query_one(BracketPanel)
        await wait_for(pilot, lambda: panel.bracket is not None and panel.origin is not None)
        assert panel.bracket.id == op12
        assert "signed by SEC" in panel.origin and "SEC brackets op12" in panel.origin
        app.screen.select(pp9)
        await wait_for(pilot, lambda: panel.origin is not None and panel.bracket.id == pp9)
        assert "· unsigned" in panel.origin
