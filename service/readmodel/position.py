"""The log position the stored projections reflect (written with their rows, never apart)."""

from __future__ import annotations

import time
import weakref

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..store import sqlite_writes
from ..store.engine import AFTER_LOCK
from ..store.faults import unavailable
from ..store.tables import events
from .shared_head import shared_head
from .tables import projection_state

STATE_NAME = "projections"
STORED_POSITION = sa.select(projection_state.c.position).where(
    projection_state.c.name == STATE_NAME
)


# The head the projections reflect and the chain hash there, in one statement.
HEAD_WITH_HASH = (
    sa.select(projection_state.c.position, events.c.hash)
    .select_from(
        projection_state.outerjoin(events, events.c.position == projection_state.c.position)
    )
    .where(projection_state.c.name == STATE_NAME)
)
_HEAD_SQL: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def head_with_hash(engine: Engine) -> tuple[int, str | None]:
    """(position, chain hash there) of the head, (0, None) before the first append.

    Asked on every read of the head, so it skips SQLAlchemy's statement machinery: one
    prepared statement on a pooled driver connection, in autocommit (a single statement is
    its own snapshot), no BEGIN or ROLLBACK round trips.
    """
    sql = _HEAD_SQL.get(engine)
    if sql is None:
        compiled = HEAD_WITH_HASH.compile(engine, compile_kwargs={"literal_binds": True})
        sql = _HEAD_SQL[engine] = str(compiled)
    pooled = engine.raw_connection()
    try:
        driver = pooled.driver_connection
        if engine.dialect.name == "postgresql":
            driver.autocommit = True
            try:
                row = driver.execute(sql, prepare=True).fetchone()
            finally:
                driver.autocommit = False
        else:  # pysqlite in autocommit (service/store/engine.py): no transaction is left open
            row = driver.execute(sql).fetchone()
    except Exception as exc:
        if unavailable(exc):  # a cut connection: the pool's ROLLBACK would fail (and log it)
            pooled.invalidate()
        raise
    finally:
        pooled.close()
    return (int(row[0]), row[1]) if row else (0, None)


def current_head(engine: Engine) -> tuple[int, str | None]:
    """``head_with_hash`` as of now: from a lookup that started after this call, shared with
    the requests waiting alongside (service/readmodel/shared_head.py)."""
    arrived = time.monotonic()
    return shared_head(engine, head_with_hash).get(arrived)


def stored_position(conn: Connection) -> int:
    """The position the stored projections reflect (0 before the first append)."""
    value = conn.execute(STORED_POSITION).scalar()
    return int(value or 0)


def position_at_start(conn: Connection) -> int:
    """The stored position, as read with the append lock when this is the transaction's
    first projection step (PostgreSQL: no round trip of its own), else read now."""
    after_lock = conn.info.get(AFTER_LOCK) or {}
    if STATE_NAME in after_lock:
        return int(after_lock.pop(STATE_NAME) or 0)
    return stored_position(conn)


def forget_position_read(conn: Connection) -> None:
    """Drop the position read with the lock (the projections are about to be emptied)."""
    (conn.info.get(AFTER_LOCK) or {}).pop(STATE_NAME, None)


def set_position(conn: Connection, new: int) -> None:
    """Record the position reached (SQLite; PostgreSQL defers the same upsert)."""
    sqlite_writes.put_rows(conn, projection_state, "name", [{"name": STATE_NAME, "position": new}])
