"""Server-generated resource ids: ``swap/2026-02-05``, then ``-2``, ``-3``… found in few queries."""

from __future__ import annotations

import weakref
from collections.abc import Callable

from sqlalchemy.engine import Connection, Engine

from ..domain.events import EVENT_TYPES, NewEvent, stream_name
from . import pg_writes
from .lock_state import Cursor
from .tables import events

# The names a probe of its own asks about first, from the date's first name or from the last
# suffix this process generated for it: the next WINDOW (one more per further event of the
# batch), then names further out (2**3 .. 2**_REACH past the first) for a date that has many
# more. Few names: every one is a text array element to send and an equality for PostgreSQL
# to plan.
WINDOW = 8
_REACH = 12
# At most this many names per narrowing query after that.
_PROBES = 64
# The most names a batch's later probe asks for at once (a batch has up to 1,000 items).
_MAX_WINDOW = 1024
# Per engine (one database), first name -> the suffix last generated here: a hint, always
# re-checked. Keyed by the engine itself: hashing its URL renders the URL as text, which was
# a fifth of placing a generated id.
_LAST_GENERATED: weakref.WeakKeyDictionary[Engine, dict[str, int]] = weakref.WeakKeyDictionary()
_MAX_HINTS = 4096


def hints(engine: Engine) -> dict[str, int]:
    engine = getattr(engine, "_proxied", engine)  # an engine with options: its own engine's
    found = _LAST_GENERATED.get(engine)
    if found is None:
        found = _LAST_GENERATED[engine] = {}
    return found


def generated_stream(conn: Connection, cursor: Cursor, new: NewEvent) -> str:
    """A readable id from the date: ``swap/2026-02-05``, then ``-2``, ``-3`` when taken.

    The first free suffix after a taken one, found with few queries however busy the date.
    What the lock's round trip found (``lock_probe``) is known without asking; past it, each
    query asks which of some candidate names exist (one array over the unique index): the
    next few names from this process's last suffix for the date (or from the date itself)
    and a few far beyond them, so a date with k streams costs one query while this
    process's hint is close, and a handful of queries at most otherwise.
    """
    kind = new.stream_kind or EVENT_TYPES[new.type].stream_kind
    base = new.occurred_on.isoformat()

    def name(n: int) -> str:
        return numbered(kind, base, n)

    known_hints, key = hints(conn.engine), name(1)
    hint = known_hints.get(key, 0)
    settled = _first_known_free(cursor, name, max(hint, 1))
    if settled:
        # Settled under this lock already (the lock's round trip, the batch's earlier
        # appends of this date): no candidates to list or ask about.
        return _remember(known_hints, key, settled, name(settled))
    # From the suffix this process generated last for the date, checked again here: a
    # rolled-back append or another database may have left it stale (when it is free, the
    # search narrows down between the date's first name and it). Streams are never removed,
    # so while it is still taken the search can start right there.
    low, high = 0, 0  # invariant: low is taken (0 stands for "before 1"), high is free
    if hint > 1 and _known(cursor, name(hint)) and _known(cursor, name(hint + 1)) is None:
        # Past the names the lock's round trip looked at: a batch of this date, whose names
        # another writer took since this process's hint (more than its search reached).
        # More of the date are likely to follow, so each such probe asks for twice as many
        # names as the last (64, 128, ...).
        size = min(2 * cursor.windows.get(key, _PROBES // 2), _MAX_WINDOW)
        cursor.windows[key] = size
        candidates = window(hint, size)
    else:
        candidates = window(hint if hint > 1 else 1)
    while True:
        taken = _taken(conn, cursor, {n: name(n) for n in candidates})
        free = next((n for n in candidates if n not in taken), 0)
        low = max([low, *(n for n in candidates if n in taken and (not free or n < free))])
        high = free or high
        if high == 0:  # more streams than the names reached: look further out
            candidates = [low + 2**p for p in range(_REACH + 1)]
            continue
        if high == low + 1:
            return _remember(known_hints, key, high, name(high))
        step = -(-(high - low - 1) // _PROBES)  # ceil: at most _PROBES names per query
        candidates = list(range(low + 1, high, step))


def numbered(kind: str, base: str, n: int) -> str:
    """The n-th generated name of a kind and date: the date itself, then ``date-n``."""
    return suffixed(stream_name(kind, base), n)


def suffixed(first: str, n: int) -> str:
    """The n-th generated name after a date's first name (``pg_writes.FREE_SUFFIXES``
    builds the same in SQL)."""
    return first if n == 1 else f"{first}-{n}"


def window(first: int, count: int = 1) -> list[int]:
    """``first`` and the next WINDOW - 1 names (one more per further event of ``count``),
    then ``first`` + 2**p beyond them up to 2**_REACH, ascending."""
    last = first + WINDOW + count - 2
    far = (first + 2**p for p in range(3, _REACH + 1))
    return [*range(first, last + 1), *(n for n in far if n > last)]


def _first_known_free(cursor: Cursor, name: Callable[[int], str], start: int) -> int:
    """The first name from ``start`` on known free after names known taken (or the date's
    first name, known free); 0 when what this lock knows does not settle it."""
    n = start
    while _known(cursor, name(n)):
        n += 1
    return n if (n > start or n == 1) and _known(cursor, name(n)) is False else 0


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
            stored = _existing_sqlite(conn, unknown)
        cursor.probed.update({s: s in stored for s in unknown})
    return {n for n, s in names.items() if _known(cursor, s)}


def _existing_sqlite(conn: Connection, names: list[str]) -> set[str]:
    """Which of some names exist as streams (PostgreSQL: pg_writes.existing_streams), asked
    on the driver: through SQLAlchemy, the expanding IN cost a single write on SQLite more
    than the query itself."""
    marks = ", ".join("?" * len(names))
    rows = conn.connection.driver_connection.execute(
        f"SELECT stream FROM {events.name} WHERE stream IN ({marks}) AND stream_version = 1",
        names,
    )
    return {row[0] for row in rows}
