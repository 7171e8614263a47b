"""Waking live readers when the log grows: LISTEN/NOTIFY on PostgreSQL, polling on SQLite."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import psycopg
from sqlalchemy.engine import Connection, Engine

from ..domain.events import RecordedEvent
from . import pg_writes

CHANNEL = "events"
# Even with LISTEN, look at the log this often: a writer without the hook is still seen.
POSTGRES_FALLBACK_SECONDS = 5.0
log = logging.getLogger(__name__)


def notify_appended(conn: Connection, stored: list[RecordedEvent]) -> None:
    """Append hook: PostgreSQL delivers the notice on commit, to every listener on any host."""
    if stored and conn.dialect.name == "postgresql":
        pg_writes.notify(conn, CHANNEL, str(stored[-1].position))


class Waiter(Protocol):
    def wait(self, timeout: float) -> bool:
        """Return when the log may have grown, or after ``timeout`` seconds at most.

        True when a writer announced an append; False after a plain timeout.
        """


class PollingWaiter:
    def __init__(self, interval: float) -> None:
        self.interval = interval

    def wait(self, timeout: float) -> bool:
        time.sleep(max(0.0, min(timeout, self.interval)))
        return False


class ListeningWaiter:
    """A dedicated autocommit connection LISTENing on the channel (one per live stream)."""

    def __init__(self, conn: psycopg.Connection, poll_interval: float) -> None:
        self.conn = conn
        self.fallback: PollingWaiter | None = None
        self.poll_interval = poll_interval

    def wait(self, timeout: float) -> bool:
        if self.fallback is not None:
            return self.fallback.wait(timeout)
        limit = max(0.0, min(timeout, POSTGRES_FALLBACK_SECONDS))
        try:
            notices = list(self.conn.notifies(timeout=limit, stop_after=1))
        except psycopg.Error as exc:
            log.warning("LISTEN connection lost (%s); live stream falls back to polling", exc)
            self.fallback = PollingWaiter(self.poll_interval)
            return False
        return bool(notices)


@contextmanager
def waiter_for(engine: Engine, poll_interval: float) -> Iterator[Waiter]:
    """A waiter suited to the engine's database; closed when the stream ends."""
    if engine.dialect.name != "postgresql":
        yield PollingWaiter(poll_interval)
        return
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        conn = psycopg.connect(conninfo, autocommit=True)
        conn.execute(f"LISTEN {CHANNEL}")
    except psycopg.Error as exc:
        log.warning("LISTEN unavailable (%s); live stream falls back to polling", exc)
        yield PollingWaiter(poll_interval)
        return
    try:
        yield ListeningWaiter(conn, poll_interval)
    finally:
        conn.close()
