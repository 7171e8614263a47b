"""The heap settling of workers and CLI runs (service/gc_tuning.py)."""

from __future__ import annotations

import gc

from service.gc_tuning import GC_THRESHOLDS, settle_heap


def test_settling_freezes_what_is_alive_and_collects_less_often():
    thresholds = gc.get_threshold()
    try:
        alive = [object() for _ in range(10)]
        settle_heap()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > len(alive)
        assert GC_THRESHOLDS[0] > thresholds[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
