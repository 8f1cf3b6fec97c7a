"""SVG snapshots of the layout: the register at 80×24, the reader with a bracket selected, validation with a problem.

They run over a small repository built here with fixed dates, so commit ids and
every line on screen are the same on each run. Update with `pytest --snapshot-update`.
"""

from __future__ import annotations

import pytest

from cicatext.tui.screens.reader import ReaderScreen
from cicatext.tui.screens.validation import ValidationScreen
from cicatext.tui.widgets.bracket_panel import BracketPanel
from tests.notation.corpus import OP11, UNDERLINING
from tests.tui.helpers import AS_OF, wait_for
from tests.ids import at_in

pytest.importorskip("pytest_textual_snapshot")

DATE = "2023-06-14T18:00:00+06:00"


@pytest.fixture
def snapshot_repo(tmp_path, monkeypatch):
    """Two documents imported into a new repository, every commit dated 14 June 2023."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", DATE)
    monkeypatch.setenv("GIT_COMMITTER_DATE", DATE)
    from cicatext.store.register.create import import_text, init_repository

    repo = init_repository(tmp_path / "sample")
    statement = "\n\n".join(["We, the Ministers,", UNDERLINING, OP11, "12. Encourage [further] (+TUR) exchanges;"])
    import_text(repo, statement, symbol="MC/2023/DRAFT/5", title="Draft statement on Promoting Volunteerism",
                kind="statement", sponsor="CHAIR", body="MC", date="2023-06-14")
    import_text(repo, "1. Endorse the Road Map.\n\n2. Request the SOC to continue.", symbol="MC/2023/DRAFT/3",
                title="Draft decision on a Road Map for CICA Transformation", kind="decision", sponsor="CHAIR",
                body="MC", date="2023-05-11")
    return repo


def quiet_app(repo, **options):
    from cicatext.tui.app import make_app

    options = {"watch": False, "validate_on_start": False, "as_of": AS_OF, "use_cache": False, **options}
    return make_app(repo, **options)


def no_blink(app) -> None:
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


def test_register_at_80x24(snapshot_repo, snap_compare):
    """The register reads at 80×24: symbol, title, status and open brackets, status line and footer."""
    app = quiet_app(snapshot_repo)

    async def ready(pilot):
        await wait_for(pilot, lambda: app.fresh)
        no_blink(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


def test_reader_with_a_bracket_selected(snapshot_repo, snap_compare):
    """The reader colours brackets by stance, and the side panel names the selected bracket's attributions."""
    app = quiet_app(snapshot_repo)

    async def ready(pilot):
        await wait_for(pilot, lambda: app.fresh)
        wanted = at_in(snapshot_repo, "MC/2023/DRAFT/5", "pp2:2")
        app.open_document("mc-2023-draft-5", bracket=wanted)
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.selected == wanted)
        panel = app.screen.query_one(BracketPanel)
        await wait_for(pilot, lambda: panel.origin is not None)
        no_blink(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(110, 30), run_before=ready)


def test_validation_with_a_broken_record(snapshot_repo, snap_compare):
    """Validation lists the problem and shows its file with the line selected."""
    path = snapshot_repo.path("documents/mc-2023-draft-3/document.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("kind: decision", "kind: [decision"), encoding="utf-8")
    app = quiet_app(snapshot_repo, validate_on_start=True)

    async def ready(pilot):
        await wait_for(pilot, lambda: app.problems is not None)
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, ValidationScreen))
        no_blink(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 28), run_before=ready)
