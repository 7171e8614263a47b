"""The one append path: every write, single or batch, goes through ``append_in``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..domain.errors import NotFound, RuleViolation, StreamExists, VersionMismatch
from ..domain.events import EVENT_TYPES, META_TYPES, NewEvent, RecordedEvent, stream_name
from ..domain.hashing import GENESIS_HASH, envelope_hash
from . import event_reads, pg_writes
from .engine import APPENDED, HEAD, append_transaction, utc_now_text
from .hooks import hooks_of
from .tables import events

# Generated stream ids: names asked for in the first query (1..32, then powers of two), and at
# most this many per narrowing query after that.
_FIRST_PROBES = 32
_PROBES = 64
# (database, first name) -> the suffix last generated here: a hint, always re-checked.
_LAST_GENERATED: dict[tuple[str, str], int] = {}
_MAX_HINTS = 4096

# conn.info key of the group committer's Staging (absent outside it: append_in writes at once).
STAGING = "append_staging"


@dataclass
class _Cursor:
    position: int
    hash: str
    versions: dict[str, int]
    # Generated names the log was asked about while this lock is held: name -> taken.
    probed: dict[str, bool] = field(default_factory=dict)

    def copy(self) -> _Cursor:
        return _Cursor(self.position, self.hash, dict(self.versions), dict(self.probed))


@dataclass
class Staging:
    """One group-commit transaction's appends: assigned in order, written in one INSERT.

    ``append_in`` continues from ``cursor`` (no head query per append) and leaves its events
    in ``pending``; ``flush_staged`` INSERTs them (before anything reads the events table);
    ``finish_staged`` flushes and runs the ``on_append`` hooks once over the whole batch.
    """

    cursor: _Cursor | None = None
    pending: list[RecordedEvent] = field(default_factory=list)  # assigned, not inserted yet
    written: list[RecordedEvent] = field(default_factory=list)  # inserted, hooks not run yet

    def mark(self) -> tuple[_Cursor | None, int]:
        cursor = self.cursor.copy() if self.cursor else None
        return cursor, cursor.position if cursor else -1

    def reset(self, mark: tuple[_Cursor | None, int]) -> None:
        """Forget what was staged after ``mark`` (its piece failed or was rolled back)."""
        cursor, position = mark
        if position < 0:  # nothing was staged before the mark
            self.cursor, self.pending, self.written = None, [], []
            return
        self.cursor = cursor
        self.pending = [e for e in self.pending if e.position <= position]
        self.written = [e for e in self.written if e.position <= position]


def flush_staged(conn: Connection) -> None:
    """INSERT the staged events, so this transaction's reads of the events table see them."""
    staging: Staging | None = conn.info.get(STAGING)
    if staging is None or not staging.pending:
        return
    _insert(conn, staging.pending)
    staging.written.extend(staging.pending)
    staging.pending = []


def finish_staged(conn: Connection, staging: Staging) -> None:
    """Write what is still staged and bring the projections up to the batch's last event.

    On PostgreSQL these writes are deferred (see pg_writes) and sent here, in one round trip,
    so that an error in them is raised inside the batch, not by its COMMIT.
    """
    flush_staged(conn)
    if staging.written:
        _after_insert(conn, staging.written)
    pg_writes.flush(conn)


def append(
    engine: Engine, new_events: Sequence[NewEvent], *, recorded_by: str
) -> list[RecordedEvent]:
    """Append events atomically in their own transaction."""
    with append_transaction(engine) as conn:
        return append_in(conn, new_events, recorded_by=recorded_by)


def append_in(
    conn: Connection, new_events: Sequence[NewEvent], *, recorded_by: str
) -> list[RecordedEvent]:
    """Append events in the caller's append transaction: all are written or none.

    Assigns position, stream and stream_version, recorded_at/by and the hash chain; checks
    stream existence and expected versions against the state inside the lock.
    """
    staging: Staging | None = conn.info.get(STAGING)
    if staging is not None and staging.cursor is not None:
        cursor = staging.cursor.copy()  # a failure below leaves the staged state untouched
    else:
        # The head read with the lock (append_transaction_on) serves the first append only.
        position, last_hash = conn.info.pop(HEAD, None) or event_reads.head(conn)
        cursor = _Cursor(position=position, hash=last_hash or GENESIS_HASH, versions={})
    recorded_at = utc_now_text()
    stored: list[RecordedEvent] = []
    for new in new_events:
        stream, version = _place(conn, cursor, new)
        cursor.position += 1
        envelope = {
            "id": str(uuid.uuid4()),
            "position": cursor.position,
            "stream": stream,
            "stream_version": version,
            "type": new.type,
            "schema_version": EVENT_TYPES[new.type].schema_version,
            "occurred_on": new.occurred_on.isoformat(),
            "date_precision": new.date_precision,
            "recorded_at": recorded_at,
            "recorded_by": recorded_by,
            "data": dict(new.data),
            "sources": [dict(s) for s in new.sources],
            "prev_hash": cursor.hash,
        }
        envelope["hash"] = envelope_hash(envelope)
        cursor.hash = envelope["hash"]
        cursor.versions[stream] = version
        stored.append(event_reads.event_from_envelope(envelope))
    if staging is not None:
        staging.cursor = cursor
        staging.pending.extend(stored)
        return stored
    _insert(conn, stored)
    _after_insert(conn, stored)
    return stored


def append_replayed(conn: Connection, recorded: Sequence[RecordedEvent]) -> None:
    """The append path's replay mode (a restore): events recorded elsewhere are appended as
    they are — positions, ids, recorded_at and hashes kept — through the same insert and the
    same hooks as a fresh append, each checked to continue the head exactly."""
    position, last_hash = conn.info.pop(HEAD, None) or event_reads.head(conn)
    prev = last_hash or GENESIS_HASH
    for event in recorded:
        if event.position != position + 1 or event.prev_hash != prev:
            raise RuleViolation(
                "position", f"event {event.position} does not continue the log at {position}"
            )
        position, prev = event.position, event.hash
    _insert(conn, list(recorded))
    _after_insert(conn, [event_reads.upcast_event(e) for e in recorded])


def _insert(conn: Connection, stored: list[RecordedEvent]) -> None:
    rows = [
        {**_row(e), "target_id": e.data.get("target_event_id") if e.type in META_TYPES else None}
        for e in stored
    ]
    if conn.dialect.name == "postgresql":
        pg_writes.insert_rows(conn, events, rows)
    else:
        conn.execute(events.insert(), rows)


def _after_insert(conn: Connection, stored: list[RecordedEvent]) -> None:
    for hook in hooks_of(conn.engine).on_append:
        hook(conn, stored)
    # Handed to the after_commit hooks by append_transaction once (and only if) this commits.
    conn.info.setdefault(APPENDED, []).extend(stored)


def _place(conn: Connection, cursor: _Cursor, new: NewEvent) -> tuple[str, int]:
    """Choose the stream and its next version, enforcing existence and expected versions."""
    event_type = EVENT_TYPES[new.type]
    if event_type.creates_stream:
        if new.stream is None:
            return _generated_stream(conn, cursor, new), 1
        if _version(conn, cursor, new.stream) > 0:
            raise StreamExists(f"{new.stream} already exists; choose another id")
        return new.stream, 1
    if new.stream is None:
        raise NotFound("the event's stream is unknown")
    current = _version(conn, cursor, new.stream)
    if current == 0:
        field = event_type.parent_field or "target_event_id"
        raise RuleViolation(field, f"{new.stream} does not exist")
    if new.expected_version is not None and new.expected_version != current:
        raise VersionMismatch(
            f"{new.stream} is at version {current}, not {new.expected_version}",
            source=new.expected_from,
        )
    return new.stream, current + 1


def _version(conn: Connection, cursor: _Cursor, stream: str) -> int:
    if stream in cursor.versions:
        return cursor.versions[stream]
    return event_reads.stream_version(conn, stream)


def _generated_stream(conn: Connection, cursor: _Cursor, new: NewEvent) -> str:
    """A readable id from the date: ``swap/2026-02-05``, then ``-2``, ``-3`` when taken.

    The first free suffix after a taken one, found with few queries however busy the date:
    each query asks which of up to ~64 candidate names exist (one IN over the unique index).
    The first asks 1..32 and the powers of two beyond, so a date with k streams costs one
    query while k < 32 and a handful after that, not one query per earlier stream.
    """
    kind = new.stream_kind or EVENT_TYPES[new.type].stream_kind
    base = new.occurred_on.isoformat()

    def name(n: int) -> str:
        return stream_name(kind, base if n == 1 else f"{base}-{n}")

    key = (str(conn.engine.url), name(1))
    hint = _LAST_GENERATED.get(key, 0)
    if hint > 1 and _known(cursor, name(hint)) and _known(cursor, name(hint + 1)) is False:
        # Settled under this lock already (e.g. the batch's earlier appends of this date):
        # the hint is taken and the next name is free; no candidates to list or ask about.
        return _remember(key, hint + 1, name(hint + 1))
    if hint > 1:
        # The suffix this process generated last for the date, checked again in this query
        # (a rolled-back append or another database may have left it stale): streams are
        # never removed, so while it is still taken the search can start right there.
        candidates = list(range(hint, hint + _PROBES))
        taken = _taken(conn, cursor, {n: name(n) for n in candidates})
        free = next((n for n in candidates if n not in taken), 0)
        if hint in taken and free:
            return _remember(key, free, name(free))
    low, high = 0, 0  # invariant: low is taken (0 stands for "before 1"), high is free
    candidates = [*range(1, _FIRST_PROBES + 1), *(2**p for p in range(6, 41))]
    while True:
        taken = _taken(conn, cursor, {n: name(n) for n in candidates})
        free = next((n for n in candidates if n not in taken), 0)
        low = max([low, *(n for n in candidates if n in taken and (not free or n < free))])
        high = free or high
        if high == 0:
            raise RuntimeError(f"no free stream id left for {name(1)}")
        if high == low + 1:
            return _remember(key, high, name(high))
        step = -(-(high - low - 1) // _PROBES)  # ceil: at most _PROBES names per query
        candidates = list(range(low + 1, high, step))


def _remember(key: tuple[str, str], n: int, stream: str) -> str:
    if len(_LAST_GENERATED) > _MAX_HINTS:
        _LAST_GENERATED.clear()
    _LAST_GENERATED[key] = n
    return stream


def _known(cursor: _Cursor, stream: str) -> bool | None:
    """Whether the stream exists, as far as this lock knows (None: not known)."""
    return True if cursor.versions.get(stream, 0) > 0 else cursor.probed.get(stream)


def _taken(conn: Connection, cursor: _Cursor, names: dict[int, str]) -> set[int]:
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


def _row(e: RecordedEvent) -> dict:
    return {
        "position": e.position,
        "id": e.id,
        "stream": e.stream,
        "stream_version": e.stream_version,
        "type": e.type,
        "schema_version": e.schema_version,
        "occurred_on": e.occurred_on,
        "date_precision": e.date_precision,
        "recorded_at": e.recorded_at,
        "recorded_by": e.recorded_by,
        "data": dict(e.data),
        "sources": [dict(s) for s in e.sources],
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }
