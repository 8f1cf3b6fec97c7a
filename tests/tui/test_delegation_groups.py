"""The Delegations screen's `m`: a state's list also holds the brackets of the groups it belongs to."""

from __future__ import annotations

from textual.widgets import DataTable

from cicatext.store.register.create import import_text, init_repository
from cicatext.tui.screens.delegations import DelegationsScreen
from cicatext.tui.screens.reader import ReaderScreen
from tests.negotiation.test_group_expansion import DRAFT
from tests.tui.helpers import loaded, open_screen, screen_text, wait_for


async def test_m_expands_the_groups_and_back(tmp_path, make):
    """India lists nothing of its own; m lists G77's three brackets marked via G77, m again hides them; enter on one
    opens the reader showing G77's brackets. The key bar names the key."""
    repo = init_repository(tmp_path / "repo", parties="un")
    import_text(repo, DRAFT, symbol="A/AC.296/2026/L.1", title="Draft decision")
    app = make(repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await open_screen(pilot, "d", DelegationsScreen)
        screen = app.screen
        assert screen.delegation == "G77"
        assert "m Members" in screen_text(app)
        screen.query_one("#delegations-list").highlighted = screen._codes.index("IND")
        await pilot.pause()
        assert screen.delegation == "IND" and screen.shown == []
        await wait_for(pilot, lambda: "member of BASIC, G77, LMDC" in screen_text(app))
        await pilot.press("m")
        await pilot.pause()
        assert [(item.text, item.via) for item in screen.shown] == [("shall", ("G77",)), ("now", ("G77",)),
                                                                   ("urgently", ("G77",))]
        assert screen.query_one("#delegations-brackets", DataTable).row_count == 3
        await wait_for(pilot, lambda: "+ proposes  via G77 (-USA)    shall" in screen_text(app))
        screen.query_one("#delegations-brackets").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.screen.delegation == "G77"
        assert app.screen.selected == screen.shown[0].bracket
        await pilot.press("q")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("m")
        assert screen.shown == [] and screen.query_one("#delegations-brackets", DataTable).row_count == 0
