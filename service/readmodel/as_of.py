"""The position a read answers for: ``as_of`` resolved inside one snapshot transaction.

Every read first fixes the position P it answers for (``resolve_as_of``), inside one
snapshot transaction (``read_snapshot``), then asks only for rows valid at P (see
``fact_queries`` and ``counter_reads``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..domain.clock import today
from ..domain.errors import RuleViolation
from ..store.engine import format_timestamp, read_connection
from ..store.event_reads import hash_at, recorded_at
from ..store.releases import release_position
from ..store.tables import events
from .position import current_head, stored_position

RELEASE_PREFIX = "release:"


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
        position = release_position(conn, text[len(RELEASE_PREFIX) :])
        return AsOf(position, _recorded_date(conn, position), text)
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


def locate(engine: Engine, raw: str | None) -> tuple[AsOf, str | None]:
    """``resolve_as_of`` outside a snapshot, and the chain hash at the position it resolves
    to (None at 0), which names the log up to there. The head takes one statement."""
    if raw is None or raw == "":
        position, chain = current_head(engine)
        return AsOf(position, today()), chain
    with read_connection(engine) as conn:
        as_of = resolve_as_of(conn, raw)
        return as_of, hash_at(conn, as_of.position)


def _recorded_date(conn: Connection, position: int) -> date:
    text = recorded_at(conn, position)
    return date.fromisoformat(text[:10]) if text else today()
