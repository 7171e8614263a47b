"""Group commit: concurrent appends of one process share one serialized transaction.

Appends are serialized (see ``append_transaction``), so a writer that commits alone pays a
lock round trip and a disk flush per event while every other writer waits. Here the request
threads of a process hand their append work to one committer thread, which runs whatever
has queued up in a single append transaction, each piece in its own SAVEPOINT (a piece that
fails is rolled back alone and its caller gets the error), then commits once. Nobody is
answered before the commit, so a 2xx still means the event is on disk.
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

from .engine import APPENDED, append_transaction_on

T = TypeVar("T")
Work = Callable[[Connection], object]

MAX_BATCH = 64
# An idle committer thread exits after this long; the next append starts a new one.
IDLE_SECONDS = 5.0


class GroupCommitter:
    """One committer thread per engine and process, started on demand."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: queue.SimpleQueue[tuple[Work, Future]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        # Held between batches (no pool checkout or pre-ping per batch); dropped on any error.
        self._conn: Connection | None = None

    def run(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` inside the next append transaction; return once it has committed."""
        future: Future = Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="append-committer", daemon=True
                )
                self._thread.start()
            self._queue.put((work, future))
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
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[tuple[Work, Future]]) -> None:
        done: list[tuple[Future, object]] = []
        try:
            if self._conn is None:
                self._conn = self._engine.connect()
            with append_transaction_on(self._conn) as conn:
                for work, future in batch:
                    if not future.set_running_or_notify_cancel():
                        continue
                    if len(batch) == 1:
                        done.append((future, work(conn)))
                        continue
                    appended = conn.info.setdefault(APPENDED, [])
                    mark = len(appended)
                    savepoint = conn.begin_nested()
                    try:
                        result = work(conn)
                    except BaseException as exc:
                        savepoint.rollback()
                        del appended[mark:]  # rolled back: not committed, not announced
                        future.set_exception(exc)
                        continue
                    savepoint.commit()
                    done.append((future, result))
        except BaseException as exc:
            # The commit (or a lone piece of work) failed: none of these events exist.
            if isinstance(exc, DBAPIError) or not isinstance(exc, Exception):
                self._release()
            for future, _ in done:
                future.set_exception(exc)
            for _, future in batch:
                if future.running():
                    future.set_exception(exc)
            return
        for future, result in done:
            future.set_result(result)

    def _release(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


_COMMITTERS: weakref.WeakKeyDictionary[Engine, GroupCommitter] = weakref.WeakKeyDictionary()
_COMMITTERS_LOCK = threading.Lock()


def committed(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work(conn)`` in a serialized append transaction shared with concurrent appends."""
    with _COMMITTERS_LOCK:
        committer = _COMMITTERS.get(engine)
        if committer is None:
            committer = _COMMITTERS[engine] = GroupCommitter(engine)
    return committer.run(work)
