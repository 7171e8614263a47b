"""Stored projections, updated inside the append transaction by the pure projection functions.

``project(conn, events)`` is the append hook (``service.wiring`` installs it on the engine):
it folds ``projections.facts.step`` over the new events against the stored facts, closes the
versions that changed and inserts the new ones, applies the counter deltas, records each
position's delta, snapshots the counters every ``SNAPSHOT_EVERY`` positions, and records the
position the projections now reflect. Because it runs in the append transaction, a reader
never sees an event without its projections (read-your-writes) and the two cannot drift.
``rebuild`` empties the projections and runs the same function over the whole log.

A bulk build (a rebuild, a restore's load) folds pages of thousands of events. On PostgreSQL
a page's writes are sent by a thread while the next page is folded (the server's work and
this process's overlap: ~1.1 s and ~1.8 s of CPU per 50,000 events); the next page reads the
stored facts before those writes land, so the page before answers for what it changed.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..domain.events import EVENT_RETRACTED, EVENT_TYPES, META_TYPES, RecordedEvent
from ..projections.counters import delta
from ..projections.facts import Fact, step
from ..store import event_reads, sqlite_writes
from ..store import pg_writes as store_pg_writes
from ..store.streaming import stored_events
from . import counter_writes, pg_writes
from .counter_writes import HeldCounters
from .position import STATE_NAME, forget_position_read, position_at_start, set_position
from .rows import fact_from_row, version_row
from .tables import OPEN, PROJECTION_TABLES, counter_deltas, fact_versions

SNAPSHOT_EVERY = 5000
CHUNK = 500
REBUILD_BATCH = 5000
# Built once after a bulk build; the two a projection step reads (by event, by stream) stay.
BULK_BUILT_INDEXES = tuple(
    index
    for index in fact_versions.indexes
    if index.name not in ("ix_fact_versions_event", "ix_fact_versions_stream")
)
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
    # The stored versions the prefetch read (PostgreSQL) are closed by row id instead, in one
    # statement (pg_writes.CLOSE_ROWS): event_id -> row id, and (position, row id) to close.
    row_ids: dict[str, str] = field(default_factory=dict)
    closed_rows: list[tuple[int, str]] = field(default_factory=list)
    done: list[dict[str, Any]] = field(default_factory=list)  # pending rows already superseded
    # A bulk build's previous page, whose writes may not have landed yet: the facts it
    # changed are taken from it, not from the stored rows (see ``_Bulk``).
    carried: _Batch | None = None

    stored: dict[str, Fact] = field(default_factory=dict)  # prefetched current versions
    streams: set[str] = field(default_factory=set)  # streams wholly prefetched
    # stream -> event ids (in order), in ``stored`` and in ``facts`` (a batch of thousands is not
    # scanned for each retracted resource)
    stored_by_stream: dict[str, dict[str, None]] = field(default_factory=dict)
    facts_by_stream: dict[str, dict[str, None]] = field(default_factory=dict)

    def prefetch(self, events: Sequence[RecordedEvent]) -> None:
        """One query for the facts the batch's corrections and retractions target, then one
        for the streams of the resources it retracts. Only retracting the fact that created
        a resource reads its stream (``step``): loading the stream of every retracted fact
        would read a whole agreement's breaches for one retracted breach, a cost that grows
        with the log."""
        targets = sorted({str(e.data["target_event_id"]) for e in events if e.type in META_TYPES})
        for i in range(0, len(targets), CHUNK):
            self._load(fact_versions.c.event_id, targets[i : i + CHUNK])
        retracted = {str(e.data["target_event_id"]) for e in events if e.type == EVENT_RETRACTED}
        earlier = self.carried.facts if self.carried is not None else {}
        self.streams = {
            f.stream
            for i in retracted
            if (f := earlier.get(i) or self.stored.get(i)) is not None and f.creates_resource
        } | {  # resources created in this very batch (a rebuild's pages hold thousands)
            e.stream
            for e in events
            if e.id in retracted and e.type not in META_TYPES and EVENT_TYPES[e.type].creates_stream
        }
        streams = sorted(self.streams)
        for i in range(0, len(streams), CHUNK):
            self._load(fact_versions.c.stream, streams[i : i + CHUNK])

    def _load(self, column: sa.Column, keys: list[str]) -> None:
        rows: Iterable[Any]
        if self.conn.dialect.name == "postgresql":
            rows = pg_writes.current_versions(self.conn, column.name, keys)
            if self.carried is not None:  # stored before the previous page changed them
                rows = [row for row in rows if row["event_id"] not in self.carried.facts]
            self.row_ids.update((row["event_id"], row[pg_writes.ROW_ID]) for row in rows)
        else:
            rows = self.conn.execute(
                sa.select(fact_versions).where(column.in_(keys), fact_versions.c.valid_to == OPEN)
            )
        for row in rows:
            fact = fact_from_row(row)
            self.stored[fact.event_id] = fact
            self.stored_by_stream.setdefault(fact.stream, {})[fact.event_id] = None

    def fact(self, event_id: str) -> Fact | None:
        if event_id in self.facts:
            return self.facts[event_id]
        if self.carried is not None and event_id in self.carried.facts:
            return self.carried.facts[event_id]
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
            found = {i: self.stored[i] for i in self.stored_by_stream.get(stream, ())}
        else:
            rows = self.conn.execute(
                sa.select(fact_versions).where(
                    fact_versions.c.stream == stream, fact_versions.c.valid_to == OPEN
                )
            )
            found = {r.event_id: fact_from_row(r) for r in rows}
        for batch in (self.carried, self):  # the previous page's changes, then this one's
            if batch is not None:
                found.update({i: batch.facts[i] for i in batch.facts_by_stream.get(stream, ())})
        return list(found.values())

    def put(self, before: Fact | None, after: Fact, position: int) -> None:
        previous = self.pending.pop(after.event_id, None)
        if previous is not None:
            previous["valid_to"] = position
            if previous["valid_from"] < position:
                self.done.append(previous)
        elif before is not None:
            row = self.row_ids.get(after.event_id)
            if row is not None:
                self.closed_rows.append((position, row))
            else:  # read one by one (``fact``, ``stream_facts``), or SQLite
                self.closed.append({"eid": after.event_id, "p": position})
        self.facts[after.event_id] = after
        self.facts_by_stream.setdefault(after.stream, {})[after.event_id] = None
        self.pending[after.event_id] = version_row(after, position)


@dataclass
class _Bulk:
    """A bulk build between two pages: the counters, held in memory until its end, and on
    PostgreSQL the last page's writes, not sent yet, with the batch that made them."""

    held: HeldCounters
    waiting: store_pg_writes.Queued = field(default_factory=list)
    carried: _Batch | None = None

    def send_waiting(self, conn: Connection) -> None:
        """The last page's writes go out from a thread (the next page has read what it
        needs; it is folded meanwhile)."""
        store_pg_writes.send_in_background(conn, self.waiting)
        self.waiting = []

    def hold(self, conn: Connection, batch: _Batch) -> None:
        """Keep this page's queued writes for ``send_waiting``, and its batch for the next
        page's lookups (the page before it has landed by then)."""
        if conn.dialect.name == "postgresql":
            self.waiting = store_pg_writes.take_deferred(conn)
            batch.carried = None
            self.carried = batch

    def finish(self, conn: Connection) -> None:
        """Send what is still waiting and write the held counters."""
        self.send_waiting(conn)
        store_pg_writes.await_background(conn)
        self.carried = None
        self.held.write(conn)


def project(
    conn: Connection, events: Sequence[RecordedEvent], *, bulk: _Bulk | None = None
) -> None:
    """The append hook: bring the stored projections up to the last of ``events``.
    ``bulk``: a page of a bulk build (``build``: pages in order from the position the
    projections reflect), whose counters are held in memory until its end; PostgreSQL
    copies its rows in, and sends them while the next page is folded."""
    if not events:
        return
    if bulk is None:
        reflected = position_at_start(conn)
        if reflected < events[0].position - 1:  # e.g. events appended before this migration
            first_missing, last_missing = reflected + 1, events[0].position - 1
            project(conn, event_reads.events_by_positions(conn, first_missing, last_missing))
        elif reflected >= events[-1].position:
            return
    batch = _Batch(conn, carried=bulk.carried if bulk is not None else None)
    batch.prefetch(events)
    if bulk is not None:
        bulk.send_waiting(conn)
    total: dict[str, int] = {}
    delta_rows: list[dict[str, Any]] = []
    snapshot_points: list[tuple[int, dict[str, int]]] = []
    for event in events:
        changes = step(batch, event)
        for change in changes:
            batch.put(change.before, change.after, event.position)
        change = delta(changes)
        for k, v in change.items():
            total[k] = total.get(k, 0) + v
        if change:
            delta_rows.append({"position": event.position, "deltas": dict(change)})
        if event.position % SNAPSHOT_EVERY == 0:
            snapshot_points.append((event.position, dict(total)))
    if snapshot_points:  # from the counters as they were before this batch
        counter_writes.write_snapshots(
            conn, snapshot_points, bulk.held.values if bulk is not None else None
        )
    net = Counter({k: v for k, v in total.items() if v})
    if bulk is not None:
        bulk.held.add(net)
        net = Counter()  # written once, at the end of the build
    versions = batch.done + list(batch.pending.values())
    if conn.dialect.name == "postgresql":
        pg_writes.write_projection(
            conn,
            closed=[(c["p"], c["eid"]) for c in batch.closed],
            closed_rows=batch.closed_rows,
            versions=versions,
            deltas=delta_rows,
            net=net,
            days=counter_writes.day_rows(net),
            state=(STATE_NAME, events[-1].position),
            bulk=bulk is not None,
        )
        if bulk is not None:
            bulk.hold(conn, batch)
        return
    if batch.closed:
        conn.execute(CLOSE_VERSION, batch.closed)
    sqlite_writes.insert_rows(conn, fact_versions, versions)
    sqlite_writes.insert_rows(conn, counter_deltas, delta_rows)
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
    if conn.dialect.name == "postgresql":
        # TRUNCATE rather than DELETE: the rebuild takes the tables' ACCESS EXCLUSIVE lock
        # anyway (it drops indexes), and the rows then go into fresh files, not beside the
        # old ones: the indexes kept during the build start empty instead of twice the size.
        names = ", ".join(table.name for table in PROJECTION_TABLES)
        conn.exec_driver_sql(f"TRUNCATE {names}")
    else:
        for table in reversed(PROJECTION_TABLES):
            conn.execute(table.delete())
    head, _ = event_reads.head(conn)
    return build(conn, 1, head, batch=batch, progress=progress)


def build(
    conn: Connection,
    first: int,
    last: int,
    *,
    batch: int = REBUILD_BATCH,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Fold positions ``first``..``last`` of the log into projections that reflect
    ``first - 1`` (a rebuild, or a restore's load): ``project`` over pages of ``batch``
    events. The fact_versions indexes no step reads are dropped meanwhile and built once at
    the end, in one sorted pass each, instead of one entry per row. Returns ``last``."""
    if conn.dialect.name == "postgresql":
        # No JIT for the rest of this transaction. With stale statistics (a freshly restored
        # store, a table bloated by earlier rebuilds) the many-key read of the facts a page
        # targets (~500 index probes, ~25 ms) was estimated above jit_inline_above_cost, and
        # compiling it took 70-120 ms each time. bench/tools.py: rebuild +17-29 % with it off.
        conn.exec_driver_sql("SET LOCAL jit = off")
    bulk = _Bulk(HeldCounters.read(conn))
    with _indexes_built_after(conn, BULK_BUILT_INDEXES), _handing_over_quickly(conn):
        after = first - 1
        while after < last:
            page = [
                event_reads.upcast_event(event)
                for event in stored_events(conn, after=after, upto=min(after + batch, last))
            ]
            project(conn, page, bulk=bulk)
            after = page[-1].position
            if progress is not None:
                progress(after)
        bulk.finish(conn)
    return last


def replayed(conn: Connection, first: int, last: int) -> None:
    """The ``on_replayed`` hook: the projections of a restore's load, built after it."""
    forget_position_read(conn)
    build(conn, first, last)


# The GIL's switch interval during a PostgreSQL bulk build (5 ms by default). The thread
# sending a page's writes needs the GIL for a moment each time the socket takes more data or
# an answer arrives, while this thread folds the next page without pause: at 5 ms a wait,
# bench/tools.py's rebuild of 50,000 events waited 0.42 s in all for those writes to land;
# at 0.5 ms, 0.09 s (the last page's only).
BULK_SWITCH_INTERVAL = 0.0005


@contextmanager
def _handing_over_quickly(conn: Connection) -> Iterator[None]:
    if conn.dialect.name != "postgresql":
        yield
        return
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, BULK_SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@contextmanager
def _indexes_built_after(conn: Connection, indexes: Sequence[sa.Index]) -> Iterator[None]:
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)
