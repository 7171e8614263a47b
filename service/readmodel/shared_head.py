"""One head lookup shared by the requests that arrived before it started.

Every read of the head must see every write committed before the read arrived (a client
that got its ``201`` and then reads finds its event). A lookup that *started* after a request
arrived gives exactly that, whichever request made it. So, per engine and process, at most
one lookup runs at a time; a request that arrives while one is running waits for the next,
which one of the waiters starts as soon as the running one ends, for all of them — the
read-side twin of the append path's group commit. Under load one round trip answers many
requests; alone, a request costs one lookup as before.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy.engine import Engine

T = TypeVar("T")


class SharedLookup(Generic[T]):
    """``get(arrived)``: a value from a lookup that started at or after ``arrived``."""

    def __init__(self, lookup: Callable[[], T], clock: Callable[[], float] = time.monotonic):
        self.lookup = lookup
        self.clock = clock
        self._cond = threading.Condition()
        self._value: T | None = None
        self._started = -float("inf")  # when the lookup that gave _value started
        self._running = False

    def get(self, arrived: float) -> T:
        with self._cond:
            while True:
                if self._started >= arrived:
                    return self._value  # type: ignore[return-value]
                if not self._running:
                    self._running = True
                    started = self.clock()
                    break
                self._cond.wait()
        try:
            value = self.lookup()
        except BaseException:
            with self._cond:
                self._running = False
                self._cond.notify_all()
            raise
        with self._cond:
            if started >= self._started:
                self._value, self._started = value, started
            self._running = False
            self._cond.notify_all()
        return value


_SHARED: weakref.WeakKeyDictionary[Engine, SharedLookup] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def shared_head(engine: Engine, lookup: Callable[[Engine], T]) -> SharedLookup[T]:
    """The engine's shared lookup of ``lookup(engine)`` in this process."""
    with _LOCK:
        shared = _SHARED.get(engine)
        if shared is None:
            shared = _SHARED[engine] = SharedLookup(lambda: lookup(engine))
        return shared
