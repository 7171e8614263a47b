"""Counters as of a position: the current tables, or the last snapshot plus the deltas after it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..projections.counters import DAY_PREFIX, apply_delta
from ..projections.gaps import day_histogram, day_rows
from .position import stored_position
from .tables import DAY_COLUMNS, counter_deltas, counter_snapshots, counters, day_counts

DAYS, TOTALS = "days", "totals"  # the per-day histogram (gaps) / everything else (summary)


def _part_filter(column: sa.ColumnElement, part: str) -> sa.ColumnElement[bool]:
    # Every day key starts with "day" + U+001F (LIKE, not a range: collations may order
    # control characters unexpectedly).
    in_days = column.startswith(DAY_PREFIX)
    return in_days if part == DAYS else sa.not_(in_days)


def day_rows_at(conn: Connection, position: int) -> list[Any]:
    """The per-day histogram as of ``position`` as day rows (day, swaps, proposals,
    refusals, failed_attempts, breaches) in day order: the day_counts table itself for the
    current state (nothing to parse or regroup), else built from the counters as of that
    position (snapshot + deltas)."""
    if position >= stored_position(conn):
        columns = [day_counts.c[c] for c in DAY_COLUMNS]
        query = sa.select(day_counts.c.day, *columns).order_by(day_counts.c.day)
        return list(conn.execute(query).all())  # rows index like tuples
    return day_rows(day_histogram(counters_at(conn, position, DAYS)))


def counters_at(conn: Connection, position: int, part: str = DAYS) -> dict[str, int]:
    """One part of the counters as of ``position`` (current table, or snapshot + deltas)."""
    return _load_counters(conn, position, part)


def _load_counters(conn: Connection, position: int, part: str) -> dict[str, int]:
    if position >= stored_position(conn):
        query = sa.select(counters.c.key, counters.c.value).where(
            _part_filter(counters.c.key, part)
        )
        return dict(conn.execute(query).all())
    snapshot = conn.execute(
        sa.select(counter_snapshots.c.position, counter_snapshots.c.counters)
        .where(counter_snapshots.c.position <= position)
        .order_by(counter_snapshots.c.position.desc())
        .limit(1)
    ).first()
    in_part = (
        (lambda k: k.startswith(DAY_PREFIX))
        if part == DAYS
        else (lambda k: not k.startswith(DAY_PREFIX))
    )
    base = {k: v for k, v in snapshot.counters.items() if in_part(k)} if snapshot else {}
    since = snapshot.position if snapshot else 0
    changes = conn.execute(_summed_deltas(conn.dialect.name, since, position, part)).all()
    return apply_delta(base, {k: int(v) for k, v in changes})


def _summed_deltas(dialect: str, since: int, position: int, part: str) -> sa.Select:
    """Each key of one part summed over the positions' delta objects, in SQL (a row's JSON
    object expanded by the database's own function: json_each_text / json_each), so a read
    as of a position sends back one row per key, not thousands of objects to parse."""
    expand = sa.func.json_each_text if dialect == "postgresql" else sa.func.json_each
    entry = expand(counter_deltas.c.deltas).table_valued("key", "value").alias("entry")
    return (
        sa.select(entry.c.key, sa.func.sum(sa.cast(entry.c.value, sa.BigInteger)))
        .select_from(counter_deltas.join(entry, sa.true()))  # implicitly LATERAL
        .where(
            counter_deltas.c.position > since,
            counter_deltas.c.position <= position,
            _part_filter(entry.c.key, part),
        )
        .group_by(entry.c.key)
    )
