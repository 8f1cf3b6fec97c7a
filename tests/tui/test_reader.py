"""The reader: coloured brackets, bracket-to-bracket jumps, the delegation filter, clean text, agree and drop."""

from __future__ import annotations

import pytest

from tests.ids import at, at_in

from cicatext.notation.reader import read
from cicatext.notation.render import render
from cicatext.tui.screens.dialogs import ConfirmAction, PickOne
from cicatext.tui.screens.reader import ReaderScreen
from cicatext.tui.widgets.bracket_panel import BracketPanel
from cicatext.tui.widgets.bracketed import paragraph_content, visible
from cicatext.tui.widgets.document_view import DocumentView
from tests.notation.corpus import CASES, MALFORMED
from tests.tui.helpers import loaded, screen_text, wait_for

DRAFT5 = "mc-2023-draft-5"


def reader_ready(screen: ReaderScreen) -> bool:
    """True once the reader has laid its text out."""
    return screen.is_mounted and bool(screen.query(DocumentView)) and bool(screen.view.shown)


async def open_reader(app, pilot, slug=DRAFT5, **where) -> ReaderScreen:
    await loaded(pilot)
    app.open_document(slug, **where)
    await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and reader_ready(app.screen))
    return app.screen


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_widget_renders_exactly_the_parsed_text(case):
    """For every corpus case the widget shows each paragraph's text exactly as parsed, and finds its brackets."""
    draft = read(case.text).draft
    listed = []
    for paragraph in draft.paragraphs:
        content, spans = paragraph_content(paragraph)
        assert content.plain == visible(render(paragraph)[len(paragraph.marker):])
        listed.extend(span.id for span in spans)
    assert listed == [at(case.text, expected[0]) for expected in case.brackets]


@pytest.mark.parametrize("case", MALFORMED, ids=[c.id for c in MALFORMED])
def test_widget_renders_malformed_text_without_losing_characters(case):
    """Broken notation still shows every character the lenient reader kept."""
    draft = read(case.text).draft
    for paragraph in draft.paragraphs:
        content, _ = paragraph_content(paragraph, selected=f"{paragraph.id}:1", delegation="CHN")
        assert content.plain == visible(render(paragraph)[len(paragraph.marker):])


async def test_reader_shows_the_document_chosen(demo_repo, make):
    """The reader shows the chosen document's paragraphs and symbol."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        assert reader.document.symbol == "MC/2023/DRAFT/5"
        assert len(reader.shown_paragraphs) == len(reader.reading.draft.paragraphs)
        assert "We, the Ministers of Foreign Affairs" in screen_text(app)


async def test_n_and_N_jump_from_bracket_to_bracket(demo_repo, make):
    """n selects the first bracket and then the next; N goes back; ] and [ do the same."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        ids = [b.id for b in reader.brackets]
        await pilot.press("n")
        assert reader.selected == ids[0]
        await pilot.press("n", "n")
        assert reader.selected == ids[2]
        await pilot.press("N")
        assert reader.selected == ids[1]
        await pilot.press("right_square_bracket")
        assert reader.selected == ids[2]
        await pilot.press("left_square_bracket")
        assert reader.selected == ids[1]


async def test_side_panel_names_attributions_and_origin(demo_repo, make):
    """The side panel shows the selected bracket and, once looked up, the commit that introduced it."""
    app = make(demo_repo)
    async with app.run_test(size=(110, 30)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("n")
        panel = reader.query_one(BracketPanel)
        assert panel.bracket is not None and panel.bracket.id == reader.selected
        assert [a.code for a in panel.bracket.attributions] == ["IRAN"]
        await wait_for(pilot, lambda: panel.origin is not None)
        assert "MC/2023/DRAFT/5" in panel.origin


async def test_delegation_filter_shows_only_its_brackets(demo_repo, make):
    """After choosing CHN, only brackets attributed to CHN are visible and n steps through them alone."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, PickOne))
        picker = app.screen
        position = [key for key, _ in picker.choices].index("CHN")
        picker.query_one("OptionList").highlighted = position
        await pilot.press("enter")
        await pilot.pause()
        assert reader.delegation == "CHN"
        visible_ids = [b.id for b in reader.visible_brackets]
        assert visible_ids and all(any(a.code == "CHN" for a in b.attributions) for b in reader.visible_brackets)
        assert len(visible_ids) < len(reader.brackets)
        assert set(reader.shown_paragraphs) == {b.paragraph for b in reader.visible_brackets}
        assert reader.selected == visible_ids[0]
        await pilot.press("n")
        assert reader.selected == visible_ids[1]
        await pilot.press("F")
        assert reader.delegation is None
        assert len(reader.visible_brackets) == len(reader.brackets)


async def test_clean_text_hides_unagreed_text(demo_repo, make):
    """b shows only what is agreed: a wholly bracketed paragraph disappears, and b again brings it back."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        assert "op15" in reader.shown_paragraphs
        await pilot.press("b")
        assert reader.clean
        assert "op15" not in reader.shown_paragraphs
        assert "[intercivilizational" not in screen_text(app)
        await pilot.press("b")
        assert not reader.clean and "op15" in reader.shown_paragraphs


async def test_opening_at_a_bracket_with_a_filter(demo_repo, make):
    """The reader can open at a given bracket with one delegation's filter on (as the delegations screen does)."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        wanted = at_in(demo_repo, "MC/2023/DRAFT/5", "op11altern:2")
        reader = await open_reader(app, pilot, bracket=wanted, delegation="TUR")
        assert reader.selected == wanted
        assert reader.delegation == "TUR"


async def test_agree_after_confirm_commits(demo_repo, make):
    """a then y lifts the selected bracket in one commit, exactly as `cicatext agree` does."""
    app = make(demo_repo)
    before = demo_repo.head()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("n")
        chosen = reader.selected_info
        assert chosen.text == "intercivilizational and intercultural exchanges"
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAction))
        await pilot.press("y")
        await wait_for(pilot, lambda: demo_repo.head() != before and "commit" not in app.running_work)
        await wait_for(pilot, lambda: len(reader.brackets) == 12)
    text = demo_repo.read_text("documents/mc-2023-draft-5/en.txt")
    assert "[intercivilizational and intercultural exchanges]" not in text
    assert "intercivilizational and intercultural exchanges" in text
    log = demo_repo.run_git("log", "-1", "--format=%s").stdout
    assert log.startswith(f"Agree {chosen.id}")


async def test_drop_acts_on_the_bracket_shown_after_another_was_agreed(demo_repo, make):
    """The reader's id keeps naming the bracket it showed when an earlier bracket is agreed meanwhile, and the
    notification says which text was dropped."""
    from cicatext.notation.views import bracket_list
    from cicatext.store.negotiation.decisions import agree_bracket

    text_path = "documents/mc-2023-draft-5/en.txt"
    listed = bracket_list(read(demo_repo.read_text(text_path)).draft)
    wanted = next(info for info in listed if info.text == "and religious")
    earlier = next(info for info in listed if info.text == "intercivilizational and intercultural exchanges")
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot, bracket=wanted.id)
        assert reader.selected == wanted.id
        agree_bracket(demo_repo, "MC/2023/DRAFT/5", earlier.id)
        before = demo_repo.head()
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAction))
        await pilot.press("y")
        await wait_for(pilot, lambda: demo_repo.head() != before and "commit" not in app.running_work)
        await wait_for(pilot, lambda: any("Dropped" in n.message for n in app._notifications))
        said = next(n.message for n in app._notifications if "Dropped" in n.message)
    assert said.startswith(f"Dropped {wanted.id} in MC/2023/DRAFT/5")
    assert "[and religious] (-CHN)" in said
    text = demo_repo.read_text(text_path)
    assert "[and religious] (-CHN)" not in text and "[cultural] (+IND)" in text
    assert "[intercivilizational" not in text and "intercivilizational and intercultural exchanges" in text


async def test_cancel_makes_no_commit(demo_repo, make):
    """x then n (or escape) leaves the repository as it was."""
    app = make(demo_repo)
    before = demo_repo.head()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("n", "x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAction))
        await pilot.press("n")
        await pilot.pause(0.3)
        assert app.screen is reader
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAction))
        await pilot.press("escape")
        await pilot.pause(0.3)
    assert demo_repo.head() == before
    assert demo_repo.dirty_paths() == []


async def test_drop_after_confirm_removes_the_text(demo_repo, make):
    """x then y removes the bracket with its text in one commit."""
    app = make(demo_repo)
    before = demo_repo.head()
    async with app.run_test(size=(100, 30)) as pilot:
        wanted = at_in(demo_repo, "MC/2023/DRAFT/5", "op15:1")
        reader = await open_reader(app, pilot, bracket=wanted)
        assert reader.selected == wanted
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAction))
        await pilot.press("y")
        await wait_for(pilot, lambda: demo_repo.head() != before and "commit" not in app.running_work)
    assert "Encourage the Member States to consider integrating" not in demo_repo.read_text(
        "documents/mc-2023-draft-5/en.txt")


async def test_agree_refused_is_shown_not_raised(demo_repo, make):
    """An agree git refuses (uncommitted edits in the text) shows the reason and commits nothing."""
    path = demo_repo.path("documents/mc-2023-draft-5/en.txt")
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    app = make(demo_repo)
    before = demo_repo.head()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("n", "a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAction))
        await pilot.press("y")
        await wait_for(pilot, lambda: any("uncommitted" in n.message for n in app._notifications))
        assert app.screen is reader
    assert demo_repo.head() == before


def add_russian(repo, slug="mc-2023-draft-3"):
    """Give a document a second language: the same paragraphs, marked as Russian."""
    record = repo.path(f"documents/{slug}/document.yaml")
    record.write_text(record.read_text(encoding="utf-8").replace("languages:\n  - en", "languages:\n  - en\n  - ru"),
                      encoding="utf-8")
    english = repo.read_text(f"documents/{slug}/en.txt")
    repo.path(f"documents/{slug}/ru.txt").write_text(english.replace("Member States", "государства-члены"),
                                                     encoding="utf-8")
    return slug


async def test_language_switch(demo_repo, make):
    """l switches to the document's other language, keeping the paragraph where the ids align."""
    slug = add_russian(demo_repo)
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot, slug=slug, paragraph="op2")
        assert reader.language == "en"
        await pilot.press("l")
        await pilot.pause()
        assert reader.language == "ru"
        assert reader.reading is reader.document.readings["ru"]
        assert reader.current_paragraph.id == "op2"
        assert "государства-члены" in screen_text(app)


async def test_e_opens_the_text_at_the_bracket(demo_repo, make, edits):
    """e hands the text file and the selected bracket's line to the editor."""
    app = make(demo_repo, launch_editor=edits)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("n", "e")
        await pilot.pause()
    path, line = edits.calls[0]
    assert path == demo_repo.path("documents/mc-2023-draft-5/en.txt")
    assert line == reader.selected_info.line if reader.selected_info else line > 1


async def test_click_selects_a_paragraph_bracket(demo_repo, make):
    """Clicking a paragraph that holds brackets selects its first bracket."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 40)) as pilot:
        reader = await open_reader(app, pilot, paragraph="op11")
        await pilot.pause(0.2)
        view = reader.view
        row = view.row_of([p.id for p in reader.paragraphs].index("op11")) - int(view.scroll_offset.y)
        await pilot.click(view, offset=(5, row + view.content_region.y - view.region.y))
        assert reader.selected == at_in(demo_repo, "MC/2023/DRAFT/5", "op11:1")


async def test_heights_measured_without_drawing_are_the_lines_drawn(demo_repo, make):
    """Laying a text out measures each paragraph without drawing it; drawn, it takes exactly that many lines."""
    corpus = "\n\n".join(case.text for case in (*CASES, *MALFORMED))
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        view = reader.view
        for size in ((100, 30), (47, 30)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            for paragraphs in (reader.reading.draft.paragraphs, read(corpus).draft.paragraphs):
                view.set_paragraphs(paragraphs)
                for clean in (False, True):
                    view.clean = clean
                    view._forget_lines()
                    heights = [view._height(index) for index in range(len(paragraphs))]
                    assert heights == [len(view._strips(index)) for index in range(len(paragraphs))]


async def test_the_reader_shows_alternatives_placeholders_status_notes_and_a_spanning_bracket(new_repo, make):
    """Brackets side by side are options, [X] a placeholder, [Agreed ad ref] a status note; a bracket spanning
    three paragraphs is one bracket, selected as one."""
    from cicatext.store.register.create import import_text
    from cicatext.tui.widgets.bracket_panel import BracketPanel

    import_text(new_repo, "The Council,\n\n1. Each Party [shall][should] report by [year x]. [Agreed ad ref]\n\n"
                "2. [Each Party shall:\n\n(a) act;\n\n(b) report.] (+IND)\n", symbol="MC/2024/DRAFT/7", title="T",
                kind="decision")
    app = make(new_repo)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot, slug="mc-2024-draft-7")
        panel = reader.query_one(BracketPanel)
        seen = []
        for _ in range(5):
            await pilot.press("n")
            await wait_for(pilot, lambda: panel.bracket is not None and panel.bracket.id == reader.selected)
            seen.append((panel.bracket.text, panel.kind))
        assert seen == [("shall", "options"), ("should", "options"), ("year x", "placeholder"),
                        ("Agreed ad ref", "status"), ("Each Party shall:\n\n(a) act;\n\n(b) report.", "proposal")]
