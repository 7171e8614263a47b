"""PostgreSQL: the append lock's round trip left in flight while the work runs on a guess.

The group committer's lone appends on one connection usually find the log as its last
commit left it. When its last lock read found exactly that, the committer sends the next
lock's round trip without waiting (``pg_lock.send``) and runs the batch's work meanwhile on
what the read is expected to return (``Guess``): the head it committed, the after-lock reads
no append changes, its stream names taken as it wrote them. Nothing is written on a guess:
the work only stages (``append.STAGING``), and every statement of the transaction first
waits for the read here (``settle``), which compares it with the guess. Any difference
raises ``Mispredicted`` with the read's values put in the guess's place: the committer runs
the batch again on them in the same transaction, the lock held, and drops what the guessed
run queued. (Not a rollback: psycopg's ``DEALLOCATE ALL`` on it would drop the commit's
prepared writes, see ``pg_script.forget``.) The work's CPU then overlaps the round trip
instead of following it.

Each place that sends on the committer's connection settles first: the ``pg_writes`` hooks
(every SQLAlchemy statement and COMMIT), ``pg_writes.unprepared``, ``pg_send`` and
``pg_script`` (the driver's own round trips); a ROLLBACK drops the answer instead (``drop``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

import psycopg
from sqlalchemy.engine import Connection

Head = tuple[int, str | None]
# The most transactions a committer runs without a guess after misses in a row (``Guesses``).
MAX_SKIP = 64


class Mispredicted(Exception):
    """The lock's read differs from the guess the work ran on: the batch runs again on the
    read, in the same transaction (``group_commit``; ``batch_runs`` lets it through where a
    piece's own failure is caught). An Exception, not a BaseException: SQLAlchemy takes
    those for a lost connection and discards it."""


@dataclass(frozen=True, slots=True)
class Guess:
    """What the lock's read is expected to return: the head, the after-lock reads that no
    append changes (by name), and the stream names taken."""

    head: Head
    after_lock: Mapping[str, Any]
    taken: frozenset[str] = field(default_factory=frozenset)

    def probed(self, names: tuple[str, ...]) -> dict[str, bool]:
        """The guess for a probe's names (``lock_probe.found``'s form)."""
        return {name: name in self.taken for name in names}


class Guesses:
    """A group committer's: the head its last commit left on its connection, and the guess
    for its next lock's read, made when the last read found the head the commit before had
    left (no other writer came between). After a guess that missed (another process's
    writer came between after all: two processes appending at once), that many more
    transactions go without one, doubling with each miss in a row up to ``MAX_SKIP``: a
    miss costs the batch's work and a round trip again."""

    def __init__(self) -> None:
        self.left: Head | None = None
        self.next: Guess | None = None
        self.misses = self.skip = 0

    def take(self) -> Guess | None:
        guess, self.next = self.next, None
        if self.skip:
            self.skip -= 1
            return None
        return guess

    def missed(self) -> None:
        self.misses += 1
        self.skip = min(2**self.misses, MAX_SKIP)

    def learn(
        self, found: Any, written: Sequence[Any], stable: frozenset[str], *, guessed: bool
    ) -> None:
        """After a commit: ``found``, what its lock's read found ((head, after-lock reads),
        None on SQLite); ``written``, its events; ``stable``, the reads no append changes;
        ``guessed``, whether it ran on a guess (which held, or it would not have committed)."""
        if guessed:
            self.misses = 0
        if found is None:
            return
        head, after_lock = found
        left, self.left = self.left, (written[-1].position, written[-1].hash) if written else head
        if head == left:
            self.next = Guess(
                head=self.left,
                after_lock={k: v for k, v in after_lock.items() if k in stable},
                taken=frozenset(event.stream for event in written),
            )


# A connection's read in flight: called to wait for it (True: compare and install it;
# False: drop it, the transaction being abandoned).
_PENDING: WeakKeyDictionary[psycopg.Connection, Callable[[bool], None]] = WeakKeyDictionary()


def expect(driver: psycopg.Connection, receive: Callable[[bool], None]) -> None:
    """Register the read in flight on ``driver`` (``pg_lock.send``)."""
    _PENDING[driver] = receive


def settle(driver: psycopg.Connection) -> None:
    """Wait for the read in flight on ``driver``, if any, before anything else is sent:
    raises ``Mispredicted`` when it differs from the guess."""
    receive = _PENDING.pop(driver, None)
    if receive is not None:
        receive(True)


def drop(driver: psycopg.Connection) -> None:
    """Read and drop the answer in flight on ``driver``, if any (a failure ends the
    transaction: its ROLLBACK must not be sent while a query runs)."""
    receive = _PENDING.pop(driver, None)
    if receive is not None:
        receive(False)


def pending(driver: psycopg.Connection) -> bool:
    """Whether a lock's read is in flight on ``driver`` (not settled or dropped yet)."""
    return driver in _PENDING


def settle_on(conn: Connection) -> None:
    """``settle`` on a SQLAlchemy connection (a no-op on SQLite, or once it is invalidated).
    Run before every statement, reads included: with no read in flight anywhere in the
    process it returns at once."""
    if _PENDING and conn.dialect.name == "postgresql" and not conn.invalidated:
        settle(conn.connection.driver_connection)


def drop_on(conn: Connection) -> None:
    """``drop`` on a SQLAlchemy connection (a no-op on SQLite, or once it is invalidated)."""
    if _PENDING and conn.dialect.name == "postgresql" and not conn.invalidated:
        drop(conn.connection.driver_connection)
