"""Engine construction per dialect, and the transaction that serializes appends."""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from . import json_text, pg_lock, pg_writes, sqlite_file, sqlite_head
from .hooks import CommitHook, hooks_of
from .lock_probe import NONE, Probe
from .pg_speculation import Guess, Mispredicted
from .sqlite_turns import append_turn

SQLITE_BUSY_TIMEOUT_MS = 30_000
# A database host that does not answer at all (rather than refusing) would hold each request
# for the system's TCP timeout, minutes, before its 503; unless the URL sets connect_timeout.
PG_CONNECT_TIMEOUT_SECONDS = 5
PING_IDLE_SECONDS = 1.0
# conn.info key under which append_in leaves the events it wrote in this transaction.
APPENDED = "appended_events"
# conn.info key: (position, hash) of the head, read right after the lock.
HEAD = "head_after_lock"
# conn.info key: {stream name: taken} for the generated names the transaction's writers will
# need (``lock_probe``), looked up in the lock's round trip (PostgreSQL).
PROBED = "streams_probed_after_lock"
# conn.info key: the values of the engine's ``after_lock_reads`` (see store.hooks), read in
# the lock's round trip (SQLite: right after BEGIN IMMEDIATE). A value read here is only
# current until the transaction writes what it reads: its user pops it on first use.
AFTER_LOCK = "read_after_lock"
# conn.info key: (head, after-lock reads) as the lock's read found them (PostgreSQL), for the
# group committer's next guess (pg_speculation).
LOCK_READ = "head_found_by_lock"
log = logging.getLogger(__name__)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for the URL; SQLite gets WAL, a busy timeout and explicit BEGINs. JSON
    columns are parsed by orjson (``json_text.loads``) on both."""
    kwargs.setdefault("json_deserializer", json_text.loads)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    if "connect_timeout" not in sa.engine.make_url(url).query:
        kwargs["connect_args"] = {
            "connect_timeout": PG_CONNECT_TIMEOUT_SECONDS,
            **kwargs.get("connect_args", {}),
        }
    engine = sa.create_engine(url, **kwargs)
    _ping_idle_connections(engine)
    pg_writes.install(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    """Pre-ping a pooled connection only when it sat idle for PING_IDLE_SECONDS or more.

    ``pool_pre_ping`` costs a round trip on every checkout, i.e. every request. A connection
    used within the last second was alive then; a database restart or an idle timeout on
    the server takes longer than that, so the connections it broke are idle ones and are
    still pinged (and replaced) before use. Raising DisconnectionError on checkout makes the
    pool discard the connection and hand out a fresh one.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_IDLE_SECONDS:
            return
        try:
            with dbapi_conn.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_conn.rollback()
        except Exception as exc:
            raise sa.exc.DisconnectionError(str(exc)) from exc


def _configure_sqlite(engine: Engine) -> None:
    database = engine.url.database

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        # Let SQLAlchemy's BEGIN be the only one: pysqlite's own would defeat BEGIN IMMEDIATE.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk before the 2xx leaves, so a crash right after loses nothing.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()
        sqlite_file.remember(record.info, database)

    @event.listens_for(engine, "checkout")
    def _on_checkout(_dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        if sqlite_file.replaced(record.info):  # the pool opens the path again
            raise sa.exc.DisconnectionError("the database file was deleted or replaced")

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


_AUTOCOMMIT: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


def read_connection(engine: Engine) -> Connection:
    """A connection for reads that need no transaction of their own (one statement).

    On PostgreSQL it runs in autocommit: no BEGIN and ROLLBACK round trips around the read.
    """
    if engine.dialect.name != "postgresql":
        return engine.connect()
    autocommit = _AUTOCOMMIT.get(engine)
    if autocommit is None:  # built once per engine: execution_options() is not free
        autocommit = _AUTOCOMMIT[engine] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return autocommit.connect()


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

    SQLite: appenders take turns on a lock file first (``sqlite_turns``), so a waiting one
    is woken when the lock is released instead of sleeping in SQLite's busy handler.

    PostgreSQL: the advisory lock is taken first thing in the transaction and released by
    COMMIT/ROLLBACK only, after the commit is visible; every later statement in READ COMMITTED
    takes a fresh snapshot, so the next holder's max(position) sees the previous append. An
    advisory lock (rather than LOCK TABLE events IN EXCLUSIVE MODE) leaves readers of the
    events table entirely unblocked and cannot be escalated into a deadlock with them.
    """
    with engine.connect() as conn, append_transaction_on(conn):
        yield conn


@contextmanager
def append_transaction_on(
    conn: Connection, *, probe: Probe = NONE, guess: Guess | None = None
) -> Iterator[Connection]:
    """``append_transaction`` on a connection the caller holds (the group committer's).

    ``probe``: the generated stream names to look up in the lock's round trip
    (PostgreSQL; ``lock_probe``). ``guess`` (PostgreSQL, a probe without searches): what
    that round trip is expected to find; it is then sent without waiting, the block runs on
    the guess, and its first statement waits for the answer (``pg_speculation``), raising
    ``Mispredicted`` if they differ: the answer's values are then in conn.info, the
    transaction goes on (the lock held), and the block may run its work again on them.
    conn.info[LOCK_READ] holds what the lock's read found (the head, the after-lock reads),
    once it is in.
    After COMMIT, the events written in it are handed to the engine's ``after_commit`` hooks.
    """
    conn.execution_options(write_lock=True)
    conn.info.pop(APPENDED, None)  # info outlives the checkout: start clean
    for key in (HEAD, AFTER_LOCK, PROBED, LOCK_READ):
        conn.info.pop(key, None)
    try:
        with append_turn(conn, SQLITE_BUSY_TIMEOUT_MS / 1000), conn.begin():
            reads = hooks_of(conn.engine).lock_reads(conn.dialect.name)
            driver = conn.connection.driver_connection
            if conn.dialect.name != "postgresql":
                sqlite_file.check(conn.info)  # nothing written into a file that is gone
                head, after_lock = sqlite_head.head_and_reads(driver, reads)
            elif guess is not None and not probe.searches:
                head, after_lock = _guessed(conn, driver, reads, probe, guess)
            else:
                head, after_lock, probed = pg_lock.lock_and_head(driver, reads, probe)
                if probe:
                    conn.info[PROBED] = probed
                conn.info[LOCK_READ] = (head, dict(after_lock))
            conn.info[HEAD], conn.info[AFTER_LOCK] = head, after_lock
            yield conn
    finally:
        pg_writes.forget(conn, HEAD, AFTER_LOCK, PROBED)
    sqlite_file.check(conn.info)  # the commit landed in the file at the store's path
    _run_committed_hooks(hooks_of(conn.engine).after_commit, conn.info.pop(APPENDED, []))


def _guessed(
    conn: Connection,
    driver: Any,
    reads: tuple[tuple[str, str], ...],
    probe: Probe,
    guess: Guess,
) -> tuple[tuple[int, str | None], dict[str, Any]]:
    """Send the lock's round trip without waiting; the head and after-lock reads to run on
    meanwhile (the guess's), its names' findings in conn.info[PROBED]."""
    guessed_probe = guess.probed(probe.names)

    def answered(head: Any, after_lock: dict[str, Any], probed: dict[str, bool]) -> None:
        conn.info[LOCK_READ] = (head, dict(after_lock))
        if (
            head != guess.head
            or probed != guessed_probe
            or any(after_lock.get(k) != v for k, v in guess.after_lock.items())
        ):
            # The read in place of the guess, for the block to run again on, in this
            # transaction: nothing was sent on the guess.
            conn.info[HEAD], conn.info[AFTER_LOCK] = head, after_lock
            if probe:
                conn.info[PROBED] = probed
            raise Mispredicted(f"the lock's read found {head}, not {guess.head}")
        # The reads the guess left out, for the rest of the transaction (a guessed one may
        # have been used, and popped, already).
        kept = conn.info.setdefault(AFTER_LOCK, {})
        kept.update((k, v) for k, v in after_lock.items() if k not in guess.after_lock)

    pg_lock.send(driver, reads, probe, answered)
    if probe:
        conn.info[PROBED] = guessed_probe
    return guess.head, dict(guess.after_lock)


def _run_committed_hooks(hooks: tuple[CommitHook, ...], appended: list[Any]) -> None:
    if not appended:
        return
    for hook in hooks:
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
