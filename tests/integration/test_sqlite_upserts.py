"""SQLite's counter, day-count and position upserts go in on the driver
(store/sqlite_writes: add_rows, put_rows, delete_zero_rows), stored as SQLAlchemy stores the
same values, and read back through the tables exactly."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from service.readmodel.tables import DAY_COLUMNS, counters, day_counts, projection_state
from service.store import sqlite_writes

AWKWARD_KEY = "day\x1f2024-02-29\x1fswaps 'quoted' \"double\" %25 é ✓"


@pytest.fixture(autouse=True)
def _sqlite_only(backend):
    if backend != "sqlite":
        pytest.skip("these are SQLite's statements (PostgreSQL: readmodel.pg_writes)")


def stored(engine, table: sa.Table, key: str) -> dict:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(table)).mappings().all()
    return {row[key]: dict(row) for row in rows}


def test_add_rows_inserts_new_keys_and_adds_to_stored_ones(engine):
    with engine.begin() as conn:
        sqlite_writes.add_rows(
            conn, counters, "key", [{"key": "a", "value": 5}, {"key": AWKWARD_KEY, "value": 1}]
        )
        sqlite_writes.add_rows(
            conn, counters, "key", [{"key": "a", "value": -2}, {"key": "b", "value": 7}]
        )
    values = {k: row["value"] for k, row in stored(engine, counters, "key").items()}
    assert values == {"a": 3, AWKWARD_KEY: 1, "b": 7}


def test_day_counts_add_per_column_and_read_back_as_dates(engine):
    leap, other = date(2024, 2, 29), date(2014, 1, 1)
    first = {"day": leap, **dict.fromkeys(DAY_COLUMNS, 0), "swaps": 1, "breaches": 2}
    second = {"day": leap, **dict.fromkeys(DAY_COLUMNS, 0), "swaps": 3, "refusals": 1}
    third = {"day": other, **dict.fromkeys(DAY_COLUMNS, 0), "proposals": 4}
    with engine.begin() as conn:
        sqlite_writes.add_rows(conn, day_counts, "day", [first])
        sqlite_writes.add_rows(conn, day_counts, "day", [second, third])
    rows = stored(engine, day_counts, "day")
    assert set(rows) == {leap, other}  # dates, as SQLAlchemy's Date reads them
    assert rows[leap] == {
        "day": leap,
        **dict.fromkeys(DAY_COLUMNS, 0),
        "swaps": 4,
        "breaches": 2,
        "refusals": 1,
    }
    assert rows[other]["proposals"] == 4
    with engine.connect() as conn:  # the same text as a write through SQLAlchemy would store
        found = conn.execute(sa.select(day_counts.c.day).where(day_counts.c.day == leap))
        assert found.scalar_one() == leap


def test_delete_zero_rows_removes_only_the_named_rows_that_fell_to_zero(engine):
    with engine.begin() as conn:
        sqlite_writes.add_rows(
            conn,
            counters,
            "key",
            [{"key": k, "value": v} for k, v in (("gone", 0), ("kept", 0), ("live", 2))],
        )
        sqlite_writes.delete_zero_rows(conn, counters, "key", ["gone", "live", "never stored"])
        sqlite_writes.delete_zero_rows(conn, counters, "key", [])
    assert {k: row["value"] for k, row in stored(engine, counters, "key").items()} == {
        "kept": 0,
        "live": 2,
    }
    zero = {"day": date(2024, 2, 29), **dict.fromkeys(DAY_COLUMNS, 0)}
    partly = {**zero, "day": date(2024, 3, 1), "failed_attempts": 1}
    with engine.begin() as conn:
        sqlite_writes.add_rows(conn, day_counts, "day", [zero, partly])
        sqlite_writes.delete_zero_rows(conn, day_counts, "day", [zero["day"], partly["day"]])
    assert set(stored(engine, day_counts, "day")) == {partly["day"]}


def test_put_rows_replaces_the_stored_row(engine):
    with engine.begin() as conn:
        sqlite_writes.put_rows(conn, projection_state, "name", [{"name": "p", "position": 7}])
        sqlite_writes.put_rows(conn, projection_state, "name", [{"name": "p", "position": 9}])
        sqlite_writes.put_rows(conn, projection_state, "name", [{"name": "q", "position": 1}])
    rows = stored(engine, projection_state, "name")
    assert {k: row["position"] for k, row in rows.items() if k in ("p", "q")} == {"p": 9, "q": 1}


def test_the_writes_roll_back_with_their_transaction(engine):
    with pytest.raises(RuntimeError), engine.begin() as conn:
        sqlite_writes.add_rows(conn, counters, "key", [{"key": "a", "value": 1}])
        raise RuntimeError("abort")
    assert "a" not in stored(engine, counters, "key")
