"""Server-generated resource ids: ``swap/2026-02-05``, then ``-2``, ``-3``… found in few queries."""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..domain.events import EVENT_TYPES, NewEvent, stream_name
from . import pg_writes
from .lock_state import Cursor
from .tables import events

# Names asked for in the first query (1..32, then powers of two), and at most this many per
# narrowing query after that.
_FIRST_PROBES = 32
_PROBES = 64
# Per engine (one database), first name -> the suffix last generated here: a hint, always
# re-checked. Keyed by the engine itself: hashing its URL renders the URL as text, which was
# a fifth of placing a generated id.
_LAST_GENERATED: weakref.WeakKeyDictionary[Engine, dict[str, int]] = weakref.WeakKeyDictionary()
_MAX_HINTS = 4096


def _hints(engine: Engine) -> dict[str, int]:
    engine = getattr(engine, "_proxied", engine)  # an engine with options: its own engine's
    found = _LAST_GENERATED.get(engine)
    if found is None:
        found = _LAST_GENERATED[engine] = {}
    return found


def generated_stream(conn: Connection, cursor: Cursor, new: NewEvent) -> str:
    """A readable id from the date: ``swap/2026-02-05``, then ``-2``, ``-3`` when taken.

    The first free suffix after a taken one, found with few queries however busy the date:
    each query asks which of up to ~64 candidate names exist (one IN over the unique index).
    The first asks 1..32 and the powers of two beyond, so a date with k streams costs one
    query while k < 32 and a handful after that, not one query per earlier stream.
    """
    kind = new.stream_kind or EVENT_TYPES[new.type].stream_kind
    base = new.occurred_on.isoformat()

    def name(n: int) -> str:
        return _numbered(kind, base, n)

    hints, key = _hints(conn.engine), name(1)
    hint = hints.get(key, 0)
    if hint > 1 and _known(cursor, name(hint)) and _known(cursor, name(hint + 1)) is False:
        # Settled under this lock already (e.g. the batch's earlier appends of this date):
        # the hint is taken and the next name is free; no candidates to list or ask about.
        return _remember(hints, key, hint + 1, name(hint + 1))
    if hint > 1:
        # The suffix this process generated last for the date, checked again in this query
        # (a rolled-back append or another database may have left it stale): streams are
        # never removed, so while it is still taken the search can start right there.
        candidates = list(range(hint, hint + _PROBES))
        taken = _taken(conn, cursor, {n: name(n) for n in candidates})
        free = next((n for n in candidates if n not in taken), 0)
        if hint in taken and free:
            return _remember(hints, key, free, name(free))
    low, high = 0, 0  # invariant: low is taken (0 stands for "before 1"), high is free
    candidates = _first_candidates()
    while True:
        taken = _taken(conn, cursor, {n: name(n) for n in candidates})
        free = next((n for n in candidates if n not in taken), 0)
        low = max([low, *(n for n in candidates if n in taken and (not free or n < free))])
        high = free or high
        if high == 0:
            raise RuntimeError(f"no free stream id left for {name(1)}")
        if high == low + 1:
            return _remember(hints, key, high, name(high))
        step = -(-(high - low - 1) // _PROBES)  # ceil: at most _PROBES names per query
        candidates = list(range(low + 1, high, step))


def candidates(engine: Engine, news: Sequence[NewEvent]) -> tuple[str, ...]:
    """The names ``generated_stream`` will ask about for these events, in order (none for
    events that name their stream): on PostgreSQL they are looked up in the append lock's
    round trip, so the common case needs no probe of its own.

    Events of one kind and date take consecutive suffixes, so a batch of k of them asks for
    k more names past the first window: a 500-item batch on one date is then placed without
    a probe under the lock (one per 64 items before, each a round trip inside the lock).
    """
    if engine.dialect.name != "postgresql":
        return ()
    wanted: dict[tuple[str, str], int] = {}  # (kind, date) -> events to place
    for new in news:
        event_type = EVENT_TYPES[new.type]
        if new.stream is None and event_type.creates_stream:
            base = (new.stream_kind or event_type.stream_kind, new.occurred_on.isoformat())
            wanted[base] = wanted.get(base, 0) + 1
    hints = _hints(engine)
    names: list[str] = []
    for (kind, base), count in wanted.items():
        hint = hints.get(stream_name(kind, base), 0)
        numbers = _first_candidates(count) if hint <= 1 else range(hint, hint + _PROBES + count - 1)
        names.extend(_numbered(kind, base, n) for n in numbers)
    return tuple(names)


def _numbered(kind: str, base: str, n: int) -> str:
    """The n-th generated name of a kind and date: the date itself, then ``date-n``."""
    return stream_name(kind, base if n == 1 else f"{base}-{n}")


def _first_candidates(count: int = 1) -> list[int]:
    """1.._FIRST_PROBES (more for ``count`` events to place), then the powers of two beyond."""
    last = _FIRST_PROBES + count - 1
    return [*range(1, last + 1), *(2**p for p in range(6, 41) if 2**p > last)]


def _remember(hints: dict[str, int], key: str, n: int, stream: str) -> str:
    if len(hints) > _MAX_HINTS:
        hints.clear()
    hints[key] = n
    return stream


def _known(cursor: Cursor, stream: str) -> bool | None:
    """Whether the stream exists, as far as this lock knows (None: not known)."""
    return True if cursor.versions.get(stream, 0) > 0 else cursor.probed.get(stream)


def _taken(conn: Connection, cursor: Cursor, names: dict[int, str]) -> set[int]:
    """Which of these candidates (ascending) exist, in the log or earlier in this batch.

    Answers already known under this lock (earlier probes, this batch's streams) are not
    asked again; when they settle the first free candidate, the log is not asked at all
    (names after that one may then be reported free: callers look no further).
    """
    answers = [_known(cursor, s) for s in names.values()]
    unknown = [s for s, answer in zip(names.values(), answers, strict=True) if answer is None]
    settled = next((answer for answer in answers if answer is not True), None) is False
    if unknown and not settled:
        if conn.dialect.name == "postgresql":
            stored = pg_writes.existing_streams(conn, unknown)
        else:
            stored = set(conn.execute(_PROBE_IN, {"names": unknown}).scalars())
        cursor.probed.update({s: s in stored for s in unknown})
    return {n for n, s in names.items() if _known(cursor, s)}


# Which of some names exist as streams (PostgreSQL: pg_writes.existing_streams).
_PROBE_IN = sa.select(events.c.stream).where(
    events.c.stream.in_(sa.bindparam("names", expanding=True)), events.c.stream_version == 1
)
