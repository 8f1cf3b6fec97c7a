"""Python's cyclic garbage collector paused while many small objects that all live on are made.

Reading a large text, loading a cache or diffing two texts makes hundreds of
thousands of containers at once, none of them in a cycle yet: the collector
would go over them again and again as they come. Paused, it would still go
over them all once, at its first round after: so they are handed to its
oldest generation at once, which it goes over only in its rare full rounds.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(when: bool = True) -> Iterator[None]:
    """The collector paused meanwhile (when `when`), and running again after if it ran before; what was made
    meanwhile joins its oldest generation."""
    pause = when and gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause:
            if not gc.get_freeze_count():
                # Freezing moves every object the collector tracks out of its generations, and unfreezing moves
                # them all into the oldest, without going over them. Not while anything else is frozen
                # (validate sets a run's records aside so), which unfreezing would give back.
                gc.freeze()
                gc.unfreeze()
            gc.enable()
