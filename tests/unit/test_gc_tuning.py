"""The heap settling of workers and CLI runs, and the collector paused for a bulk build
(service/gc_tuning.py)."""

from __future__ import annotations

import gc
import weakref

import pytest

from service.gc_tuning import GC_THRESHOLDS, collector_paused, settle_heap


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


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_collector_is_paused_for_the_block_and_collects_its_cycles_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        alive = weakref.ref(Cycle())
        gc.collect(0)  # an explicit collection still runs; only the automatic ones stop
        assert alive() is None
        kept = weakref.ref(Cycle())
        assert kept() is not None  # no collection freed it meanwhile
    assert gc.isenabled()
    assert kept() is None  # collected when the block ended


def test_a_failing_block_turns_it_back_on():
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("stop")
    assert gc.isenabled()


def test_a_block_inside_another_leaves_it_to_the_outer_one():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
