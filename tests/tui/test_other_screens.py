"""Delegations, coordinators and deadlines, history, round diff and help: what each screen lists."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable

from cicatext.notation.tree import Stance
from cicatext.tui.screens.coordinators import CoordinatorsScreen
from cicatext.tui.screens.delegations import DelegationsScreen
from cicatext.tui.screens.diff import DiffScreen
from cicatext.tui.screens.help import HelpScreen
from cicatext.tui.screens.history import HistoryScreen
from cicatext.tui.screens.reader import ReaderScreen
from tests.tui.helpers import loaded, open_screen, screen_text, wait_for
from tests.ids import at, at_in


async def delegations_screen(app, pilot) -> DelegationsScreen:
    """The Delegations screen, opened with `d` once the app has loaded, its brackets read."""
    await loaded(pilot)
    await open_screen(pilot, "d", DelegationsScreen)
    return app.screen


async def test_delegations_lists_one_delegations_brackets(demo_repo, make):
    """d shows the delegation with most brackets first; choosing CHN lists exactly CHN's brackets."""
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await delegations_screen(app, pilot)
        assert screen.delegation == "IRAN"
        assert len(screen.shown) == 5
        screen.query_one("#delegations-list").highlighted = screen._codes.index("CHN")
        await pilot.pause()
        assert screen.delegation == "CHN"
        assert {item.bracket for item in screen.shown} == {at_in(demo_repo, "MC/2023/DRAFT/5", place)
                                                     for place in ("pp9:4", "pp9:6", "pp9:7", "op13:1")}
        assert {item.stances for item in screen.shown} == {(Stance.OBJECT,), (Stance.PROPOSE,), (Stance.RESERVE,)}
        assert screen.query_one("#delegations-brackets", DataTable).row_count == 4


async def test_delegations_enter_opens_the_reader_filtered(demo_repo, make):
    """Enter on a bracket opens the reader at it with that delegation's filter on."""
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await delegations_screen(app, pilot)
        first = screen.shown[0]
        screen.query_one("#delegations-brackets").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.screen.selected == first.bracket
        assert app.screen.delegation == screen.delegation


async def test_coordinators_highlight_overdue_deadlines(demo_repo, make):
    """As of 20 July 2023 the time limit for comments of 15 July 2023 is listed as overdue."""
    app = make(demo_repo, as_of=dt.date(2023, 7, 20))
    async with app.run_test(size=(140, 34)) as pilot:
        await loaded(pilot)
        await open_screen(pilot, "c", CoordinatorsScreen)
        screen = app.screen
        assert any(d.due == dt.date(2023, 7, 15) for d in screen.overdue)
        assert all(d.status in ("overdue", "due", "upcoming") for d in screen.deadlines)
        areas = {row["area_id"]: row for row in screen.rows}
        assert "ict-security" in areas
        assert "overdue" in screen_text(app)


async def test_coordinators_before_the_time_limit(demo_repo, make):
    """As of 1 July 2023 the same time limit is not yet overdue."""
    app = make(demo_repo, as_of=dt.date(2023, 7, 1))
    async with app.run_test(size=(140, 34)) as pilot:
        await loaded(pilot)
        await open_screen(pilot, "c", CoordinatorsScreen)
        assert not any(d.due == dt.date(2023, 7, 15) for d in app.screen.overdue)


async def test_history_without_rounds_charts_the_commits(demo_repo, make):
    """A document with no round yet has its text's commits as points, the bracket count after each."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.show_history("mc-2023-draft-5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.points is not None)
        points = app.screen.points
        assert [p.brackets for p in points] == [13]
        assert points[0].round is None


async def test_history_after_an_agree(demo_repo, make):
    """After agreeing a bracket the chart has a second point with one bracket fewer."""
    from cicatext.store.negotiation.decisions import agree_bracket

    agree_bracket(demo_repo, "MC/2023/DRAFT/5", at_in(demo_repo, "MC/2023/DRAFT/5", "pp9:1"))
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.show_history("mc-2023-draft-5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.points is not None)
        assert [p.brackets for p in app.screen.points] == [13, 12]
        assert "12" in screen_text(app)


async def test_history_of_a_document_without_text(demo_repo, make):
    """A document registered without text shows that there is no history rather than failing."""
    folder = demo_repo.path("documents/mc-2023-sec-9")
    folder.mkdir()
    (folder / "document.yaml").write_text("symbol: MC/2023/SEC/9\nkind: other\nsponsor: SEC\ntitle:\n  en: Known by"
                                          " symbol only\nlanguages: [en]\n", encoding="utf-8")
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.show_history("mc-2023-sec-9")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.points is not None)
        assert app.screen.points == []
        assert "No text has been committed" in screen_text(app)


async def test_diff_lists_the_agreed_bracket(demo_repo, make):
    """Between the commit before an agree and the agree, the diff lists one bracket agreed in pp9."""
    from cicatext.store.negotiation.decisions import agree_bracket

    before = demo_repo.head()
    after = agree_bracket(demo_repo, "MC/2023/DRAFT/5", at_in(demo_repo, "MC/2023/DRAFT/5", "pp9:1")).commit
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.push_screen(DiffScreen(demo_repo, app._summary("mc-2023-draft-5"), ref_a=before, ref_b=after))
        await wait_for(pilot, lambda: isinstance(app.screen, DiffScreen) and app.screen.diffs is not None)
        diffs = app.screen.diffs
        assert [d.slug for d in diffs] == ["mc-2023-draft-5"]
        paragraphs = diffs[0].paragraphs
        assert [p.paragraph for p in paragraphs] == ["pp9"]
        assert [b.reading for b in paragraphs[0].brackets_agreed] == ["intercivilizational and intercultural exchanges"]
        assert "1 bracket agreed" in screen_text(app)


async def test_diff_from_the_register_defaults_to_the_last_two_commits(demo_repo, make):
    """D on the register compares the highlighted document's last two commits; swapping reverses them."""
    from cicatext.store.negotiation.decisions import drop_bracket

    drop_bracket(demo_repo, "MC/2023/DRAFT/5", at_in(demo_repo, "MC/2023/DRAFT/5", "op15:1"))
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        register = app.screen
        register.table.cursor = [r.slug for r in register.shown].index("mc-2023-draft-5")
        await open_screen(pilot, "D", DiffScreen)
        screen = app.screen
        [paragraph] = screen.diffs[0].paragraphs
        assert paragraph.paragraph == "op15" and paragraph.status in ("removed", "changed")
        await pilot.press("s")
        await wait_for(pilot, lambda: screen.diffs is not None)
        assert screen.ref_a != screen.ref_b


async def test_help_on_question_mark(demo_repo, make):
    """? shows the keys; escape closes it."""
    app = make(demo_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_reload_picks_up_an_outside_commit(demo_repo, make):
    """r reads the repository again: a bracket agreed by the command line shows in the register's count."""
    from cicatext.store.negotiation.decisions import agree_bracket

    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        agree_bracket(demo_repo, "MC/2023/DRAFT/5", at_in(demo_repo, "MC/2023/DRAFT/5", "pp9:1"))
        await pilot.press("r")
        await wait_for(pilot, lambda: app.fresh and app.catalogue.document("mc-2023-draft-5").brackets == 12)


async def test_watching_picks_up_an_outside_commit(demo_repo, make):
    """With watching on, a commit made outside is read without pressing anything."""
    from cicatext.store.negotiation.decisions import agree_bracket

    app = make(demo_repo, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        agree_bracket(demo_repo, "MC/2023/DRAFT/5", at_in(demo_repo, "MC/2023/DRAFT/5", "pp9:1"))
        await wait_for(pilot, lambda: app.catalogue.document("mc-2023-draft-5").brackets == 12, timeout=15)


async def test_light_theme(demo_repo, make):
    """t switches between the dark and the light theme."""
    app = make(demo_repo, theme="light")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert not app.current_theme.dark
        await pilot.press("t")
        assert app.current_theme.dark
