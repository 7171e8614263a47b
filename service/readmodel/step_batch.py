"""The facts one projection step folds against: the stored ones it prefetched, plus the
changes of the events folded so far, which become its rows (``update.project``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..domain.events import EVENT_RETRACTED, EVENT_TYPES, META_TYPES, RecordedEvent
from ..projections.facts import Fact
from . import pg_writes
from .rows import fact_from_row, version_row
from .tables import OPEN, fact_versions

CHUNK = 500


@dataclass
class StepBatch:
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
    # changed are taken from it, not from the stored rows (see ``update._Bulk``).
    carried: StepBatch | None = None

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
