"""Search: the index over every paragraph and symbol, the command palette that jumps to a hit, and `cicatext search`."""

from __future__ import annotations

import json

from textual.command import CommandPalette

from cicatext.cli.main import main
from cicatext.store.register.catalogue import load_catalogue, load_paragraphs
from cicatext.store.register.search import SearchIndex, open_index
from cicatext.tui.screens.reader import ReaderScreen
from tests.tui.helpers import loaded, screen_text, wait_for


def test_search_finds_a_paragraph_despite_a_typing_error(demo_repo):
    """A misspelt word still finds the paragraph that holds it."""
    hits = open_index(demo_repo).search("intercivilisational exchanges")
    assert hits[0].kind == "paragraph"
    assert (hits[0].symbol, hits[0].paragraph) == ("MC/2023/DRAFT/5", "pp9")


def test_search_prefers_the_phrase_as_written(demo_repo):
    """A paragraph holding the query as written scores 100 and comes first."""
    hits = open_index(demo_repo).search("Promote volunteers' participation")
    assert hits[0].paragraph == "op11" and hits[0].score == 100


def test_search_finds_a_document_by_symbol(demo_repo):
    """A query written like a symbol answers with that document first."""
    hits = open_index(demo_repo).search("DRAFT/4")
    assert hits[0].kind == "document" and hits[0].symbol == "MC/2023/DRAFT/4"


def test_search_with_no_match_answers_nothing(demo_repo):
    """Nonsense finds nothing rather than something random."""
    assert open_index(demo_repo).search("xqzzyv") == []


def test_index_uses_the_catalogue_cache(demo_repo):
    """A second build reads the cache and indexes the same paragraphs."""
    first = SearchIndex(load_catalogue(demo_repo).documents, load_paragraphs(demo_repo))
    assert demo_repo.path(".cicatext/paragraphs.marshal").exists()
    second = SearchIndex(load_catalogue(demo_repo).documents, load_paragraphs(demo_repo))
    assert first.size == second.size > 50


def test_cache_follows_an_edit(demo_repo):
    """After a text is edited, search finds the new words (the cache is keyed by size and time)."""
    open_index(demo_repo)
    path = demo_repo.path("documents/mc-2023-draft-3/en.txt")
    path.write_text(path.read_text(encoding="utf-8") + "\n{#op99} 99. Zanzibar quokkas rejoice.\n", encoding="utf-8")
    hits = open_index(demo_repo).search("zanzibar quokkas")
    assert hits and hits[0].paragraph == "op99"


async def _choose_palette_hit(pilot, app, words: str) -> None:
    """Open the command palette on the loaded register, type `words` and choose the first hit."""
    await loaded(pilot)
    await wait_for(pilot, lambda: app.search_index is not None)
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: CommandPalette.is_open(app))
    await pilot.press(*words)
    await pilot.pause(0.6)
    await pilot.press("enter")


async def test_palette_search_jumps_to_the_paragraph(demo_repo, make):
    """ctrl+p on the register searches too; choosing the first hit opens the reader at that paragraph."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await _choose_palette_hit(pilot, app, "tolerance and intercultural dialogue")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        assert reader.document.slug == "mc-2023-draft-5"
        assert reader.current_paragraph.id == "op11"


async def test_slash_in_the_reader_searches_everything(demo_repo, make):
    """/ in the reader opens the search palette; a symbol's hit opens that document."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await wait_for(pilot, lambda: app.search_index is not None)
        app.open_document("mc-2023-draft-3")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await pilot.press("slash")
        await wait_for(pilot, lambda: CommandPalette.is_open(app))
        await pilot.press(*"MC/2023/DRAFT/4")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen)
                       and app.screen.document.slug == "mc-2023-draft-4")


def test_cli_search_json(demo_repo, capsys):
    """`cicatext search QUERY --json -C PATH` prints the hits as JSON."""
    code = main(["search", "religious", "--json", "-C", str(demo_repo.root)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["hits"][0]["symbol"] == "MC/2023/DRAFT/5"
    assert out["hits"][0]["paragraph"] == "pp9"


def test_cli_search_text(demo_repo, capsys):
    """Without --json each hit is one line naming the symbol, the paragraph and the file:line."""
    assert main(["search", "volunteerism", "-C", str(demo_repo.root)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("MC/2023/DRAFT/5") and "documents/mc-2023-draft-5/en.txt:" in first


def test_cli_search_outside_a_repository(tmp_path, capsys):
    """Outside a repository the command says so in one message and fails."""
    assert main(["search", "anything", "-C", str(tmp_path)]) != 0
    assert "not inside a cicatext repository" in capsys.readouterr().err


async def test_palette_hit_brings_its_paragraph_into_view(demo_repo, make):
    """A hit far down a text opens the reader scrolled to that paragraph, not at the top."""
    app = make(demo_repo)
    async with app.run_test(size=(100, 30)) as pilot:
        await _choose_palette_hit(pilot, app, "Rally of Volunteer")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and bool(app.screen.view.shown))
        await pilot.pause(0.3)
        reader = app.screen
        view = reader.view
        row = view.row_of(reader.current)
        top = int(view.scroll_offset.y)
        assert reader.current_paragraph.id == "op5"
        assert row > view.scrollable_content_region.height, "the paragraph lies below the first screen"
        assert top <= row < top + view.scrollable_content_region.height
        assert "Rally" in screen_text(app)
