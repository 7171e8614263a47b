"""Event ids: UUIDv7 (RFC 9562), time-ordered.

An id starts with the milliseconds of its creation, so the ids of new events sort after the
ids of older ones. The unique index on ``events.id`` and the fact-version index by event id
then take each new entry on their last pages, and the facts a correction or retraction
mostly targets (recent ones) sit together there: an append touches the same few index pages
at 10⁶ events as at 10³, instead of a random page of an index that outgrows the server's
buffers (bench/fill.py measures the rate per 50,000 events up to 10⁶). The last 74 bits are
random, so ids stay unguessable and two processes never collide in practice. Ids are never
ordered by this: the log's order is ``position``.
"""

from __future__ import annotations

import os
import time
import uuid

_VERSION = 0x7 << 76
_VARIANT = 0b10 << 62
_RAND_B = (1 << 62) - 1


def new_event_ids(count: int) -> list[str]:
    """``count`` new UUIDv7s, as canonical 36-character text; their random bits come from
    one ``os.urandom`` call (a batch of 1,000: 1.8 µs per id, against 2.6 µs one by one)."""
    millis = (time.time_ns() // 1_000_000 & 0xFFFF_FFFF_FFFF) << 80
    pool = os.urandom(10 * count)
    ids = []
    for i in range(0, 10 * count, 10):
        rand = int.from_bytes(pool[i : i + 10], "big")  # 80 bits: 12 for rand_a, 62 for rand_b
        value = millis | _VERSION | (rand >> 62 & 0xFFF) << 64 | _VARIANT | rand & _RAND_B
        ids.append(str(uuid.UUID(int=value)))
    return ids
