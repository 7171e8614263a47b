"""Reads of the stored projections, current or ``as_of`` a position, without a replay.

Every read first fixes the position P it answers for (``resolve_as_of``), inside one
snapshot transaction (``read_snapshot``), then asks only for rows valid at P: fact versions
with ``valid_from <= P < valid_to``, and counters = the current table when P is the
projections' position, else the last snapshot at or before P plus the deltas after it.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..domain.errors import NotFound, RuleViolation
from ..domain.vocab import SLUG_PATTERN
from ..projections.counters import DAY_PREFIX, apply_delta
from ..projections.gaps import day_histogram, day_rows
from .engine import format_timestamp
from .projection_tables import (
    DAY_COLUMNS,
    counter_deltas,
    counter_snapshots,
    counters,
    day_counts,
    fact_versions,
    releases,
)
from .projections import stored_position
from .tables import events

RELEASE_PREFIX = "release:"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class AsOf:
    """The position a read answers for, and the date the current gap is counted to."""

    position: int
    reference: date
    requested: str | None = None


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Connection]:
    """One consistent view for a whole read (REPEATABLE READ on PostgreSQL; SQLite's WAL
    read transaction is a snapshot from its first read)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def today() -> date:
    return datetime.now(UTC).date()


def resolve_as_of(conn: Connection, raw: str | None) -> AsOf:
    """None → the head; ``N`` → position N; an RFC 3339 timestamp → the last position
    recorded at or before it; ``release:<name>`` → the release's position.

    The current gap is counted to today with no ``as_of``, to the timestamp's UTC date for a
    timestamp, and to the UTC date the position was recorded for a position or a release.
    """
    head = stored_position(conn)
    if raw is None or raw == "":
        return AsOf(head, today())
    text = raw.strip()
    if text.startswith(RELEASE_PREFIX):
        name = text[len(RELEASE_PREFIX) :]
        row = None
        if re.fullmatch(SLUG_PATTERN, name):  # anything else cannot name a release
            row = conn.execute(
                sa.select(releases.c.position).where(releases.c.name == name)
            ).first()
        if row is None:
            raise NotFound(f"there is no release {name!r}")
        return AsOf(row.position, _recorded_date(conn, row.position), text)
    if text.isascii() and text.isdigit():
        position = int(text)
        if position > head:
            raise RuleViolation("as_of", f"position {position} is beyond the head ({head})")
        return AsOf(position, _recorded_date(conn, position), text)
    # An unencoded "+01:00" in a query string arrives as " 01:00": read it as meant.
    text = text.replace(" ", "+")
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise RuleViolation(
            "as_of",
            "must be a position (e.g. 120), an RFC 3339 timestamp with a UTC offset"
            " (e.g. 2026-02-05T12:00:00Z) or release:<name>",
        )
    if moment > datetime.now(UTC):
        raise RuleViolation("as_of", "the timestamp is in the future; the log cannot answer yet")
    position = conn.execute(
        sa.select(sa.func.max(events.c.position)).where(
            events.c.recorded_at <= format_timestamp(moment)
        )
    ).scalar()
    return AsOf(min(int(position or 0), head), moment.astimezone(UTC).date(), text)


def _recorded_date(conn: Connection, position: int) -> date:
    text = conn.execute(
        sa.select(events.c.recorded_at).where(events.c.position == position)
    ).scalar()
    return date.fromisoformat(text[:10]) if text else today()


DAYS, TOTALS = "days", "totals"  # the per-day histogram (gaps) / everything else (summary)
_CACHE: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
CACHE_SIZE = 64


def _part_filter(column: sa.ColumnElement, part: str) -> sa.ColumnElement[bool]:
    # Every day key starts with "day" + U+001F (LIKE, not a range: collations may order
    # control characters unexpectedly).
    in_days = column.startswith(DAY_PREFIX)
    return in_days if part == DAYS else sa.not_(in_days)


def at_position(conn: Connection, position: int, name: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, remembered per (database, position, name) in this process.

    Everything a projection answers at a position is fixed forever (the log is append-only
    and a rebuild reproduces the projections exactly), so this cache is never stale; it spares
    repeated reads of an unchanged log the query and the fold. The caller must not mutate
    the result. ``clear_cache`` empties it (the benchmark measures cold reads with it).
    """
    # The chain hash at P names the log up to P: a database reset under a running worker
    # cannot serve another log's answer.
    chain = conn.execute(sa.select(events.c.hash).where(events.c.position == position)).scalar()
    cache_key = (conn.engine.url.render_as_string(), position, chain, *name)
    if cache_key in _CACHE:
        _CACHE.move_to_end(cache_key)
        return _CACHE[cache_key]
    value = compute()
    _CACHE[cache_key] = value
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value


def clear_cache() -> None:
    _CACHE.clear()


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
    changes = conn.execute(
        sa.select(counter_deltas.c.key, sa.func.sum(counter_deltas.c.delta))
        .where(
            counter_deltas.c.position > since,
            counter_deltas.c.position <= position,
            _part_filter(counter_deltas.c.key, part),
        )
        .group_by(counter_deltas.c.key)
    ).all()
    return apply_delta(base, Counter({k: int(v) for k, v in changes}))


def valid_at(position: int) -> sa.ColumnElement[bool]:
    """Fact versions valid at a position."""
    return sa.and_(fact_versions.c.valid_from <= position, fact_versions.c.valid_to > position)


def stream_versions(conn: Connection, streams: list[str], position: int) -> dict[str, int]:
    if not streams:
        return {}
    rows = conn.execute(
        sa.select(events.c.stream, sa.func.max(events.c.stream_version))
        .where(events.c.stream.in_(streams), events.c.position <= position)
        .group_by(events.c.stream)
    )
    return dict(rows.all())
