"""Waiting for the app's workers, reading what the terminal shows, and the sample's texts broken on purpose."""

from __future__ import annotations

import datetime as dt
import time

BROKEN_TEXT = "documents/mc-2023-draft-3/en.txt"
"""The sample text `break_text` breaks."""

AS_OF = dt.date(2023, 7, 20)
"""The day deadlines are judged against in these tests: after the 15 July 2023 time limit for comments."""


async def wait_for(pilot, condition, timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (workers run in threads); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {getattr(condition, '__name__', 'a condition')}")
        await pilot.pause(0.05)
    await pilot.pause()


async def loaded(pilot) -> None:
    """Wait until the register shows every document as the files on disk have them."""
    await wait_for(pilot, lambda: pilot.app.fresh)


# What each screen has once its worker has filled it in, for `open_screen`.
_FILLED = {
    "DiffScreen": lambda screen: screen.diffs is not None,
    "DelegationsScreen": lambda screen: screen.brackets is not None,
    "CoordinatorsScreen": lambda screen: bool(screen.rows),
}


async def open_screen(pilot, key: str, kind: type):
    """Press `key` and wait until the screen it opens, of type `kind`, is on top and filled in; that screen."""
    filled = _FILLED.get(kind.__name__, lambda screen: True)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind) and filled(pilot.app.screen))
    return pilot.app.screen


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def break_text(repo):
    """Leave a bracket of the sample's MC/2023/DRAFT/3 unclosed (in the working tree); returns the text's path."""
    path = repo.path(BROKEN_TEXT)
    path.write_text(path.read_text(encoding="utf-8").replace("Endorse the Road Map", "Endorse [the Road Map", 1),
                    encoding="utf-8")
    return path
