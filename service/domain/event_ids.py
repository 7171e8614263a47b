"""Event ids: UUIDv7 (RFC 9562), time-ordered.

An id starts with the milliseconds of its creation, so the ids of new events sort after the
ids of older ones. The unique index on ``events.id`` and the fact-version index by event id
then take each new entry on their last pages, and the facts a correction or retraction
mostly targets (recent ones) sit together there: an append touches the same few index pages
at 10⁶ events as at 10³, instead of a random page of an index that outgrows the server's
buffers (bench/fill.py measures the rate per 50,000 events up to 10⁶). The last 74 bits are
random, so ids stay unguessable and two processes never collide in practice. Ids are never
ordered by this: the log's order is ``position``.

The random bits are drawn from ``os.urandom`` a few hundred ids at a time, not once per
call. The group committer places each append while it holds the append lock, and
``os.urandom`` releases the GIL for its system call: each call let a request thread (a
batch's validation, say) run on, and the committer could then wait up to the switch
interval (5 ms) to go on, lock held. A forked child starts with an empty pool of its own: it never
hands out its parent's bits.
"""

from __future__ import annotations

import os
import threading
import time

_VERSION = 0x7 << 76
_VARIANT = 0b10 << 62
_RAND_B = (1 << 62) - 1
_ID_BYTES = 10  # 80 random bits per id: 12 for rand_a, 62 for rand_b
_POOL_IDS = 512


class _RandomPool:
    """Bytes of ``os.urandom``, drawn in blocks and handed out once each."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._forget()
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._bytes, self._used = b"", 0

    def take(self, size: int) -> bytes:
        with self._lock:
            if self._used + size > len(self._bytes):
                self._bytes, self._used = os.urandom(max(size, _ID_BYTES * _POOL_IDS)), 0
            start = self._used
            self._used += size
            return self._bytes[start : self._used]


_POOL = _RandomPool()


def new_event_ids(count: int) -> list[str]:
    """``count`` new UUIDv7s, as canonical 36-character text."""
    millis = (time.time_ns() // 1_000_000 & 0xFFFF_FFFF_FFFF) << 80
    pool = _POOL.take(_ID_BYTES * count)
    ids = []
    for i in range(0, _ID_BYTES * count, _ID_BYTES):
        rand = int.from_bytes(pool[i : i + _ID_BYTES], "big")
        value = millis | _VERSION | (rand >> 62 & 0xFFF) << 64 | _VARIANT | rand & _RAND_B
        # str(uuid.UUID(int=value)), without building the UUID (its checks cost ~1 µs).
        h = f"{value:032x}"
        ids.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return ids
