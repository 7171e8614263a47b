"""The one append path: every write, single or batch, goes through ``append_in``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager

from sqlalchemy.engine import Connection, Engine

from ..domain.errors import NotFound, RuleViolation, StreamExists, VersionMismatch
from ..domain.event_ids import new_event_ids
from ..domain.events import EVENT_TYPES, META_TYPES, NewEvent, RecordedEvent
from ..domain.hashing import GENESIS_HASH
from . import event_reads, pg_send, pg_writes, sqlite_writes
from .bulk_session import indexes_built_after
from .canonical import envelope_hash  # the domain's hash, the same bytes through orjson
from .engine import APPENDED, HEAD, PROBED, append_transaction, utc_now_text
from .hooks import hooks_of
from .lock_state import Cursor, Staging
from .stream_ids import generated_stream
from .tables import events

# The events table's indexes a restore reads nothing by (the unique ones stay: the store's
# constraints refuse a clash as the rows go in, and a restore looks targets up by id), built
# once its load is in. bench: a 50,000-event COPY took the server 0.66-0.69 s with them
# dropped and built after, against 0.98-1.03 s with them kept.
RESTORE_BUILT_INDEXES = tuple(events.indexes)
# conn.info key of the group committer's Staging (absent outside it: append_in writes at once).
STAGING = "append_staging"


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

    On PostgreSQL these writes are deferred (see pg_writes): the group committer sends them
    together with its COMMIT (``pg_writes.commit_with_writes``), one round trip.
    """
    flush_staged(conn)
    if staging.written:
        _after_insert(conn, staging.written)


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
        # A failure below must leave the staged state untouched: several events work on a
        # copy. One event changes the cursor only once it is placed, which is where a failure
        # can come from (probes it records are facts of the log under this lock, kept). Not
        # copying matters to a batch: one call per item, and the copy grows with the batch.
        cursor = staging.cursor if len(new_events) == 1 else staging.cursor.copy()
    else:
        cursor = _new_cursor(conn)
    if len(new_events) > 1:
        _known_versions(conn, cursor, [n.stream for n in new_events if n.stream is not None])
    if staging is None:
        recorded_at = utc_now_text()
    else:
        recorded_at = staging.recorded_at = staging.recorded_at or utc_now_text()
    stored: list[RecordedEvent] = []
    ids = new_event_ids(len(new_events))
    for new, event_id in zip(new_events, ids, strict=True):
        stream, version = _place(conn, cursor, new)
        envelope = {
            "id": event_id,
            "position": cursor.position + 1,
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
        event = event_reads.event_from_envelope(envelope)
        cursor.position, cursor.hash = event.position, event.hash  # placed: now it moves
        cursor.versions[stream] = version
        stored.append(event)
    if staging is not None:
        staging.cursor = cursor
        staging.pending.extend(stored)
        return stored
    _insert(conn, stored)
    _after_insert(conn, stored)
    return stored


@contextmanager
def replaying(conn: Connection) -> Iterator[Callable[[Sequence[RecordedEvent]], None]]:
    """The append path's replay mode (a restore): yields the function that appends a page of
    events recorded elsewhere as they are (positions, ids, recorded_at and hashes kept),
    each checked to continue the head exactly, through the same insert as a fresh append
    (on PostgreSQL a COPY, queued for the build to send). Each page then goes, upcast, to the
    engine's ``on_replayed`` builds (the read model's bulk build), opened before the first
    page and closed once the load is in; without one, to the ``on_append`` hooks. The
    replayed events are not kept for the ``after_commit`` hooks (this process's metrics),
    which a bulk restore skips: memory stays bounded whatever the size of the load."""
    hooks = hooks_of(conn.engine)
    with indexes_built_after(conn, RESTORE_BUILT_INDEXES), ExitStack() as builds:
        folds = [builds.enter_context(open_build(conn)) for open_build in hooks.on_replayed]

        def append_page(recorded: Sequence[RecordedEvent]) -> None:
            position, last_hash = conn.info.pop(HEAD, None) or event_reads.head(conn)
            prev = last_hash or GENESIS_HASH
            for event in recorded:
                if event.position != position + 1 or event.prev_hash != prev:
                    raise RuleViolation(
                        "position",
                        f"event {event.position} does not continue the log at {position}",
                    )
                position, prev = event.position, event.hash
            _insert(conn, list(recorded), bulk=True)
            conn.info[HEAD] = (position, prev)  # the next page continues from here
            page = [event_reads.upcast_event(e) for e in recorded]
            for fold in folds:
                fold(page)
            if not folds:
                for hook in hooks.on_append:
                    hook(conn, page)

        yield append_page
    conn.info.pop(HEAD, None)


def _insert(conn: Connection, stored: list[RecordedEvent], *, bulk: bool = False) -> None:
    """The events' rows: deferred on PostgreSQL, on the driver on SQLite.

    PostgreSQL, from ``COPY_FROM_ROWS`` rows on (a batch, a bulk ``append()``): the COPY is
    sent by a thread, so the server inserts the events while the append hooks fold them
    (they read no event; what they read or write next waits for the thread, see pg_send).
    A restore's page (``bulk``) leaves its COPY queued: the bulk build sends it with its own
    writes, from its thread."""
    rows = [_row(e) for e in stored]
    if conn.dialect.name != "postgresql":
        sqlite_writes.insert_rows(conn, events, rows)
    elif bulk:
        pg_writes.copy_rows(conn, events, rows, deferred=True)
    elif len(rows) >= pg_writes.COPY_FROM_ROWS:
        pg_writes.copy_rows(conn, events, rows, deferred=True)
        pg_send.send_in_background(conn, pg_writes.take_deferred(conn))
    else:
        pg_writes.insert_rows(conn, events, rows)


def _after_insert(conn: Connection, stored: list[RecordedEvent]) -> None:
    for hook in hooks_of(conn.engine).on_append:
        hook(conn, stored)
    # Handed to the after_commit hooks by append_transaction once (and only if) this commits.
    conn.info.setdefault(APPENDED, []).extend(stored)


def _place(conn: Connection, cursor: Cursor, new: NewEvent) -> tuple[str, int]:
    """Choose the stream and its next version, enforcing existence and expected versions."""
    event_type = EVENT_TYPES[new.type]
    if event_type.creates_stream:
        if new.stream is None:
            return generated_stream(conn, cursor, new), 1
        if _exists(conn, cursor, new.stream):
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


def know_versions(
    conn: Connection, streams: Sequence[str], known: Mapping[str, int] | None = None
) -> None:
    """The current versions of these streams, asked at once, for the appends that follow in
    this group-commit transaction: a batch places its items one ``append_in`` call at a
    time, each of which would otherwise ask for its stream's version on its own. ``known``:
    versions already read under this lock and since the transaction's last write (the
    batch's resources, ``batch_log``), not asked again."""
    staging: Staging | None = conn.info.get(STAGING)
    if staging is None or not streams:
        return
    if staging.cursor is None:
        staging.cursor = _new_cursor(conn)
    cursor = staging.cursor
    if known:
        cursor.versions.update({s: v for s, v in known.items() if s not in cursor.versions})
    # Not those the lock's round trip looked up (lock_probe): a name given to a new stream.
    _known_versions(conn, cursor, [s for s in streams if s not in cursor.probed])


def _new_cursor(conn: Connection) -> Cursor:
    """Where the transaction's first append starts: the head read with the lock
    (append_transaction_on) serves it only, with the generated names looked up then."""
    position, last_hash = conn.info.pop(HEAD, None) or event_reads.head(conn)
    probed = conn.info.pop(PROBED, None) or {}
    return Cursor(position, last_hash or GENESIS_HASH, versions={}, probed=probed)


def _known_versions(conn: Connection, cursor: Cursor, streams: Sequence[str]) -> None:
    """Many streams' versions in one query (the bulk form's named streams, a batch's items'
    parents), so k events cost one read instead of k (each a random index probe that grows
    slower with the log). Streams that do not exist are remembered as version 0."""
    named = sorted(set(streams) - cursor.versions.keys())
    if named:
        if conn.dialect.name == "postgresql":
            versions = pg_writes.stream_versions(conn, named)
        else:
            versions = event_reads.stream_versions(conn, named)
        cursor.versions.update({s: versions.get(s, 0) for s in named})


def _exists(conn: Connection, cursor: Cursor, stream: str) -> bool:
    """Whether a stream exists: placed under this lock, looked up in the lock's round trip
    (``lock_probe``: the names a write gives for the streams it creates), or asked now."""
    if cursor.versions.get(stream, 0) > 0:
        return True
    taken = cursor.probed.get(stream)
    return taken if taken is not None else _version(conn, cursor, stream) > 0


def _version(conn: Connection, cursor: Cursor, stream: str) -> int:
    if stream in cursor.versions:
        return cursor.versions[stream]
    return event_reads.stream_version(conn, stream)


def _row(e: RecordedEvent) -> dict:
    """The event's row. Its JSON values go as they are (plain dicts and lists: an appended
    event's are built by ``append_in``, a restored one's parsed from its line), written out
    before anything could change them."""
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
        "data": e.data,
        "sources": e.sources,
        "target_id": e.data.get("target_event_id") if e.type in META_TYPES else None,
        "prev_hash": e.prev_hash,
        "hash": e.hash,
    }
