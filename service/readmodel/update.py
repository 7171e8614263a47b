"""Stored projections, updated inside the append transaction by the pure projection functions.

``project(conn, events)`` is the append hook (``service.wiring`` installs it on the engine):
it folds ``projections.facts.step`` over the new events against the stored facts, closes the
versions that changed and inserts the new ones, applies the counter deltas, records each
position's delta, snapshots the counters every ``SNAPSHOT_EVERY`` positions, and records the
position the projections now reflect. Because it runs in the append transaction, a reader
never sees an event without its projections (read-your-writes) and the two cannot drift.
``rebuild`` empties the projections and runs the same function over the whole log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..domain.events import EVENT_RETRACTED, META_TYPES, RecordedEvent
from ..projections.counters import delta
from ..projections.facts import Fact, step
from ..store import event_reads
from . import counter_writes, pg_writes
from .position import STATE_NAME, forget_position_read, position_at_start, set_position
from .rows import fact_from_row, version_row
from .tables import OPEN, PROJECTION_TABLES, counter_deltas, fact_versions

SNAPSHOT_EVERY = 5000
CHUNK = 500
REBUILD_BATCH = 2000
CLOSE_VERSION = (
    fact_versions.update()
    .where(fact_versions.c.event_id == sa.bindparam("eid"), fact_versions.c.valid_to == OPEN)
    .values(valid_to=sa.bindparam("p"))
)


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
        """One query for the facts the batch's corrections and retractions target, then one
        for the streams of the resources it retracts. Only retracting the fact that created
        a resource reads its stream (``step``): loading the stream of every retracted fact
        would read a whole agreement's breaches for one retracted breach, a cost that grows
        with the log."""
        targets = sorted({str(e.data["target_event_id"]) for e in events if e.type in META_TYPES})
        for i in range(0, len(targets), CHUNK):
            self._load(fact_versions.c.event_id.in_(targets[i : i + CHUNK]))
        retracted = {str(e.data["target_event_id"]) for e in events if e.type == EVENT_RETRACTED}
        self.streams = {
            f.stream for i, f in self.stored.items() if i in retracted and f.creates_resource
        }
        streams = sorted(self.streams)
        for i in range(0, len(streams), CHUNK):
            self._load(fact_versions.c.stream.in_(streams[i : i + CHUNK]))

    def _load(self, condition: Any) -> None:
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
    reflected = position_at_start(conn)
    if reflected < events[0].position - 1:  # e.g. events appended before this migration
        project(conn, event_reads.events_by_positions(conn, reflected + 1, events[0].position - 1))
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
        counter_writes.write_snapshots(
            conn, snapshot_points
        )  # reads the counters as they were before this batch
    net = Counter({k: v for k, v in total.items() if v})
    versions = batch.done + list(batch.pending.values())
    if conn.dialect.name == "postgresql":
        pg_writes.write_projection(
            conn,
            closed=[(c["p"], c["eid"]) for c in batch.closed],
            versions=versions,
            deltas=delta_rows,
            net=net,
            days=counter_writes.day_rows(net),
            state=(STATE_NAME, events[-1].position),
        )
        return
    if batch.closed:
        conn.execute(CLOSE_VERSION, batch.closed)
    if versions:
        conn.execute(fact_versions.insert(), versions)
    if delta_rows:
        conn.execute(counter_deltas.insert(), delta_rows)
    counter_writes.apply_counters(conn, net)
    counter_writes.apply_day_counts(conn, counter_writes.day_rows(net))
    set_position(conn, events[-1].position)


def rebuild(
    conn: Connection,
    batch: int = REBUILD_BATCH,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Empty every projection and rebuild it from the log; returns the position reached.
    ``progress`` is called with the position reached after each batch.

    Run it in an append transaction, so no write slips in between.
    """
    forget_position_read(conn)
    for table in reversed(PROJECTION_TABLES):
        conn.execute(table.delete())
    after = 0
    while True:
        page = event_reads.page_of_events(conn, after=after, limit=batch)
        if not page:
            return after
        project(conn, page)
        after = page[-1].position
        if progress is not None:
            progress(after)
