"""A restore's lines checked in order: JSON, the hash chain, then the content as the API
checks a write; the first bad line is named (``BackupRejected``).

The check is about a third of a restore's CPU; loading the lines and folding them into the
projections are the rest. So a restore of more than one batch checks in a second process
(``ForkedCheck``, forked once the first batch is read, before anything else runs beside the
restore), which checks each batch while this one loads and folds the same batch from the
parsed lines. The restore commits only once every batch has been found sound; a refusal,
from either side, rolls it back, and when the load fails first (a line the fold or the
store cannot take), the check's verdict on the lines sent so far is what the user is told.
"""

from __future__ import annotations

import multiprocessing
import signal
from datetime import date
from multiprocessing.connection import Connection as Pipe
from typing import Any

from ..domain.events import EVENT_TYPES
from ..domain.hashing import GENESIS_HASH, HASHED_FIELDS, chain_break
from .canonical import canonical_bytes, loads
from .hooks import RestoreCheck

ENVELOPE_KEYS = frozenset(HASHED_FIELDS) | {"hash"}
_FIELD_TYPES: dict[str, type] = {
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
# Numbered lines of a batch (1-based line numbers in the file).
Numbered = list[tuple[int, str]]


class BackupRejected(Exception):
    """An export file that cannot be restored; ``line`` is 1-based when one line is to blame."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.reason, self.line = message, line


class LineCheck:
    """The lines of one restore, checked a batch at a time, in order."""

    def __init__(self, check: RestoreCheck) -> None:
        self.check = check
        self.prev, self.count = GENESIS_HASH, 0

    def batch(self, numbered: Numbered, types: dict[str, str]) -> None:
        """Check the batch's lines; ``types``: the types of the earlier batches' events that
        its corrections and retractions name (its own are added as it is checked). A broken
        chain is named after the content of the lines before it."""
        checked: list[tuple[int, dict]] = []
        chain_error: BackupRejected | None = None
        prev, count = self.prev, self.count
        for number, line in numbered:
            try:
                envelope = checked_envelope(line, number, expected_position=count + 1, prev=prev)
            except BackupRejected as exc:
                chain_error = exc
                break
            checked.append((number, envelope))
            prev, count = envelope["hash"], count + 1
        for number, envelope in checked:
            problem = self.check(envelope, types.get)
            if problem is not None:
                raise BackupRejected(problem, number)
            types[envelope["id"]] = envelope["type"]
        if chain_error is not None:
            raise chain_error
        self.prev, self.count = prev, count


class InlineCheck:
    """Each batch checked as it is handed over (a restore of one batch)."""

    def __init__(self, lines: LineCheck) -> None:
        self.lines = lines

    def submit(self, numbered: Numbered, types: dict[str, str]) -> None:
        self.lines.batch(numbered, types)

    def poll(self) -> None:
        """Nothing is ever pending."""

    def finish(self) -> None:
        """Nothing is ever pending."""

    def problem(self) -> BackupRejected | None:
        return None

    def close(self) -> None:
        """Nothing to stop."""


class ForkedCheck:
    """Each batch checked by a forked process, in order, while the caller loads it; its
    verdicts come back in order (None, or the problem, after which it stops)."""

    def __init__(self, lines: LineCheck) -> None:
        context = multiprocessing.get_context("fork")
        self.pipe, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, self.pipe, lines), name="restore-check", daemon=True
        )
        self.process.start()
        child.close()
        self.pending = 0
        self.found: BackupRejected | None = None

    def submit(self, numbered: Numbered, types: dict[str, str]) -> None:
        self.poll()
        self.pipe.send((numbered, types))
        self.pending += 1

    def poll(self) -> None:
        """Raise the problem found in a batch checked by now, if any."""
        while self.pending and self.pipe.poll():
            self._verdict()

    def finish(self) -> None:
        """Wait for every batch's verdict; raise the first problem."""
        while self.pending:
            self._verdict()

    def problem(self) -> BackupRejected | None:
        """After the caller failed: the first problem in the lines sent, waiting for the
        verdicts still due (None when they were all sound; if the check died, that)."""
        try:
            self.finish()
        except BackupRejected as exc:
            return exc
        return None

    def close(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.pipe.close()

    def _verdict(self) -> None:
        if self.found is not None:
            raise self.found
        try:
            answer = self.pipe.recv()
        except (EOFError, OSError):  # it died: no verdict, so no restore
            self.process.join()
            self.found = BackupRejected(
                f"the line check stopped before its verdict (exit code {self.process.exitcode});"
                " nothing was restored"
            )
            raise self.found from None
        self.pending -= 1
        if answer is not None:
            self.found = BackupRejected(*answer)
            raise self.found


def checker(lines: LineCheck, *, more: bool) -> InlineCheck | ForkedCheck:
    """A forked check when more batches may follow (and the platform can fork), else inline."""
    if more and "fork" in multiprocessing.get_all_start_methods():
        return ForkedCheck(lines)
    return InlineCheck(lines)


def _serve(pipe: Pipe, callers_end: Pipe, lines: LineCheck) -> None:
    """The forked process: check batches until the caller is gone or one fails. Ctrl-C is
    the caller's to handle (it stops this process). The caller's end of the pipe, inherited,
    is closed first: the caller's death must end this process (the pipe reads EOF), which
    holds copies of its sockets too, the database's among them (whose transaction, and the
    append lock, would otherwise outlive the caller)."""
    callers_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            message: Any = pipe.recv()
        except (EOFError, OSError):
            return
        numbered, types = message
        try:
            lines.batch(numbered, types)
        except BackupRejected as exc:
            pipe.send((exc.reason, exc.line))
            return
        except Exception as exc:  # a fault in the check itself: refuse, saying so
            pipe.send((f"the line check failed ({exc!r})", None))
            return
        pipe.send(None)


def checked_envelope(line: str, number: int, *, expected_position: int, prev: str) -> dict:
    """Parse one line and check it continues the chain; BackupRejected naming the line if not."""
    try:
        envelope = loads(line)
    except ValueError as exc:
        raise BackupRejected(f"not valid JSON ({exc})", number) from None
    if not isinstance(envelope, dict):
        raise BackupRejected("not a JSON object", number)
    if envelope.keys() != ENVELOPE_KEYS:
        missing = sorted(ENVELOPE_KEYS - set(envelope))
        extra = sorted(set(envelope) - ENVELOPE_KEYS)
        raise BackupRejected(f"not an envelope (missing {missing}, unexpected {extra})", number)
    for field, kind in _FIELD_TYPES.items():
        # Parsed JSON holds exactly these types (no subclasses; a bool is not an int here).
        if type(envelope[field]) is not kind:
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
