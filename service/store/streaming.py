"""The stored envelopes streamed for the whole-log tools, straight from the driver.

One query, streamed: ``COPY (SELECT …) TO STDOUT`` on PostgreSQL (rows arrive as the server
produces them, parsed by psycopg's C row parser: ~2x the rate of a server-side cursor's
FETCHes), the plain cursor read ``batch`` rows at a time on SQLite; memory stays constant
whatever the log's size. Rows become envelopes without SQLAlchemy's per-row processing: the
date comes as its stored ISO text (PostgreSQL prints a date as YYYY-MM-DD; SQLite stores
that text) and the JSON columns are parsed by ``json_text.loads`` (orjson; on PostgreSQL the
engine's JSON loader). ``stored_events`` gives the same rows as ``RecordedEvent`` (a projection
build's pages), the date parsed by the driver. Nothing else may run on the connection until
the stream is consumed or closed (a COPY holds it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from ..domain.events import RecordedEvent
from . import pg_writes
from .event_reads import ENVELOPE_KEYS
from .json_text import loads

STREAM_BATCH = 5000
_COLUMNS = ", ".join("occurred_on::text" if k == "occurred_on" else k for k in ENVELOPE_KEYS)
# COPY takes no parameters: the two bounds are formatted in as integers.
_PG_COPY = (
    f"COPY (SELECT {_COLUMNS} FROM events WHERE position > {{after:d}} AND position <= {{upto:d}}"
    " ORDER BY position) TO STDOUT"
)
_PG_TYPES = {
    "position": "int8",
    "stream_version": "int4",
    "schema_version": "int4",
    "data": "jsonb",
    "sources": "jsonb",
}  # every other column: text
# The same rows as RecordedEvent (its fields are the envelope's, in the same order), the date
# parsed by psycopg's C loader.
_PG_EVENT_COPY = _PG_COPY.replace("occurred_on::text", "occurred_on")
_PG_EVENT_TYPES = {**_PG_TYPES, "occurred_on": "date"}
_SQLITE_QUERY = (
    f"SELECT {', '.join(ENVELOPE_KEYS)} FROM events"
    " WHERE position > ? AND position <= ? ORDER BY position"
)
_DATA, _SOURCES = ENVELOPE_KEYS.index("data"), ENVELOPE_KEYS.index("sources")


def stored_envelopes(
    conn: Connection, *, upto: int, after: int = 0, batch: int = STREAM_BATCH
) -> Iterator[dict[str, Any]]:
    """The stored envelopes after ``after`` up to ``upto``, exactly as hashed, in position
    order. Run it inside a transaction (one snapshot), and consume or close the iterator
    before the next statement on ``conn``."""
    if conn.dialect.name == "postgresql":
        return _postgresql(conn, upto, after)
    return _sqlite(conn, upto, after, batch)


def _postgresql(conn: Connection, upto: int, after: int) -> Iterator[dict[str, Any]]:
    statement = _PG_COPY.format(after=int(after), upto=int(upto))
    for row in _copied_rows(conn, statement, _PG_TYPES):
        yield dict(zip(ENVELOPE_KEYS, row, strict=True))


def stored_events(conn: Connection, *, upto: int, after: int = 0) -> Iterator[RecordedEvent]:
    """The stored events after ``after`` up to ``upto`` as ``RecordedEvent`` (what a
    projection build folds), built straight from the rows: no envelope dict in between."""
    if conn.dialect.name != "postgresql":
        for row in _sqlite_rows(conn, upto, after, STREAM_BATCH):
            values = list(row)
            values[_DATA], values[_SOURCES] = loads(row[_DATA]), loads(row[_SOURCES])
            yield _event(values)
        return
    statement = _PG_EVENT_COPY.format(after=int(after), upto=int(upto))
    for row in _copied_rows(conn, statement, _PG_EVENT_TYPES):
        yield _event(row)


def _copied_rows(conn: Connection, statement: str, types: dict[str, str]) -> Iterator[Any]:
    """The envelope columns' rows of a ``COPY … TO STDOUT``, typed (text by default)."""
    pg_writes.flush(conn)
    driver = conn.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        copy.set_types([types.get(key, "text") for key in ENVELOPE_KEYS])
        yield from copy.rows()


def _event(row: Sequence[Any]) -> RecordedEvent:
    """A row of the envelope's columns (ENVELOPE_KEYS order) as the event."""
    (id_, position, stream, version, type_, schema, occurred, precision, at, by, data, sources,
     prev, hash_) = row  # fmt: skip
    return RecordedEvent(
        id=id_,
        position=position,
        stream=stream,
        stream_version=version,
        type=type_,
        schema_version=schema,
        occurred_on=occurred if isinstance(occurred, date) else date.fromisoformat(occurred),
        date_precision=precision,
        recorded_at=at,
        recorded_by=by,
        data=data,
        sources=tuple(sources),
        prev_hash=prev,
        hash=hash_,
    )


def _sqlite(conn: Connection, upto: int, after: int, batch: int) -> Iterator[dict[str, Any]]:
    for row in _sqlite_rows(conn, upto, after, batch):
        envelope = dict(zip(ENVELOPE_KEYS, row, strict=True))
        envelope["data"] = loads(row[_DATA])
        envelope["sources"] = loads(row[_SOURCES])
        yield envelope


def _sqlite_rows(conn: Connection, upto: int, after: int, batch: int) -> Iterator[tuple]:
    """The envelope columns' rows (ENVELOPE_KEYS order), as stored (JSON as text)."""
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(_SQLITE_QUERY, (after, upto))
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        cursor.close()
