"""Idempotency keys: a retry with the same key and body gets the original events back.

A key is looked up and recorded inside the append transaction, under the append lock, in
the same transaction as the events it produced. So a key never exists without its events
(nor events without their key), a request that dies takes nothing with it but its
rolled-back transaction, and two requests with one key never both append: the second one
waits for the lock, then finds the first one's key and replays it. There is no "claim" to
go stale and no in-flight state for a retry to run into.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection

from ..domain.errors import IdempotencyMismatch
from ..domain.events import RecordedEvent
from . import event_reads, pg_writes
from .append import flush_staged
from .engine import utc_now_text
from .pg_merge import independent
from .tables import idempotency_keys

_SETTLED = ("request_hash", "claimed_at", "first_position", "last_position")
_PG_REMEMBER = independent(
    "INSERT INTO idempotency_keys (token_name, key, request_hash, claimed_at, first_position,"
    " last_position) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (token_name, key) DO UPDATE SET "
    + ", ".join(f"{name} = EXCLUDED.{name}" for name in _SETTLED)
    + " WHERE idempotency_keys.first_position IS NULL",
    "idempotency_keys",
)


@dataclass(frozen=True, slots=True)
class IdempotencyKey:
    token_name: str
    key: str
    request_hash: str


def replayed(conn: Connection, key: IdempotencyKey) -> list[RecordedEvent] | None:
    """In the append transaction: the events this key already produced, or None when the
    request is new (the caller then appends and calls ``remember``)."""
    row = conn.execute(
        sa.select(
            idempotency_keys.c.request_hash,
            idempotency_keys.c.first_position,
            idempotency_keys.c.last_position,
        ).where(_match(key))
    ).first()
    # first_position NULL: a claim row of an earlier release, whose request is gone.
    if row is None or row.first_position is None:
        return None
    if row.request_hash != key.request_hash:
        raise IdempotencyMismatch(
            "this Idempotency-Key was already used with a different request body"
        )
    flush_staged(conn)  # the original may be an earlier append of this very batch
    return event_reads.events_by_positions(conn, row.first_position, row.last_position)


def remember(conn: Connection, key: IdempotencyKey, written: list[RecordedEvent]) -> None:
    """In the append transaction, after the append: the key now names these events.

    The write's last statement (deferred on PostgreSQL, sent with the batch's other writes:
    no round trip of its own). An upsert only to take over a NULL row an earlier release
    left behind; a key already settled cannot be here (it would have been replayed).
    """
    values = {
        "token_name": key.token_name,
        "key": key.key,
        "request_hash": key.request_hash,
        "claimed_at": utc_now_text(),
        "first_position": written[0].position,
        "last_position": written[-1].position,
    }
    if conn.dialect.name == "postgresql":
        pg_writes.defer(conn, _PG_REMEMBER, tuple(values.values()))
        return
    insert = sqlite.insert(idempotency_keys).values(values)
    conn.execute(
        insert.on_conflict_do_update(
            index_elements=[idempotency_keys.c.token_name, idempotency_keys.c.key],
            set_={name: insert.excluded[name] for name in _SETTLED},
            where=idempotency_keys.c.first_position.is_(None),
        )
    )


def _match(key: IdempotencyKey) -> sa.ColumnElement[bool]:
    return sa.and_(
        idempotency_keys.c.token_name == key.token_name, idempotency_keys.c.key == key.key
    )
