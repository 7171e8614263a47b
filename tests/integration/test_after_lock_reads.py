"""Once the append lock is held, the head and the engine's after-lock reads are read at once
(PostgreSQL: in the lock's round trip, store/pg_lock; SQLite: one statement on the driver
right after BEGIN IMMEDIATE, store/sqlite_head), and the transaction's users take them from
there: the same values on both stores."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service.readmodel.position import STATE_NAME
from service.store import engine as engine_module
from service.store import tokens as token_store
from service.store.append import append_in
from service.store.engine import append_transaction
from service.store.token_cache import TOKENS_READ
from tests.builders import new_swap


def test_the_head_and_the_reads_are_there_once_the_lock_is_held(engine):
    with append_transaction(engine) as conn:  # an empty log
        assert conn.info[engine_module.HEAD] == (0, None)
        assert conn.info[engine_module.AFTER_LOCK] == {STATE_NAME: None, TOKENS_READ: "0:0:"}
        append_in(conn, [new_swap("swap/a"), new_swap("swap/b")], recorded_by="t")
    for name in ("one", "two", "three"):
        token_store.create_token(engine, f"reads-{name}", "write")
    token_store.revoke_token(engine, "reads-one")
    token_store.revoke_token(engine, "reads-three")
    with engine.connect() as conn:
        stored_hash = conn.execute(sa.text("SELECT hash FROM events WHERE position = 2")).scalar()
        latest = conn.execute(sa.text("SELECT max(created_at) FROM tokens")).scalar()
    with append_transaction(engine) as conn:
        assert conn.info[engine_module.HEAD] == (2, stored_hash)
        assert conn.info[engine_module.AFTER_LOCK] == {STATE_NAME: 2, TOKENS_READ: f"3:2:{latest}"}
        (appended,) = append_in(conn, [new_swap("swap/c")], recorded_by="t")
    assert appended.position == 3


def test_sqlite_reads_them_in_one_statement_after_begin_immediate(backend, engine):
    if backend != "sqlite":
        pytest.skip("PostgreSQL reads them in the lock's round trip: test_lock_round_trip.py")
    with engine.connect() as conn:  # the pooled connection the transaction will use
        driver = conn.connection.driver_connection
    traced: list[str] = []
    driver.set_trace_callback(traced.append)
    try:
        with append_transaction(engine) as conn:
            assert conn.connection.driver_connection is driver
            append_in(conn, [new_swap("swap/a")], recorded_by="t")
    finally:
        driver.set_trace_callback(None)
    reads = [
        s for s in traced if "position DESC" in s or "projection_state" in s or "FROM tokens" in s
    ]
    assert traced[0] == "BEGIN IMMEDIATE"
    assert reads[0] == traced[1]  # the first statement after BEGIN reads them all
    assert all(
        part in reads[0] for part in ("ORDER BY position DESC", "projection_state", "tokens")
    )
    # Nothing else reads them in the transaction (the projections' position is written).
    assert not [s for s in reads[1:] if s.lstrip().upper().startswith("SELECT")], reads
