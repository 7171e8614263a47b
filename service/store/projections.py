"""Stored projections, updated inside the append transaction by the pure projection functions.

``project(conn, events)`` is the append hook (registered in ``APPEND_HOOKS`` at import): it
folds ``projections.facts.step`` over the new events against the stored facts, closes the
versions that changed and inserts the new ones, applies the counter deltas, records each
position's delta, snapshots the counters every ``SNAPSHOT_EVERY`` positions, and records the
position the projections now reflect. Because it runs in the append transaction, a reader
never sees an event without its projections (read-your-writes) and the two cannot drift.
``rebuild`` empties the projections and runs the same function over the whole log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..domain.events import EVENT_RETRACTED, META_TYPES, RecordedEvent
from ..projections.counters import DAY_PREFIX, SEP, apply_delta, delta
from ..projections.facts import Fact, step
from ..projections.headlines import parties
from . import pg_writes, queries
from .append import APPEND_HOOKS
from .engine import AFTER_LOCK, read_after_lock
from .projection_tables import (
    DAY_COLUMNS,
    OPEN,
    PROJECTION_TABLES,
    counter_deltas,
    counter_snapshots,
    counters,
    day_counts,
    fact_versions,
    projection_state,
)

SNAPSHOT_EVERY = 5000
STATE_NAME = "projections"
CHUNK = 500
REBUILD_BATCH = 2000


STORED_POSITION = sa.select(projection_state.c.position).where(
    projection_state.c.name == STATE_NAME
)
CLOSE_VERSION = (
    fact_versions.update()
    .where(fact_versions.c.event_id == sa.bindparam("eid"), fact_versions.c.valid_to == OPEN)
    .values(valid_to=sa.bindparam("p"))
)


def fact_from_row(row: Any) -> Fact:
    m = row._mapping
    occurred = m["occurred_on"]
    return Fact(
        event_id=m["event_id"],
        position=m["position"],
        type=m["type"],
        stream=m["stream"],
        occurred_on=occurred if not isinstance(occurred, str) else _date(occurred),
        date_precision=m["date_precision"],
        data=m["data"],
        sources=tuple(m["sources"]),
        corrected_by=tuple(m["corrected_by"]),
        retracted=bool(m["retracted"]),
        resource_retracted=bool(m["resource_retracted"]),
    )


def _date(text: str) -> date:
    return date.fromisoformat(text)


def version_row(fact: Fact, valid_from: int) -> dict[str, Any]:
    return {
        "event_id": fact.event_id,
        "position": fact.position,
        "type": fact.type,
        "stream": fact.stream,
        "occurred_on": fact.occurred_on,
        "date_precision": fact.date_precision,
        "data": dict(fact.data),
        "sources": [dict(s) for s in fact.sources],
        "corrected_by": list(fact.corrected_by),
        "retracted": fact.retracted,
        "resource_retracted": fact.resource_retracted,
        "live": fact.live,
        "parties": "," + ",".join(parties(fact)) + ",",
        "valid_from": valid_from,
        "valid_to": OPEN,
    }


@dataclass
class _Batch:
    """Stored facts plus this batch's pending changes: the lookup ``step`` folds against."""

    conn: Connection
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)  # event_id -> new row
    facts: dict[str, Fact] = field(default_factory=dict)
    closed: list[dict[str, Any]] = field(default_factory=list)  # stored versions to close
    done: list[dict[str, Any]] = field(default_factory=list)  # pending rows already superseded

    stored: dict[str, Fact] = field(default_factory=dict)  # prefetched current versions
    streams: set[str] = field(default_factory=set)  # streams wholly prefetched

    def prefetch(self, events: Sequence[RecordedEvent]) -> None:
        """One query for every fact the batch's corrections and retractions touch."""
        targets = {str(e.data["target_event_id"]) for e in events if e.type in META_TYPES}
        self.streams = {e.stream for e in events if e.type == EVENT_RETRACTED}
        targets_list, streams_list = sorted(targets), sorted(self.streams)
        for i in range(0, max(len(targets_list), len(streams_list)), CHUNK):
            condition = sa.or_(
                fact_versions.c.event_id.in_(targets_list[i : i + CHUNK]),
                fact_versions.c.stream.in_(streams_list[i : i + CHUNK]),
            )
            rows = self.conn.execute(
                sa.select(fact_versions).where(condition, fact_versions.c.valid_to == OPEN)
            )
            self.stored.update({r.event_id: fact_from_row(r) for r in rows})

    def fact(self, event_id: str) -> Fact | None:
        if event_id in self.facts:
            return self.facts[event_id]
        if event_id in self.stored:
            return self.stored[event_id]
        row = self.conn.execute(
            sa.select(fact_versions).where(
                fact_versions.c.event_id == event_id, fact_versions.c.valid_to == OPEN
            )
        ).first()
        return fact_from_row(row) if row else None

    def stream_facts(self, stream: str) -> Iterable[Fact]:
        if stream in self.streams:
            found = {i: f for i, f in self.stored.items() if f.stream == stream}
        else:
            rows = self.conn.execute(
                sa.select(fact_versions).where(
                    fact_versions.c.stream == stream, fact_versions.c.valid_to == OPEN
                )
            )
            found = {r.event_id: fact_from_row(r) for r in rows}
        found.update({i: f for i, f in self.facts.items() if f.stream == stream})
        return list(found.values())

    def put(self, before: Fact | None, after: Fact, position: int) -> None:
        previous = self.pending.pop(after.event_id, None)
        if previous is not None:
            previous["valid_to"] = position
            if previous["valid_from"] < position:
                self.done.append(previous)
        elif before is not None:
            self.closed.append({"eid": after.event_id, "p": position})
        self.facts[after.event_id] = after
        self.pending[after.event_id] = version_row(after, position)


def project(conn: Connection, events: Sequence[RecordedEvent]) -> None:
    """The append hook: bring the stored projections up to the last of ``events``."""
    if not events:
        return
    reflected = _position_at_start(conn)
    if reflected < events[0].position - 1:  # e.g. events appended before this migration
        project(conn, queries.events_by_positions(conn, reflected + 1, events[0].position - 1))
    elif reflected >= events[-1].position:
        return
    batch = _Batch(conn)
    batch.prefetch(events)
    total: Counter[str] = Counter()
    delta_rows: list[dict[str, Any]] = []
    snapshot_points: list[tuple[int, Counter[str]]] = []
    for event in events:
        changes = step(batch, event)
        for change in changes:
            batch.put(change.before, change.after, event.position)
        change = delta(changes)
        total.update(change)
        delta_rows.extend(
            {"position": event.position, "key": k, "delta": v} for k, v in change.items()
        )
        if event.position % SNAPSHOT_EVERY == 0:
            snapshot_points.append((event.position, Counter(total)))
    if snapshot_points:
        _snapshot(conn, snapshot_points)  # reads the counters as they were before this batch
    net = Counter({k: v for k, v in total.items() if v})
    versions = batch.done + list(batch.pending.values())
    if conn.dialect.name == "postgresql":
        pg_writes.write_projection(
            conn,
            closed=[(c["p"], c["eid"]) for c in batch.closed],
            versions=versions,
            deltas=delta_rows,
            net=net,
            days=_day_rows(net),
            state=(STATE_NAME, events[-1].position),
        )
        return
    if batch.closed:
        conn.execute(CLOSE_VERSION, batch.closed)
    if versions:
        conn.execute(fact_versions.insert(), versions)
    if delta_rows:
        conn.execute(counter_deltas.insert(), delta_rows)
    _apply_counters(conn, net)
    _apply_day_counts(conn, _day_rows(net))
    _set_position(conn, events[-1].position)


def _apply_counters(conn: Connection, change: Counter[str]) -> None:
    """Add the batch's net change: one upsert per chunk, then drop counters that hit zero
    (so the stored set equals the pure fold's, which drops zeros too)."""
    if not change:
        return
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(counters)
    upsert = insert.on_conflict_do_update(
        index_elements=[counters.c.key], set_={"value": counters.c.value + insert.excluded.value}
    )
    rows = [{"key": k, "value": v} for k, v in change.items()]
    for i in range(0, len(rows), CHUNK):
        conn.execute(upsert, rows[i : i + CHUNK])
    falling = [k for k, v in change.items() if v < 0]
    for i in range(0, len(falling), CHUNK):
        conn.execute(
            counters.delete().where(
                counters.c.key.in_(falling[i : i + CHUNK]), counters.c.value == 0
            )
        )


def _day_rows(change: Counter[str]) -> list[dict[str, Any]]:
    """The per-day part of a net change: one row per day, a column per kind."""
    days: dict[str, dict[str, int]] = {}
    for k, v in change.items():
        if k.startswith(DAY_PREFIX):
            _, day, kind = k.split(SEP)
            days.setdefault(day, dict.fromkeys(DAY_COLUMNS, 0))[kind] += v
    return [{"day": date.fromisoformat(d), **kinds} for d, kinds in sorted(days.items())]


def _apply_day_counts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Add the day rows to day_counts (one upsert), then remove days whose five counts fell
    to zero (as the counters drop their zero keys)."""
    if not rows:
        return
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(day_counts)
    upsert = insert.on_conflict_do_update(
        index_elements=[day_counts.c.day],
        set_={c: day_counts.c[c] + insert.excluded[c] for c in DAY_COLUMNS},
    )
    for i in range(0, len(rows), CHUNK):
        conn.execute(upsert, rows[i : i + CHUNK])
    falling = [r["day"] for r in rows if any(r[c] < 0 for c in DAY_COLUMNS)]
    for i in range(0, len(falling), CHUNK):
        conn.execute(
            day_counts.delete().where(
                day_counts.c.day.in_(falling[i : i + CHUNK]),
                *(day_counts.c[c] == 0 for c in DAY_COLUMNS),
            )
        )


def _position_at_start(conn: Connection) -> int:
    """The stored position, as read with the append lock when this is the transaction's
    first projection step (PostgreSQL: no round trip of its own), else read now."""
    after_lock = conn.info.get(AFTER_LOCK) or {}
    if STATE_NAME in after_lock:
        row = after_lock.pop(STATE_NAME)
        return int(row[0]) if row else 0
    return stored_position(conn)


def stored_position(conn: Connection) -> int:
    value = conn.execute(STORED_POSITION).scalar()
    return int(value or 0)


def _set_position(conn: Connection, new: int) -> None:
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(
        projection_state
    )
    conn.execute(
        insert.values(name=STATE_NAME, position=new).on_conflict_do_update(
            index_elements=[projection_state.c.name], set_={"position": new}
        )
    )


def _snapshot(conn: Connection, points: list[tuple[int, Counter[str]]]) -> None:
    """Snapshots at exact multiples of SNAPSHOT_EVERY, whatever the batch boundaries, so an
    incremental build and a rebuild store the same rows: the stored counters (still as
    before this batch) plus the batch's changes up to that position."""
    base = dict(conn.execute(sa.select(counters.c.key, counters.c.value)).all())
    conn.execute(
        counter_snapshots.insert(),
        [{"position": p, "counters": apply_delta(base, acc)} for p, acc in points],
    )


def rebuild(conn: Connection, batch: int = REBUILD_BATCH) -> int:
    """Empty every projection and rebuild it from the log; returns the position reached.

    Run it in an append transaction, so no write slips in between.
    """
    (conn.info.get(AFTER_LOCK) or {}).pop(STATE_NAME, None)  # about to be emptied
    for table in reversed(PROJECTION_TABLES):
        conn.execute(table.delete())
    after = 0
    while True:
        page = queries.page_of_events(conn, after=after, limit=batch)
        if not page:
            return after
        project(conn, page)
        after = page[-1].position


read_after_lock(STATE_NAME, STORED_POSITION)
if project not in APPEND_HOOKS:
    APPEND_HOOKS.append(project)
