"""Kept-alive connections spread evenly over gunicorn's worker processes.

A client that keeps its connection open (wrk, a partner app, an SDK's pooled session) stays
with the worker that accepted it. Neither way gunicorn hands out connections balances them:
on one shared listening socket the first worker to wake takes a burst alone (wrk's 16
connections: all 16 to one worker, seen with ``ss``), and with a socket per worker
(SO_REUSEPORT) the kernel picks by a hash of the client's address and port, blind to load
(4 connections: 3 to one worker and 1 to the other in 5 rounds of 8, and then the busier
process's one GIL carried three clients' requests while the other core idled; bench/README).

So every worker publishes how many connections it holds in a table the master process
shares with its workers (``Loads``: shared memory, one slot per worker, given out by the
master before it forks one and taken back when it exits), and a worker that holds more than
the least loaded other worker lets a new connection wait on the shared socket for up to
``MAX_DEFER`` seconds so that worker can take it (``Balancer.should_defer``). Balanced
workers never wait. A worker that stops accepting (it holds gunicorn's ``worker_connections``,
or it is stopping) marks itself away, so nothing is left to it; one that cannot take the
connection in time (it is stuck, or gone) only delays it by that much.
"""

from __future__ import annotations

import time
from multiprocessing.sharedctypes import RawArray
from typing import Any

# Slots for worker processes (gunicorn's TTIN signal can add workers while it runs; one
# beyond these neither publishes nor defers). Every accept reads them all: few, not 256.
MAX_WORKERS = 64
# A slot no worker has, and one whose worker does not accept connections (it is loading the
# app, full, or stopping): neither counts as a worker to leave connections to.
FREE, AWAY = -1, -2
# The longest a new connection waits for a less loaded worker, and the pause between looks.
MAX_DEFER = 0.05
DEFER_PAUSE = 0.0005


class Loads:
    """Connections held per worker, in memory shared by the master and its workers (created
    in the master, before any fork)."""

    def __init__(self, slots: int = MAX_WORKERS) -> None:
        self._counts: Any = RawArray("q", [FREE] * slots)

    def claim(self) -> int | None:
        """A free slot for a worker about to be forked (in the master), AWAY until the
        worker publishes; None if every slot is taken (that worker then neither publishes
        nor defers)."""
        for slot, count in enumerate(self._counts):
            if count == FREE:
                self._counts[slot] = AWAY
                return slot
        return None

    def release(self, slot: int | None) -> None:
        """The slot of a worker that has exited (in the master)."""
        if slot is not None:
            self._counts[slot] = FREE

    def publish(self, slot: int, connections: int) -> None:
        self._counts[slot] = connections

    def least_other(self, slot: int) -> int | None:
        """The fewest connections another live worker holds; None when there is no other."""
        counts = self._counts[:]  # one copy out of shared memory, in C
        counts[slot] = AWAY
        live = [c for c in counts if c >= 0]
        return min(live) if live else None


class Balancer:
    """One worker's side: publish its connections, and say when to leave one to another."""

    def __init__(self, loads: Loads | None, slot: int | None) -> None:
        self.loads, self.slot = loads, slot
        self._waiting_since: float | None = None

    def publish(self, connections: int) -> None:
        if self.loads is not None and self.slot is not None:
            self.loads.publish(self.slot, connections)

    def away(self) -> None:
        """This worker stopped accepting (full, or stopping): leave it no connections."""
        self.publish(AWAY)

    def should_defer(self, connections: int, now: float | None = None) -> bool:
        """Whether to leave a connection waiting on the shared socket a moment longer:
        another worker holds fewer, and it has not waited ``MAX_DEFER`` yet. ``settled``
        ends the wait (this worker took it, or none is waiting any more)."""
        if self.loads is None or self.slot is None:
            return False
        least = self.loads.least_other(self.slot)
        if least is None or connections <= least:
            self._waiting_since = None
            return False
        now = time.monotonic() if now is None else now
        if self._waiting_since is None:
            self._waiting_since = now
        return now - self._waiting_since < MAX_DEFER

    def settled(self) -> None:
        self._waiting_since = None
