"""Backup and restore: the log as NDJSON stored envelopes, verified line by line on import."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TextIO

import psycopg
from sqlalchemy.engine import Connection, Engine

from ..domain.events import EVENT_TYPES, META_TYPES
from ..domain.hashing import GENESIS_HASH, HASHED_FIELDS, chain_break
from . import event_reads
from .append import append_replayed, finish_replayed
from .bulk_session import bulk_session
from .canonical import canonical_bytes, loads
from .chain import snapshot
from .engine import append_transaction
from .hooks import RestoreCheck, hooks_of
from .streaming import stored_envelopes

ENVELOPE_KEYS = frozenset(HASHED_FIELDS) | {"hash"}
IMPORT_BATCH = 5000
WRITE_CHUNK = 1000
# Called with the number of events handled so far, every batch or chunk and at the end.
Progress = Callable[[int], None]
_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "position": int,
    "stream": str,
    "stream_version": int,
    "type": str,
    "schema_version": int,
    "occurred_on": str,
    "date_precision": str,
    "recorded_at": str,
    "recorded_by": str,
    "data": dict,
    "sources": list,
    "prev_hash": str,
    "hash": str,
}


class BackupRejected(Exception):
    """An export file that cannot be restored; ``line`` is 1-based when one line is to blame."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line


@dataclass(frozen=True, slots=True)
class BackupHead:
    events: int
    hash: str | None


def export_to(engine: Engine, out: TextIO, *, progress: Progress | None = None) -> BackupHead:
    """Write the whole log to ``out`` as NDJSON, up to the head when it starts; one snapshot
    streamed from a server-side cursor, so memory stays constant whatever the log's size."""
    count, last_hash, lines = 0, None, []
    with snapshot(engine) as conn:
        upto, _ = event_reads.head(conn)
        for envelope in stored_envelopes(conn, upto=upto):
            lines.append(canonical_bytes(envelope).decode("utf-8"))
            if len(lines) == WRITE_CHUNK:
                count, last_hash = count + len(lines), envelope["hash"]
                out.write("\n".join(lines) + "\n")
                lines.clear()
                if progress is not None:
                    progress(count)
        if lines:
            count, last_hash = count + len(lines), envelope["hash"]
            out.write("\n".join(lines) + "\n")
    if progress is not None:
        progress(count)
    return BackupHead(events=count, hash=last_hash)


def import_from(
    engine: Engine,
    lines: Iterable[str],
    *,
    check: RestoreCheck | None = None,
    progress: Progress | None = None,
) -> BackupHead:
    """Restore an export into an empty store: same positions, ids and hashes, or nothing.

    One append transaction holds the append lock throughout, so no writer can interleave;
    every line is verified against the chain and its content (``check``, by default the
    engine's ``restore_check``, which wiring installs) before its batch is inserted, and any
    refusal rolls the whole restore back. The chain alone proves nothing about content:
    anyone can recompute it, so an engine without a content check refuses to restore.
    The batches go in through the append path's replay mode with the append hooks held back;
    they run once the whole file is in, over the restored log page by page (the stored
    projections are built in pages of thousands of events, not per line).
    """
    check = check or hooks_of(engine).restore_check
    if check is None:
        raise BackupRejected("no content check is installed on this engine; refusing")
    with append_transaction(engine) as conn, bulk_session(conn):
        position, _ = event_reads.head(conn)
        if position:
            raise BackupRejected(f"the store is not empty (head position {position}); refusing")
        restore = _Restore(conn, check)
        numbered = ((n, line) for n, line in enumerate(lines, start=1) if line.strip())
        while restore.load_batch(numbered):
            if progress is not None:
                progress(restore.count)
        finish_replayed(conn)
    if progress is not None:
        progress(restore.count)
    return BackupHead(events=restore.count, hash=restore.prev if restore.count else None)


class _Restore:
    """The lines of one restore, a batch at a time: chain, content, insert."""

    def __init__(self, conn: Connection, check: RestoreCheck) -> None:
        self.conn, self.check = conn, check
        self.prev, self.count = GENESIS_HASH, 0

    def load_batch(self, numbered: Iterator[tuple[int, str]]) -> bool:
        """Check and insert up to IMPORT_BATCH lines; False when there were none left."""
        batch: list[tuple[int, dict]] = []
        chain_error: BackupRejected | None = None
        prev, count = self.prev, self.count
        for number, line in numbered:
            try:
                envelope = checked_envelope(line, number, expected_position=count + 1, prev=prev)
            except BackupRejected as exc:  # named after the content of the lines before it
                chain_error = exc
                break
            batch.append((number, envelope))
            prev, count = envelope["hash"], count + 1
            if len(batch) >= IMPORT_BATCH:
                break
        types = self._target_types(batch)
        for number, envelope in batch:
            problem = self.check(envelope, types.get)
            if problem is not None:
                raise BackupRejected(problem, number)
            types[envelope["id"]] = envelope["type"]
        if chain_error is not None:
            raise chain_error
        if not batch:
            return False
        _insert(self.conn, [e for _, e in batch], batch[0][0], batch[-1][0])
        self.prev, self.count = prev, count
        return True

    def _target_types(self, batch: list[tuple[int, dict]]) -> dict[str, str]:
        """The types of the events this batch's corrections and retractions name, from the
        batches already inserted (one query); the batch's own are added as it is checked."""
        targets = {
            str(e["data"].get("target_event_id"))
            for _, e in batch
            if e["type"] in META_TYPES and isinstance(e["data"], dict)
        }
        return event_reads.types_of(self.conn, sorted(targets)) if targets else {}


def checked_envelope(line: str, number: int, *, expected_position: int, prev: str) -> dict:
    """Parse one line and check it continues the chain; BackupRejected naming the line if not."""
    try:
        envelope = loads(line)
    except ValueError as exc:
        raise BackupRejected(f"not valid JSON ({exc})", number) from None
    if not isinstance(envelope, dict):
        raise BackupRejected("not a JSON object", number)
    if set(envelope) != ENVELOPE_KEYS:
        missing = sorted(ENVELOPE_KEYS - set(envelope))
        extra = sorted(set(envelope) - ENVELOPE_KEYS)
        raise BackupRejected(f"not an envelope (missing {missing}, unexpected {extra})", number)
    for field, kind in _FIELD_TYPES.items():
        value = envelope[field]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise BackupRejected(f"{field} has the wrong type", number)
    broken = chain_break(envelope, position=expected_position, prev=prev, encode=canonical_bytes)
    if broken is not None:
        raise BackupRejected(broken, number)
    if envelope["type"] not in EVENT_TYPES:
        raise BackupRejected(f"unknown event type {envelope['type']!r}", number)
    if not _is_iso_date(envelope["occurred_on"]):
        raise BackupRejected("occurred_on is not a YYYY-MM-DD date", number)
    return envelope


def _is_iso_date(text: str) -> bool:
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _insert(conn: Connection, batch: list[dict], first_line: int, last_line: int) -> None:
    """Append the batch through the append path's replay mode (same rows; hooks held back
    until ``finish_replayed``)."""
    try:
        # hooks=False: the rows go in at once (COPY on PostgreSQL, the driver on SQLite), so
        # a clash is raised here, as the driver's own error
        append_replayed(conn, [event_reads.event_as_stored(e) for e in batch], hooks=False)
    except (sqlite3.IntegrityError, psycopg.IntegrityError) as exc:
        detail = str(exc).splitlines()[0]
        raise BackupRejected(f"lines {first_line}-{last_line} clash ({detail})") from None
