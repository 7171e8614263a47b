"""Reads of the events table, shared by the append path, the log reads and the read model."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..domain.events import EVENT_CORRECTED, EVENT_RETRACTED, RecordedEvent
from ..domain.hashing import HASHED_FIELDS
from ..domain.upcasting import upcast
from .tables import events

ENVELOPE_KEYS = (*HASHED_FIELDS, "hash")
# The same as text, for the statements that read the head with the append lock (pg_lock,
# sqlite_head).
HEAD_TEXT = "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1"
HEAD_QUERY = sa.select(events.c.position, events.c.hash).order_by(events.c.position.desc()).limit(1)


def head(conn: Connection) -> tuple[int, str | None]:
    """The last position and its hash; (0, None) for an empty log."""
    row = conn.execute(HEAD_QUERY).first()
    return (row.position, row.hash) if row else (0, None)


def recorded_at(conn: Connection, position: int) -> str | None:
    """When the event at ``position`` was recorded (None for position 0)."""
    return conn.execute(
        sa.select(events.c.recorded_at).where(events.c.position == position)
    ).scalar()


def hash_at(conn: Connection, position: int) -> str | None:
    """The chain hash at ``position`` (None for position 0): it names the log up to there."""
    return conn.execute(sa.select(events.c.hash).where(events.c.position == position)).scalar()


def stream_versions_at(conn: Connection, streams: list[str], position: int) -> dict[str, int]:
    """Each stream's version as of ``position``."""
    if not streams:
        return {}
    rows = conn.execute(
        sa.select(events.c.stream, sa.func.max(events.c.stream_version))
        .where(events.c.stream.in_(streams), events.c.position <= position)
        .group_by(events.c.stream)
    )
    return dict(rows.all())


def stream_versions(conn: Connection, streams: list[str], chunk: int = 500) -> dict[str, int]:
    """Each existing stream's current version, for many streams in one query per ``chunk``
    (index range on uq_events_stream_version); a stream that does not exist is absent."""
    found: dict[str, int] = {}
    for i in range(0, len(streams), chunk):
        rows = conn.execute(
            sa.select(events.c.stream, sa.func.max(events.c.stream_version))
            .where(events.c.stream.in_(streams[i : i + chunk]))
            .group_by(events.c.stream)
        )
        found.update({stream: version for stream, version in rows})
    return found


def stream_version(conn: Connection, stream: str) -> int:
    """The stream's current version; 0 when it does not exist."""
    value = conn.execute(
        sa.select(sa.func.max(events.c.stream_version)).where(events.c.stream == stream)
    ).scalar()
    return int(value or 0)


def stream_creation(conn: Connection, stream: str) -> RecordedEvent | None:
    """The first event of a stream: the fact that created the resource."""
    row = conn.execute(
        sa.select(events).where(events.c.stream == stream, events.c.stream_version == 1)
    ).first()
    return row_to_event(row) if row else None


def creation_id(conn: Connection, stream: str) -> str | None:
    """The id of the event that created a stream (None: there is no such stream)."""
    query = sa.select(events.c.id).where(events.c.stream == stream, events.c.stream_version == 1)
    return conn.execute(query).scalar()


def event_by_id(conn: Connection, event_id: str) -> RecordedEvent | None:
    row = conn.execute(sa.select(events).where(events.c.id == event_id)).first()
    return row_to_event(row) if row else None


def types_of(conn: Connection, event_ids: list[str], chunk: int = 500) -> dict[str, str]:
    """The type of each of these events that exists (one query per ``chunk`` ids)."""
    found: dict[str, str] = {}
    for i in range(0, len(event_ids), chunk):
        rows = conn.execute(
            sa.select(events.c.id, events.c.type).where(events.c.id.in_(event_ids[i : i + chunk]))
        )
        found.update({event_id: type_ for event_id, type_ in rows})
    return found


def is_retracted(conn: Connection, event_id: str) -> bool:
    """Whether a retraction targets this event."""
    query = sa.select(events.c.position).where(
        events.c.target_id == event_id, events.c.type == EVENT_RETRACTED
    )
    return conn.execute(query.limit(1)).first() is not None


def corrections_of(conn: Connection, event_id: str) -> list[RecordedEvent]:
    """Corrections that target this event, oldest first."""
    rows = conn.execute(
        sa.select(events)
        .where(events.c.target_id == event_id, events.c.type == EVENT_CORRECTED)
        .order_by(events.c.position)
    )
    return [row_to_event(r) for r in rows]


def events_by_positions(conn: Connection, first: int, last: int) -> list[RecordedEvent]:
    rows = conn.execute(
        sa.select(events).where(events.c.position.between(first, last)).order_by(events.c.position)
    )
    return [row_to_event(r) for r in rows]


def page_of_events(
    conn: Connection,
    *,
    after: int = 0,
    limit: int = 100,
    types: list[str] | None = None,
    stream: str | None = None,
) -> list[RecordedEvent]:
    """Up to ``limit`` events after a position, with optional filters, in position order."""
    query = sa.select(events).where(events.c.position > after)
    if types:
        query = query.where(events.c.type.in_(types))
    if stream:
        query = query.where(events.c.stream == stream)
    rows = conn.execute(query.order_by(events.c.position).limit(limit))
    return [row_to_event(r) for r in rows]


def raw_rows(conn: Connection, batch: int = 1000) -> Iterator[Mapping[str, Any]]:
    """Every stored row as it is (no upcasting), in position order, batch by batch (tests;
    the whole-log tools stream with ``store.streaming``)."""
    after = 0
    while True:
        rows = conn.execute(
            sa.select(events)
            .where(events.c.position > after)
            .order_by(events.c.position)
            .limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield stored_envelope(row._mapping)
        after = rows[-1].position


def stored_envelope(row: Mapping[str, Any]) -> dict[str, Any]:
    """The envelope exactly as hashed: JSON types only, dates as ISO text."""
    occurred = row["occurred_on"]
    return {
        "id": row["id"],
        "position": row["position"],
        "stream": row["stream"],
        "stream_version": row["stream_version"],
        "type": row["type"],
        "schema_version": row["schema_version"],
        "occurred_on": occurred.isoformat() if isinstance(occurred, date) else occurred,
        "date_precision": row["date_precision"],
        "recorded_at": row["recorded_at"],
        "recorded_by": row["recorded_by"],
        "data": row["data"],
        "sources": row["sources"],
        "prev_hash": row["prev_hash"],
        "hash": row["hash"],
    }


def event_envelope(event: RecordedEvent) -> dict[str, Any]:
    """A domain event's envelope in the same JSON form (what a write answers)."""
    envelope = stored_envelope({name: getattr(event, name) for name in ENVELOPE_KEYS})
    envelope["data"] = dict(event.data)
    envelope["sources"] = [dict(s) for s in event.sources]
    return envelope


def row_to_event(row: Any) -> RecordedEvent:
    """A stored row as a domain event, its payload upcast to the current schema version."""
    return event_from_envelope(row._mapping)


def event_from_envelope(m: Mapping[str, Any]) -> RecordedEvent:
    """A stored envelope (row mapping or JSON) as a domain event, upcast like every read."""
    return upcast_event(event_as_stored(m))


def event_as_stored(m: Mapping[str, Any]) -> RecordedEvent:
    """A stored envelope as a domain event with its payload exactly as stored (a restore
    writes it back byte for byte: the hash covers it)."""
    occurred = m["occurred_on"]
    return RecordedEvent(
        id=m["id"],
        position=m["position"],
        stream=m["stream"],
        stream_version=m["stream_version"],
        type=m["type"],
        schema_version=m["schema_version"],
        occurred_on=occurred if isinstance(occurred, date) else date.fromisoformat(occurred),
        date_precision=m["date_precision"],
        recorded_at=m["recorded_at"],
        recorded_by=m["recorded_by"],
        data=m["data"],
        sources=tuple(m["sources"]),
        prev_hash=m["prev_hash"],
        hash=m["hash"],
    )


def upcast_event(event: RecordedEvent) -> RecordedEvent:
    """The event with its payload upcast to the type's current schema version."""
    version, data = upcast(event.type, event.schema_version, event.data)
    if version == event.schema_version:
        return event
    return replace(event, schema_version=version, data=data)


class LogReader:
    """The ``domain.log_rules.LogLookup`` over a connection (the append transaction's)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _ask(self) -> None:
        """Before each query (``batch_log.BatchLog`` writes the batch's staged items first;
        a single write's caller did)."""

    def creation_id(self, stream: str) -> str | None:
        self._ask()
        return creation_id(self.conn, stream)

    def event_by_id(self, event_id: str) -> RecordedEvent | None:
        self._ask()
        return event_by_id(self.conn, event_id)

    def is_retracted(self, event_id: str) -> bool:
        self._ask()
        return is_retracted(self.conn, event_id)

    def corrections_of(self, event_id: str) -> list[RecordedEvent]:
        self._ask()
        return corrections_of(self.conn, event_id)
