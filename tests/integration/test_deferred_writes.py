"""Writes that need no answer are deferred on PostgreSQL (store/pg_writes.py): whatever the
store, what a transaction appended is visible to its own later reads, survives its COMMIT,
and disappears with its ROLLBACK (or its SAVEPOINT's) without leaking into the next one."""

from __future__ import annotations

from concurrent.futures import Future

import psycopg
import pytest
import sqlalchemy as sa

from service.readmodel import pg_writes as readmodel_writes
from service.readmodel.position import stored_position
from service.readmodel.tables import OPEN, counter_deltas, counters, fact_versions
from service.readmodel.update import rebuild
from service.store import event_reads, pg_writes
from service.store.append import append_in
from service.store.engine import append_transaction, append_transaction_on
from service.store.group_commit import GroupCommitter
from service.store.tables import events
from tests.builders import correction_body, new_swap, post, swap_body


class Boom(Exception):
    pass


def streams(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(events.c.stream).order_by(events.c.position)).scalars())


def total_received(conn) -> int | None:
    key = "total\x1fUA\x1freceived"
    return conn.execute(sa.select(counters.c.value).where(counters.c.key == key)).scalar()


class TestVisibility:
    def test_an_append_and_its_projections_are_seen_by_later_reads_of_its_transaction(self, engine):
        with append_transaction(engine) as conn:
            (stored,) = append_in(conn, [new_swap("swap/a", received=7)], recorded_by="t")
            assert event_reads.head(conn) == (1, stored.hash)
            assert event_reads.event_by_id(conn, stored.id) == stored
            assert stored_position(conn) == 1
            assert total_received(conn) == 7
            (second,) = append_in(conn, [new_swap("swap/b", received=3)], recorded_by="t")
            assert second.position == 2 and second.prev_hash == stored.hash
            assert total_received(conn) == 10
        assert streams(engine) == ["swap/a", "swap/b"]
        with engine.connect() as conn:
            assert stored_position(conn) == 2
            live = sa.select(sa.func.count()).where(fact_versions.c.live)
            assert conn.execute(live).scalar() == 2


class TestRollback:
    def test_a_rolled_back_append_leaves_nothing_and_does_not_leak_into_the_next(
        self, engine, backend
    ):
        with engine.connect() as conn:
            with pytest.raises(Boom), append_transaction_on(conn):
                append_in(conn, [new_swap("swap/lost")], recorded_by="t")
                raise Boom()
            assert pg_writes.DEFERRED not in conn.info
            with append_transaction_on(conn):
                (kept,) = append_in(conn, [new_swap("swap/kept", received=2)], recorded_by="t")
        assert kept.position == 1
        assert streams(engine) == ["swap/kept"]
        with engine.connect() as conn:
            assert stored_position(conn) == 1
            assert total_received(conn) == 2

    def test_a_rolled_back_savepoint_undoes_its_appends_and_keeps_the_earlier_ones(self, engine):
        with append_transaction(engine) as conn:
            append_in(conn, [new_swap("swap/before", received=1)], recorded_by="t")
            savepoint = conn.begin_nested()
            append_in(conn, [new_swap("swap/inside", received=100)], recorded_by="t")
            savepoint.rollback()
            (after,) = append_in(conn, [new_swap("swap/after", received=4)], recorded_by="t")
        assert after.position == 2
        assert streams(engine) == ["swap/before", "swap/after"]
        with engine.connect() as conn:
            assert total_received(conn) == 5
            assert stored_position(conn) == 2


class TestQueue:
    def test_nothing_is_deferred_on_sqlite(self, engine, backend):
        with append_transaction(engine) as conn:
            append_in(conn, [new_swap("swap/a")], recorded_by="t")
            queued = conn.info.get(pg_writes.DEFERRED)
            if backend == "sqlite":
                assert queued is None
            else:  # the event first, then the hooks' writes (NOTIFY, projection), all waiting
                statements = [queued_write[0] for queued_write in queued]
                assert statements[0] == pg_writes.insert_from_json(events)
                assert sorted(statements[1:]) == sorted(
                    [
                        pg_writes.NOTIFY,
                        pg_writes.insert_from_json(fact_versions),
                        pg_writes.insert_from_json(counter_deltas),
                        readmodel_writes.ADD_COUNTERS,
                        readmodel_writes.ADD_DAYS,
                        readmodel_writes.SET_POSITION,
                    ]
                )

    def test_an_error_in_a_deferred_write_is_raised_by_flush(self, engine, backend):
        if backend != "postgresql":
            pytest.skip("writes are deferred on PostgreSQL only")
        with (
            engine.connect() as conn,
            pytest.raises(psycopg.errors.UndefinedTable),
            conn.begin(),
        ):
            pg_writes.defer(conn, "INSERT INTO no_such_table VALUES (%s)", (1,))
            pg_writes.flush(conn)
        assert streams(engine) == []

    def test_a_batch_piece_whose_deferred_write_fails_fails_alone(self, engine, backend):
        if backend != "postgresql":
            pytest.skip("writes are deferred on PostgreSQL only")

        def append(name: str):
            return lambda conn: append_in(conn, [new_swap(f"swap/{name}")], recorded_by="t")

        def bad(conn):
            append_in(conn, [new_swap("swap/bad")], recorded_by="t")
            pg_writes.defer(conn, "INSERT INTO no_such_table VALUES (%s)", (1,))

        batch = [(append("one"), Future(), False), (bad, Future(), False)]
        batch.append((append("two"), Future(), False))
        GroupCommitter(engine)._commit(batch)
        assert [f.exception() is None for _, f, _ in batch] == [True, False, True]
        assert isinstance(batch[1][1].exception(), sa.exc.DBAPIError | psycopg.Error)
        assert streams(engine) == ["swap/one", "swap/two"]
        with engine.connect() as conn:
            assert stored_position(conn) == 2


class TestCommitRoundTrip:
    def test_a_group_commit_sends_its_writes_and_its_commit_together(
        self, engine, backend, monkeypatch
    ):
        if backend != "postgresql":
            pytest.skip("writes are deferred on PostgreSQL only")
        states = []
        commit = psycopg.Connection.commit

        def observed_commit(self):
            states.append(self.info.transaction_status)
            return commit(self)

        monkeypatch.setattr(psycopg.Connection, "commit", observed_commit)
        pieces = [
            (
                lambda conn, n=n: append_in(conn, [new_swap(f"swap/{n}")], recorded_by="t"),
                Future(),
                False,
            )
            for n in ("one", "two")
        ]
        GroupCommitter(engine)._commit(pieces)
        assert [f.exception() for _, f, _ in pieces] == [None, None]
        # The COMMIT went out in the writes' pipeline: the driver's own commit found the
        # transaction already ended, and sent nothing.
        assert states == [psycopg.pq.TransactionStatus.IDLE]
        assert streams(engine) == ["swap/one", "swap/two"]
        with engine.connect() as conn:
            assert stored_position(conn) == 2


class TestClosingVersions:
    """A correction closes the version it supersedes. On PostgreSQL the versions a step read
    are closed by row id, all in one statement (readmodel/pg_writes.CLOSE_ROWS); whatever the
    store, each fact keeps exactly one current version, and the closed one ends where the
    correction begins. The same after a rebuild, whose pages close thousands at once."""

    def _versions(self, engine, event_id: str) -> list[tuple[int, int]]:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(fact_versions.c.valid_from, fact_versions.c.valid_to)
                .where(fact_versions.c.event_id == event_id)
                .order_by(fact_versions.c.valid_from)
            )
            return [tuple(r) for r in rows]

    def test_a_superseded_version_is_closed_where_its_correction_begins(
        self, engine, backend, client, auth, monkeypatch
    ):
        sent = []
        real = readmodel_writes.defer
        monkeypatch.setattr(
            readmodel_writes,
            "defer",
            lambda conn, sql, *a, **k: sent.append(sql) or real(conn, sql, *a, **k),
        )
        swap = post(client, auth, "/v1/swaps", swap_body(id="feb"))
        for received in (158, 159):
            body = correction_body({"sides": [{"party": "UA", "received": received}]})
            post(client, auth, f"/v1/events/{swap['id']}/corrections", body)
        assert self._versions(engine, swap["id"]) == [(1, 2), (2, 3), (3, OPEN)]
        if backend == "postgresql":
            assert sent.count(readmodel_writes.CLOSE_ROWS) == 2
            assert readmodel_writes.CLOSE_VERSIONS not in sent
        with append_transaction(engine) as conn:
            rebuild(conn, batch=2)
        assert self._versions(engine, swap["id"]) == [(1, 2), (2, 3), (3, OPEN)]
