"""Narrow terminals: columns and keys give way by importance, so what matters stays on screen."""

from __future__ import annotations

import datetime as dt
import subprocess

from cicatext.tui.screens.coordinators import CoordinatorsScreen
from cicatext.tui.screens.history import HistoryScreen
from tests.tui.helpers import loaded, open_screen, screen_text, wait_for
from tests.tui.test_reader import open_reader

LONG_SUBJECT = "Agree the second preambular paragraph after consultations with every delegation at the session"


def commit_with_a_long_subject(repo) -> None:
    """Commit a change to DRAFT/5's text under LONG_SUBJECT."""
    text = repo.path("documents/mc-2023-draft-5/en.txt")
    text.write_text(text.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    subprocess.run(["git", "commit", "-qam", LONG_SUBJECT], cwd=repo.root, check=True)


def header(app) -> str:
    """The line of the table headers on screen."""
    return next(line for line in screen_text(app).splitlines() if "Date" in line or "Priority area" in line)


async def test_coordinators_keep_offers_at_80_columns(demo_repo, make):
    """At 80×24 the Offers column stays, with the offer under consideration; empty columns give way first."""
    app = make(demo_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await open_screen(pilot, "c", CoordinatorsScreen)
        await wait_for(pilot, lambda: "Priority area" in screen_text(app))
        assert "Offers" in header(app)
        table = app.screen.area_table
        assert table.virtual_size.width <= table.size.width
        assert "IRAQ (off" in screen_text(app)


async def test_history_keeps_signed_and_what_when_narrow(demo_repo, make):
    """At 80 columns History shows Signed and What with no column pushed off the right edge, a long subject cut
    to fit; at 100 columns What shows 40 characters and more."""
    commit_with_a_long_subject(demo_repo)
    app = make(demo_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.show_history("mc-2023-draft-5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.points)
        await wait_for(pilot, lambda: "Agree the second pre" in screen_text(app))
        assert "Signed" in header(app) and "What" in header(app)
        table = app.screen.table
        assert table.virtual_size.width <= table.size.width
        await pilot.resize_terminal(100, 30)
        await pilot.pause(0.3)
        shown = next(line for line in screen_text(app).splitlines() if "Agree the second" in line)
        assert len("Agree the second" + shown.split("Agree the second")[1].rstrip()) >= 40


async def test_reader_key_bar_keeps_back_and_help_at_80_columns(demo_repo, make):
    """At 80 columns the reader's key bar still ends with q Back and ? Help (the others are in the help)."""
    app = make(demo_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reader(app, pilot)
        await pilot.pause()
        bar = screen_text(app).splitlines()[-1]
        assert "q Back" in bar and "? Help" in bar
        assert "n Next [" in bar


async def test_coordinators_list_areas_with_something_recorded_first_in_the_clis_order(demo_repo, make):
    """The areas with offers or appointments come first, in the order `cicatext coordinators` lists them, and
    the recommended coordinator's tenure is shown; the empty areas follow."""
    from cicatext.store.modalities.reports import coordinators

    as_of = dt.date(2023, 7, 20)
    listed = [area.id for dimension in coordinators(demo_repo, as_of).dimensions for area in dimension.areas]
    app = make(demo_repo, as_of=as_of)
    async with app.run_test(size=(140, 34)) as pilot:
        await loaded(pilot)
        await open_screen(pilot, "c", CoordinatorsScreen)
        rows = [row for row in app.screen._table_rows if row is not None]
        assert [row["area_id"] for row in rows[:len(listed)]] == listed
        assert len(listed) == 3 and all(row["empty"] for row in rows[len(listed):])
        ict = next(row for row in rows if row["area_id"] == "ict-security")
        assert ict["tenure"] == "2024-01-01 – 2025-12-31"
        await wait_for(pilot, lambda: "2024-01-01 – 2025-12-31" in screen_text(app))


async def test_delegations_text_column_fits_at_80_columns(demo_repo, make):
    """At 80 columns the Delegations table is no wider than its pane: the bracket text is cut to fit, not pushed
    off the right edge, and the stance stays."""
    app = make(demo_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: "Says" in screen_text(app) and "proposes" in screen_text(app))
        table = app.screen.bracket_table
        assert table.virtual_size.width <= table.size.width
        assert "Text" in screen_text(app)


async def test_validation_problem_column_fits_at_80_columns(demo_repo, make):
    """A long problem is cut to fit the Validation table at 80 columns (the pane below shows it whole)."""
    from cicatext.tui.screens.validation import ValidationScreen

    path = demo_repo.path("coordinators/ict-security.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("\nappointments:", "\n   appointments:", 1),
                    encoding="utf-8")
    app = make(demo_repo, validate_on_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.problems is not None)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ValidationScreen) and app.screen.problems)
        table = app.screen.table
        await pilot.pause()
        assert table.virtual_size.width <= table.size.width
        assert "mapping values are not" in screen_text(app)
