"""Engine construction per dialect, and the transaction that serializes appends."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Any constant shared by every writer: the key of the advisory lock that orders appends.
APPEND_LOCK_KEY = 0x504F57
# conn.info key under which append_in leaves the events it wrote in this transaction.
APPENDED = "appended_events"
# Called with those events only after the append transaction has COMMITTED (metrics,
# notifications); a failing hook is logged, never turns a committed write into an error.
COMMITTED_HOOKS: list[Callable[[list[Any]], None]] = []
log = logging.getLogger(__name__)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for the URL; SQLite gets WAL, a busy timeout and explicit BEGINs."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN be the only one: pysqlite's own would defeat BEGIN IMMEDIATE.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk before the 2xx leaves, so a crash right after loses nothing.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("write_lock"):
            # IMMEDIATE takes the write lock at BEGIN, so two writers never both read max(position)
            # and then collide; the busy timeout makes the second one wait instead of failing.
            # A DEFERRED transaction that reads first and writes later cannot wait: in WAL mode
            # its upgrade fails at once with SQLITE_BUSY ("database is locked") whenever another
            # writer committed since its read, busy timeout or not. So every transaction that
            # reads before it writes goes through write_transaction/append_transaction.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def read_connection(engine: Engine) -> Connection:
    """A connection for reads that need no transaction of their own (one statement).

    On PostgreSQL it runs in autocommit: no BEGIN and ROLLBACK round trips around the read.
    """
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT").connect()
    return engine.connect()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that reads and then writes: on SQLite it holds the write lock from BEGIN.

    (PostgreSQL needs nothing special: row locks and unique constraints arbitrate there.)
    """
    with engine.connect() as conn:
        conn = conn.execution_options(write_lock=True)
        with conn.begin():
            yield conn


@contextmanager
def append_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction in which this writer alone may append, so max(position) + 1 is gapless.

    A bare sequence would hand out numbers in call order, not commit order, and leave holes
    on rollback; a reader could then see position N+1 before N commits. Holding one lock per
    append (PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE) makes
    positions dense and in commit order.

    PostgreSQL: the advisory lock is taken first thing in the transaction and released by
    COMMIT/ROLLBACK only, after the commit is visible; every later statement in READ COMMITTED
    takes a fresh snapshot, so the next holder's max(position) sees the previous append. An
    advisory lock (rather than LOCK TABLE events IN EXCLUSIVE MODE) leaves readers of the
    events table entirely unblocked and cannot be escalated into a deadlock with them.
    """
    with engine.connect() as conn, append_transaction_on(conn):
        yield conn


@contextmanager
def append_transaction_on(conn: Connection) -> Iterator[Connection]:
    """``append_transaction`` on a connection the caller holds (the group committer's).

    After COMMIT, the events written in it are handed to COMMITTED_HOOKS.
    """
    conn.execution_options(write_lock=True)
    conn.info.pop(APPENDED, None)  # info outlives the checkout: start clean
    with conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": APPEND_LOCK_KEY})
        yield conn
    _run_committed_hooks(conn.info.pop(APPENDED, []))


def _run_committed_hooks(appended: list[Any]) -> None:
    for hook in COMMITTED_HOOKS:
        try:
            hook(appended)
        except Exception:
            log.exception("after-commit hook %r failed", hook)


def utc_now_text() -> str:
    """The current UTC time in the canonical stored form."""
    return format_timestamp(datetime.now(UTC))


def format_timestamp(moment: datetime) -> str:
    """Canonical UTC text: YYYY-MM-DDTHH:MM:SS.ffffffZ."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
