"""Idempotency keys: a retry with the same key and body gets the original events back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from ..domain.errors import IdempotencyInFlight, IdempotencyMismatch
from ..domain.events import RecordedEvent
from . import event_reads
from .engine import format_timestamp, utc_now_text, write_transaction
from .group_commit import run_in_shared_transaction
from .tables import idempotency_keys

# A claim older than this belongs to a request that died mid-way; a retry may take it over.
STALE_CLAIM = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class IdempotencyKey:
    token_name: str
    key: str
    request_hash: str


def run_once(
    engine: Engine,
    key: IdempotencyKey,
    write: Callable[[Connection], list[RecordedEvent]],
) -> tuple[list[RecordedEvent], bool]:
    """Run ``write`` in an append transaction unless this key already produced events.

    Returns the events and whether they were written now (False: a replay of the original).
    """
    replay = _claim(engine, key)
    if replay is not None:
        return replay, False

    def write_and_settle(conn: Connection) -> list[RecordedEvent]:
        written = write(conn)
        conn.execute(
            idempotency_keys.update()
            .where(_match(key))
            .values(first_position=written[0].position, last_position=written[-1].position)
        )
        return written

    try:
        # Its one SQL write is its last statement: nothing to undo if it raises.
        return run_in_shared_transaction(engine, write_and_settle, isolated=False), True
    except BaseException:
        with engine.begin() as conn:
            conn.execute(
                idempotency_keys.delete().where(
                    _match(key), idempotency_keys.c.first_position.is_(None)
                )
            )
        raise


def _match(key: IdempotencyKey) -> sa.ColumnElement[bool]:
    return sa.and_(
        idempotency_keys.c.token_name == key.token_name, idempotency_keys.c.key == key.key
    )


def _claim(engine: Engine, key: IdempotencyKey) -> list[RecordedEvent] | None:
    """Claim the key for this request, or return the events of the request that owns it."""
    now = utc_now_text()
    try:
        with engine.begin() as conn:
            conn.execute(
                idempotency_keys.insert().values(
                    token_name=key.token_name,
                    key=key.key,
                    request_hash=key.request_hash,
                    claimed_at=now,
                )
            )
        return None
    except IntegrityError:
        pass
    # Reads the claim, then may take it over (UPDATE): on SQLite it must hold the write lock
    # from BEGIN, or the UPDATE could fail with "database is locked" (see engine.py).
    with write_transaction(engine) as conn:
        row = conn.execute(sa.select(idempotency_keys).where(_match(key))).first()
        if row is None:  # the owner failed and released it between our two statements
            return _claim(engine, key)
        if row.request_hash != key.request_hash:
            raise IdempotencyMismatch(
                "this Idempotency-Key was already used with a different request body"
            )
        if row.first_position is not None:
            return event_reads.events_by_positions(conn, row.first_position, row.last_position)
        stale_before = format_timestamp(datetime.now(UTC) - STALE_CLAIM)
        if row.claimed_at < stale_before:
            taken = conn.execute(
                idempotency_keys.update()
                .where(_match(key), idempotency_keys.c.claimed_at == row.claimed_at)
                .values(claimed_at=now)
            )
            if taken.rowcount == 1:
                return None
        raise IdempotencyInFlight(
            "a request with this Idempotency-Key is still in progress; retry later"
        )
