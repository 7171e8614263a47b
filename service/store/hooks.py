"""What runs around an append, installed per engine by ``service.wiring``.

Nothing registers itself on import: whoever builds the engine says, in one place, what runs
inside the append transaction (``on_append``), which single-row reads join the append lock's
round trip on PostgreSQL (``after_lock_reads``), what runs once a batch has committed
(``after_commit``), and what checks the content of each line a restore replays
(``restore_check``). An engine with nothing installed appends bare events (and refuses to
restore).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from ..domain.events import RecordedEvent

AppendHook = Callable[[Connection, list[RecordedEvent]], None]
# Opened on a connection before a bulk restore's first page, it yields the function each
# page of the load is given (upcast) once inserted, and is closed once the load is in.
ReplayedHook = Callable[
    [Connection], AbstractContextManager[Callable[[Sequence[RecordedEvent]], None]]
]
CommitHook = Callable[[list[RecordedEvent]], None]
# A stored envelope and the type of an earlier event by id in; "field: message" or None out.
RestoreCheck = Callable[[Mapping[str, Any], Callable[[str], "str | None"]], "str | None"]


@dataclass(frozen=True, slots=True)
class LogHooks:
    """The hooks of one engine, in the order they run."""

    # Inside the append transaction, right after the batch's events are written.
    on_append: tuple[AppendHook, ...] = ()
    # A bulk restore's load (``append.replaying``), page by page as it goes in: the read
    # model's bulk build. Without one, ``on_append`` runs over each page.
    on_replayed: tuple[ReplayedHook, ...] = ()
    # After COMMIT only; a failing hook is logged, never turns a committed write into an error.
    after_commit: tuple[CommitHook, ...] = ()
    # name -> a parameterless read of one value (at most one row of one column), read with
    # the head once the append lock is held (PostgreSQL: in the lock's round trip,
    # ``pg_lock``; SQLite: one statement after BEGIN IMMEDIATE, ``sqlite_head``); each value
    # lands in conn.info[AFTER_LOCK][name] (None when there is no row). On PostgreSQL it
    # travels as JSON: a number, a text or NULL comes back as it was.
    after_lock_reads: Mapping[str, LockRead] = field(default_factory=dict)
    # Checks each line of a restore (store/backup.py) like an API write; the store knows no
    # schemas, so wiring installs service.schemas.stored.envelope_problem here.
    restore_check: RestoreCheck | None = None

    def lock_reads(self, dialect: str) -> tuple[tuple[str, str], ...]:
        """The after-lock reads as (name, SQL) for one store (``postgresql``, ``sqlite``)."""
        return tuple((name, getattr(read, dialect)) for name, read in self.after_lock_reads.items())

    def append_stable(self) -> frozenset[str]:
        """The names of the after-lock reads whose value no append changes."""
        return frozenset(n for n, read in self.after_lock_reads.items() if read.append_stable)


NO_HOOKS = LogHooks()
_INSTALLED: weakref.WeakKeyDictionary[Engine, LogHooks] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class LockRead:
    """One read for ``after_lock_reads``, as SQL for each store, its constants inlined."""

    postgresql: str
    sqlite: str
    # Whether no append changes its value: the group committer may then run a transaction's
    # work on the value it read last, before this transaction's read is in (pg_speculation).
    append_stable: bool = False


def lock_read(statement: sa.Select, *, append_stable: bool = False) -> LockRead:
    """A read for ``after_lock_reads``: the module's own statement, compiled once per store."""
    texts = (
        str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        for dialect in (postgresql.dialect(), sqlite.dialect())
    )
    return LockRead(*texts, append_stable=append_stable)


def install(engine: Engine, hooks: LogHooks) -> None:
    """Make ``hooks`` the engine's append hooks (replacing any installed before)."""
    _INSTALLED[engine] = hooks


def hooks_of(engine: Any) -> LogHooks:
    """The hooks installed on the engine (or on the engine an option engine derives from)."""
    found = _INSTALLED.get(engine)
    if found is None and hasattr(engine, "_proxied"):
        found = _INSTALLED.get(engine._proxied)
    return found or NO_HOOKS
