"""`e` and the editor: a missing editor is said and the UI comes back; with none set, vi or nano as git does."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from cicatext.errors import CicatextError
from cicatext.tui.editor import editor_command
from cicatext.tui.screens.reader import ReaderScreen
from tests.tui.helpers import loaded, wait_for
from tests.tui.test_reader import open_reader


def installed(folder, *names):
    """A folder holding executables of these names, to stand as the whole PATH."""
    folder.mkdir(exist_ok=True)
    for name in names:
        program = folder / name
        program.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        program.chmod(0o755)
    return str(folder)

async def test_e_with_a_missing_editor_says_so_and_comes_back(demo_repo, make, monkeypatch):
    """EDITOR=nano-not-installed: `e` says the editor was not found, and the reader still answers keys."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "nano-not-installed")
    app = make(demo_repo)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        reader = await open_reader(app, pilot)
        await pilot.press("n", "e")
        await wait_for(pilot, lambda: bool(app.screen.query(Toast)))
        said = "\n".join(toast.render().plain for toast in app.screen.query(Toast))
        assert "'nano-not-installed' (from $EDITOR) was not found" in said
        assert app.screen is reader
        before = reader.selected
        await pilot.press("n")
        await pilot.pause()
        assert reader.selected != before
        await pilot.press("q")
        await loaded(pilot)
        assert not isinstance(app.screen, ReaderScreen)

def test_visual_comes_before_editor(tmp_path):
    """$VISUAL wins over $EDITOR, its words kept, the line and file added."""
    path = installed(tmp_path / "bin", "code", "nano")
    command = editor_command(tmp_path / "a.txt", 7, {"VISUAL": "code --wait", "EDITOR": "nano", "PATH": path})
    assert command == ["code", "--wait", "+7", str(tmp_path / "a.txt")]

@pytest.mark.parametrize(("present", "chosen"), [(("vi", "nano"), "vi"), (("nano",), "nano")])
def test_with_no_editor_set_vi_then_nano(tmp_path, present, chosen):
    """With neither $VISUAL nor $EDITOR set, vi is opened, or nano when vi is not installed."""
    path = installed(tmp_path / "bin", *present)
    assert editor_command(tmp_path / "a.txt", 3, {"PATH": path})[0] == chosen

def test_with_no_editor_at_all_the_refusal_says_what_to_do(tmp_path):
    """No editor set and none installed: one message naming $EDITOR, nothing started."""
    path = installed(tmp_path / "bin")
    with pytest.raises(CicatextError) as refused:
        editor_command(tmp_path / "a.txt", 3, {"EDITOR": "", "PATH": path})
    assert "no editor was found" in str(refused.value)
    assert "$EDITOR" in refused.value.format()
