"""Queued writes that only add rows to their own table go out as one statement (PostgreSQL,
``store/pg_merge``): what they write is what the separate statements wrote; writes on the
same table, and anything that reads or changes rows (an UPDATE, a DELETE, an executemany,
an unprepared statement), are never merged; the NOTIFY still reaches its listeners; an
error in any part rolls the whole transaction back."""

from __future__ import annotations

from concurrent.futures import Future

import psycopg
import pytest
import sqlalchemy as sa

from service.readmodel import pg_writes as readmodel_writes
from service.readmodel.tables import counter_deltas, counters, fact_versions, projection_state
from service.store import pg_merge, pg_script, pg_writes
from service.store.append import append_in
from service.store.engine import append_transaction
from service.store.group_commit import GroupCommitter
from service.store.tables import events
from tests.builders import new_swap

ADD = readmodel_writes.ADD_COUNTERS
POSITION = readmodel_writes.SET_POSITION
DELTAS = pg_writes.insert_from_json(counter_deltas)


def counter_rows(values: dict[str, int]) -> tuple:
    return (pg_writes.json_rows([{"key": k, "value": v} for k, v in values.items()]),)


class TestGrouping:
    """``merged`` alone, on queued items as ``pg_writes.defer`` makes them."""

    def test_independent_writes_on_distinct_tables_become_one_statement(self):
        queued = [
            (ADD, ("c",), False, None),
            (pg_writes.NOTIFY, ("channel", "payload"), False, None),
            (POSITION, ("read_model", 7), False, None),
        ]
        ((statement, params, many, prepare),) = pg_merge.merged(queued)
        # The NOTIFY is the main query (a SELECT in a WITH part that nothing reads would not
        # run); the others are WITH parts in queue order, their parameters in that order.
        assert statement == f"WITH w0 AS ({ADD}), w1 AS ({POSITION}) {pg_writes.NOTIFY}"
        assert params == ("c", "read_model", 7, "channel", "payload")
        assert (many, prepare) == (False, None)

    def test_a_second_write_on_the_same_table_starts_a_new_statement(self):
        queued = [
            (ADD, ("a",), False, None),
            (POSITION, ("read_model", 1), False, None),
            (ADD, ("b",), False, None),
            (POSITION, ("read_model", 2), False, None),
        ]
        sent = list(pg_merge.merged(queued))
        assert [params for _, params, _, _ in sent] == [
            ("a", "read_model", 1),
            ("b", "read_model", 2),
        ]
        assert all(statement.startswith(f"WITH w0 AS ({ADD})") for statement, *_ in sent)

    @pytest.mark.parametrize(
        "barrier",
        [
            (readmodel_writes.CLOSE_VERSIONS, [(1, "e", 2)], True, None),  # executemany
            (readmodel_writes.DROP_ZERO_COUNTERS, (["k"],), False, False),  # unprepared
            ("UPDATE counters SET value = 0", (), False, None),  # not declared independent
            (ADD, ("c",), True, None),  # an independent statement, but as executemany
            (ADD, {"rows": "c"}, False, None),  # named parameters: not joined in order
        ],
    )
    def test_anything_else_is_sent_alone_and_in_its_place(self, barrier):
        queued = [(ADD, ("a",), False, None), barrier, (POSITION, ("read_model", 1), False, None)]
        assert list(pg_merge.merged(queued)) == queued

    def test_a_lone_independent_write_is_sent_as_it_was(self):
        queued = [(DELTAS, ("rows",), False, None)]
        assert list(pg_merge.merged(queued)) == queued


@pytest.fixture
def pg(backend):
    if backend != "postgresql":
        pytest.skip("writes are queued and merged on PostgreSQL only")


def executed(monkeypatch) -> list[str]:
    """The statements the writes' pipelines run, as psycopg's cursor is asked to, and those
    the commit's message carries (``pg_script``: each write as merged, then COMMIT)."""
    seen: list[str] = []
    execute, merged, run = psycopg.Cursor.execute, pg_script.merged, pg_script.run

    def observed(self, query, params=None, **kwargs):
        seen.append(str(query))
        return execute(self, query, params, **kwargs)

    def merging(queued):
        for item in merged(queued):
            seen.append(item[0])
            yield item

    def sent(driver, text, expected):
        seen.extend(["COMMIT"] if text.endswith("; COMMIT") or text == "COMMIT" else [])
        return run(driver, text, expected)

    monkeypatch.setattr(psycopg.Cursor, "execute", observed)
    monkeypatch.setattr(pg_script, "merged", merging)
    monkeypatch.setattr(pg_script, "run", sent)
    return seen


class TestOnTheServer:
    def test_an_append_ends_with_one_write_statement_and_its_commit(self, engine, pg, monkeypatch):
        with append_transaction(engine) as conn:
            append_in(conn, [new_swap("swap/a", received=7)], recorded_by="t")
            seen = executed(monkeypatch)
            pg_writes.commit_with_writes(conn)
        assert len(seen) == 2 and seen[1] == "COMMIT"
        parts = [
            pg_writes.insert_from_json(events),
            pg_writes.insert_from_json(fact_versions),
            DELTAS,
            ADD,
            readmodel_writes.ADD_DAYS,
            POSITION,
        ]
        assert seen[0].startswith(f"WITH w0 AS ({parts[0]}), w1 AS (")
        assert seen[0].endswith(f") {pg_writes.NOTIFY}")
        assert all(f" AS ({part})" in seen[0] for part in parts)
        assert seen[0].count(" AS (INSERT INTO ") == len(parts)
        with engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(events)).scalar() == 1
            key = "total\x1fUA\x1freceived"
            value = conn.execute(sa.select(counters.c.value).where(counters.c.key == key))
            assert value.scalar() == 7
            position = sa.select(projection_state.c.position)
            assert conn.execute(position).scalar() == 1

    def test_writes_on_one_table_each_see_the_one_before(self, engine, pg):
        """Two upserts of the same counter in one queue (two pieces of a group commit run
        one by one): merged into one statement, the second could not see the first's row."""
        with engine.connect() as conn, conn.begin():
            pg_writes.defer(conn, ADD, counter_rows({"k": 2}))
            pg_writes.defer(conn, POSITION, ("read_model", 1))
            pg_writes.defer(conn, ADD, counter_rows({"k": 3}))
            pg_writes.defer(conn, POSITION, ("read_model", 2))
            pg_writes.flush(conn)
            value = conn.execute(sa.select(counters.c.value).where(counters.c.key == "k"))
            assert value.scalar() == 5
            assert conn.execute(sa.select(projection_state.c.position)).scalar() == 2

    def test_the_notification_is_delivered(self, engine, pg, database_url):
        dsn = sa.engine.make_url(database_url).set(drivername="postgresql")
        with psycopg.connect(dsn.render_as_string(False), autocommit=True) as listener:
            listener.execute("LISTEN merged_test")
            with engine.connect() as conn, conn.begin():
                pg_writes.defer(conn, ADD, counter_rows({"k": 1}))
                pg_writes.notify(conn, "merged_test", "hello")
                pg_writes.defer(conn, POSITION, ("read_model", 1))
                pg_writes.commit_with_writes(conn)
            received = [n.payload for n in listener.notifies(timeout=5, stop_after=1)]
        assert received == ["hello"]

    def test_an_error_in_one_part_rolls_back_every_part(self, engine, pg):
        with engine.begin() as conn:  # the commit sends what is queued
            pg_writes.insert_rows(conn, counter_deltas, [{"position": 1, "deltas": {"k": 1}}])
        with (
            pytest.raises((sa.exc.DBAPIError, psycopg.Error)),
            engine.connect() as conn,
            conn.begin(),
        ):
            pg_writes.defer(conn, ADD, counter_rows({"k": 1}))
            pg_writes.insert_rows(conn, counter_deltas, [{"position": 1, "deltas": {}}])
            pg_writes.defer(conn, POSITION, ("read_model", 1))
            pg_writes.commit_with_writes(conn)
        with engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(counters)).scalar() == 0
            state = sa.select(sa.func.count()).select_from(projection_state)
            assert conn.execute(state).scalar() == 0

    def test_a_group_commit_whose_merged_write_fails_commits_the_other_pieces(
        self, engine, pg, monkeypatch
    ):
        def append(name: str):
            return lambda conn: append_in(conn, [new_swap(f"swap/{name}")], recorded_by="t")

        def bad(conn):  # two writes queued together: sent as one statement, which fails
            append_in(conn, [new_swap("swap/bad")], recorded_by="t")
            pg_writes.insert_rows(conn, counter_deltas, [{"position": "x", "deltas": {}}])
            pg_writes.defer(conn, ADD, counter_rows({"bad": 1}))

        batch = [(append("one"), Future(), False), (bad, Future(), False)]
        batch.append((append("two"), Future(), False))
        seen = executed(monkeypatch)
        GroupCommitter(engine)._commit(batch)
        assert f"WITH w0 AS ({DELTAS}) {ADD}" in seen
        assert [f.exception() is None for _, f, _ in batch] == [True, False, True]
        with engine.connect() as conn:
            stored = conn.execute(sa.select(events.c.stream).order_by(events.c.position))
            assert list(stored.scalars()) == ["swap/one", "swap/two"]
            bad = conn.execute(sa.select(counters.c.value).where(counters.c.key == "bad"))
            assert bad.first() is None  # the failing statement's other part is gone too
