"""Idempotency keys live in the append transaction, and cost a write without one nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service.domain import events as ev
from service.recording import WriteRequest, fingerprint, record
from service.schemas.swaps import SwapWrite
from service.store.tables import idempotency_keys
from tests.builders import swap_body


def _request(key: str | None = None) -> WriteRequest:
    raw = swap_body()
    return WriteRequest(
        event_type=ev.SWAP_COMPLETED,
        body=SwapWrite().load(raw),
        recorded_by="newsroom",
        idempotency_key=key,
        request_fingerprint=fingerprint("POST", "/v1/swaps", raw) if key else "",
    )


@pytest.fixture
def statements(engine):
    """The SQL statements sent through SQLAlchemy (PostgreSQL's deferred writes are not)."""
    sent: list[str] = []

    def _record(_conn, _cursor, statement, *_args):
        sent.append(" ".join(statement.split()))

    sa.event.listen(engine, "before_cursor_execute", _record)
    yield sent
    sa.event.remove(engine, "before_cursor_execute", _record)


def _touching_keys(sent: list[str]) -> list[str]:
    return [s.split()[0] for s in sent if "idempotency_keys" in s]


class TestStatements:
    def test_a_write_without_a_key_never_touches_the_keys(self, engine, statements):
        record(engine, _request())
        assert _touching_keys(statements) == []

    def test_a_keyed_write_looks_its_key_up_once_and_records_it_with_its_event(
        self, engine, statements, backend
    ):
        _, fresh = record(engine, _request("k1"))
        # The record is a deferred write on PostgreSQL, sent with the batch's other writes.
        assert _touching_keys(statements) == ["SELECT"] + (
            ["INSERT"] if backend == "sqlite" else []
        )
        with engine.connect() as conn:
            row = conn.execute(sa.select(idempotency_keys)).one()
        assert (row.key, row.first_position, row.last_position, fresh) == ("k1", 1, 1, True)

    def test_a_replay_looks_its_key_up_and_writes_nothing(self, engine, statements):
        first, _ = record(engine, _request("k1"))
        statements.clear()
        again, fresh = record(engine, _request("k1"))
        assert (again, fresh) == (first, False)
        assert _touching_keys(statements) == ["SELECT"]
        assert not any(s.startswith(("INSERT", "UPDATE", "DELETE")) for s in statements)
