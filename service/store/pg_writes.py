"""PostgreSQL: the append path's driver-level statements — deferred writes, stream probe.

The append transaction holds the one append lock, so every round trip it makes delays every
other writer. On PostgreSQL the batch's writes (events, fact versions, counter deltas,
counters, day counts, the projection position, the NOTIFY) need no answer, so they are not
sent when made: ``defer`` queues them on the connection, and they go out together through
psycopg in one pipeline (one round trip) just before the next statement SQLAlchemy sends on
that connection (a read then sees them), before COMMIT, or when ``flush`` is called. A
rollback drops what is still queued (it would be undone anyway). Each statement is a
constant text (prepared once per connection by psycopg), and the many-row parts travel as
arrays (``unnest``), so a batch is a handful of statements however many rows it holds, and
nothing is compiled per call. SQLite, in-process, keeps the SQLAlchemy statements
(``projections``/``append``); both stores get the same rows, which the tests compare.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from psycopg.types.json import Jsonb
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from .projection_tables import (
    DAY_COLUMNS,
    OPEN,
    counter_deltas,
    counters,
    day_counts,
    fact_versions,
)
from .tables import events


def _from_json(table: sa.Table, conflict: str = "") -> str:
    """Rows sent as one JSON array of objects, typed by the table's own row type: one
    parameter (one ``json.dumps``) however many rows and columns, instead of one dumped
    value per cell. Every column but a generated primary key is written."""
    names = ", ".join(c.name for c in table.columns if c is not table.autoincrement_column)
    return (
        f"INSERT INTO {table.name} ({names}) SELECT {names}"
        f" FROM jsonb_populate_recordset(NULL::{table.name}, %s){conflict}"
    )


def _add(table: str, key: str, columns: Sequence[str]) -> str:
    """ON CONFLICT clause adding the new values to the stored ones."""
    sums = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in columns)
    return f" ON CONFLICT ({key}) DO UPDATE SET {sums}"


INSERTS = {table.name: _from_json(table) for table in (events, fact_versions, counter_deltas)}
ADD_COUNTERS = _from_json(counters, _add("counters", "key", ["value"]))
ADD_DAYS = _from_json(day_counts, _add("day_counts", "day", DAY_COLUMNS))
CLOSE_VERSIONS = "UPDATE fact_versions SET valid_to = %s WHERE event_id = %s AND valid_to = %s"
DROP_ZERO_COUNTERS = "DELETE FROM counters WHERE key = ANY(%s::text[]) AND value = 0"
DROP_ZERO_DAYS = (
    "DELETE FROM day_counts WHERE day = ANY(%s::date[])"
    f" AND {' AND '.join(f'{c} = 0' for c in DAY_COLUMNS)}"
)
SET_POSITION = (
    "INSERT INTO projection_state (name, position) VALUES (%s, %s)"
    " ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position"
)
NOTIFY = "SELECT pg_notify(%s, %s)"


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _rows(rows: list[dict[str, Any]]) -> Jsonb:
    return Jsonb(rows, dumps=_dumps)


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_iso, separators=(",", ":"))


# conn.info key: the writes queued by ``defer`` as (statement, parameters, executemany).
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

    @event.listens_for(engine, "rollback")
    def _on_rollback(conn: Connection) -> None:
        conn.info.pop(DEFERRED, None)

    @event.listens_for(engine, "rollback_savepoint")
    def _on_rollback_savepoint(conn: Connection, *_args: Any) -> None:
        conn.info.pop(DEFERRED, None)


def defer(conn: Connection, statement: str, params: Any, *, many: bool = False) -> None:
    conn.info.setdefault(DEFERRED, []).append((statement, params, many))


def flush(conn: Connection) -> None:
    """Send the queued writes in one pipeline; their errors are raised here. (Nothing is
    ever queued on other stores: a no-op there.)"""
    queued = conn.info.pop(DEFERRED, None)
    if not queued:
        return
    driver = conn.connection.driver_connection
    with driver.pipeline():
        cursor = driver.cursor()
        for statement, params, many in queued:
            if many:
                cursor.executemany(statement, params)
            else:
                cursor.execute(statement, params)


EXISTING_STREAMS = "SELECT stream FROM events WHERE stream = ANY(%s) AND stream_version = 1"


def existing_streams(conn: Connection, names: list[str]) -> set[str]:
    """Which of these stream names exist (one array parameter: one prepared statement,
    on the driver, without SQLAlchemy's per-statement work: the append lock is held)."""
    flush(conn)  # a read on the driver does not pass the SQLAlchemy hook that flushes
    rows = conn.connection.driver_connection.execute(EXISTING_STREAMS, (names,)).fetchall()
    return {row[0] for row in rows}


def insert_rows(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Deferred INSERT of rows keyed by column name (events, fact_versions, counter_deltas)."""
    defer(conn, INSERTS[table.name], (_rows(rows),))


def write_projection(
    conn: Connection,
    *,
    closed: Sequence[tuple[int, str]],
    versions: list[dict[str, Any]],
    deltas: list[dict[str, Any]],
    net: dict[str, int],
    days: list[dict[str, Any]],
    state: tuple[str, int],
) -> None:
    """Every write of one projection step (deferred: none needs an answer)."""
    if closed:
        defer(conn, CLOSE_VERSIONS, [(p, eid, OPEN) for p, eid in closed], many=True)
    if versions:
        insert_rows(conn, fact_versions, versions)
    if deltas:
        insert_rows(conn, counter_deltas, deltas)
    if net:
        defer(conn, ADD_COUNTERS, (_rows([{"key": k, "value": v} for k, v in net.items()]),))
        falling = [k for k, v in net.items() if v < 0]
        if falling:
            defer(conn, DROP_ZERO_COUNTERS, (falling,))
    if days:
        defer(conn, ADD_DAYS, (_rows(days),))
        falling_days = [d["day"] for d in days if any(d[c] < 0 for c in DAY_COLUMNS)]
        if falling_days:
            defer(conn, DROP_ZERO_DAYS, (falling_days,))
    defer(conn, SET_POSITION, state)


def notify(conn: Connection, channel: str, payload: str) -> None:
    defer(conn, NOTIFY, (channel, payload))
