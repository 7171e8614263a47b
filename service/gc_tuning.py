"""Garbage collection for long-running processes that allocate in bursts.

CPython's cyclic collector runs after every 700 net allocations, and each older-generation
pass walks every object the process holds: the app, SQLAlchemy's and marshmallow's
structures, caches. A 500-item batch or a page of a rebuild allocates hundreds of thousands
of short-lived objects (parsed JSON, rows, envelopes) and paid ~20 % of its CPU in
collections (47 ms of a 240 ms batch). ``settle_heap`` moves everything alive at start-up
out of the collector's sight (``gc.freeze``) and collects less often. Reference counting
still frees almost everything at once; only cycles wait a little longer.

A bulk load or build (a restore, a rebuild) holds each page of thousands of events while it
folds it, so every young collection found most of what it walked alive and moved it on, and
the older passes walked it again: ~10 % of such a run's CPU (an in-process import of 50,000
events into PostgreSQL: 2.8-2.9 s of this process's CPU with the collector, 2.4-2.5 s
without; its passes took 0.25 s, and 1.09 s of an import of 200,000). ``collector_paused``
turns the cyclic collector off for the block: its pages are freed by reference counting
when the next one replaces them (nothing a build keeps refers back to itself), and the few
cycles made meanwhile are collected when it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

GC_THRESHOLDS = (10_000, 50, 1_000)


def settle_heap() -> None:
    """Collect once, freeze what survives (start-up state), then collect less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection during the block (process-wide); as it was again after it, with
    the block's cycles collected once if the collector runs."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()
