"""A repository with problems opens and shows them; validation lists each, shows the file at its line, `e` edits."""

from __future__ import annotations

from textual.widgets import DataTable, TextArea

from cicatext.tui.screens.reader import ReaderScreen
from cicatext.tui.screens.validation import ValidationScreen
from tests.tui.helpers import break_text, loaded, screen_text, wait_for

BROKEN_RECORD = "documents/mc-2023-draft-4/document.yaml"


def break_yaml(repo):
    """Make document.yaml of MC/2023/DRAFT/4 invalid YAML on its fourth line."""
    path = repo.path(BROKEN_RECORD)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = "  en: [unclosed flow sequence\n"
    path.write_text("".join(lines), encoding="utf-8")


async def test_broken_yaml_opens_and_shows_the_problem(demo_repo, make):
    """A document.yaml that does not parse is a row marked with its problem, and the status line counts it."""
    break_yaml(demo_repo)
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        broken = next(row for row in app.screen.shown if row.slug == "mc-2023-draft-4")
        assert broken.problem and "does not load" in broken.problem
        assert any(p.file == BROKEN_RECORD for p in app.catalogue.problems)
        assert "problem" in screen_text(app)


async def test_validation_lists_the_problem_at_its_line(demo_repo, make):
    """v lists every problem; the selected one is shown in its file with the cursor on its line."""
    break_yaml(demo_repo)
    app = make(demo_repo, validate_on_start=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: app.problems is not None)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ValidationScreen))
        screen = app.screen
        assert screen.complete
        files = [p.file for p in screen.problems]
        assert BROKEN_RECORD in files
        index = files.index(BROKEN_RECORD)
        screen.query_one(DataTable).move_cursor(row=index)
        await pilot.pause()
        problem = screen.selected
        assert problem.file == BROKEN_RECORD and problem.line
        area = screen.query_one(TextArea)
        assert area.text == demo_repo.read_text(BROKEN_RECORD)
        assert area.cursor_location[0] == problem.line - 1


async def test_e_opens_the_problem_file_at_its_line(demo_repo, make, edits):
    """e hands the problem's file and line to $EDITOR (through app.suspend in a real terminal)."""
    break_yaml(demo_repo)
    app = make(demo_repo, validate_on_start=True, launch_editor=edits)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.problems is not None)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ValidationScreen))
        screen = app.screen
        index = [p.file for p in screen.problems].index(BROKEN_RECORD)
        screen.query_one(DataTable).move_cursor(row=index)
        await pilot.press("e")
        await pilot.pause()
    assert edits.calls == [(demo_repo.path(BROKEN_RECORD), screen.problems[index].line)]


async def test_validation_before_it_has_run_shows_what_loading_found(demo_repo, make):
    """Opened before validation finished, the screen lists the load problems and says it is still checking."""
    break_yaml(demo_repo)
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ValidationScreen))
        screen = app.screen
        assert BROKEN_RECORD in [p.file for p in screen.problems]
        await wait_for(pilot, lambda: screen.complete)


async def test_broken_text_opens_in_the_reader_with_its_problem(demo_repo, make):
    """A text with an unclosed bracket opens: the reader shows what it could read and names the problem."""
    break_text(demo_repo)
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.open_document("mc-2023-draft-3")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        assert any("never closed" in p.message for p in reader.document.problems)
        assert reader.query_one("#reader-problems").display
        assert "never closed" in screen_text(app)


async def test_binary_garbage_and_a_missing_record_do_not_crash(demo_repo, make):
    """A text that is not UTF-8 and a folder with a record that is not a mapping still open."""
    demo_repo.path("documents/mc-2023-draft-5/en.txt").write_bytes(b"\xff\xfe\x00[broken")
    demo_repo.path("documents/mc-2023-chair-1/document.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    app = make(demo_repo, validate_on_start=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: app.problems is not None)
        app.open_document("mc-2023-draft-5")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert any("UTF-8" in p.message for p in app.screen.document.problems)
        await pilot.press("q")
        app.open_document("mc-2023-chair-1")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.screen.document.entry is None
