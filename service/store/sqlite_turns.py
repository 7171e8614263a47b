"""SQLite: appenders of one database file queue on a lock file before BEGIN IMMEDIATE.

SQLite lets one writer in at a time, and one that finds the file locked waits in SQLite's
busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25… ms between tries instead of waking when
the lock comes free. Two gunicorn workers appending at once: the one that just committed
usually began its next transaction before the other's sleep was over, so one worker's
requests waited while the other's were served. wrk at 16 connections on gunicorn as
shipped: 364-421 appends/s, against 599-800 with turns (alternating); bench/write.py
--store sqlite: 0.41-0.48 x the bare endpoint before, 0.74-0.76 after (bench/README.md). An
``flock(2)`` waiter is woken by the kernel as soon as the lock is released.

The lock file only orders the appenders: SQLite's own locking still keeps every writer
apart, and writers that do not take turns (a token's last use, another program) wait in
the busy handler as before. The kernel releases a turn whose process died. A wait is
bounded as SQLite's is: past ``timeout`` seconds the append fails as at SQLite's busy
timeout (SQLITE_BUSY, which the API answers with 503).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection

# Beside the database file, as SQLite's own -wal and -shm files are.
LOCK_SUFFIX = "-append.lock"
log = logging.getLogger(__name__)


@contextmanager
def append_turn(conn: Connection, timeout: float) -> Iterator[None]:
    """Hold this process's turn to append to ``conn``'s SQLite file for the block (nothing
    for PostgreSQL or an in-memory database); raise SQLITE_BUSY after ``timeout`` s."""
    path = lock_path(conn)
    if path is None:
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:  # e.g. a read-only folder: SQLite's busy handler alone
        log.warning("no append lock file %s (%s): writers wait in SQLite's busy handler", path, exc)
        yield
        return
    try:
        _take(fd, timeout)
        yield
    finally:
        os.close(fd)  # gives the turn up (the kernel drops the lock with its last descriptor)


def lock_path(conn: Connection) -> str | None:
    """The lock file of ``conn``'s database file; None for PostgreSQL and in-memory SQLite."""
    if conn.dialect.name != "sqlite":
        return None
    database = conn.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database + LOCK_SUFFIX


def _take(fd: int, timeout: float) -> None:
    """Lock ``fd`` within ``timeout`` seconds. flock(2) has no timeout: a held lock is
    waited for on a thread of its own, on a duplicate of the descriptor. If the wait is
    given up, the caller closes ``fd`` and the waiter closes its duplicate once it has the
    lock, which then goes with the last descriptor."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    granted = threading.Event()
    duplicate = os.dup(fd)

    def wait() -> None:
        try:
            fcntl.flock(duplicate, fcntl.LOCK_EX)
            granted.set()
        finally:
            os.close(duplicate)

    threading.Thread(target=wait, name="sqlite-append-turn", daemon=True).start()
    if not granted.wait(timeout):
        error = sqlite3.OperationalError(
            f"database is locked: another writer held the append turn for {timeout:g} s"
        )
        error.sqlite_errorcode = sqlite3.SQLITE_BUSY
        error.sqlite_errorname = "SQLITE_BUSY"
        raise error
