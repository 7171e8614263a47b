"""What tells the hub the log may have grown: one thread per database with followers.

On PostgreSQL the thread holds the process's one LISTEN connection (however many followers
there are) and wakes the hub on every notice, and at least every few seconds for writers
without the notify hook; on SQLite it wakes the hub every poll interval.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import Engine

from ..store.listen import POSTGRES_FALLBACK_SECONDS, waiter_for

log = logging.getLogger(__name__)


class Wakers:
    """A waker thread per engine in use; it stops once no follower reads that engine."""

    def __init__(self, wake: Callable[[], None]) -> None:
        self.wake = wake
        self._running: dict[Engine, threading.Event] = {}

    def need(self, engine: Engine, poll: float) -> None:
        if engine in self._running:
            return
        stop = self._running[engine] = threading.Event()
        threading.Thread(
            target=self._watch, args=(engine, poll, stop), name="live-waker", daemon=True
        ).start()

    def keep_only(self, engines: set[Engine]) -> None:
        for engine in [e for e in self._running if e not in engines]:
            self._running.pop(engine).set()

    def _watch(self, engine: Engine, poll: float, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                with waiter_for(engine, poll) as waiter:
                    while not stop.is_set():
                        waiter.wait(POSTGRES_FALLBACK_SECONDS)
                        self.wake()
            except Exception:
                log.exception("live waker failed; starting again")
                stop.wait(1.0)
