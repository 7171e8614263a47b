"""Which CPU the master gives a new worker, and the pinning itself (service/cpu_pinning.py)."""

from __future__ import annotations

import os

import pytest

from service.cpu_pinning import allowed_cpus, least_used, pin


def test_workers_take_the_cpus_in_turn_then_share_them_evenly():
    cpus = [0, 1, 2]
    taken: list[int | None] = []
    for _ in range(7):
        taken.append(least_used(cpus, taken))
    assert taken == [0, 1, 2, 0, 1, 2, 0]


def test_a_dead_workers_cpu_goes_to_its_replacement():
    assert least_used([0, 1], [1]) == 0  # the worker on CPU 0 died
    assert least_used([0, 1, 2, 3], [0, 1, 3]) == 2


def test_cpus_no_longer_allowed_and_unpinned_workers_count_for_nothing():
    assert least_used([2, 3], [0, 1, None, 2]) == 3


def test_nothing_to_choose_on_one_cpu_or_none():
    assert least_used([5], []) is None
    assert least_used([], [1]) is None


def test_none_or_a_cpu_not_there_leaves_the_process_where_it_was():
    before = os.sched_getaffinity(0)
    pin(None)
    assert os.sched_getaffinity(0) == before
    pin(max(before) + 4096)  # no such CPU (a cpuset changed under the master): no failure
    assert os.sched_getaffinity(0) == before


@pytest.mark.skipif(len(allowed_cpus()) < 2, reason="needs two CPUs to choose from")
def test_a_pinned_process_and_the_threads_it_starts_stay_on_its_cpu():
    cpu = allowed_cpus()[-1]
    child = os.fork()
    if child == 0:  # the worker's side: pin, then start a thread as a worker would
        import threading

        pin(cpu)
        seen: list[set[int]] = []
        thread = threading.Thread(target=lambda: seen.append(os.sched_getaffinity(0)))
        thread.start()
        thread.join()
        os._exit(0 if os.sched_getaffinity(0) == {cpu} and seen == [{cpu}] else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
