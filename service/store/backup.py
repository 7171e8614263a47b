"""Backup and restore: the log as NDJSON stored envelopes, verified line by line on import."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TextIO

import psycopg
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from ..domain.events import META_TYPES
from . import event_reads
from .append import replaying
from .bulk_session import bulk_session
from .canonical import canonical_bytes, loads
from .chain import snapshot
from .engine import append_transaction
from .hooks import RestoreCheck, hooks_of
from .line_check import BackupRejected, ForkedCheck, InlineCheck, LineCheck, checker
from .streaming import stored_envelopes

IMPORT_BATCH = 5000
WRITE_CHUNK = 1000
# Called with the number of events handled so far, every batch or chunk and at the end.
Progress = Callable[[int], None]


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
    engine's ``restore_check``, which wiring installs) before the restore commits, and any
    refusal rolls the whole restore back (``line_check``: a second process checks a batch
    while this one loads it). The chain alone proves nothing about content: anyone can
    recompute it, so an engine without a content check refuses to restore.
    The batches go in through the append path's replay mode (``append.replaying``), each
    folded once in by the engine's bulk build (``on_replayed``) from the events loaded: the
    stored projections are built in pages of thousands of events, not per line, and nothing
    is read back from the log.
    """
    check = check or hooks_of(engine).restore_check
    if check is None:
        raise BackupRejected("no content check is installed on this engine; refusing")
    with append_transaction(engine) as conn, bulk_session(conn):
        position, _ = event_reads.head(conn)
        if position:
            raise BackupRejected(f"the store is not empty (head position {position}); refusing")
        restore = _Restore(conn, LineCheck(check))
        numbered = ((n, line) for n, line in enumerate(lines, start=1) if line.strip())
        try:
            with replaying(conn) as append_page:
                while restore.load_batch(numbered, append_page):
                    if progress is not None:
                        progress(restore.count)
            restore.checks.finish()
        except BackupRejected:
            raise
        except Exception as exc:  # the load failed first: the check's verdict comes first
            problem = restore.checks.problem()
            if problem is not None:
                raise problem from None
            if isinstance(exc, _CLASHES):
                raise restore.clash(exc) from None
            raise
        finally:
            restore.checks.close()
    if progress is not None:
        progress(restore.count)
    return BackupHead(events=restore.count, hash=restore.last_hash)


_CLASHES = (sqlite3.IntegrityError, psycopg.IntegrityError, sa_exc.IntegrityError)


class _Restore:
    """The lines of one restore, a batch at a time: handed to the check, then loaded."""

    def __init__(self, conn: Connection, lines: LineCheck) -> None:
        self.conn, self.lines = conn, lines
        self.checks: InlineCheck | ForkedCheck = InlineCheck(lines)
        self.count, self.last_hash = 0, None
        # The first and last lines whose rows may not have landed yet: the last batch's, and
        # on PostgreSQL the one before's too (its COPY is sent from a thread while the last
        # batch loads; SQLite inserts a batch's rows before it returns).
        self.landing, self.last_first = (0, 0), 0

    def load_batch(
        self, numbered: Iterator[tuple[int, str]], append_page: Callable[[list], None]
    ) -> bool:
        """Hand up to IMPORT_BATCH lines to the check and append them; False when there were
        none left. The lines are loaded from their parsed JSON before their verdict may be in:
        whatever fails on a line the check refuses is answered with the check's verdict."""
        batch = list(islice(numbered, IMPORT_BATCH))
        if not batch:
            return False
        if self.count == 0:
            self.checks = checker(self.lines, more=len(batch) == IMPORT_BATCH)
        envelopes: list[Any] = []
        failed: Exception | None = None
        for _, line in batch:
            try:
                envelopes.append(loads(line))
            except ValueError as exc:
                failed = exc
                break
        # The events are made before the types are asked for: that query waits for the
        # writes the last page's fold sent, which land meanwhile. What fails on a line is
        # raised once the check has the batch, to be answered with its verdict.
        events = []
        if failed is None:
            try:
                events = [event_reads.event_as_stored(e) for e in envelopes]
            except Exception as exc:  # any line the check must name
                failed = exc
        self.checks.submit(batch, self._target_types(envelopes))
        if failed is not None:
            raise failed
        in_flight = self.conn.dialect.name == "postgresql" and self.last_first
        self.landing = (in_flight or batch[0][0], batch[-1][0])
        self.last_first = batch[0][0]
        append_page(events)
        self.checks.poll()
        self.count, self.last_hash = self.count + len(events), events[-1].hash
        return True

    def clash(self, exc: Exception) -> BackupRejected:
        """A row the store's constraints refused (e.g. a repeated id, which chain and content
        can be forged around), named by the lines it may have come from."""
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        first, last = self.landing
        return BackupRejected(f"lines {first}-{last} clash ({detail})")

    def _target_types(self, envelopes: list[Any]) -> dict[str, str]:
        """The types of the events this batch's corrections and retractions name, from the
        batches already inserted (one query); the batch's own are added as it is checked.
        The envelopes are not checked yet: anything else is left to the check."""
        targets = {
            str(e["data"].get("target_event_id"))
            for e in envelopes
            if isinstance(e, dict)
            and e.get("type") in META_TYPES
            and isinstance(e.get("data"), dict)
        }
        return event_reads.types_of(self.conn, sorted(targets)) if targets else {}
