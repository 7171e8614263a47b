"""An append transaction's last writes and COMMIT as one message (PostgreSQL,
``store/pg_script``): parameters as literals, written exactly; a write prepared once per
connection; integers whatever their size; unprepared writes inlined; an executemany run for
each row; the first error aborts everything after it, COMMIT included."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
import sqlalchemy as sa

from service.readmodel import pg_writes as readmodel_writes
from service.readmodel.tables import counters, day_counts, projection_state
from service.store import pg_script, pg_writes
from service.store.append import append_in
from service.store.group_commit import GroupCommitter
from tests.builders import new_swap

AWKWARD = ["o'brien", 'say "hi"', "back\\slash", "{brace,comma}", "київ 🕊", "%s %% $1"]


@pytest.fixture
def pg(backend):
    if backend != "postgresql":
        pytest.skip("the commit's writes are queued on PostgreSQL only")


def _commit(engine, queued) -> None:
    """Begin a transaction on a connection of the engine, then end it with ``queued``."""
    with engine.connect() as conn:
        conn.begin()
        conn.exec_driver_sql("SELECT 1")  # psycopg's BEGIN
        driver = conn.connection.driver_connection
        try:
            pg_script.commit(driver, queued)
        finally:
            conn.rollback()  # a no-op once committed


def _prepared_here(conn) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT statement FROM pg_prepared_statements WHERE name LIKE 'pel\\_%%'"
    )
    return sorted(row[0] for row in rows)


def _counters(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(counters.c.key, counters.c.value)).all())


def _rows(values: dict[str, int]) -> tuple:
    return (pg_writes.json_rows([{"key": k, "value": v} for k, v in values.items()]),)


class TestLiterals:
    def test_awkward_text_and_json_are_written_exactly(self, engine, pg):
        values = {key: n for n, key in enumerate(AWKWARD, start=1)}
        state = ("name " + AWKWARD[0], 2**40)
        _commit(
            engine,
            [
                (readmodel_writes.ADD_COUNTERS, _rows(values), False, None),
                (readmodel_writes.SET_POSITION, state, False, None),
            ],
        )
        assert _counters(engine) == values
        with engine.connect() as conn:
            stored = conn.execute(sa.select(projection_state.c.name, projection_state.c.position))
            assert tuple(stored.one()) == state

    def test_an_unprepared_write_goes_in_with_its_literals_in_place(self, engine, pg):
        _commit(
            engine, [(readmodel_writes.ADD_COUNTERS, _rows(dict.fromkeys(AWKWARD, 0)), False, None)]
        )
        drop = [(readmodel_writes.DROP_ZERO_COUNTERS, (AWKWARD[:3],), False, False)]
        _commit(engine, drop)
        assert _counters(engine) == dict.fromkeys(AWKWARD[3:], 0)

    def test_a_day_array_and_an_executemany(self, engine, pg):
        day = {"day": "2026-02-05", **{c: 0 for c in readmodel_writes.DAY_COLUMNS}}
        _commit(engine, [(readmodel_writes.ADD_DAYS, (pg_writes.json_rows([day]),), False, None)])
        _commit(engine, [(readmodel_writes.DROP_ZERO_DAYS, ([date(2026, 2, 5)],), False, False)])
        with engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(day_counts)).scalar() == 0
        many = [("k1", 1), ("k2", 2)]
        upsert = "INSERT INTO counters (key, value) VALUES (%s, %s)"
        _commit(engine, [(upsert, many, True, None)])
        assert _counters(engine) == {"k1": 1, "k2": 2}

    def test_an_unprepared_write_keeps_a_literal_percent_and_counts_its_parameters(
        self, engine, pg
    ):
        _commit(engine, [(readmodel_writes.ADD_COUNTERS, _rows({"ab": 1, "xb": 1}), False, None)])
        drop = "DELETE FROM counters WHERE key LIKE 'a%%' AND value = %s"
        with pytest.raises(psycopg.ProgrammingError, match="2 parameters"):
            _commit(engine, [(drop, (1, 2), False, False)])
        _commit(engine, [(drop, (1,), False, False)])
        assert _counters(engine) == {"xb": 1}

    def test_named_parameters_are_refused_before_anything_is_sent(self, engine, pg):
        with pytest.raises(TypeError, match="positional"):
            _commit(engine, [(readmodel_writes.ADD_COUNTERS, {"rows": "x"}, False, None)])


class TestPrepared:
    def test_a_write_is_prepared_once_per_connection_and_takes_any_integer(self, engine, pg):
        with engine.connect() as conn:
            driver = conn.connection.driver_connection
            for position in (7, 40_000, 2**40):
                conn.begin()
                conn.exec_driver_sql("SELECT 1")
                queued = [(readmodel_writes.SET_POSITION, ("p", position), False, None)]
                pg_script.commit(driver, queued)
                conn.rollback()
                stored = conn.execute(sa.select(projection_state.c.position)).scalar()
                assert stored == position
                conn.rollback()
            (statement,) = _prepared_here(conn)
            assert statement.startswith(
                "INSERT INTO projection_state (name, position) VALUES ($1, $2)"
            )

    def test_group_committed_appends_reuse_their_statements(self, engine, pg):
        committer = GroupCommitter(engine)

        def append(n):
            def work(conn):
                return append_in(conn, [new_swap(f"swap/s{n}", received=n)], recorded_by="t")

            return work

        for n in range(1, 6):
            committer.run(append(n), isolated=False)
        names = pg_script._PREPARED[committer._conn.connection.driver_connection]
        assert names and all(name.startswith("pel_") for name in names.values())
        before = dict(names)
        for n in range(6, 12):
            committer.run(append(n), isolated=False)
        assert names == before  # the same statements, prepared once
        assert _prepared_here(committer._conn) == sorted(_numbered(text) for text in names)
        committer._release()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar() == 11


def _numbered(text: str) -> str:
    n = 0
    while "%s" in text:
        n += 1
        text = text.replace("%s", f"${n}", 1)
    return text


class TestErrors:
    def test_the_first_error_is_raised_and_nothing_commits(self, engine, pg):
        with engine.connect() as conn:
            conn.begin()
            conn.exec_driver_sql("SELECT 1")
            driver = conn.connection.driver_connection
            queued = [
                (readmodel_writes.ADD_COUNTERS, _rows({"kept": 1}), False, None),
                ("INSERT INTO counters (key, value) VALUES (%s, %s)", ("kept", 2), False, None),
            ]
            with pytest.raises(psycopg.errors.UniqueViolation):
                pg_script.commit(driver, queued)
            assert driver.info.transaction_status == psycopg.pq.TransactionStatus.INERROR
            conn.rollback()
        assert _counters(engine) == {}

    def test_a_statement_that_cannot_be_prepared_is_raised(self, engine, pg):
        with pytest.raises(psycopg.errors.UndefinedTable):
            _commit(engine, [("INSERT INTO no_such_table VALUES (%s)", (1,), False, None)])
