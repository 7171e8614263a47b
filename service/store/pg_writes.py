"""PostgreSQL: the append path's driver-level statements — deferred writes, stream probe.

The append transaction holds the one append lock, so every round trip it makes delays every
other writer. On PostgreSQL the batch's writes (events, the NOTIFY, and what the append hooks
write: the read model's rows, see ``readmodel.pg_writes``) need no answer, so they are not
sent when made: ``defer`` queues them on the connection, and they go out together through
psycopg in one pipeline (one round trip) just before the next statement SQLAlchemy sends on
that connection (a read then sees them), or when ``flush`` is called; at the transaction's
end, with its COMMIT, as one message (``pg_script``). A rollback drops what is still queued
(it would be undone anyway). Each statement is a constant text (prepared once per
connection by psycopg), and the many-row parts travel as one JSON parameter, so a batch is
a handful of statements however many rows it holds, and nothing is compiled per call.
SQLite, in-process, keeps the SQLAlchemy statements; both stores get the same rows, which
the tests compare.

A bulk build (a rebuild, a restore's load) queues its COPYs as well, and hands a page's
queued writes to a thread (``send_in_background``): the server inserts one page while this
process folds the next. Whatever uses the connection next waits for that thread first.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg.copy import Copy, FileWriter
from psycopg.types.json import Jsonb, set_json_dumps
from sqlalchemy import event
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Engine

from . import json_text, pg_script, pg_speculation
from .pg_merge import independent
from .pg_send import (
    COPY,
    Queued,
    await_background,
    refuse_aborted,
    send_all,
    settle_background,
)


def insert_from_json(table: sa.Table, conflict: str = "") -> str:
    """Rows sent as one JSON array of objects, typed by the table's own row type: one
    parameter (one ``json.dumps``) however many rows and columns, instead of one dumped
    value per cell. Every column but a generated primary key is written."""
    names = ", ".join(c.name for c in table.columns if c is not table.autoincrement_column)
    return (
        f"INSERT INTO {table.name} ({names}) SELECT {names}"
        f" FROM jsonb_populate_recordset(NULL::{table.name}, %s){conflict}"
    )


def add_on_conflict(table: str, key: str, columns: Sequence[str]) -> str:
    """ON CONFLICT clause adding the new values to the stored ones."""
    sums = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in columns)
    return f" ON CONFLICT ({key}) DO UPDATE SET {sums}"


# Built once per table (the first insert of its rows): constant texts psycopg prepares once.
_INSERTS: dict[str, str] = {}
NOTIFY = independent("SELECT pg_notify(%s, %s)", "pg_notify", main_only=True)


def json_param(value: Any) -> Jsonb:
    """A JSONB parameter written by orjson (``json_text``)."""
    return Jsonb(value, dumps=json_text.dumps)


def json_rows(rows: list[dict[str, Any]]) -> Jsonb:
    """Rows as the one JSON parameter of an ``insert_from_json`` statement."""
    return json_param(rows)


# conn.info key: the writes queued by ``defer`` as (statement, parameters, executemany,
# prepare: None lets psycopg prepare it from its fifth run, False never); a queued COPY is
# (statement, its rows as COPY text, COPY, False).
DEFERRED = "pg_deferred_writes"


def install(engine: Engine) -> None:
    """Send a connection's deferred writes before anything else it sends; drop them on
    rollback. SAVEPOINT and RELEASE are statements, so they flush first: what is queued when
    a savepoint is rolled back was all deferred inside it, and is dropped with it."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before_statement(conn: Connection, *_args: Any) -> None:
        flush(conn)

    @event.listens_for(engine, "commit")
    def _before_commit(conn: Connection) -> None:
        flush(conn)
        refuse_aborted(conn)

    @event.listens_for(engine, "rollback")
    def _on_rollback(conn: Connection) -> None:
        settle_background(conn)
        forget(conn, DEFERRED)

    @event.listens_for(engine, "rollback_savepoint")
    def _on_rollback_savepoint(conn: Connection, *_args: Any) -> None:
        settle_background(conn)
        forget(conn, DEFERRED)


def forget(conn: Connection, *keys: str) -> None:
    """Drop per-transaction state from ``conn.info``. Not on a connection invalidated by a
    disconnect: its info went with the dead driver connection, and touching it would raise
    (PendingRollbackError) in the middle of the rollback that cleans up after the fault."""
    if conn.invalidated:
        return
    for key in keys:
        conn.info.pop(key, None)


def defer(
    conn: Connection, statement: str, params: Any, *, many: bool = False, prepared: bool = True
) -> None:
    """Queue a write that needs no answer; it is sent with the connection's next statement.
    ``prepared=False``: a many-key write that must be planned afresh each time (``unprepared``
    has the story)."""
    conn.info.setdefault(DEFERRED, []).append(
        (statement, params, many, None if prepared else False)
    )


def flush(conn: Connection) -> None:
    """Send the queued writes (after those a thread is sending); their errors are raised
    here. (Nothing is ever queued on other stores: a no-op there.)"""
    pg_speculation.settle_on(conn)  # first the lock's read in flight, if any
    await_background(conn)
    queued = conn.info.pop(DEFERRED, None)
    if queued:
        send_all(conn.connection.driver_connection, queued)


def take_deferred(conn: Connection) -> Queued:
    """The writes queued so far, taken off the connection (to be sent later, in order)."""
    return conn.info.pop(DEFERRED, None) or []


def commit_with_writes(conn: Connection) -> None:
    """The queued writes and COMMIT in one round trip (``pg_script``: one message) instead
    of two. An error in a write skips the COMMIT and is raised here, the transaction then
    being rolled back; the caller's own COMMIT afterwards finds the transaction already ended
    and sends nothing (psycopg's ``commit()`` on an idle connection is a no-op). Queued COPYs
    go first, on their own."""
    await_background(conn)
    queued = conn.info.pop(DEFERRED, None) or []
    driver = conn.connection.driver_connection
    copies = max((i + 1 for i, item in enumerate(queued) if item[2] == COPY), default=0)
    send_all(driver, queued[:copies])
    refuse_aborted(conn)
    pg_script.commit(driver, queued[copies:])


def unprepared(driver: psycopg.Connection, statement: str, params: Sequence[Any]) -> Any:
    """Run a many-key probe of a growing table (an array parameter), never prepared.

    psycopg prepares a statement on its fifth run, and PostgreSQL then keeps a generic plan
    once it costs no more than the custom plans so far. Made while the table was small, such
    a probe's generic plan was a sequential scan, kept on that connection as the table grew
    (until the next ANALYZE): the bulk append through ``current_versions`` slowed 2.5x by
    10^6 events, and bench/write.py's batches ran at 3-7 a second instead of ~15 through
    ``existing_streams`` (~40 ms a probe, server log). Unprepared, every probe is planned for
    the table as it is now. Returns the cursor (in a pipeline, its rows come at the sync)."""
    pg_speculation.settle(driver)
    return driver.execute(statement, params, prepare=False)


# {names}: an array, a parameter or a literal (the lock's round trip, ``pg_lock``).
EXISTING_STREAMS_IN = "SELECT stream FROM events WHERE stream = ANY({names}) AND stream_version = 1"
EXISTING_STREAMS = EXISTING_STREAMS_IN.format(names="%s")
# Per date (its first name, the suffix to start at, how many wanted): the first free suffixes
# from there, walking up one index probe per suffix (``lock_probe``), at most wanted + past
# suffixes, named as ``stream_ids.suffixed`` names them. A scalar subquery, not NOT EXISTS,
# which could be planned as an anti-join reading the whole log; the LIMIT keeps the walk
# from going past what is wanted. Sent in the lock's round trip (``pg_lock``), its
# parameters as literals.
FREE_SUFFIXES_IN = (
    "SELECT s.i, f.n FROM unnest({firsts}, {starts}, {wants})"
    " WITH ORDINALITY AS s(date_name, start, want, i) CROSS JOIN LATERAL"
    " (SELECT n FROM generate_series(s.start, s.start + s.want + {past} - 1) AS n"
    " WHERE (SELECT true FROM events e WHERE e.stream_version = 1 AND e.stream ="
    " CASE n WHEN 1 THEN s.date_name ELSE s.date_name || '-' || n END) IS NULL"
    " LIMIT s.want) AS f"
)


def existing_streams(conn: Connection, names: list[str]) -> set[str]:
    """Which of these stream names exist (one array parameter, on the driver, without
    SQLAlchemy's per-statement work: the append lock is held)."""
    flush(conn)  # a read on the driver does not pass the SQLAlchemy hook that flushes
    rows = unprepared(conn.connection.driver_connection, EXISTING_STREAMS, (names,)).fetchall()
    return {row[0] for row in rows}


# One index probe per name (max over uq_events_stream_version), whatever the planner's
# statistics say: a large IN list over a table without fresh statistics was planned as a
# sequential scan of the whole log, once per batch.
STREAM_VERSIONS = (
    "SELECT s.stream, (SELECT max(e.stream_version) FROM events e WHERE e.stream = s.stream)"
    " FROM unnest(%s::text[]) AS s(stream)"
)


def stream_versions(conn: Connection, names: list[str]) -> dict[str, int]:
    """The current version of each of these streams that exists (one round trip)."""
    flush(conn)
    rows = unprepared(conn.connection.driver_connection, STREAM_VERSIONS, (names,)).fetchall()
    return {stream: version for stream, version in rows if version is not None}


# From this many rows on, ``write_rows`` copies them in at once instead of deferring an
# INSERT: one more round trip, but the server parses each row once instead of twice (the JSON
# array, then each JSONB cell). A 500-item batch in-process: 15.4-15.9 ms of its time outside
# Python (the server's work and the waits, all inside the append lock) against 24.6-24.7,
# and ~2.4 ms more of Python formatting the rows.
COPY_FROM_ROWS = 100


def write_rows(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Rows of an append: a deferred INSERT for a few, COPY for many (a batch, a bulk load)."""
    (copy_rows if len(rows) >= COPY_FROM_ROWS else insert_rows)(conn, table, rows)


def insert_rows(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Deferred INSERT of rows keyed by column name (events, and the read model's rows)."""
    statement = _INSERTS.get(table.name)
    if statement is None:
        statement = _INSERTS[table.name] = independent(insert_from_json(table), table.name)
    defer(conn, statement, (json_rows(rows),))


def notify(conn: Connection, channel: str, payload: str) -> None:
    defer(conn, NOTIFY, (channel, payload))


# table name -> (COPY statement, the row's values in column order, the columns' types)
_COPIES: dict[str, tuple[str, Any, list[str]]] = {}
# The PostgreSQL type each column's values are dumped as (``Copy.set_types``): psycopg then
# formats a row in C without asking each value's Python type for its dumper, and a JSON cell
# is dumped once, by orjson, as bytes (it was decoded to text and encoded again). The COPY
# text is byte for byte what the default dumpers wrote (tests/integration/test_copy_rows.py).
# Matched against the column's type: BigInteger before Integer, JSONB before JSON; else text.
_COPY_TYPES = ((sa.BigInteger, "int8"), (sa.Integer, "int4"), (sa.Date, "date"),
               (sa.Boolean, "bool"), (postgresql.JSONB, "jsonb"), (sa.JSON, "json"))  # fmt: skip
_POSTGRESQL = postgresql.dialect()


def _copy_type(column: sa.Column) -> str:
    kind = column.type.dialect_impl(_POSTGRESQL)
    return next((name for base, name in _COPY_TYPES if isinstance(kind, base)), "text")


def copy_rows(
    conn: Connection, table: sa.Table, rows: list[dict[str, Any]], *, deferred: bool = False
) -> None:
    """COPY the rows in now (bulk loads: a restore, a rebuild), after the queued writes;
    ``deferred``: queue the COPY, its rows formatted now, with the other queued writes.

    COPY cannot join a pipeline, so it is sent on its own; it is several times cheaper for
    the server than the JSON-array INSERT, which parses every row twice (the array, then each
    JSONB cell). JSON cells go as text (orjson), which COPY parses into JSONB."""
    if not rows:
        return
    built = _COPIES.get(table.name)
    if built is None:
        columns = [c for c in table.columns if c is not table.autoincrement_column]
        built = _COPIES[table.name] = (
            f"COPY {table.name} ({', '.join(c.name for c in columns)}) FROM STDIN",
            itemgetter(*(c.name for c in columns)),
            [_copy_type(c) for c in columns],
        )
    statement, values_of, types = built
    driver = conn.connection.driver_connection
    if deferred:  # formatted now as COPY would send them (psycopg's writer to a file)
        data = io.BytesIO()
        with driver.cursor() as cursor, Copy(cursor, writer=FileWriter(data)) as copy:
            _write_rows(cursor, copy, types, map(values_of, rows))
        conn.info.setdefault(DEFERRED, []).append((statement, data.getvalue(), COPY, False))
        return
    flush(conn)
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        _write_rows(cursor, copy, types, map(values_of, rows))


def _write_rows(
    cursor: psycopg.Cursor, copy: Copy, types: list[str], rows: Iterator[Sequence[Any]]
) -> None:
    set_json_dumps(json_text.dumps, cursor)  # this cursor's JSON cells: orjson's bytes
    copy.set_types(types)
    write = copy.write_row
    for values in rows:
        write(values)
