"""What an append transaction knows while it holds the lock: the head and the streams seen,
and (group commit) the appends it has placed."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.events import RecordedEvent


@dataclass
class Cursor:
    """The head (position, hash) and stream versions as this lock has placed them."""

    position: int
    hash: str
    versions: dict[str, int]
    # Generated names the log was asked about while this lock is held: name -> taken.
    probed: dict[str, bool] = field(default_factory=dict)
    # Date's first name -> how many names its last probe past the lock's answers asked for.
    windows: dict[str, int] = field(default_factory=dict)

    def copy(self) -> Cursor:
        return Cursor(
            self.position, self.hash, dict(self.versions), dict(self.probed), dict(self.windows)
        )


@dataclass
class Staging:
    """One group-commit transaction's appends: assigned in order, written in one INSERT.

    ``append_in`` continues from ``cursor`` (no head query per append) and leaves its events
    in ``pending``; ``flush_staged`` INSERTs them (before anything reads the events table);
    ``finish_staged`` flushes and runs the ``on_append`` hooks once over the whole batch.
    """

    cursor: Cursor | None = None
    # One recorded_at for the transaction's events: they are committed together.
    recorded_at: str | None = None
    pending: list[RecordedEvent] = field(default_factory=list)  # assigned, not inserted yet
    written: list[RecordedEvent] = field(default_factory=list)  # inserted, hooks not run yet

    def mark(self) -> tuple[Cursor | None, int]:
        cursor = self.cursor.copy() if self.cursor else None
        return cursor, cursor.position if cursor else -1

    def reset(self, mark: tuple[Cursor | None, int]) -> None:
        """Forget what was staged after ``mark`` (its piece failed or was rolled back)."""
        cursor, position = mark
        if position < 0:  # nothing was staged before the mark
            self.cursor, self.pending, self.written = None, [], []
            return
        self.cursor = cursor
        self.pending = [e for e in self.pending if e.position <= position]
        self.written = [e for e in self.written if e.position <= position]
