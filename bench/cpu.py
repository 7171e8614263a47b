"""Where a benchmarked step's CPU went, and how much of the machine it left idle.

A whole-log tool runs in up to three processes at once: this one, a child (an import's line
check) and the database server's backend. On two cores their CPU together, against the two
cores' worth of the step's wall time, says whether a step is bound by one process (the
machine idles meanwhile) or by the machine (nothing idles, and only less CPU in all makes
it faster). ``measured`` takes both, from the kernel's counters: ``getrusage`` for this
process and its waited-for children, /proc for the server's backends of one database (a
local server only) and /proc/stat for the machine.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Spent:
    """A step's wall seconds, the CPU seconds of this process, of its children and of the
    server's backends, and the share of the machine's CPU time that idled meanwhile."""

    seconds: float
    own: float
    children: float
    server: float
    idle: float

    @property
    def cpu(self) -> float:
        return self.own + self.children + self.server

    def as_dict(self) -> dict[str, float]:
        return {
            "seconds": self.seconds,
            "own": self.own,
            "children": self.children,
            "server": self.server,
            "idle": self.idle,
        }


def measured(
    work: Callable[[], object], server_pids: Callable[[], Iterable[int]] | None = None
) -> Spent:
    """Run ``work``; what it spent. ``server_pids``: the server processes to count (asked
    before and after: a backend that started meanwhile counts from zero, one that ended
    meanwhile is missed)."""
    server_before = _per_pid(server_pids)
    own_before, children_before = _rusage()
    idle_before, all_before = machine_ticks()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    idle_after, all_after = machine_ticks()
    own_after, children_after = _rusage()
    server_after = _per_pid(server_pids)
    server = sum(cpu - server_before.get(pid, 0.0) for pid, cpu in server_after.items())
    ticks = all_after - all_before
    return Spent(
        seconds=seconds,
        own=own_after - own_before,
        children=children_after - children_before,
        server=server,
        idle=(idle_after - idle_before) / ticks if ticks else 0.0,
    )


def machine_ticks() -> tuple[int, int]:
    """(idle and iowait ticks, all ticks) of every CPU since boot (/proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[3] + fields[4], sum(fields[:8])


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a local process so far; None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


BACKENDS = "SELECT pid FROM pg_stat_activity WHERE datname = %s"


def backend_pids(admin: Any, database: str) -> list[int]:
    """The PostgreSQL server processes serving ``database`` now (``admin``: an engine on
    that server)."""
    with admin.connect() as conn:
        return list(conn.exec_driver_sql(BACKENDS, (database,)).scalars())


def _per_pid(server_pids: Callable[[], Iterable[int]] | None) -> dict[int, float]:
    if server_pids is None:
        return {}
    found = {pid: process_cpu(pid) for pid in server_pids()}
    return {pid: cpu for pid, cpu in found.items() if cpu is not None}


def _rusage() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime
