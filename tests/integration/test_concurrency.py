"""Many writers, each on its own connection pool, through the one append path at once.

Threads here each build their own engine, so every writer holds a real, separate database
connection: the serialization under test is the database's (BEGIN IMMEDIATE on SQLite, the
advisory lock on PostgreSQL), not a Python lock.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa

from service.domain import events as ev
from service.domain.errors import VersionMismatch
from service.domain.hashing import first_bad_position
from service.recording import WriteRequest, fingerprint, record
from service.schemas.corrections import CorrectionWrite
from service.schemas.swaps import SwapWrite
from service.store import event_reads
from service.store.tables import events
from service.wiring import open_log
from tests.builders import correction_body, swap_body

pytestmark = pytest.mark.slow

WRITERS = 8
APPENDS_EACH = 200
RACE_ROUNDS = 10


def _in_threads(database_url: str, n: int, work: Callable[[Any, int], Any]) -> list[Any]:
    """Run ``work(engine, i)`` in n threads, each with its own engine; collect results."""

    def run(i: int) -> Any:
        engine = open_log(database_url, pool_size=1, max_overflow=0)
        try:
            return work(engine, i)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def _swap_request(writer: int, n: int) -> WriteRequest:
    body = SwapWrite().load(swap_body(sides=[{"party": "UA", "received": writer * 1000 + n}]))
    return WriteRequest(event_type=ev.SWAP_COMPLETED, body=body, recorded_by=f"writer-{writer}")


class TestManyWritersAppending:
    def test_positions_are_gapless_unique_and_the_chain_verifies(self, database_url, engine):
        def writer(own_engine, i: int) -> list[tuple[int, str]]:
            # No try/except: an exception (e.g. "database is locked") fails the test via map().
            return [
                (e.position, e.stream)
                for e, _ in (record(own_engine, _swap_request(i, n)) for n in range(APPENDS_EACH))
            ]

        results = _in_threads(database_url, WRITERS, writer)

        total = WRITERS * APPENDS_EACH
        seen = sorted(p for per_writer in results for p, _ in per_writer)
        assert seen == list(range(1, total + 1))
        for per_writer in results:  # each writer's own appends come back in increasing order
            assert [p for p, _ in per_writer] == sorted(p for p, _ in per_writer)
        streams = [s for per_writer in results for _, s in per_writer]
        assert len(set(streams)) == total  # generated stream ids never collide
        with engine.connect() as conn:
            stored = conn.execute(sa.select(events.c.position).order_by(events.c.position))
            assert [r.position for r in stored] == list(range(1, total + 1))
            assert first_bad_position(event_reads.raw_rows(conn)) is None
            assert event_reads.head(conn)[0] == total


class TestWritersRacingForOneVersion:
    def test_exactly_one_writer_wins_each_version(self, database_url, engine):
        target, _ = record(engine, _swap_request(0, 0))
        barriers = [threading.Barrier(WRITERS) for _ in range(RACE_ROUNDS)]

        def racer(own_engine, i: int) -> list[str]:
            outcomes = []
            for rnd, barrier in enumerate(barriers):
                body = CorrectionWrite().load(
                    correction_body({"mediators": ["AE"]}, reason=f"round {rnd} by {i}")
                )
                request = WriteRequest(
                    event_type=ev.EVENT_CORRECTED,
                    body=body,
                    recorded_by=f"racer-{i}",
                    parent_id=target.id,
                    if_match=rnd + 1,  # everyone expects the version the last round left
                )
                barrier.wait(timeout=30)
                try:
                    record(own_engine, request)
                    outcomes.append("won")
                except VersionMismatch as exc:
                    assert exc.source == "header"
                    outcomes.append("lost")
                # The next round starts only once every racer has finished this one.
            return outcomes

        results = _in_threads(database_url, WRITERS, racer)

        per_round = [Counter(r[rnd] for r in results) for rnd in range(RACE_ROUNDS)]
        assert per_round == [Counter(won=1, lost=WRITERS - 1)] * RACE_ROUNDS
        with engine.connect() as conn:
            assert event_reads.stream_version(conn, target.stream) == RACE_ROUNDS + 1
            assert first_bad_position(event_reads.raw_rows(conn)) is None


class TestWritersRacingWithOneIdempotencyKey:
    def test_one_event_is_written_and_every_other_writer_waits_for_it_and_gets_it_back(
        self, database_url, engine
    ):
        raw = swap_body()
        request = WriteRequest(
            event_type=ev.SWAP_COMPLETED,
            body=SwapWrite().load(raw),
            recorded_by="newsroom",
            idempotency_key="swap-2026-02-05",
            request_fingerprint=fingerprint("POST", "/v1/swaps", raw),
        )
        barrier = threading.Barrier(WRITERS)

        def retrier(own_engine, _i: int) -> tuple[str, str, int]:
            barrier.wait(timeout=30)
            event, fresh = record(own_engine, request)  # never "in flight": it waits
            return ("written" if fresh else "replayed"), event.id, event.position

        results = _in_threads(database_url, WRITERS, retrier)

        kinds = Counter(kind for kind, _, _ in results)
        assert kinds == Counter(written=1, replayed=WRITERS - 1)
        assert {(event_id, pos) for _, event_id, pos in results} == {(results[0][1], 1)}
        with engine.connect() as conn:
            assert event_reads.head(conn)[0] == 1
        again, fresh = record(engine, request)  # a later retry gets the original back
        assert (again.id, again.position, fresh) == (results[0][1], 1, False)

    def test_racing_rounds_of_keys_mixed_with_plain_writes_append_each_key_once(
        self, database_url, engine
    ):
        rounds = 5
        barriers = [threading.Barrier(WRITERS) for _ in range(rounds)]

        def writer(own_engine, i: int) -> list[tuple[int, str, bool]]:
            seen = []
            for rnd, barrier in enumerate(barriers):
                raw = swap_body(sides=[{"party": "UA", "received": rnd}])
                keyed = WriteRequest(
                    event_type=ev.SWAP_COMPLETED,
                    body=SwapWrite().load(raw),
                    recorded_by="newsroom",
                    idempotency_key=f"round-{rnd}",
                    request_fingerprint=fingerprint("POST", "/v1/swaps", raw),
                )
                barrier.wait(timeout=30)
                event, fresh = record(own_engine, keyed)
                seen.append((rnd, event.id, fresh))
                record(own_engine, _swap_request(i, rnd))  # a plain write between rounds
            return seen

        results = _in_threads(database_url, WRITERS, writer)

        for rnd in range(rounds):
            answers = [r[rnd] for r in results]
            assert len({event_id for _, event_id, _ in answers}) == 1
            assert sum(fresh for _, _, fresh in answers) == 1
        with engine.connect() as conn:
            stored = list(event_reads.raw_rows(conn))
            assert [row["position"] for row in stored] == list(range(1, rounds * (WRITERS + 1) + 1))
            assert first_bad_position(stored) is None
