"""Python's cyclic garbage collector paused while many small objects that all live on are made.

Reading a large text, loading a cache or diffing two texts makes hundreds of
thousands of containers at once, none of them in a cycle yet: the collector
would go over them again and again as they come.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(when: bool = True) -> Iterator[None]:
    """The collector paused meanwhile (when `when`), and running again after if it ran before."""
    pause = when and gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause:
            gc.enable()
