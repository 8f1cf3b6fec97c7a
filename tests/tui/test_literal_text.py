"""Text from the repository is shown literally on every screen: square brackets are never read as markup."""

from __future__ import annotations

import subprocess

from textual.command import CommandPalette
from textual.widgets import DataTable, OptionList
from textual.widgets._toast import Toast

from cicatext.errors import CicatextError
from cicatext.tui.screens.coordinators import CoordinatorsScreen
from cicatext.tui.screens.delegations import DelegationsScreen
from cicatext.tui.screens.dialogs import PickOne
from cicatext.tui.screens.diff import DiffScreen
from cicatext.tui.screens.history import HistoryScreen
from cicatext.tui.screens.validation import ValidationScreen
from tests.tui.helpers import loaded, open_screen, screen_text, wait_for
from tests.tui.test_reader import open_reader

MARKUP = "[b]bold[/] [link=x]x[/]"
"""Rich markup that a screen reading text as markup would swallow."""

FILE_MARKUP = "[b]bold [link=x]x [and religious]"
"""The same in a file name, which cannot hold `/`."""

SLUG = "mc-2024-draft-9"


def marked_repository(repo):
    """The sample with markup in a title, a text, a commit subject, a file name, an area and a state's name."""
    from cicatext.store.register.create import import_text

    import_text(repo, f"1. Respect for cultural [and religious] (-CHN) diversity {MARKUP}.\n",
                symbol="MC/2024/DRAFT/9", title=f"Title {MARKUP} [and religious]", kind="decision")
    text = repo.path(f"documents/{SLUG}/en.txt")
    text.write_text(text.read_text(encoding="utf-8").replace("diversity", "diversity and"), encoding="utf-8")
    subprocess.run(["git", "commit", "-qam", f"Edit {MARKUP} [and religious]"], cwd=repo.root, check=True)
    repo.path("notes").mkdir(exist_ok=True)
    repo.path(f"notes/{FILE_MARKUP}.txt").write_text("stray\n", encoding="utf-8")
    for path, old, new in (("registry/areas/agriculture.yaml", "en: Agriculture", f"en: Agriculture {MARKUP}"),
                           ("registry/states/CHN.yaml", "en: China", f"en: China {MARKUP}"),
                           ("meetings/swg-2023-06.yaml", "comments on the draft", f"comments {MARKUP} on the draft")):
        place = repo.path(path)
        place.write_text(place.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    repo.refresh()
    return repo


def cells(table: DataTable) -> str:
    """Every cell of a table as plain text, one row a line."""
    rows = []
    for row in range(table.row_count):
        rows.append(" | ".join(getattr(cell, "plain", str(cell)) for cell in table.get_row_at(row)))
    return "\n".join(rows)


async def test_markup_in_texts_titles_file_names_and_messages_is_shown_literally(demo_repo, make):
    """`[b]`, `[link=x]`, `[/]` and `[and religious]` reach the register, reader, palette, delegations,
    history, diff, validation, coordinators, the delegation picker and a notification as written."""
    repo = marked_repository(demo_repo)

    def refuse(path, line):
        raise CicatextError(f"cannot open {path.name}", hint="try again")

    app = make(repo, launch_editor=refuse)
    async with app.run_test(size=(220, 50), notifications=True) as pilot:
        await loaded(pilot)
        assert f"Title {MARKUP} [and religious]" in screen_text(app)

        reader = await open_reader(app, pilot, slug=SLUG)
        shown = screen_text(app)
        assert "cultural [and religious] (-CHN)" in shown and MARKUP in shown
        assert f"Title {MARKUP}" in shown
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, PickOne))
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(f"China {MARKUP}" in label for label in labels)
        assert f"China {MARKUP}" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is reader)

        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and len(app.screen.points) == 2)
        await wait_for(pilot, lambda: "Edit " in screen_text(app))
        assert f"Edit {MARKUP} [and religious]" in cells(app.screen.table)
        assert f"Edit {MARKUP} [and religious]" in screen_text(app)

        await pilot.press("q")
        await open_screen(pilot, "D", DiffScreen)
        labels = [str(prompt) for prompt, _ in app.screen.from_select._options]
        assert any("Edit [b]bold[/] [link=x]" in label for label in labels), labels
        await wait_for(pilot, lambda: "Respect for" in screen_text(app))
        assert "Edit [b]bold[/] [link=x]" in screen_text(app)
        await pilot.press("q")

        await open_screen(pilot, "d", DelegationsScreen)
        assert app.screen.delegation == "IRAN"
        table = app.screen.query_one("#delegations-brackets", DataTable)
        assert "[cultural [and religious] (-CHN)]" in cells(table)
        assert "[cultural [and religious] (-CHN)]" in screen_text(app)

        await open_screen(pilot, "c", CoordinatorsScreen)
        await pilot.pause(0.2)
        assert "Agriculture [b]bold[/] [link=x]" in cells(app.screen.area_table)
        assert f"comments {MARKUP} on the draft" in cells(app.screen.deadline_table)
        assert f"comments {MARKUP} on the draft" in screen_text(app)

        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ValidationScreen) and app.screen.complete)
        await pilot.pause(0.2)
        validation = app.screen
        assert f"notes/{FILE_MARKUP}.txt" in cells(validation.table)
        row = next(i for i, p in enumerate(validation.problems) if FILE_MARKUP in (p.file or ""))
        validation.table.move_cursor(row=row)
        validation.table.focus()
        await pilot.pause()
        assert f"notes/{FILE_MARKUP}.txt" in screen_text(app)
        await pilot.press("e")
        await pilot.pause(0.3)
        messages = [notification.message for notification in app._notifications]
        assert f"cannot open {FILE_MARKUP}.txt" in "\n".join(messages)
        await wait_for(pilot, lambda: bool(app.screen.query(Toast)))
        toasts = "\n".join(toast.render().plain for toast in app.screen.query(Toast))
        assert f"cannot open {FILE_MARKUP}.txt" in toasts
        assert "cannot open [b]bold [link=x]x" in screen_text(app)


async def test_palette_shows_titles_literally(demo_repo, make):
    """The command palette, opened before anything is typed, lists a title holding markup as written,
    in the hit and in its help line."""
    repo = marked_repository(demo_repo)
    app = make(repo)
    async with app.run_test(size=(220, 90)) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: app.search_index is not None)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: CommandPalette.is_open(app) and "Register" in screen_text(app))
        # The hit's own line and its help line (the register's row is under the palette).
        await wait_for(pilot, lambda: screen_text(app).count(f"Title {MARKUP} [and religious]") >= 2, timeout=10)
        assert screen_text(app).count(f"Title {MARKUP} [and religious]") == 2


async def test_every_screen_notifies_literally(demo_repo, make):
    """The app and each of its screens show a notification's brackets as written, unless markup is asked for;
    every screen class of cicatext notifies that way."""
    import importlib
    import pkgutil

    from textual.screen import Screen

    import cicatext.tui.screens
    from cicatext.tui.literal import LiteralNotices

    for module in pkgutil.iter_modules(cicatext.tui.screens.__path__):
        imported = importlib.import_module(f"cicatext.tui.screens.{module.name}")
        for value in vars(imported).values():
            if isinstance(value, type) and issubclass(value, Screen) and value.__module__ == imported.__name__:
                assert issubclass(value, LiteralNotices), f"{value.__name__} reads its notifications as markup"

    app = make(demo_repo)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await loaded(pilot)
        app.notify(f"app {MARKUP}")
        app.screen.notify(f"screen {MARKUP}", title="[and religious]")
        app.screen.notify("[b]asked[/b] for", markup=True)
        await wait_for(pilot, lambda: len(app.screen.query(Toast)) == 3)
        toasts = "\n".join(toast.render().plain for toast in app.screen.query(Toast))
        assert f"app {MARKUP}" in toasts and f"screen {MARKUP}" in toasts and "[and religious]" in toasts
        assert "asked for" in toasts and "[b]asked" not in toasts
