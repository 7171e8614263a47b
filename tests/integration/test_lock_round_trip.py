"""The append lock's round trip (PostgreSQL, ``store/pg_lock``): one message taking the lock
and reading, once it is granted, the head, the after-lock reads and the stream names the
transaction's writes need; names travel as escaped literals; its errors are psycopg's."""

from __future__ import annotations

import threading

import psycopg
import pytest
import sqlalchemy as sa

from service.readmodel.position import STATE_NAME
from service.store import engine as engine_module
from service.store import pg_lock
from service.store import tokens as token_store
from service.store.append import append_in
from service.store.engine import append_transaction
from service.store.lock_probe import Probe, search_params
from service.store.token_cache import TOKENS_READ
from tests.builders import new_swap

# Stream names a literal must carry as they are: quotes, backslashes, the array syntax's own
# characters, spaces, non-ASCII text.
AWKWARD = (
    "swap/o'brien",
    'swap/say "hi"',
    "swap/back\\slash",
    "swap/{brace,comma}",
    "swap/ spaced ",
    "swap/NULL",
    "swap/київ",
    "swap/$1 %s",
)


@pytest.fixture
def pg(backend):
    if backend != "postgresql":
        pytest.skip("SQLite's append lock is BEGIN IMMEDIATE, with no round trip of its own")


def _spy(monkeypatch) -> tuple[list[str], list[str]]:
    """What the round trip sends (its texts), and what psycopg's cursors are asked to run."""
    texts: list[str] = []
    executed: list[str] = []
    statement, execute = pg_lock.statement, psycopg.Cursor.execute

    def sent(*args, **kwargs):
        texts.append(statement(*args, **kwargs))
        return texts[-1]

    def observed(self, query, params=None, **kwargs):
        executed.append(str(query))
        return execute(self, query, params, **kwargs)

    monkeypatch.setattr(pg_lock, "statement", sent)
    monkeypatch.setattr(psycopg.Cursor, "execute", observed)
    return texts, executed


class TestOneMessage:
    def test_the_lock_the_head_and_the_after_lock_reads_travel_as_one_text(
        self, engine, pg, monkeypatch
    ):
        engine.connect().close()  # the dialect's first-connect queries are not ours
        texts, executed = _spy(monkeypatch)
        with append_transaction(engine) as conn:  # an empty log
            assert executed == []  # nothing through psycopg's cursors: one PQexec
            (text,) = texts
            begin, lock, read = text.split("; ", 2)
            assert (begin, lock) == ("BEGIN ISOLATION LEVEL READ COMMITTED", pg_lock.LOCK)
            assert read.startswith("SELECT json_build_array(head.position, head.hash, (")
            assert conn.info[engine_module.HEAD] == (0, None)
            assert conn.info[engine_module.AFTER_LOCK] == {STATE_NAME: None, TOKENS_READ: "0:0:"}
            append_in(conn, [new_swap("swap/a")], recorded_by="t")
        for name in ("one", "two", "three"):
            token_store.create_token(engine, f"merged-{name}", "write")
        token_store.revoke_token(engine, "merged-one")
        token_store.revoke_token(engine, "merged-three")
        with engine.connect() as conn:
            latest = conn.execute(sa.text("SELECT max(created_at) FROM tokens")).scalar()
        with append_transaction(engine) as conn:
            (_, last_hash) = conn.info[engine_module.HEAD]
            assert conn.info[engine_module.HEAD] == (1, last_hash) and len(last_hash) == 64
            assert conn.info[engine_module.AFTER_LOCK] == {
                STATE_NAME: 1,
                TOKENS_READ: f"3:2:{latest}",
            }
            driver = conn.connection.driver_connection
            assert driver.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS

    def test_the_head_is_read_once_the_lock_is_granted(self, engine, pg):
        """A writer waiting for the lock sees what the holder committed meanwhile: its read
        is a statement of its own, with a snapshot taken after the lock's."""
        holding, release = threading.Event(), threading.Event()

        def holder() -> None:
            with append_transaction(engine) as conn:
                append_in(conn, [new_swap("swap/first")], recorded_by="t")
                holding.set()
                release.wait(10)

        first = threading.Thread(target=holder)
        first.start()
        assert holding.wait(10)
        seen: list[tuple[int, str | None]] = []

        def waiter() -> None:
            with append_transaction(engine) as conn:
                seen.append(conn.info[engine_module.HEAD])
                append_in(conn, [new_swap("swap/second")], recorded_by="t")

        second = threading.Thread(target=waiter)
        second.start()
        second.join(0.3)
        assert second.is_alive()  # waiting for the lock
        release.set()
        first.join(10)
        second.join(10)
        ((position, last_hash),) = seen
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT position, hash FROM events ORDER BY position"))
            rows = [tuple(row) for row in stored]
        assert (position, last_hash) == rows[0] and len(rows) == 2


class TestNamesAsLiterals:
    def test_awkward_names_are_found_exactly(self, engine, pg):
        stored = AWKWARD[::2]
        with append_transaction(engine) as conn:
            append_in(conn, [new_swap(name) for name in stored], recorded_by="t")
        # Each probe alone: one name's escaping must not stand in for another's.
        near = ("swap/o''brien", "swap/back\\\\slash", "swap/backslash", "swap/{brace}", "swap/")
        for name in AWKWARD + near:
            with engine.connect() as conn:
                driver = conn.connection.driver_connection
                head, _, probed = pg_lock.lock_and_head(driver, (), Probe(names=(name,)))
                driver.rollback()
            assert head[0] == len(stored)
            assert probed == {name: name in stored}, name

    def test_a_search_is_sent_with_its_numbers(self, engine, pg):
        with append_transaction(engine) as conn:
            names = ["swap/2026-02-05", "swap/2026-02-05-2", "swap/2026-02-05-4"]
            append_in(conn, [new_swap(name) for name in names], recorded_by="t")
        probe = Probe(searches=(("swap/2026-02-05", 1, 3),))
        with engine.connect() as conn:
            driver = conn.connection.driver_connection
            text = pg_lock.statement(driver, (), probe)
            _, _, wants, past = search_params(probe.searches)
            assert f"'{{1}}'::int[]::int[], '{{{wants[0]}}}'::int[]::int[]" in text
            assert f"+ {past}::int -" in text
            _, _, probed = pg_lock.lock_and_head(driver, (), probe)
            driver.rollback()
        assert [n for n in range(1, 8) if probed[_suffixed(n)]] == [1, 2, 4]
        assert not probed[_suffixed(3)] and not probed[_suffixed(5)]


class TestPreparedOnLargeLogs:
    """From ``PREPARE_FROM`` events on, a connection runs the read as a prepared statement
    (planning it from its text every time took most of the server's CPU for it)."""

    @staticmethod
    def _fill(engine, count: int) -> list[str]:
        names = [f"swap/n{n}" for n in range(count)]
        for start in range(0, count, 500):
            with append_transaction(engine) as conn:
                batch = [new_swap(name) for name in names[start : start + 500]]
                append_in(conn, batch, recorded_by="t")
        return names

    @staticmethod
    def _prepared_reads(driver) -> list[tuple[str, int]]:
        driver.rollback()
        rows = driver.execute(
            "SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ("%json_build_array(head.position%",),
        ).fetchall()
        return [(name, statement) for name, statement in rows]

    def test_a_small_log_sends_the_read_as_text(self, engine, pg):
        self._fill(engine, 3)
        with engine.connect() as conn:
            driver = conn.connection.driver_connection
            for _ in range(3):
                text = pg_lock.statement(driver, (), Probe(names=("swap/n1",)))
                assert "EXECUTE" not in text and "json_build_array(head.position" in text
                pg_lock.lock_and_head(driver, (), Probe(names=("swap/n1",)))
                driver.rollback()
            assert self._prepared_reads(driver) == []

    def test_a_large_log_executes_it_prepared_with_the_same_answers(self, engine, pg, monkeypatch):
        monkeypatch.setattr(pg_lock, "PREPARE_FROM", 4)
        stored = self._fill(engine, 4)
        probes = [Probe(names=(name,)) for name in (*AWKWARD, *stored, "swap/n9")]
        with engine.connect() as conn:
            driver = conn.connection.driver_connection
            texts = []
            for probe in [Probe(), *probes]:
                texts.append(pg_lock.statement(driver, (), probe))
                head, _, probed = pg_lock.lock_and_head(driver, (), probe)
                driver.rollback()
                assert head[0] == 4
                assert probed == {name: name in stored for name in probe.names}
            # The first ran as text (the connection had not yet seen the log's size).
            assert "EXECUTE" not in texts[0]
            assert all(" EXECUTE pel_" in text for text in texts[1:])
            ((name, statement),) = self._prepared_reads(driver)
            assert texts[-1].endswith(f"EXECUTE {name}('{{\"swap/n9\"}}'::text[])")
            assert "= ANY($1::text[])" in statement
            # A search is planned for its values every time, as before: never prepared.
            search = Probe(searches=(("swap/2026-02-05", 1, 3),))
            text = pg_lock.statement(driver, (), search)
            assert "EXECUTE" not in text and "unnest(" in text

    def test_a_session_that_lost_it_prepares_it_again(self, engine, pg, monkeypatch):
        """psycopg sends DEALLOCATE ALL when it rolls back on a connection where it prepared
        a query of its own (on its fifth run), which drops the prepared read too: the round
        trip that finds it gone starts again, holding the lock once, with the right answers."""
        monkeypatch.setattr(pg_lock, "PREPARE_FROM", 2)
        stored = self._fill(engine, 2)
        probe = Probe(names=(stored[1], "swap/free"))
        with engine.connect() as conn:
            driver = conn.connection.driver_connection
            for _ in range(2):
                pg_lock.lock_and_head(driver, (), probe)
                driver.rollback()
            ((before, _),) = self._prepared_reads(driver)
            for _ in range(6):
                driver.execute("SELECT count(*) FROM events WHERE position > %s", (0,))
            driver.rollback()  # psycopg: ROLLBACK, then DEALLOCATE ALL
            assert self._prepared_reads(driver) == []
            head, _, probed = pg_lock.lock_and_head(driver, (), probe)
            assert head[0] == 2 and probed == {stored[1]: True, "swap/free": False}
            locks = driver.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = %s",
                (driver.info.backend_pid,),
            ).fetchone()[0]
            assert locks == 1
            ((after, _),) = self._prepared_reads(driver)
        assert after != before  # a new name: the old one may live on in other sessions' eyes

    def test_its_generic_plan_on_that_log_takes_the_indexes(self, engine, pg):
        """The plan PostgreSQL keeps after five runs is made without the values: on a log of
        ``PREPARE_FROM`` events (never analysed) it must not scan the log."""
        self._fill(engine, pg_lock.PREPARE_FROM)
        with engine.connect() as conn:
            driver = conn.connection.driver_connection
            for _ in range(2):
                pg_lock.lock_and_head(driver, (), Probe(names=("swap/n1", "swap/x")))
                driver.rollback()
            ((name, _),) = self._prepared_reads(driver)
            driver.execute("SET plan_cache_mode = force_generic_plan")
            plan = "\n".join(
                row[0] for row in driver.execute(f"EXPLAIN EXECUTE {name}('{{swap/n1}}')")
            )
            driver.rollback()
        assert "$1" in plan  # the generic plan, made without the value
        assert "Seq Scan" not in plan and "uq_events_stream_version" in plan, plan
        assert "Index Scan Backward using events_pkey" in plan, plan


def _suffixed(n: int) -> str:
    return "swap/2026-02-05" if n == 1 else f"swap/2026-02-05-{n}"


class TestErrors:
    def test_a_server_error_is_raised_as_psycopg_raises_it(self, engine, pg):
        with engine.connect() as holder, engine.connect() as waiter:
            holder.execute(sa.text(pg_lock.LOCK))
            driver = waiter.connection.driver_connection
            driver.execute("SET lock_timeout = '50ms'")
            driver.commit()
            with pytest.raises(psycopg.errors.LockNotAvailable):
                pg_lock.lock_and_head(driver, (), Probe())
            driver.rollback()
            holder.rollback()

    def test_a_connection_cut_while_waiting_is_an_operational_error(self, engine, pg):
        with engine.connect() as holder, engine.connect() as waiter:
            holder.execute(sa.text(pg_lock.LOCK))
            driver = waiter.connection.driver_connection
            pid = driver.info.backend_pid
            errors: list[BaseException] = []

            def wait_for_lock() -> None:
                try:
                    pg_lock.lock_and_head(driver, (), Probe(names=AWKWARD))
                except BaseException as exc:
                    errors.append(exc)

            thread = threading.Thread(target=wait_for_lock)
            thread.start()
            thread.join(0.3)
            holder.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            thread.join(10)
            holder.rollback()
            (error,) = errors
            assert isinstance(error, psycopg.OperationalError) and driver.closed
            waiter.invalidate()
