"""PostgreSQL: sending a connection's queued writes (``pg_writes``), now or from a thread.

Statements go in pipelines, each queued COPY on its own (COPY cannot join a pipeline). A bulk
build (a rebuild, a restore's load) hands a page's writes to a thread (``send_in_background``)
and folds the next page meanwhile: the server inserts one page while this process computes
the next. Whatever uses the connection next waits for that thread first: ``pg_writes.flush``
(run before every statement), COMMIT and ROLLBACK.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy.engine import Connection

from . import pg_speculation
from .pg_merge import merged

# The third part of a queued write that is a COPY: (statement, its rows as COPY text, COPY, _).
COPY = "copy"
# conn.info key: the Future of the writes a thread is sending (``send_in_background``).
BACKGROUND = "pg_background_writes"

Queued = list[tuple[str, Any, Any, Any]]


def send(cursor: psycopg.Cursor, queued: Queued) -> None:
    """The queued statements, independent neighbours merged into one (``pg_merge``)."""
    for statement, params, many, prepare in merged(queued):
        if many:
            cursor.executemany(statement, params)
        else:
            cursor.execute(statement, params, prepare=prepare)


def send_all(driver: psycopg.Connection, queued: Queued) -> None:
    """The queued writes in order: each run of statements in one pipeline, each COPY alone
    (COPY cannot join a pipeline). A lock's read in flight is waited for first."""
    pg_speculation.settle(driver)
    start = 0
    while start < len(queued):
        end = next((i for i in range(start, len(queued)) if queued[i][2] == COPY), len(queued))
        if end > start:
            with driver.pipeline():
                send(driver.cursor(), queued[start:end])
        if end < len(queued):
            statement, data = queued[end][:2]
            with driver.cursor() as cursor, cursor.copy(statement) as copy:
                copy.write(data)
        start = end + 1


def send_in_background(conn: Connection, queued: Queued) -> None:
    """Send ``queued`` from a thread while the caller goes on with its own work (a bulk
    build folds its next page meanwhile). The connection's next use waits for it: ``flush``
    (run before every statement), COMMIT and ROLLBACK; a write's error is raised there."""
    await_background(conn)
    if not queued:
        return
    driver = conn.connection.driver_connection
    done: Future = Future()

    def run() -> None:
        try:
            send_all(driver, queued)
        except BaseException as exc:
            done.set_exception(exc)
        else:
            done.set_result(None)

    conn.info[BACKGROUND] = done
    threading.Thread(target=run, name="pg-writes", daemon=True).start()


def await_background(conn: Connection) -> None:
    """Wait for the writes a thread is sending on this connection; raise their error."""
    done = conn.info.pop(BACKGROUND, None)
    if done is not None:
        done.result()


def settle_background(conn: Connection) -> None:
    """Before a rollback: let the thread finish with the connection (what it wrote is
    being undone, so its error does not matter), and drop the lock's read in flight."""
    if conn.invalidated:  # the thread's connection broke: it has given up on its own
        return
    pg_speculation.drop_on(conn)
    done = conn.info.pop(BACKGROUND, None)
    if done is not None:
        done.exception()


def aborted(conn: Connection) -> bool:
    """Whether an earlier error left the transaction aborted (PostgreSQL; an error someone
    caught: a write a thread sent, raised where the connection was next used)."""
    if conn.dialect.name != "postgresql" or conn.invalidated or conn.closed:
        return False
    return conn.connection.driver_connection.info.transaction_status == TransactionStatus.INERROR


def refuse_aborted(conn: Connection) -> None:
    """Raise rather than go on with an aborted transaction: PostgreSQL answers its COMMIT
    with ROLLBACK and no error, so it would pass for committed."""
    if aborted(conn):
        raise psycopg.errors.InFailedSqlTransaction(
            "the transaction was aborted by an earlier error: it cannot commit"
        )
