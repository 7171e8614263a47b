"""The database itself refuses to change or remove a stored event, on both backends."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from service.store.append import append
from service.store.tables import events
from tests.builders import new_swap


@pytest.fixture
def stored_row(engine) -> dict:
    append(
        engine,
        [new_swap()],
        recorded_by="newsroom",
    )
    return _rows(engine)[0]


def _rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(events))]


def _refused(engine, statement: str) -> str:
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.exec_driver_sql(statement)
    return str(caught.value.orig)


class TestEventsAreAppendOnly:
    def test_a_raw_update_is_refused_and_the_row_is_unchanged(self, engine, stored_row):
        message = _refused(engine, "UPDATE events SET recorded_by = 'mallory' WHERE position = 1")
        assert "events are append-only: UPDATE is not allowed" in message
        assert _rows(engine) == [stored_row]

    def test_an_update_of_the_payload_is_refused_too(self, engine, stored_row):
        _refused(engine, "UPDATE events SET data = sources")
        assert _rows(engine) == [stored_row]

    def test_a_raw_delete_is_refused_and_the_row_is_still_there(self, engine, stored_row):
        message = _refused(engine, "DELETE FROM events")
        assert "events are append-only: DELETE is not allowed" in message
        assert _rows(engine) == [stored_row]

    def test_truncate_is_refused_on_postgresql(self, engine, stored_row, backend):
        if backend != "postgresql":
            pytest.skip("SQLite has no TRUNCATE; DELETE FROM is its form and is refused above")
        message = _refused(engine, "TRUNCATE events")
        assert "events are append-only: TRUNCATE is not allowed" in message
        assert _rows(engine) == [stored_row]
