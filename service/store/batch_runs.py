"""One group-commit batch's pieces in its append transaction: staged, or each in a SAVEPOINT.

Staged (the first try): appends are only assigned while the pieces run, then written in one
INSERT with one run of the projection hooks, and on PostgreSQL sent with the COMMIT in one
round trip. A piece without ``isolated`` fails alone (nothing of it was written) unless the
database raised, which raises ``Redo``: the committer runs the whole batch again unstaged,
each piece in its own SAVEPOINT, as written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from concurrent.futures import Future

import psycopg
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from ..domain.events import RecordedEvent
from . import pg_send, pg_speculation, pg_writes
from .append import STAGING, finish_staged, flush_staged
from .engine import APPENDED
from .lock_probe import Probe
from .lock_state import Staging
from .pg_speculation import Mispredicted

# Errors of the database or its driver, whether SQLAlchemy wrapped them or not (the commit
# pipeline runs on the driver): a connection that raised one is not reused.
DATABASE_ERRORS = (DBAPIError, psycopg.Error, sqlite3.Error)
Work = Callable[[Connection], object]
# One piece of a batch: the work, its caller's future, whether it needs a savepoint, and what
# its generated stream names need looked up (in the lock's round trip, see engine).
Piece = tuple[Work, Future, bool, Probe]


class Redo(Exception):
    """The staged attempt hit a database error before COMMIT: run the batch again, safely."""


def run_staged(conn: Connection, pieces: list[Piece], outcomes: list) -> list[RecordedEvent]:
    """The pieces staged, then written and committed; the events written."""
    staging = conn.info[STAGING] = Staging()
    try:
        for work, future, isolated, _ in pieces:
            mark = staging.mark()
            try:
                if isolated:
                    pg_speculation.settle_on(conn)  # before its SAVEPOINT, not inside it
                    flush_staged(conn)  # earlier pieces' rows stay out of its savepoint
                    mark = staging.mark()
                    with conn.begin_nested():
                        result = work(conn)
                        flush_staged(conn)
                        pg_writes.flush(conn)  # its writes' errors are its own
                else:
                    result = work(conn)
            except Mispredicted:  # the batch runs again on the lock's read
                raise
            except Exception as exc:
                broken = isinstance(exc, DATABASE_ERRORS) and not isolated
                if broken or pg_send.aborted(conn):
                    raise Redo() from exc  # the transaction may be aborted: start over
                staging.reset(mark)
                outcomes.append((future, exc, False))
                continue
            outcomes.append((future, result, True))
        try:
            pg_speculation.settle_on(conn)  # the lock's read, before the hooks read
            finish_staged(conn, staging)
            send_and_commit(conn)
        except Mispredicted:
            raise
        except Exception as exc:  # e.g. a hook failing: the unstaged run isolates it
            if commit_unknown(conn):
                raise  # the COMMIT may have reached the server: never run it twice
            raise Redo() from exc
    finally:
        pg_writes.forget(conn, STAGING)
    return staging.written


def run_unstaged(conn: Connection, pieces: list[Piece], outcomes: list) -> None:
    """Each piece in its own SAVEPOINT, as written (a lone piece without one); a piece that
    fails is rolled back alone, unless its connection was lost, which ends them all."""
    appended = conn.info.setdefault(APPENDED, [])
    for work, future, *_ in pieces:
        if len(pieces) == 1:
            outcomes.append((future, work(conn), True))
            continue
        mark = len(appended)
        savepoint = conn.begin_nested()
        try:
            result = work(conn)
            pg_writes.flush(conn)  # its writes' errors are its own (see pg_writes)
            pg_send.refuse_aborted(conn)  # so is an error it caught itself
        except BaseException as exc:
            if conn.invalidated:  # the connection was lost: so is the whole transaction
                raise
            savepoint.rollback()
            del appended[mark:]  # rolled back: not committed, not announced
            outcomes.append((future, exc, False))
            continue
        savepoint.commit()
        outcomes.append((future, result, True))


def send_and_commit(conn: Connection) -> None:
    """PostgreSQL: the batch's deferred writes and its COMMIT in one round trip (the answers
    still wait for the COMMIT). Elsewhere the COMMIT is left to ``append_transaction_on``."""
    if conn.dialect.name == "postgresql":
        pg_writes.commit_with_writes(conn)


def commit_unknown(conn: Connection) -> bool:
    """Whether the connection broke, so that the server may have committed the batch
    without our hearing it (an error the server reported means it rolled back)."""
    if conn.invalidated or conn.closed:
        return True
    driver = conn.connection.driver_connection
    return bool(getattr(driver, "broken", False) or getattr(driver, "closed", False))
