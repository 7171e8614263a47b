"""Backup and restore: the log as NDJSON stored envelopes, verified line by line on import."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from ..domain.events import EVENT_TYPES
from ..domain.hashing import GENESIS_HASH, HASHED_FIELDS, canonical_json, chain_break
from . import event_reads, pg_writes
from .append import append_replayed
from .engine import append_transaction
from .hooks import RestoreCheck, hooks_of

ENVELOPE_KEYS = frozenset(HASHED_FIELDS) | {"hash"}
IMPORT_BATCH = 500
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


def exported_envelopes(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every stored envelope up to the head at the start, exactly as hashed, in order."""
    last, _ = event_reads.head(conn)
    for envelope in event_reads.raw_rows(conn):
        if envelope["position"] > last:
            return
        yield envelope


def export_to(engine: Engine, out: TextIO) -> BackupHead:
    """Write the whole log to ``out`` as NDJSON; constant memory whatever the log's size."""
    count, last_hash = 0, None
    with engine.connect() as conn:
        for envelope in exported_envelopes(conn):
            out.write(canonical_json(envelope).decode("utf-8") + "\n")
            count, last_hash = count + 1, envelope["hash"]
    return BackupHead(events=count, hash=last_hash)


def import_from(
    engine: Engine, lines: Iterable[str], *, check: RestoreCheck | None = None
) -> BackupHead:
    """Restore an export into an empty store: same positions, ids and hashes, or nothing.

    One append transaction holds the append lock throughout, so no writer can interleave;
    every line is verified against the chain and its content (``check``, by default the
    engine's ``restore_check``, which wiring installs) before its batch is inserted, and any
    refusal rolls the whole restore back. The chain alone proves nothing about content:
    anyone can recompute it, so an engine without a content check refuses to restore.
    """
    check = check or hooks_of(engine).restore_check
    if check is None:
        raise BackupRejected("no content check is installed on this engine; refusing")
    with append_transaction(engine) as conn:
        position, _ = event_reads.head(conn)
        if position:
            raise BackupRejected(f"the store is not empty (head position {position}); refusing")
        prev, batch, first_line, count = GENESIS_HASH, [], 1, 0

        def type_of(event_id: str) -> str | None:
            pending = next((e["type"] for e in batch if e["id"] == event_id), None)
            if pending is not None:
                return pending
            stored = event_reads.event_by_id(conn, event_id)
            return stored.type if stored is not None else None

        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            envelope = checked_envelope(line, number, expected_position=count + 1, prev=prev)
            problem = check(envelope, type_of)
            if problem is not None:
                raise BackupRejected(problem, number)
            prev, count = envelope["hash"], count + 1
            batch.append(envelope)
            if len(batch) >= IMPORT_BATCH:
                _insert(conn, batch, first_line, number)
                batch, first_line = [], number + 1
        if batch:
            _insert(conn, batch, first_line, number)
    return BackupHead(events=count, hash=prev if count else None)


def checked_envelope(line: str, number: int, *, expected_position: int, prev: str) -> dict:
    """Parse one line and check it continues the chain; BackupRejected naming the line if not."""
    try:
        envelope = json.loads(line)
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
    broken = chain_break(envelope, position=expected_position, prev=prev)
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
    """Append the batch through the append path's replay mode (same rows, same hooks)."""
    try:
        append_replayed(conn, [event_reads.event_as_stored(e) for e in batch])
        pg_writes.flush(conn)  # PostgreSQL defers the INSERT: its clash is raised here
    except IntegrityError as exc:
        detail = str(exc.orig).splitlines()[0]
        raise BackupRejected(f"lines {first_line}-{last_line} clash ({detail})") from None
