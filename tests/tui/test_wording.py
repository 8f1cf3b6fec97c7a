"""Words on screen: titles that differ stay different, plurals, options groups, and a repository without keys."""

from __future__ import annotations

from cicatext.tui.screens.dialogs import ConfirmAction
from cicatext.tui.screens.history import HistoryScreen
from tests.tui.helpers import loaded, screen_text, wait_for
from tests.tui.test_reader import open_reader

DRAFT3 = "Draft decision of the CICA Ministerial Council on a Road Map for CICA Transformation"
DRAFT4 = "Draft decision of the CICA Ministerial Council on Modalities of CBM Implementation"


def row_of(app, symbol: str) -> str:
    return next(line for line in screen_text(app).splitlines() if f" {symbol} " in line)


async def test_register_titles_that_share_their_start_stay_apart_at_80_columns(demo_repo, make):
    """DRAFT/3/Rev.1 and DRAFT/4 begin alike; at 80 columns the register keeps the ends that tell them apart."""
    app = make(demo_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.pause()
        three = row_of(app, "MC/2023/DRAFT/3/Rev.1").split("MC/2023/DRAFT/3/Rev.1")[1]
        four = row_of(app, "MC/2023/DRAFT/4").split("MC/2023/DRAFT/4")[1]
        assert three.split("  ")[1:3] != four.split("  ")[1:3]
        assert "Transformation" in three and "Implementation" in four


def test_shortened_titles_fit_and_keep_both_ends():
    """A title cut to a width fits, and keeps its first word and (with room for it) its last."""
    from cicatext.tui.widgets.document_table import shorten_title

    for width in (20, 34, 50):
        for title in (DRAFT3, DRAFT4):
            short = shorten_title(title, width)
            assert len(short) <= width and short.startswith("Draft")
            assert short.endswith(title.split()[-1]) or width < 25
    assert shorten_title("Short title", 34) == "Short title"


async def test_one_open_bracket_is_singular(new_repo, make):
    """A register of one document with one bracket says `1 document · 1 open bracket`."""
    from cicatext.store.register.create import import_text

    import_text(new_repo, "1. Each Party shall [report] (+IND).\n", symbol="MC/2024/DRAFT/1", title="T",
                kind="decision")
    app = make(new_repo)
    async with app.run_test(size=(100, 24)) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: "1 document · 1 open bracket" in screen_text(app))
        assert "1 open brackets" not in screen_text(app)


async def test_a_on_an_options_group_says_it_cannot_be_agreed_without_asking(new_repo, make):
    """`a` on an options group says groups cannot be agreed, names what to do, and opens no confirmation."""
    from textual.widgets._toast import Toast

    from cicatext.store.register.create import import_text

    import_text(new_repo, "1. Each Party [[shall] [should]] report.\n", symbol="MC/2024/DRAFT/2", title="T",
                kind="decision")
    app = make(new_repo)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        reader = await open_reader(app, pilot, slug="mc-2024-draft-2")
        await pilot.press("n")
        await wait_for(pilot, lambda: reader.selected_info is not None)
        assert reader.selected_info.options
        await pilot.press("a")
        await wait_for(pilot, lambda: bool(app.screen.query(Toast)))
        said = "\n".join(toast.render().plain for toast in app.screen.query(Toast))
        assert "options group, which cannot be agreed" in said
        assert not isinstance(app.screen, ConfirmAction)


async def test_history_without_registered_keys_says_so(demo_repo, make):
    """In a repository that registers no keys the Signed column says `no keys registered`, not `not verified`."""
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        app.show_history("mc-2023-draft-5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.points)
        screen = app.screen
        assert set(screen.signers.values()) == {"no keys registered"}
        await wait_for(pilot, lambda: "no keys registered" in screen_text(app))
        assert "not verified" not in screen_text(app)
