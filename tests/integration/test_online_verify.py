"""``verify`` walks the chain online: writes go on while it runs, and it still names a
tampered row by its position. The walk's progress callback is where the test appends, so
the writes provably happen while the verify's snapshot is open, whatever the timing."""

from __future__ import annotations

import threading
from datetime import date

from service.store import event_reads
from service.store.append import append
from service.store.chain import verify_chain
from tests.builders import new_swap
from tests.integration.test_cli import _tamper

EVERY = 100
LOG_SIZE = 3 * EVERY
WRITES = 5
WAIT = 30


def _fill(engine, first: int, n: int) -> None:
    swaps = [
        new_swap(f"swap/v{i}", occurred_on=date(2025, 1, 1 + i % 28))
        for i in range(first, first + n)
    ]
    append(engine, swaps, recorded_by="newsroom")


def _verify_while_writing(engine):
    """Run verify in a thread; once it has checked EVERY events, append WRITES events from
    this thread and let it finish. Returns (report, whether the writes returned in time)."""
    walking, written = threading.Event(), threading.Event()
    found: dict = {}

    def progress(done: int) -> None:
        if done == EVERY:
            walking.set()
            written.wait(WAIT)

    def verify() -> None:
        found["report"] = verify_chain(engine, progress=progress, every=EVERY)

    verifier = threading.Thread(target=verify, daemon=True)
    verifier.start()
    assert walking.wait(WAIT), "verify never reached its first progress point"

    def write() -> None:
        _fill(engine, LOG_SIZE, WRITES)
        found["wrote"] = True

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    writer.join(WAIT)  # a verify holding the append lock would keep the writer waiting here
    wrote = found.get("wrote", False)
    written.set()
    verifier.join(WAIT)
    assert not verifier.is_alive()
    return found["report"], wrote


def test_writes_succeed_while_verify_walks_the_chain(engine):
    _fill(engine, 0, LOG_SIZE)
    report, wrote = _verify_while_writing(engine)
    assert wrote, "an append waited for verify"
    assert report.broken_at is None
    assert (report.position, report.checked) == (LOG_SIZE, LOG_SIZE)  # the snapshot's head
    with engine.connect() as conn:
        assert event_reads.head(conn)[0] == LOG_SIZE + WRITES


def test_a_tampered_row_is_named_while_writes_go_on(engine, backend):
    _fill(engine, 0, LOG_SIZE)
    tampered = 2 * EVERY + 7
    _tamper(engine, backend, tampered)
    report, wrote = _verify_while_writing(engine)
    assert wrote
    assert report.broken_at == tampered
    with engine.connect() as conn:
        assert event_reads.head(conn)[0] == LOG_SIZE + WRITES
