"""The group committer's lone appends on PostgreSQL run on a guess while the lock's read is in
flight (``store/pg_speculation``): the same events as without it, and whatever came between
two of its transactions (another writer, a revoked token, a name taken long before, a lost
prepared statement) is found, the attempt rolled back and run again on the read."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from service.domain import events as ev
from service.domain.errors import StreamExists, Unauthorized
from service.domain.hashing import first_bad_position
from service.recording import WriteRequest, fingerprint, new_event, record
from service.schemas.swaps import SwapWrite
from service.store import engine as engine_module
from service.store import event_reads, group_commit, pg_lock, pg_script, token_cache
from service.store import tokens as token_store
from service.store.append import append, append_in
from service.store.engine import LOCK_READ, append_transaction_on
from service.store.group_commit import GroupCommitter
from service.store.pg_speculation import Guess, Guesses, Mispredicted, pending
from service.store.token_cache import TOKENS_READ
from tests.builders import new_swap, swap_body


@pytest.fixture
def pg(backend):
    if backend != "postgresql":
        pytest.skip("SQLite takes its lock with BEGIN IMMEDIATE: no read to guess")


class Spy:
    """How many lock reads went without waiting, and how many of them the guess missed."""

    def __init__(self, monkeypatch) -> None:
        self.sent = self.missed = 0
        send = pg_lock.send

        def counted(driver, reads, probe, answered):
            self.sent += 1

            def checked(*found):
                try:
                    answered(*found)
                except Mispredicted:
                    self.missed += 1
                    raise

            send(driver, reads, probe, checked)

        monkeypatch.setattr(pg_lock, "send", counted)


def _request(received: int = 5, *, token_hash: str | None = None, key: str | None = None, **body):
    raw = swap_body(sides=[{"party": "UA", "received": received}], **body)
    return WriteRequest(
        event_type=ev.SWAP_COMPLETED,
        body=SwapWrite().load(raw),
        recorded_by="newsroom",
        token_hash=token_hash,
        idempotency_key=key,
        request_fingerprint=fingerprint("POST", "/v1/swaps", raw) if key else "",
    )


def _work(received: int):
    new = new_event(_request(received))
    return lambda conn: append_in(conn, [new], recorded_by="newsroom")


def _stored(engine) -> list[dict]:
    with engine.connect() as conn:
        return list(event_reads.raw_rows(conn))


def _committer_driver(engine):
    return group_commit._COMMITTERS[engine]._conn.connection.driver_connection


class TestLoneAppends:
    def test_from_the_third_the_read_goes_without_waiting_and_the_log_is_the_same(
        self, engine, pg, monkeypatch
    ):
        spy = Spy(monkeypatch)
        written = [record(engine, _request(n))[0] for n in range(1, 7)]
        # The first finds no head of its own before it; the second finds the first's and
        # lets the third guess.
        assert (spy.sent, spy.missed) == (4, 0)
        stored = _stored(engine)
        assert (
            [e.position for e in written]
            == [row["position"] for row in stored]
            == [
                1,
                2,
                3,
                4,
                5,
                6,
            ]
        )
        assert [e.hash for e in written] == [row["hash"] for row in stored]
        assert len({row["stream"] for row in stored}) == 6
        assert first_bad_position(stored) is None

    def test_a_write_from_elsewhere_between_is_found_and_the_append_lands_after_it(
        self, engine, pg, monkeypatch
    ):
        spy = Spy(monkeypatch)
        for n in range(3):
            record(engine, _request(n))
        (foreign,) = append(engine, [new_swap("swap/from-elsewhere")], recorded_by="other")
        rollbacks: list[object] = []

        def rolled_back(conn) -> None:
            rollbacks.append(conn)

        sa.event.listen(engine, "rollback", rolled_back)
        after, _ = record(engine, _request(40))
        sa.event.remove(engine, "rollback", rolled_back)
        assert (spy.sent, spy.missed) == (2, 1)
        assert rollbacks == []  # run again in the same transaction, the lock held
        assert (after.position, after.prev_hash) == (foreign.position + 1, foreign.hash)
        # After a miss the next two go without a guess...
        record(engine, _request(41))
        record(engine, _request(42))
        assert spy.sent == 2
        # ...and the one after, its read having found the committer's own head, guesses.
        record(engine, _request(43))
        assert (spy.sent, spy.missed) == (3, 1)
        stored = _stored(engine)
        assert [row["position"] for row in stored] == list(range(1, 9))
        assert first_bad_position(stored) is None

    def test_a_token_revoked_between_is_refused_though_the_head_did_not_move(
        self, engine, pg, monkeypatch
    ):
        secret = token_store.create_token(engine, "desk", "write")
        token_hash = token_store.hash_secret(secret)
        token_cache.remembered(engine, token_hash)  # as a request's authentication does
        spy = Spy(monkeypatch)
        for n in range(3):
            record(engine, _request(n, token_hash=token_hash))
        token_store.revoke_token(engine, "desk")
        with pytest.raises(Unauthorized):
            record(engine, _request(9, token_hash=token_hash))
        assert (spy.sent, spy.missed) == (2, 1)
        assert len(_stored(engine)) == 3

    def test_a_name_taken_long_before_is_found_though_the_guess_had_it_free(
        self, engine, pg, monkeypatch
    ):
        spy = Spy(monkeypatch)
        record(engine, _request(1, id="named-swap"))
        for n in range(3):
            record(engine, _request(n))
        with pytest.raises(StreamExists):
            record(engine, _request(2, id="named-swap"))
        assert spy.missed == 1
        assert len(_stored(engine)) == 4

    def test_work_that_reads_waits_for_the_read_and_a_key_replays(self, engine, pg, monkeypatch):
        spy = Spy(monkeypatch)
        for n in range(2):
            record(engine, _request(n))
        first, fresh = record(engine, _request(7, key="k-1"))
        again, replayed = record(engine, _request(7, key="k-1"))
        assert (fresh, replayed) == (True, False)
        assert again.id == first.id
        assert (spy.sent, spy.missed) == (2, 0)
        assert len(_stored(engine)) == 3

    def test_a_session_that_lost_its_prepared_read_prepares_it_again(self, engine, pg, monkeypatch):
        monkeypatch.setattr(pg_lock, "PREPARE_FROM", 1)
        spy = Spy(monkeypatch)
        for n in range(3):
            record(engine, _request(n))
        driver = _committer_driver(engine)
        assert pg_script._PREPARED.get(driver)  # the read is prepared there
        # What psycopg's DEALLOCATE ALL does to a session (see pg_script.forget).
        driver.pgconn.exec_(b"DEALLOCATE ALL")
        written, _ = record(engine, _request(11))
        assert (spy.sent, spy.missed) == (2, 0)
        assert written.position == 4
        assert first_bad_position(_stored(engine)) is None


class TestLostConnection:
    def test_a_connection_killed_before_a_guessed_transaction_is_replaced_without_failing(
        self, engine, pg, monkeypatch
    ):
        spy = Spy(monkeypatch)
        committer = GroupCommitter(engine)
        for n in range(2):
            committer.run(_work(n), isolated=False)
        pid = committer._conn.connection.driver_connection.info.backend_pid
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
            admin.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            alive = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p")
            deadline = time.monotonic() + 5
            while admin.execute(alive, {"p": pid}).scalar() and time.monotonic() < deadline:
                time.sleep(0.01)
        # Sent on the guess, its read finds the connection gone: nothing of the batch was
        # sent, so it runs again on a fresh connection.
        (third,) = committer.run(_work(3), isolated=False)
        assert spy.sent == 1 and third.position == 3
        committer._release()
        assert first_bad_position(_stored(engine)) is None

    def test_a_connection_lost_with_the_read_in_flight_is_replaced_without_failing(
        self, engine, pg, monkeypatch
    ):
        committer = GroupCommitter(engine)
        for n in range(2):
            committer.run(_work(n), isolated=False)
        results = pg_lock._results

        def cut(driver):
            driver.pgconn.finish()  # the connection goes while the read is in flight
            return results(driver)

        monkeypatch.setattr(pg_lock, "_results", cut)
        (third,) = committer.run(_work(3), isolated=False)
        assert third.position == 3
        committer._release()
        assert first_bad_position(_stored(engine)) is None


class TestOneTransaction:
    def _guess(self, engine) -> Guess:
        append(engine, [new_swap("swap/one")], recorded_by="t")
        with engine.connect() as conn:
            head = event_reads.head(conn)
        return Guess(head=head, after_lock={TOKENS_READ: "0:0:"})

    def test_a_guess_that_holds_runs_the_block_on_it_and_keeps_the_read(self, engine, pg):
        guess = self._guess(engine)
        with engine.connect() as conn, append_transaction_on(conn, guess=guess) as inside:
            driver = inside.connection.driver_connection
            assert pending(driver)
            assert inside.info[engine_module.HEAD] == guess.head
            inside.execute(sa.text("SELECT 1"))  # a statement waits for the read first
            assert not pending(driver)
            found_head, after_lock = inside.info[LOCK_READ]
            assert found_head == guess.head and after_lock[TOKENS_READ] == "0:0:"

    def test_a_wrong_guess_raises_at_the_first_statement_with_the_read_in_its_place(
        self, engine, pg
    ):
        guess = self._guess(engine)
        wrong = Guess(head=(guess.head[0] - 1, "0" * 64), after_lock={})
        with engine.connect() as conn, append_transaction_on(conn, guess=wrong) as inside:
            with pytest.raises(Mispredicted):
                inside.execute(sa.text("SELECT 1"))
            assert inside.info[engine_module.HEAD] == guess.head
            assert inside.info[LOCK_READ][0] == guess.head
            # The transaction goes on, the lock held: the work runs again on the read.
            (event,) = append_in(inside, [new_swap("swap/two")], recorded_by="t")
        assert (event.position, event.prev_hash) == (guess.head[0] + 1, guess.head[1])
        assert first_bad_position(_stored(engine)) is None

    def test_a_block_that_fails_before_any_statement_drops_the_read_and_the_lock(self, engine, pg):
        guess = self._guess(engine)
        with engine.connect() as conn:
            with pytest.raises(ValueError), append_transaction_on(conn, guess=guess):
                raise ValueError("the work failed before sending anything")
            assert not pending(conn.connection.driver_connection)
            (later,) = append(engine, [new_swap("swap/two")], recorded_by="t")
            assert later.position == guess.head[0] + 1
            with append_transaction_on(conn) as again:
                assert again.info[engine_module.HEAD] == (later.position, later.hash)


class TestGuesses:
    """Which transactions of a committer run on a guess (no database: ``Guesses`` alone)."""

    def _committed(self, guesses: Guesses, position: int, *, guessed: bool = False) -> None:
        """A commit whose read found the head at ``position - 1`` and that wrote one event."""
        event = SimpleNamespace(position=position, hash=f"h{position}", stream=f"swap/{position}")
        found = ((position - 1, f"h{position - 1}"), {TOKENS_READ: 0, "other": 1})
        guesses.learn(found, [event], frozenset({TOKENS_READ}), guessed=guessed)

    def test_a_read_that_found_the_head_left_makes_the_next_guess(self):
        guesses = Guesses()
        self._committed(guesses, 1)
        assert guesses.take() is None  # the first read had nothing of this committer's to find
        self._committed(guesses, 2)
        guess = guesses.take()
        assert guess == Guess(head=(2, "h2"), after_lock={TOKENS_READ: 0}, taken={"swap/2"})
        assert guesses.take() is None  # taken once

    def test_misses_in_a_row_double_the_transactions_without_one_up_to_a_bound(self):
        guesses = Guesses()
        skipped = []
        for _ in range(8):
            guesses.missed()
            skipped.append(guesses.skip)
        assert skipped == [2, 4, 8, 16, 32, 64, 64, 64]
        position = 1
        for _ in range(64):
            self._committed(guesses, position)
            assert guesses.take() is None
            position += 1
        self._committed(guesses, position)
        assert guesses.take() is not None
        self._committed(guesses, position + 1, guessed=True)  # it held: the streak is over
        guesses.missed()
        assert guesses.skip == 2
