"""The first start ever: the register fills in as the folders are read, with the counts a full reading gives.

With no catalogue cache the rows come in from a worker under a progress bar,
with the reader's counts (tests/notation/test_count.py checks the counting
itself). The register is drawn without importing what only later screens
need.
"""

from __future__ import annotations

import shutil
import subprocess
import sys


from cicatext.notation.reader import read
from tests.tui.helpers import break_text, loaded

DRAFT5 = "mc-2023-draft-5"


def full_count(text: str) -> tuple[int, int]:
    """(paragraphs, brackets) as the reader makes them."""
    paragraphs = read(text).draft.paragraphs
    return len(paragraphs), sum(1 for p in paragraphs for _ in p.brackets())


def copy_documents(repo, copies: int) -> None:
    """Add `copies` copies of the sample's documents under new folder names (in the working tree)."""
    documents = repo.path("documents")
    originals = sorted(p for p in documents.iterdir() if (p / "document.yaml").is_file())
    for number in range(copies):
        shutil.copytree(originals[number % len(originals)], documents / f"zz-copy-{number:04d}")


async def test_first_start_streams_rows_then_shows_every_document(demo_repo, make):
    """With no cache the rows come in while the folders are read, and in the end every document is listed
    with the brackets and paragraphs a full reading counts."""
    copy_documents(demo_repo, 600)
    app = make(demo_repo)
    shown_while_reading: list[tuple[int, int, int, str]] = []
    report = app._progress

    def progress(done, total, rows):
        report(done, total, rows)
        if done < total:
            register = app.register
            shown_while_reading.append((done, total, len(register.shown), str(register.loading_label.content)))

    app._progress = progress
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        folders = sorted(p for p in demo_repo.path("documents").iterdir() if (p / "document.yaml").is_file())
        assert shown_while_reading
        done, total, rows, label = shown_while_reading[0]
        assert rows == done < total == len(folders)
        assert f"{done} of {total}" in label
        assert not app.register.loading_box.display
        listed = {row.slug: row for row in app.register.shown}
        assert sorted(listed) == [p.name for p in folders]
        for folder in folders:
            paragraphs, brackets = full_count((folder / "en.txt").read_text(encoding="utf-8"))
            assert (listed[folder.name].paragraphs, listed[folder.name].brackets) == (paragraphs, brackets)
        assert demo_repo.path(".cicatext/register.marshal").exists()


async def test_a_later_start_picks_up_an_edit_made_after_the_cache(demo_repo, make):
    """Edits made while the app was closed show at the next start: a new bracket counted, an unclosed one named."""
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        before = app.catalogue.document(DRAFT5).brackets
    text = demo_repo.path(f"documents/{DRAFT5}/en.txt")
    text.write_text(text.read_text(encoding="utf-8") + "\n{#op99} 99. [Added text] (+CHN)\n", encoding="utf-8")
    broken = break_text(demo_repo)
    app = make(demo_repo)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        assert app.catalogue.document(DRAFT5).brackets == before + 1
        row = app.catalogue.document("mc-2023-draft-3")
        assert "never closed" in row.problem
        assert (row.paragraphs, row.brackets) == full_count(broken.read_text(encoding="utf-8"))
        assert any(p.file == "documents/mc-2023-draft-3/en.txt" for p in app.catalogue.problems)


def test_the_register_is_drawn_without_what_later_screens_need():
    """Importing the app loads neither the reader, validation and search nor rapidfuzz, git or jsonschema."""
    later = ("cicatext.tui.screens.reader", "cicatext.tui.screens.validation", "cicatext.store.register.search",
             "cicatext.store.validation.validate", "cicatext.notation.reader", "rapidfuzz", "git", "jsonschema", "docx")
    check = f"import sys, cicatext.tui.app; print(','.join(m for m in {later!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
