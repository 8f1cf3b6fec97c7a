"""The register: every document listed, sorted, filtered and fuzzy-found; enter opens the reader."""

from __future__ import annotations

from cicatext.tui.screens.reader import ReaderScreen
from cicatext.tui.screens.register import RegisterScreen
from tests.tui.helpers import loaded, screen_text


async def test_register_lists_every_document(demo_repo, make):
    """The first screen lists each document of the sample with its symbol and open brackets."""
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        register = app.screen
        assert isinstance(register, RegisterScreen)
        symbols = [row.current_symbol for row in register.shown]
        assert "MC/2023/DRAFT/5" in symbols
        assert "MC/2023/CHAIR/1/Rev.1" in symbols
        draft5 = next(row for row in register.shown if row.current_symbol == "MC/2023/DRAFT/5")
        assert draft5.brackets == 13
        assert draft5.status == "considered"
        assert "MC/2023/DRAFT/5" in screen_text(app)


async def test_fuzzy_find_narrows_the_list(demo_repo, make):
    """`/` and a misspelt word keep only the documents whose symbol or title match."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"volunterism")
        await pilot.pause()
        assert [row.current_symbol for row in app.screen.shown] == ["MC/2023/DRAFT/5"]
        await pilot.press("escape")
        assert len(app.screen.shown) == len(app.documents)


async def test_field_filters_narrow_exactly(demo_repo, make):
    """`kind:decision` and `open` keep only decisions with open brackets."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"kind:decision open")
        await pilot.pause()
        shown = app.screen.shown
        assert shown and all(row.kind == "decision" and row.brackets for row in shown)
        assert [row.current_symbol for row in shown] == ["MC/2023/DRAFT/4"]


async def test_sort_by_open_brackets(demo_repo, make):
    """Sorting by the bracket column puts the most bracketed document first; sorting again reverses."""
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        register = app.screen
        register.sort_by("brackets")
        await pilot.pause()
        assert register.shown[0].current_symbol == "MC/2023/DRAFT/5"
        register.sort_by("brackets")
        await pilot.pause()
        assert register.shown[-1].current_symbol == "MC/2023/DRAFT/5"


async def test_header_click_sorts(demo_repo, make):
    """Clicking a column header sorts by that column."""
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await pilot.click("#register-table", offset=(2, 0))
        await pilot.pause()
        assert app.screen.sort_key == "current_symbol"


async def test_enter_opens_the_highlighted_document(demo_repo, make):
    """j moves the cursor; enter opens that document in the reader; q comes back."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        register = app.screen
        target = register.shown[3]
        await pilot.press("j", "j", "j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.document.slug == target.slug
        await pilot.press("q")
        assert app.screen is register


async def test_narrow_terminal_drops_columns_not_the_title(demo_repo, make):
    """At 80 columns the register keeps symbol, title and brackets readable and drops lesser columns."""
    app = make(demo_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        columns = app.screen.table.visible_columns
        assert {"current_symbol", "title", "brackets"} <= set(columns)
        assert "kind" not in columns
