"""Python's cycle collector, paused while a run's objects pile up."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """The cycle collector off inside the block, back as it was after.

    A run allocates millions of small objects that hold no reference cycles (claims, matches,
    strings, findings): the collector walks them again and again and frees nothing.
    Unpickling the workers' claims is three times faster without it, comparing a third
    faster, and a 36 MB run 7 % faster, with the same peak memory. The command pauses it for
    the whole run; for library callers, `run` does, and so do the stages a caller may call
    alone (`extract_all`, `align`, `compare_facts`). A worker process turns it off for good,
    as it lives only for the run. Also a decorator (`@cycle_collection_paused()`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
