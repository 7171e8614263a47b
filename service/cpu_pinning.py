"""Each gunicorn worker on a CPU of its own (``PIN_WORKERS``, on by default).

A worker is one Python process: its threads (requests, the append committer, the live hub)
take turns holding its one GIL. Left to the kernel, they run on whichever CPU is free, and
every hand-over of the GIL between threads on two CPUs wakes the other CPU and moves the
data with it. Kept on one CPU, a worker's threads hand the GIL over where they already
are, and two workers on two CPUs no longer trade places (bench/README.md, session of
2026-12-07 from 18:16 UTC: ``bench.write`` in alternating runs, 16 connections +16 and
+33 % requests/s on PostgreSQL, +30 and +37 % on SQLite). The database server's processes
are not pinned.

The master chooses, before each fork, the allowed CPU that the fewest live workers hold
(``least_used``): a worker that dies is replaced on the CPU it left. The worker pins itself
right after the fork, before it starts a thread, so every thread it starts inherits it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import suppress


def allowed_cpus() -> list[int]:
    """The CPUs this process may run on (a container's cpuset, ``taskset``); none where the
    platform cannot say (no pinning there)."""
    if not hasattr(os, "sched_getaffinity"):
        return []
    return sorted(os.sched_getaffinity(0))


def least_used(cpus: list[int], taken: Iterable[int | None]) -> int | None:
    """The CPU of ``cpus`` that the fewest of ``taken`` (the live workers' CPUs) hold, the
    lowest on a tie; None when there is nothing to choose (fewer than two CPUs)."""
    if len(cpus) < 2:
        return None
    counts = dict.fromkeys(cpus, 0)
    for cpu in taken:
        if cpu in counts:
            counts[cpu] += 1
    return min(cpus, key=lambda cpu: (counts[cpu], cpu))


def pin(cpu: int | None) -> None:
    """Keep this process, and every thread it starts from now on, on ``cpu`` (None: leave
    it where the kernel puts it). A CPU taken away since the master looked (a cpuset changed
    under it) leaves the worker unpinned: that costs speed, a worker that fails to boot
    would cost service."""
    if cpu is None:
        return
    with suppress(OSError):
        os.sched_setaffinity(0, {cpu})
