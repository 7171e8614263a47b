"""Group commit: concurrent appends of one process share one serialized transaction.

Appends are serialized (see ``append_transaction``), so a writer that commits alone pays a
lock round trip and a disk flush per event while every other writer waits. Here the request
threads of a process hand their append work to one committer thread, which runs whatever
has queued up in a single append transaction, each piece in its own SAVEPOINT (a piece that
fails is rolled back alone and its caller gets the error), then commits once. Nobody is
answered before the commit, so a 2xx still means the event is on disk.

What queues while the committer waits for the append lock (another process holds it) joins
the transaction once the lock is granted, instead of waiting for the next one: with two
processes taking turns, a transaction then carries ~5 pieces instead of ~3.4 at 16
connections (bench/write.py's load, bench/README.md), and the lock, the head read and the
COMMIT are paid that much less often per append.

On PostgreSQL, once a transaction's lock read found the head the committer's commit before
it had left (no other writer came between), the next one runs its pieces on that guess while
its lock's read is in flight (``pg_speculation``), and again on the read if it differs.
"""

from __future__ import annotations

import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ..domain.events import RecordedEvent
from . import pg_writes
from .batch_runs import DATABASE_ERRORS, Piece, Redo, Work, run_staged, run_unstaged
from .engine import LOCK_READ, PROBED, append_transaction_on
from .faults import unavailable
from .hooks import hooks_of
from .lock_probe import NONE, Probe, after_lock, for_lock
from .pg_speculation import Guess, Guesses, Mispredicted
from .pg_writes import DEFERRED

T = TypeVar("T")

MAX_BATCH = 64
# An idle committer thread exits after this long; the next append starts a new one.
IDLE_SECONDS = 5.0


class GroupCommitter:
    """One committer thread per engine and process, started on demand."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: queue.SimpleQueue[Piece] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        # Held between batches (no pool checkout or pre-ping per batch); dropped on any error.
        self._conn: Connection | None = None
        self._guesses = Guesses()  # PostgreSQL: what its next lock's read should find
        # Pieces its transactions ran of late, those that joined included: the most of the
        # last, less one per transaction since (``lock_probe.for_lock``).
        self._expected = 0

    def run(
        self,
        work: Callable[[Connection], T],
        *,
        isolated: bool = True,
        probe: Probe = NONE,
    ) -> T:
        """Run ``work`` inside the next append transaction; return once it has committed."""
        future: Future = Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="append-committer", daemon=True
                )
                self._thread.start()
            self._queue.put((work, future, isolated, probe))
        return future.result()

    def _loop(self) -> None:
        while True:
            try:
                batch = [self._queue.get(timeout=IDLE_SECONDS)]
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        self._release()
                        return
                continue
            batch.extend(self._queued(MAX_BATCH - 1))
            self._commit(batch)

    def _queued(self, room: int) -> list[Piece]:
        """Up to ``room`` pieces waiting in the queue now, without blocking."""
        taken: list[Piece] = []
        while len(taken) < room:
            try:
                taken.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return taken

    def _join_waiting(self, conn: Connection, pieces: list[Piece]) -> None:
        """Add to the batch (in place: a rerun and the failure answers include them) what
        queued while the lock was awaited. Their generated names were not looked up with the
        lock: a single write's are usually among the few extra names the lock's lookups
        found per date; a joining batch's are asked now, in one look-up (``lock_probe``)."""
        joining = [
            p for p in self._queued(MAX_BATCH - len(pieces)) if p[1].set_running_or_notify_cancel()
        ]
        pieces.extend(joining)
        known = conn.info.get(PROBED) or {}
        names = after_lock(for_lock(self._engine, (piece[3] for piece in joining)), known)
        if names:
            taken = pg_writes.existing_streams(conn, names)
            known.update({name: name in taken for name in names})
            conn.info[PROBED] = known

    def _commit(self, batch: list[Piece] | list[tuple[Work, Future]]) -> None:
        pieces = [
            (p[0], p[1], p[2] if len(p) > 2 else True, p[3] if len(p) > 3 else NONE)  # type: ignore[misc]
            for p in batch
        ]
        pieces = [p for p in pieces if p[1].set_running_or_notify_cancel()]
        if not pieces:
            return
        try:
            outcomes = self._attempt(pieces, staged=True, guess=self._guesses.take())
        except Redo:
            outcomes = self._attempt(pieces, staged=False)
        for future, value, ok in outcomes:
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def _attempt(
        self, pieces: list[Piece], *, staged: bool, guess: Guess | None = None
    ) -> list[tuple[Future, object, bool]]:
        """One append transaction for the batch; the outcome of each piece once it committed.

        Staged (first try): appends are only assigned while the pieces run, then written in
        one INSERT with one run of the projection hooks; a piece without ``isolated`` fails
        alone (nothing of it was written) unless the database raised, which makes the whole
        batch run again unstaged. Unstaged: each piece in its own SAVEPOINT, as written.
        ``guess``: what the lock's read should find (``pg_speculation``); the pieces then run
        while it is in flight, and again, in the same transaction, if it found otherwise.
        """
        outcomes: list[tuple[Future, object, bool]] = []
        try:
            if self._conn is None:
                self._conn = self._engine.connect()
            probe = for_lock(self._engine, (p[3] for p in pieces), expected=self._expected)
            with append_transaction_on(self._conn, probe=probe, guess=guess) as conn:
                if staged:
                    written = self._run_staged(conn, pieces, outcomes)
                else:
                    run_unstaged(conn, pieces, outcomes)
            if staged:
                stable = hooks_of(self._engine).append_stable()
                found = conn.info.pop(LOCK_READ, None)
                self._guesses.learn(found, written, stable, guessed=guess is not None)
            self._expected = max(len(pieces), self._expected - 1)
        except Redo as redo:  # rolled back; a broken connection is not reused for the retry
            if isinstance(redo.__cause__, DATABASE_ERRORS):
                self._discard()
            raise
        except DBAPIError as exc:
            if staged and not outcomes and exc.connection_invalidated:
                # The held connection died before any work ran (e.g. the database restarted
                # since the last batch): nothing was sent for these pieces, so retry them
                # on a fresh connection instead of failing them.
                self._discard()
                raise Redo() from exc
            self._discard()
            return [(f, exc, False) for _, f, *_ in pieces]
        except BaseException as exc:
            # The commit (or a lone piece of work) failed: none of these events exist.
            broken = isinstance(exc, DATABASE_ERRORS) or unavailable(exc)
            if broken or not isinstance(exc, Exception):
                self._discard()
            return [(f, exc, False) for _, f, *_ in pieces]
        return outcomes

    def _run_staged(
        self, conn: Connection, pieces: list[Piece], outcomes: list
    ) -> list[RecordedEvent]:
        """``run_staged`` after the waiting pieces joined; once more on the lock's read if it
        found otherwise than the guess (nothing was sent on the guess: the writes it queued
        are dropped)."""
        try:
            self._join_waiting(conn, pieces)
            return run_staged(conn, pieces, outcomes)
        except Mispredicted:
            self._guesses.missed()
            outcomes.clear()
            pg_writes.forget(conn, DEFERRED)
            return run_staged(conn, pieces, outcomes)

    def _release(self) -> None:
        """Hand the held connection back to the pool (the committer goes idle)."""
        self._guesses = Guesses()
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _discard(self) -> None:
        """Drop the held connection after a database error, closing it rather than handing
        it back: the pool would ROLLBACK it first, and a connection the error left in an
        unknown state (still in pipeline mode when a shutdown reached the commit pipeline)
        fails that ROLLBACK, which the pool logs at ERROR with its stack."""
        if self._conn is not None:
            self._conn.invalidate()
            self._release()


_COMMITTERS: weakref.WeakKeyDictionary[Engine, GroupCommitter] = weakref.WeakKeyDictionary()
_COMMITTERS_LOCK = threading.Lock()


def run_in_shared_transaction(
    engine: Engine,
    work: Callable[[Connection], T],
    *,
    isolated: bool = True,
    probe: Probe = NONE,
) -> T:
    """Run ``work(conn)`` in a serialized append transaction shared with concurrent appends.

    ``isolated=False`` promises that ``work`` raises (other than a database error) only
    before any SQL write of its own: appends through ``append_in`` are staged, not written,
    so it then needs no SAVEPOINT of its own (two round trips fewer per append).
    """
    with _COMMITTERS_LOCK:
        committer = _COMMITTERS.get(engine)
        if committer is None:
            committer = _COMMITTERS[engine] = GroupCommitter(engine)
    return committer.run(work, isolated=isolated, probe=probe)
