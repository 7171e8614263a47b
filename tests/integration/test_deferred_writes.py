"""Writes that need no answer are deferred on PostgreSQL (store/pg_writes.py): whatever the
store, what a transaction appended is visible to its own later reads, survives its COMMIT,
and disappears with its ROLLBACK (or its SAVEPOINT's) without leaking into the next one."""

from __future__ import annotations

from concurrent.futures import Future

import psycopg
import pytest
import sqlalchemy as sa

from service.readmodel import pg_writes as readmodel_writes
from service.readmodel import update
from service.readmodel.check import differing_projections
from service.readmodel.position import stored_position
from service.readmodel.tables import OPEN, counter_deltas, counters, fact_versions
from service.readmodel.update import rebuild
from service.store import event_reads, pg_send, pg_writes
from service.store.append import append_in
from service.store.engine import append_transaction, append_transaction_on
from service.store.group_commit import GroupCommitter
from service.store.tables import events
from tests.builders import correction_body, fill, new_swap, post, swap_body
from tests.thread_sends import SENDING_THREAD, observe_sends


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
        # The COMMIT went out in the writes' message: the driver's own commit found the
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


class TestBulkBuild:
    """A bulk build (a rebuild, a restore's load) on PostgreSQL queues a page's COPYs with its
    other writes and sends them from a thread once the next page has read what it needs;
    the next page takes what the previous one changed from it, not from the stored rows
    (``TestStoredProjections``' rebuilds in pages of 1, 2, 3 and 5 compare the outcome)."""

    @pytest.fixture(autouse=True)
    def _postgresql_only(self, backend):
        if backend != "postgresql":
            pytest.skip("writes are deferred on PostgreSQL only")

    def test_a_queued_copy_keeps_its_place_among_the_queued_writes(self, engine):
        with engine.connect() as conn, conn.begin():
            pg_writes.copy_rows(conn, counters, [{"key": "k", "value": 1}], deferred=True)
            pg_writes.defer(conn, "UPDATE counters SET value = value * 10 WHERE key = 'k'", ())
            pg_writes.copy_rows(conn, counters, [{"key": "j", "value": 2}], deferred=True)
            pg_writes.defer(conn, "UPDATE counters SET value = value + 1", ())
            kinds = [item[2] for item in conn.info[pg_writes.DEFERRED]]
            assert kinds == [pg_send.COPY, False, pg_send.COPY, False]
            values = dict(conn.execute(sa.select(counters.c.key, counters.c.value)).all())
        assert values == {"k": 11, "j": 3}

    def test_each_page_is_sent_from_a_thread_once_the_next_has_read_what_it_needs(
        self, engine, client, auth, monkeypatch
    ):
        fill(client, auth)  # pages of 2: [1, 2] [3, 4] [5, 6] [7]; 5 corrects 4, 6 retracts 2
        log: list[tuple[str, object]] = []
        reads = update.stored_events

        def read(conn, **kwargs):
            log.append(("read", kwargs["after"] + 1))
            return reads(conn, **kwargs)

        monkeypatch.setattr(update, "stored_events", read)
        observe_sends(monkeypatch, log)
        one_by_one = []
        with append_transaction(engine) as conn:
            sa.event.listen(conn, "before_cursor_execute", lambda *a: one_by_one.append(a[2]))
            rebuild(conn, batch=2)
        page = ("send", (SENDING_THREAD, ["fact_versions", "counter_deltas"]))
        assert log[:8] == [
            ("read", 1), ("read", 3), page, ("read", 5), page, ("read", 7), page, page
        ]  # fmt: skip
        # Every fact the pages looked up came from the prefetch or the page before: no
        # one-by-one read (each would wait for the writes in flight).
        assert not [s for s in one_by_one if "FROM fact_versions" in s]
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []

    def test_a_write_failing_in_the_thread_fails_the_build_and_changes_nothing(
        self, engine, client, auth, monkeypatch
    ):
        fill(client, auth)
        with engine.connect() as conn:
            before = dict(conn.execute(sa.select(counters.c.key, counters.c.value)).all())
        observe_sends(monkeypatch, [], fail_at=2)
        with pytest.raises(psycopg.errors.DivisionByZero), append_transaction(engine) as conn:
            rebuild(conn, batch=2)
        with engine.connect() as conn:
            after = dict(conn.execute(sa.select(counters.c.key, counters.c.value)).all())
        assert after == before
        post(client, auth, "/v1/swaps", swap_body(id="after", occurred_on="2026-04-01"))
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []
