"""Group commit: request threads of one process share append transactions, safely."""

from __future__ import annotations

import contextlib
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait

import psycopg
import pytest
import sqlalchemy as sa

from service.domain import events as ev
from service.domain.errors import RuleViolation
from service.domain.hashing import first_bad_position
from service.readmodel import position
from service.recording import WriteRequest, new_event, record
from service.schemas.swaps import SwapWrite
from service.store import event_reads, group_commit, pg_writes
from service.store.append import STAGING, append, append_in, flush_staged
from service.store.faults import unavailable
from service.store.group_commit import GroupCommitter
from service.store.lock_probe import NONE, candidates
from service.store.pg_lock import APPEND_LOCK_KEY
from tests.builders import new_swap, swap_body


def _request(received: int) -> WriteRequest:
    body = SwapWrite().load(swap_body(sides=[{"party": "UA", "received": received}]))
    return WriteRequest(event_type=ev.SWAP_COMPLETED, body=body, recorded_by="newsroom")


def _append_work(received: int):
    new = new_event(_request(received))
    return lambda conn: append_in(conn, [new], recorded_by="newsroom")


def _failing_work(conn):
    append_in(conn, [new_event(_request(1))], recorded_by="newsroom")
    raise RuleViolation("sides.0.received", "refused after writing, inside the batch")


class TestOneBatch:
    def test_a_failing_piece_is_rolled_back_alone_and_the_others_commit(self, engine):
        batch = [
            (_append_work(10), Future()),
            (_failing_work, Future()),
            (_append_work(30), Future()),
        ]
        GroupCommitter(engine)._commit(batch)
        first, failed, third = (future for _, future in batch)
        assert [e.position for e in first.result()] == [1]
        assert isinstance(failed.exception(), RuleViolation)
        assert [e.position for e in third.result()] == [2]
        with engine.connect() as conn:
            stored = list(event_reads.raw_rows(conn))
        assert [row["data"]["sides"][0]["received"] for row in stored] == [10, 30]
        assert first_bad_position(stored) is None


class TestSharedEngine:
    @pytest.mark.slow
    def test_threads_sharing_one_engine_get_gapless_positions_and_a_valid_chain(self, engine):
        def writer(i: int) -> list[int]:
            return [record(engine, _request(i * 100 + n))[0].position for n in range(50)]

        with ThreadPoolExecutor(max_workers=8) as pool:
            positions = [p for chunk in pool.map(writer, range(8)) for p in chunk]
        assert sorted(positions) == list(range(1, 401))
        with engine.connect() as conn:
            assert first_bad_position(event_reads.raw_rows(conn)) is None
            assert event_reads.head(conn)[0] == 400


def _refused_before_writing(conn):
    raise RuleViolation("sides.0.received", "refused before writing anything")


class TestStagedBatch:
    """Pieces that promise to raise only before writing share one INSERT, without savepoints."""

    def test_a_piece_refused_before_writing_fails_alone_and_positions_stay_gapless(self, engine):
        batch = [
            (_append_work(10), Future(), False),
            (_refused_before_writing, Future(), False),
            (_append_work(30), Future(), False),
            (_failing_work, Future(), True),  # isolated: it wrote, then raised
            (_append_work(50), Future(), False),
        ]
        GroupCommitter(engine)._commit(batch)
        futures = [future for _, future, _ in batch]
        assert [e.position for e in futures[0].result()] == [1]
        assert isinstance(futures[1].exception(), RuleViolation)
        assert [e.position for e in futures[2].result()] == [2]
        assert isinstance(futures[3].exception(), RuleViolation)
        assert [e.position for e in futures[4].result()] == [3]
        with engine.connect() as conn:
            stored = list(event_reads.raw_rows(conn))
            assert position.stored_position(conn) == 3
        assert [row["data"]["sides"][0]["received"] for row in stored] == [10, 30, 50]
        assert first_bad_position(stored) is None

    def test_a_piece_that_reads_the_log_sees_what_earlier_pieces_staged(self, engine):
        seen = []

        def reader(conn):
            flush_staged(conn)
            seen.append(event_reads.head(conn)[0])
            return append_in(conn, [new_event(_request(2))], recorded_by="newsroom")

        batch = [(_append_work(1), Future(), False), (reader, Future(), False)]
        GroupCommitter(engine)._commit(batch)
        assert seen == [1]
        assert [e.position for e in batch[1][1].result()] == [2]

    def test_a_database_error_in_a_staged_piece_reruns_the_batch_with_savepoints(self, engine):
        calls = []

        def broken(conn):
            calls.append(1)
            conn.execute(sa.text("SELECT * FROM no_such_table"))

        batch = [(_append_work(7), Future(), False), (broken, Future(), False)]
        GroupCommitter(engine)._commit(batch)
        assert [e.position for e in batch[0][1].result()] == [1]
        assert isinstance(batch[1][1].exception(), sa.exc.DBAPIError)
        assert len(calls) == 2  # staged once, then again in its own savepoint
        with engine.connect() as conn:
            assert event_reads.head(conn)[0] == 1


def _one_behind_the_lock(
    engine, backend, monkeypatch, first_work, second_work, probes=(NONE, NONE), holding=None
):
    """Run ``first_work`` through a committer that must wait for the append lock (another
    connection holds it), queue ``second_work`` behind it while it waits, then let the lock
    go (``holding``: called just before). ``probes``: the two writes' generated names to look
    up. Returns both futures once they are answered."""
    committer = GroupCommitter(engine)
    committer.run(_append_work(0), isolated=False)  # its connection is open (SQLite: WAL set)
    # Another writer (another process, in production) holds the append lock.
    holder = engine.connect().execution_options(write_lock=True)
    held = holder.begin()  # SQLite: BEGIN IMMEDIATE
    if backend == "postgresql":
        holder.execute(sa.text(f"SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})"))
    began = threading.Event()
    transaction = group_commit.append_transaction_on

    def lock_then_transaction(conn, **kwargs):
        began.set()  # the batch is taken from the queue; next: wait for the lock
        return transaction(conn, **kwargs)

    monkeypatch.setattr(group_commit, "append_transaction_on", lock_then_transaction)
    pool = ThreadPoolExecutor(max_workers=2)
    try:
        first = pool.submit(committer.run, first_work, isolated=False, probe=probes[0])
        # The committer took the first write and is about to wait for the lock.
        assert began.wait(10)
        second = pool.submit(committer.run, second_work, isolated=False, probe=probes[1])
        deadline = time.monotonic() + 10
        while committer._queue.qsize() == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        assert committer._queue.qsize() == 1  # queued behind the lock, not taken yet
        if holding is not None:
            holding()
    finally:
        held.rollback()
        holder.close()
        pool.shutdown(wait=False)
    wait([first, second], timeout=30)  # a write left out of its batch is never answered
    assert first.done() and second.done()
    return first, second


class TestJoiningWhileTheLockIsAwaited:
    def test_a_write_queued_while_the_committer_waits_for_the_lock_joins_its_transaction(
        self, engine, backend, monkeypatch
    ):
        stagings = []

        def work(received: int):
            append = _append_work(received)

            def run(conn):
                stagings.append(conn.info.get(STAGING))
                return append(conn)

            return run

        first, second = _one_behind_the_lock(engine, backend, monkeypatch, work(1), work(2))
        (one,), (two,) = first.result(), second.result()
        assert [one.position, two.position] == [2, 3]
        # One transaction: the same staging, one recorded_at (it is one per transaction).
        assert stagings[0] is not None and stagings[0] is stagings[1]
        assert one.recorded_at == two.recorded_at

    def test_a_joined_write_refused_by_a_rule_fails_alone(self, engine, backend, monkeypatch):
        first, second = _one_behind_the_lock(
            engine, backend, monkeypatch, _append_work(1), _refused_before_writing
        )
        assert [e.position for e in first.result()] == [2]
        assert isinstance(second.exception(), RuleViolation)
        with engine.connect() as conn:
            stored = list(event_reads.raw_rows(conn))
            assert position.stored_position(conn) == 2
        assert [row["data"]["sides"][0]["received"] for row in stored] == [0, 1]
        assert first_bad_position(stored) is None

    def test_a_database_error_reruns_the_batch_with_the_joined_write_in_it(
        self, engine, backend, monkeypatch
    ):
        calls = []

        def broken(conn):
            calls.append(1)
            conn.execute(sa.text("SELECT * FROM no_such_table"))

        first, second = _one_behind_the_lock(engine, backend, monkeypatch, broken, _append_work(7))
        assert isinstance(first.exception(), sa.exc.DBAPIError)
        assert [e.position for e in second.result()] == [2]
        assert len(calls) == 2  # staged once, then again in its own savepoint
        with engine.connect() as conn:
            stored = list(event_reads.raw_rows(conn))
        assert [row["data"]["sides"][0]["received"] for row in stored] == [0, 7]


class TestJoinedBatchNames:
    def test_a_batch_that_joins_once_the_lock_is_granted_has_its_names_asked_once(
        self, engine, backend, monkeypatch
    ):
        """Two batches of 150 generated names of one date, the second queued while the first
        waits for the lock, 41 names of the date taken before (as by another process). The
        lock's round trip searched for the first batch's names; the second's are asked in
        one look-up once it joins (before, it walked up in probes of its own: 64, 128...)."""
        if backend != "postgresql":
            pytest.skip("the lock's round trip is PostgreSQL's")
        first_news = [new_event(_request(n)) for n in range(150)]
        second_news = [new_event(_request(n)) for n in range(150)]
        probes = (candidates(engine, first_news), candidates(engine, second_news))
        taken = ["swap/2026-02-05", *(f"swap/2026-02-05-{n}" for n in range(2, 42))]
        append(engine, [new_swap(name) for name in taken], recorded_by="newsroom")
        asked: list[list[str]] = []
        real = pg_writes.existing_streams

        def counted(conn, names):
            asked.append(names)
            return real(conn, names)

        monkeypatch.setattr(pg_writes, "existing_streams", counted)
        first, second = _one_behind_the_lock(
            engine,
            backend,
            monkeypatch,
            lambda conn: append_in(conn, first_news, recorded_by="newsroom"),
            lambda conn: append_in(conn, second_news, recorded_by="newsroom"),
            probes,
            holding=asked.clear,  # what the committer's first write (the hint: -42) asked
        )
        streams = [e.stream for e in first.result() + second.result()]
        assert streams == [f"swap/2026-02-05-{n}" for n in range(43, 343)]
        assert len(asked) == 1, [len(names) for names in asked]


class TestHeldConnection:
    def test_a_held_connection_killed_between_batches_is_replaced_without_failing_writes(
        self, engine, backend
    ):
        if backend != "postgresql":
            pytest.skip("terminating a server backend is a PostgreSQL test")
        committer = GroupCommitter(engine)
        committer._commit([(_append_work(1), Future(), False)])
        pid = committer._conn.connection.driver_connection.info.backend_pid
        gone = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p")
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
            admin.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            deadline = time.monotonic() + 5
            while admin.execute(gone, {"p": pid}).scalar() and time.monotonic() < deadline:
                time.sleep(0.01)
        second: Future = Future()
        committer._commit([(_append_work(2), second, False)])
        assert [e.position for e in second.result()] == [2]
        committer._release()


def _killing_itself(conn):
    conn.execute(sa.text("SELECT pg_terminate_backend(pg_backend_pid())"))


class TestUnstagedConnectionLost:
    def test_a_piece_that_loses_the_connection_fails_the_batch_as_unavailable(
        self, engine, backend
    ):
        """Run piece by piece, a piece whose connection is lost ends the transaction for
        all: no later piece runs, and no COMMIT is tried on it (SQLAlchemy would refuse it
        with PendingRollbackError, a 500), each answer says the database is unavailable."""
        if backend != "postgresql":
            pytest.skip("terminating a server backend is a PostgreSQL test")
        committer = GroupCommitter(engine)
        pieces = [
            (_append_work(1), Future(), True, NONE),
            (_killing_itself, Future(), True, NONE),
            (_append_work(3), Future(), True, NONE),
        ]
        outcomes = committer._attempt(pieces, staged=False)
        assert [ok for _, _, ok in outcomes] == [False, False, False]
        assert all(unavailable(error) for _, error, _ in outcomes)
        with engine.connect() as conn:
            assert event_reads.head(conn)[0] == 0


class TestCommitCutOff:
    def test_a_connection_lost_with_the_commit_in_flight_fails_the_batch_without_rerunning_it(
        self, engine, backend, monkeypatch
    ):
        if backend != "postgresql":
            pytest.skip("the COMMIT travels with the writes on PostgreSQL")
        calls = []

        def work(conn):
            calls.append(1)
            return _append_work(5)(conn)

        def cut_off(conn):
            # The connection dies with the COMMIT sent: the server may have committed, so
            # the batch must not be run a second time (its writers retry with their keys).
            conn.connection.driver_connection.close()
            raise psycopg.OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(pg_writes, "commit_with_writes", cut_off)
        batch = [(work, Future(), False)]
        GroupCommitter(engine)._commit(batch)
        assert unavailable(batch[0][1].exception())  # answered 503: retry with the same key
        assert calls == [1]
        monkeypatch.undo()
        with engine.connect() as conn:
            assert event_reads.head(conn)[0] == 0

    def test_a_write_refused_with_the_commit_reruns_the_batch_unstaged(self, engine, backend):
        if backend != "postgresql":
            pytest.skip("the COMMIT travels with the writes on PostgreSQL")
        calls = []

        def bad(conn):
            calls.append(1)
            written = _append_work(6)(conn)
            pg_writes.defer(conn, "INSERT INTO no_such_table VALUES (%s)", (1,))
            return written

        batch = [(_append_work(5), Future(), False), (bad, Future(), False)]
        GroupCommitter(engine)._commit(batch)
        assert [e.position for e in batch[0][1].result()] == [1]
        assert batch[1][1].exception() is not None
        assert calls == [1, 1]  # staged, then alone in its savepoint
        with engine.connect() as conn:
            assert event_reads.head(conn)[0] == 1


class TestShutdownInPipeline:
    def test_a_connection_left_busy_by_a_failed_commit_is_discarded_not_reset(
        self, engine, backend, monkeypatch, caplog
    ):
        if backend != "postgresql":
            pytest.skip("the COMMIT travels with the writes on PostgreSQL")

        def shut_down(conn):
            # What a fast shutdown did under load: the server's FATAL arrived inside the
            # commit pipeline, and psycopg could not leave pipeline mode ("cannot exit
            # pipeline mode while busy"), so the connection is still busy, not yet BAD.
            pgconn = conn.connection.driver_connection.pgconn
            pgconn.enter_pipeline_mode()
            pgconn.send_query_params(b"SELECT 1", None)
            raise psycopg.errors.AdminShutdown("terminating connection due to administrator")

        monkeypatch.setattr(pg_writes, "commit_with_writes", shut_down)
        committer = GroupCommitter(engine)
        batch = [(_append_work(5), Future(), False)]
        with caplog.at_level("WARNING", logger="sqlalchemy.pool"):
            committer._commit(batch)
        assert unavailable(batch[0][1].exception())  # answered 503
        assert not [r for r in caplog.records if r.name.startswith("sqlalchemy")], caplog.text
        monkeypatch.undo()
        after: Future = Future()
        committer._commit([(_append_work(6), after, False)])
        assert [e.position for e in after.result()] == [1]
        committer._release()


def _swallowing(conn):
    """An append, then a database error the work catches itself (the transaction aborts)."""
    written = _append_work(2)(conn)
    with contextlib.suppress(sa.exc.DBAPIError):
        conn.exec_driver_sql("SELECT 1 / 0")
    return written


class TestAbortedTransaction:
    def test_a_transaction_an_error_aborted_is_never_answered_as_committed(self, engine, backend):
        """A piece catches a database error itself: the transaction is aborted, and
        PostgreSQL would answer its COMMIT with ROLLBACK, and no error. The batch runs again
        piece by piece instead, so the other piece is committed, not silently lost."""
        if backend != "postgresql":
            pytest.skip("an aborted transaction is PostgreSQL's")

        pieces = [(_append_work(1), Future(), False), (_swallowing, Future(), False)]
        GroupCommitter(engine)._commit(pieces)
        assert [e.position for e in pieces[0][1].result()] == [1]
        assert pieces[1][1].exception() is not None
        with engine.connect() as conn:
            assert event_reads.head(conn)[0] == 1

    def test_a_lone_write_in_an_aborted_transaction_fails_instead(self, engine, backend):
        if backend != "postgresql":
            pytest.skip("an aborted transaction is PostgreSQL's")

        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            GroupCommitter(engine).run(_swallowing, isolated=False)
        with engine.connect() as conn:
            assert event_reads.head(conn)[0] == 0


class TestLostPreparedStatements:
    def test_a_batch_whose_session_lost_the_prepared_writes_commits_on_a_fresh_one(
        self, engine, backend
    ):
        """psycopg sends DEALLOCATE ALL when it rolls back to a savepoint on a connection
        where it prepared a query of its own (its fifth run): the commit's prepared writes
        are gone, its message fails before COMMIT, and the batch runs again, once."""
        if backend != "postgresql":
            pytest.skip("prepared statements are PostgreSQL's")
        committer = GroupCommitter(engine)
        first: Future = Future()
        committer._commit([(_append_work(1), first)])  # its writes prepared on the session
        assert [e.position for e in first.result()] == [1]
        held = committer._conn.connection.driver_connection
        runs: list[int] = []

        def work(conn):
            runs.append(1)
            driver = conn.connection.driver_connection
            if driver is held:  # the session that prepared the writes
                for _ in range(6):
                    driver.execute("SELECT count(*) FROM events WHERE position > %s", (0,))
                savepoint = conn.begin_nested()
                savepoint.rollback()  # psycopg: ROLLBACK TO SAVEPOINT, then DEALLOCATE ALL
                names = driver.execute("SELECT count(*) FROM pg_prepared_statements")
                assert names.fetchone()[0] == 0
            return append_in(conn, [new_event(_request(2))], recorded_by="newsroom")

        second: Future = Future()
        committer._commit([(work, second)])
        committer._release()
        assert [e.position for e in second.result()] == [2]
        assert len(runs) == 2
        with engine.connect() as conn:
            stored = list(event_reads.raw_rows(conn))
        assert [row["data"]["sides"][0]["received"] for row in stored] == [1, 2]
        assert first_bad_position(stored) is None
