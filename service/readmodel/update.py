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

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from ..domain.events import RecordedEvent
from ..projections.counters import delta
from ..projections.facts import step
from ..store import event_reads, pg_send, sqlite_writes
from ..store import pg_writes as store_pg_writes
from ..store.bulk_session import bulk_session, indexes_built_after
from ..store.streaming import stored_events
from . import counter_writes, pg_writes
from .counter_writes import HeldCounters
from .position import STATE_NAME, forget_position_read, position_at_start, set_position
from .step_batch import StepBatch
from .tables import OPEN, PROJECTION_TABLES, counter_deltas, fact_versions

SNAPSHOT_EVERY = 5000
REBUILD_BATCH = 5000
# Built once after a bulk build; the two a projection step reads (by event, by stream) stay.
BULK_BUILT_INDEXES = tuple(
    index
    for index in fact_versions.indexes
    if index.name not in ("ix_fact_versions_event", "ix_fact_versions_stream")
)
# SQLite: the versions a step supersedes, closed on the driver (SQLAlchemy's per-row
# parameter processing was most of this statement's cost in a rebuild: ~13,500 rows per
# 50,000 events). PostgreSQL closes them in ``pg_writes.write_projection``.
CLOSE_VERSION = f"UPDATE {fact_versions.name} SET valid_to = ? WHERE event_id = ? AND valid_to = ?"


@dataclass
class _Bulk:
    """A bulk build between two pages: the counters, held in memory until its end, and on
    PostgreSQL the last page's writes, not sent yet, with the batch that made them."""

    held: HeldCounters
    waiting: pg_send.Queued = field(default_factory=list)
    carried: StepBatch | None = None

    def send_waiting(self, conn: Connection) -> None:
        """The last page's writes go out from a thread (the next page has read what it
        needs; it is folded meanwhile)."""
        pg_send.send_in_background(conn, self.waiting)
        self.waiting = []

    def hold(self, conn: Connection, batch: StepBatch) -> None:
        """Keep this page's queued writes for ``send_waiting``, and its batch for the next
        page's lookups (the page before it has landed by then)."""
        if conn.dialect.name == "postgresql":
            self.waiting = store_pg_writes.take_deferred(conn)
            batch.carried = None
            self.carried = batch

    def finish(self, conn: Connection) -> None:
        """Send what is still waiting and write the held counters."""
        self.send_waiting(conn)
        pg_send.await_background(conn)
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
    batch = StepBatch(conn, carried=bulk.carried if bulk is not None else None)
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
            delta_rows.append({"position": event.position, "deltas": change})
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
        closing = [(c["p"], c["eid"], OPEN) for c in batch.closed]
        conn.connection.driver_connection.executemany(CLOSE_VERSION, closing)
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
    ``first - 1`` (a rebuild): ``bulk_build`` over pages of ``batch`` events read from the
    log. Returns ``last``."""
    with bulk_build(conn) as fold:
        after = first - 1
        while after < last:
            page = [
                event_reads.upcast_event(event)
                for event in stored_events(conn, after=after, upto=min(after + batch, last))
            ]
            fold(page)
            after = page[-1].position
            if progress is not None:
                progress(after)
    return last


@contextmanager
def bulk_build(conn: Connection) -> Iterator[Callable[[Sequence[RecordedEvent]], None]]:
    """A bulk build (a rebuild; a restore's load, as the ``on_replayed`` hook): yields the
    function that brings the projections up to the last event of each page it is given, in
    order, from the position before the first. The fact_versions indexes no step reads are
    dropped meanwhile and built once at the end, in one sorted pass each, instead of one
    entry per row. On PostgreSQL, writes queued before a page (a restore's events COPY) go
    out with the page before's, from the thread, while the page is folded."""
    forget_position_read(conn)
    if conn.dialect.name == "postgresql":
        # No JIT for the rest of this transaction. With stale statistics (a freshly restored
        # store, a table bloated by earlier rebuilds) the many-key read of the facts a page
        # targets (~500 index probes, ~25 ms) was estimated above jit_inline_above_cost, and
        # compiling it took 70-120 ms each time. bench/tools.py: rebuild +17-29 % with it off.
        conn.exec_driver_sql("SET LOCAL jit = off")
    bulk = _Bulk(HeldCounters.read(conn))

    def fold(page: Sequence[RecordedEvent]) -> None:
        bulk.waiting.extend(store_pg_writes.take_deferred(conn))
        project(conn, page, bulk=bulk)

    with indexes_built_after(conn, BULK_BUILT_INDEXES), bulk_session(conn):
        yield fold
        bulk.finish(conn)
