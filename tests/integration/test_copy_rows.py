"""PostgreSQL's bulk rows go in by COPY (store/pg_writes.copy_rows), each column dumped as
its own type: the COPY text is byte for byte what psycopg's default dumpers write for the
same values with the JSON cells as orjson's text, and every value reads back exactly, the
awkward ones included (tabs, newlines and backslashes in text and in JSON, a text that
reads like COPY's NULL marker, an integer beyond 64 bits, non-ASCII, NULL)."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from psycopg.copy import Copy, FileWriter

from service.readmodel.tables import OPEN, counter_deltas, fact_versions
from service.store import json_text, pg_send, pg_writes
from service.store.tables import events

AWKWARD = "tab\there, line\nbreak, back\\slash, \\N, carriage\rreturn, é, ✓, \x1f"
SHORT = "t\tn\nb\\ \\N é"  # for the columns of 36 characters
HUGE = 2**70  # beyond orjson: the standard encoder writes it (json_text.dumps gives text)


def event_row(position: int, **changes: object) -> dict[str, object]:
    return {
        "position": position,
        "id": f"00000000-0000-4000-8000-{position:012d}",
        "stream": f"swap/{AWKWARD}-{position}",
        "stream_version": 1,
        "type": "swap.completed",
        "schema_version": 1,
        "occurred_on": date(2024, 2, 29),
        "date_precision": "day",
        "recorded_at": "2026-12-06T03:00:00.000000Z",
        "recorded_by": AWKWARD,
        "data": {"notes": AWKWARD, "tally": HUGE, "ratio": 0.1, "nested": [{"q": '"x"'}]},
        "sources": ({"url": "https://example.org/a\\b", "title": AWKWARD},),
        "target_id": None,
        "prev_hash": "0" * 64,
        "hash": f"{position:064d}",
        **changes,
    }


def version_row(position: int) -> dict[str, object]:
    return {
        "event_id": f"00000000-0000-4000-8000-{position:012d}",
        "position": position,
        "type": "swap.completed",
        "stream": f"swap/{position}",
        "occurred_on": date(2014, 1, 1),
        "date_precision": "month",
        "data": {"notes": AWKWARD, "tally": HUGE},
        "sources": (),
        "corrected_by": ("a", "b"),
        "retracted": False,
        "resource_retracted": True,
        "live": False,
        "parties": ",RU,UA,",
        "valid_from": position,
        "valid_to": OPEN,
    }


def delta_row(position: int) -> dict[str, object]:
    """A plain JSON column (json, not jsonb, on PostgreSQL)."""
    return {"position": position, "deltas": {AWKWARD: -position, f"total\x1f{SHORT}": HUGE}}


@pytest.fixture(autouse=True)
def _postgresql_only(backend):
    if backend != "postgresql":
        pytest.skip("COPY is PostgreSQL's")


def default_dumpers(conn, table: sa.Table, rows: list[dict[str, object]]) -> bytes:
    """The COPY text psycopg's default dumpers write, with the JSON cells as orjson's text
    (how copy_rows formatted rows before it dumped each column as its type)."""
    columns = [c for c in table.columns if c is not table.autoincrement_column]
    data = io.BytesIO()
    driver = conn.connection.driver_connection
    with driver.cursor() as cursor, Copy(cursor, writer=FileWriter(data)) as copy:
        for row in rows:
            copy.write_row(
                [
                    json_text.text(row[c.name]) if isinstance(c.type, sa.JSON) else row[c.name]
                    for c in columns
                ]
            )
    return data.getvalue()


@pytest.mark.parametrize(
    ("table", "rows"),
    [
        (events, [event_row(1), event_row(2, target_id=SHORT, sources=())]),
        (fact_versions, [version_row(1), version_row(2)]),
        (counter_deltas, [delta_row(1), delta_row(2)]),
    ],
    ids=["events", "fact_versions", "counter_deltas"],
)
def test_the_copy_text_is_what_the_default_dumpers_wrote(engine, table, rows):
    with engine.connect() as conn, conn.begin():
        pg_writes.copy_rows(conn, table, rows, deferred=True)
        [(statement, text, kind, _)] = conn.info.pop(pg_writes.DEFERRED)
        assert kind is pg_send.COPY and statement.startswith(f"COPY {table.name} (")
        assert text == default_dumpers(conn, table, rows)
        conn.rollback()


def test_every_value_reads_back_exactly(engine):
    rows = [event_row(1), event_row(2, target_id=SHORT, sources=())]
    with engine.connect() as conn, conn.begin():
        pg_writes.copy_rows(conn, events, rows)
        stored = [
            dict(row._mapping) for row in conn.execute(sa.select(events).order_by("position"))
        ]
        conn.rollback()
    for read, written in zip(stored, rows, strict=True):
        expected = {**written, "sources": [dict(s) for s in written["sources"]]}  # type: ignore[union-attr]
        assert read == expected
        assert type(read["data"]["tally"]) is int


def test_a_plain_json_column_reads_back_exactly(engine):
    rows = [delta_row(1), delta_row(2)]
    with engine.connect() as conn, conn.begin():
        pg_writes.copy_rows(conn, counter_deltas, rows)
        stored = [
            dict(row._mapping)
            for row in conn.execute(sa.select(counter_deltas).order_by("position"))
        ]
        conn.rollback()
    assert stored == rows
    assert all(type(v) is int for row in stored for v in row["deltas"].values())
