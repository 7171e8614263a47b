"""Counter, day-count and snapshot writes of one projection step (SQLite's statements;
PostgreSQL sends the same rows through ``readmodel.pg_writes``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..projections.counters import DAY_PREFIX, SEP, apply_delta
from ..store import pg_writes, sqlite_writes
from . import pg_writes as readmodel_pg_writes
from .tables import DAY_COLUMNS, counter_snapshots, counters, day_counts


def apply_counters(conn: Connection, change: Counter[str]) -> None:
    """Add the batch's net change (SQLite), then drop counters that hit zero (so the stored
    set equals the pure fold's, which drops zeros too)."""
    if not change:
        return
    rows = [{"key": k, "value": v} for k, v in change.items()]
    sqlite_writes.add_rows(conn, counters, "key", rows)
    sqlite_writes.delete_zero_rows(conn, counters, "key", [k for k, v in change.items() if v < 0])


def day_rows(change: Mapping[str, int]) -> list[dict[str, Any]]:
    """The per-day part of a net change: one row per day, a column per kind."""
    days: dict[str, dict[str, int]] = {}
    for k, v in change.items():
        if k.startswith(DAY_PREFIX):
            _, day, kind = k.split(SEP)
            days.setdefault(day, dict.fromkeys(DAY_COLUMNS, 0))[kind] += v
    return [{"day": date.fromisoformat(d), **kinds} for d, kinds in sorted(days.items())]


def apply_day_counts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Add the day rows to day_counts (SQLite), then remove days whose five counts fell to
    zero (as the counters drop their zero keys)."""
    sqlite_writes.add_rows(conn, day_counts, "day", rows)
    falling = [r["day"] for r in rows if any(r[c] < 0 for c in DAY_COLUMNS)]
    sqlite_writes.delete_zero_rows(conn, day_counts, "day", falling)


def write_snapshots(
    conn: Connection, points: list[tuple[int, dict[str, int]]], base: dict[str, int] | None = None
) -> None:
    """Snapshots at exact multiples of SNAPSHOT_EVERY, whatever the batch boundaries, so an
    incremental build and a rebuild store the same rows: the counters as before this batch
    (``base``, else the stored ones) plus the batch's changes up to that position.
    PostgreSQL sums the stored ones itself (a deferred write), and queues a COPY of a bulk
    build's."""
    if conn.dialect.name == "postgresql":
        if base is None:
            readmodel_pg_writes.snapshots_from_stored(conn, points)
        else:
            rows = [{"position": p, "counters": apply_delta(base, acc)} for p, acc in points]
            pg_writes.copy_rows(conn, counter_snapshots, rows, deferred=True)
        return
    if base is None:
        base = dict(conn.execute(sa.select(counters.c.key, counters.c.value)).all())
    # On the driver (orjson), not through SQLAlchemy's JSON type (the standard encoder): a
    # snapshot holds every counter, thousands of keys.
    sqlite_writes.insert_rows(
        conn,
        counter_snapshots,
        [{"position": p, "counters": apply_delta(base, acc)} for p, acc in points],
    )


@dataclass
class HeldCounters:
    """A bulk build's counters (a rebuild, a restore's load): read once at its start, kept
    in memory page after page (a few thousand keys whatever the log's size), and written
    once at its end, instead of an upsert of counters and day_counts per page."""

    values: dict[str, int]

    @classmethod
    def read(cls, conn: Connection) -> HeldCounters:
        return cls(dict(conn.execute(sa.select(counters.c.key, counters.c.value)).all()))

    def add(self, change: dict[str, int]) -> None:
        self.values = apply_delta(self.values, change)

    def write(self, conn: Connection) -> None:
        """Replace the stored counters and day_counts with the held ones."""
        conn.execute(day_counts.delete())
        conn.execute(counters.delete())
        rows = [{"key": k, "value": v} for k, v in self.values.items()]
        days = day_rows(self.values)
        if conn.dialect.name == "postgresql":
            pg_writes.copy_rows(conn, counters, rows)
            pg_writes.copy_rows(conn, day_counts, days)
        else:
            sqlite_writes.insert_rows(conn, counters, rows)
            sqlite_writes.insert_rows(conn, day_counts, days)
