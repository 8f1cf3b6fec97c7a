"""A document holding a paragraph nested far past the reader's limit still indexes, opens and quits."""

from __future__ import annotations

import pytest

from cicatext.tui.screens.reader import ReaderScreen
from tests.tui.helpers import loaded, screen_text, wait_for

TEXT = "documents/mc-2023-draft-3/en.txt"


def nest(repo, depth: int) -> None:
    """Add to the sample's MC/2023/DRAFT/3 a paragraph of brackets nested `depth` deep, and commit it."""
    deep = "{#deep} " + "[and " * depth + "nested words" + "] (+CHN)" * depth
    repo.commit({TEXT: repo.read_text(TEXT).rstrip("\n") + "\n\n" + deep + "\n"}, "A paragraph nested deep")


@pytest.mark.parametrize("depth", [500, 10_000])
async def test_a_text_nested_past_the_limit_indexes_opens_and_quits(demo_repo, make, depth):
    """Search indexes the document, the reader shows its text with the depth as its problem, and q quits."""
    nest(demo_repo, depth)
    app = make(demo_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: app.search_index is not None, timeout=120)
        hits = app.search_index.search("nested words")
        assert any(hit.slug == "mc-2023-draft-3" and hit.paragraph == "deep" for hit in hits)
        app.open_document("mc-2023-draft-3", paragraph="deep")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen), timeout=120)
        reader = app.screen
        assert [p.message for p in reader.document.problems] == [f"brackets nested {depth} deep: the limit is 100"]
        assert reader.current_paragraph.id == "deep"
        shown = screen_text(app)
        assert "[and [and [and" in shown
        assert f"nested {depth} deep" in shown
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, ReaderScreen))
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running)
