"""Two languages side by side in the reader (`L`): paragraphs aligned by id, brackets coloured on both sides."""

from __future__ import annotations

import re

from cicatext.tui.widgets.document_view import DocumentView
from cicatext.tui.widgets.parallel_view import ParallelView, align
from tests.tui.helpers import screen_text, wait_for
from tests.tui.test_reader import open_reader
from tests.ids import at_in

DRAFT5 = "mc-2023-draft-5"


def add_russian_draft5(repo) -> None:
    """Give MC/2023/DRAFT/5 a Russian text that lacks pp10 and has a paragraph of its own, pp9bis, with a bracket."""
    record = repo.path(f"documents/{DRAFT5}/document.yaml")
    text = record.read_text(encoding="utf-8")
    assert "languages:\n  - en" in text
    record.write_text(text.replace("languages:\n  - en", "languages:\n  - en\n  - ru"), encoding="utf-8")
    english = repo.read_text(f"documents/{DRAFT5}/en.txt")
    blocks = english.split("\n\n")
    russian = []
    for block in blocks:
        if block.startswith("{#pp10}"):
            continue
        russian.append(block.replace("volunteer", "доброволец").replace("Promote", "Содействовать"))
        if block.startswith("{#pp9}"):
            russian.append("{#pp9bis} – Только в русском тексте [дополнительные слова] (+RUS);")
    repo.path(f"documents/{DRAFT5}/ru.txt").write_text("\n\n".join(russian), encoding="utf-8")


def test_align_pairs_by_id_and_keeps_lone_paragraphs_in_place():
    """Paragraphs pair by id; one only one side has stands alone where its own text puts it; none is lost."""
    from cicatext.notation.reader import read

    left = read("{#a} A\n\n{#b} B\n\n{#c} C\n").draft.paragraphs
    right = read("{#a} А\n\n{#x} Икс\n\n{#c} Ц\n\n{#z} Зет\n").draft.paragraphs
    assert align(left, right) == [(0, 0), (None, 1), (1, None), (2, 2), (None, 3)]
    moved = read("{#c} Ц\n\n{#a} А\n").draft.paragraphs
    assert align(left, moved) == [(None, 0), (0, 1), (1, None), (2, None)]  # moved paragraphs are never lost


async def test_side_by_side_aligns_the_cover_note_by_paragraph(demo_repo, make):
    """L on SWG/739 shows English left and Russian right, pair by pair with the same ids; L again shows one language."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot, slug="swg-739")
        english = [p.id for p in reader.paragraphs]
        await pilot.press("L")
        await wait_for(pilot, lambda: reader.view.shown)
        view = reader.view
        assert reader.parallel == "ru" and isinstance(view, ParallelView) and view.display
        assert not reader.query_one("#reader-text").display
        assert view.columns
        assert view.rows == [(pid, pid) for pid in english]
        shown = screen_text(app)
        assert re.search(r"The Secretariat of the Conference on +│ Секретариат Совещания по", shown)
        assert "en beside ru" in shown
        await pilot.press("j")
        assert reader.current_paragraph.id == english[1]
        await pilot.press("L")
        await pilot.pause()
        assert reader.parallel is None and type(reader.view) is DocumentView and reader.view.display
        assert not reader.query_one("#reader-parallel").display
        assert reader.current_paragraph.id == english[1]
        assert "Секретариат Совещания по" not in screen_text(app)
        assert [reader.paragraphs[i].id for i in reader.view.shown] == english


async def test_side_by_side_with_brackets_and_missing_paragraphs(demo_repo, make):
    """Brackets are selected on the left and coloured on both sides; a paragraph one language lacks stands alone."""
    add_russian_draft5(demo_repo)
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("L")
        await wait_for(pilot, lambda: reader.view.shown)
        rows = reader.view.rows
        assert ("pp10", None) in rows and (None, "pp9bis") in rows
        assert rows.index((None, "pp9bis")) == rows.index(("pp9", "pp9")) + 1
        assert all(left == right for left, right in rows if left and right)
        await pilot.press("n")
        assert reader.selected == at_in(demo_repo, "MC/2023/DRAFT/5", "pp9:1") and reader.current_paragraph.id == "pp9"
        # The Russian bracket of its own paragraph is styled like the English ones.
        view = reader.view
        unit = next(u for u, (left, right) in enumerate(view._units) if right is not None
                    and view.other[right].id == "pp9bis")
        strips = view._strips(unit)
        styled = [seg for strip in strips for seg in strip if "дополнительные" in seg.text]
        assert styled and styled[0].style is not None and styled[0].style.bgcolor is not None
        # l makes Russian the reader's language; English goes to the right.
        await pilot.press("l")
        await pilot.pause()
        assert reader.language == "ru" and reader.parallel == "en"
        assert ("pp9bis", None) in reader.view.rows and (None, "pp10") in reader.view.rows
        assert reader.current_paragraph.id == "pp9"


async def test_side_by_side_at_80_by_24_and_stacked_when_narrow(demo_repo, make):
    """At 80×24 the two columns still fit; narrower, the Russian paragraph is drawn under the English one."""
    app = make(demo_repo)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_reader(app, pilot, slug="swg-739")
        await pilot.press("L")
        await wait_for(pilot, lambda: reader.view.shown)
        assert reader.view.columns
        assert re.search(r"No\. SWG/739 +│ № SWG/739", screen_text(app))
    app = make(demo_repo)
    async with app.run_test(size=(50, 24)) as pilot:
        reader = await open_reader(app, pilot, slug="swg-739")
        await pilot.press("L")
        await wait_for(pilot, lambda: reader.view.shown)
        assert not reader.view.columns
        shown = screen_text(app)
        assert "with ru below" in shown and "┆ СЕКРЕТАРИАТ СОВЕЩАНИЯ" in shown


async def test_side_by_side_needs_two_languages(demo_repo, make):
    """L on a text in one language says so and keeps the single view."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("L")
        await pilot.pause()
        assert reader.parallel is None and type(reader.view) is DocumentView


async def test_paragraphs_awaiting_translation_are_marked_in_the_other_language(demo_repo, make):
    """A paragraph the record lists under awaiting_translation shows the mark before its Russian text."""
    add_russian_draft5(demo_repo)
    record = demo_repo.path(f"documents/{DRAFT5}/document.yaml")
    record.write_text(record.read_text(encoding="utf-8") + "awaiting_translation:\n  ru: [pp2]\n", encoding="utf-8")
    app = make(demo_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("L")
        await wait_for(pilot, lambda: reader.view.shown)
        view = reader.view
        assert view.awaiting == frozenset({"pp2"})
        assert view._other_content([p.id for p in view.other].index("pp2")).plain.startswith("awaiting translation ")
        assert not view._other_content([p.id for p in view.other].index("pp3")).plain.startswith("awaiting")
        assert "awaiting translation" in screen_text(app)
