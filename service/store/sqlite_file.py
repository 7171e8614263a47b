"""SQLite: a connection serves the file at the store's path, or none.

An open SQLite connection keeps the file it opened even once that file is deleted or
replaced at its path (``rm``, ``mv``, a copy restored over it): its reads would show a log
no one else sees, and its commits would land in a file that is gone, each answered 201 for
an event lost. So each connection remembers which file it opened (device and inode) and:

- a pooled connection whose file is no longer the path's is discarded at checkout, and the
  pool opens the path again (a store not migrated is then told so: ``faults.not_migrated``);
- an append transaction checks after BEGIN IMMEDIATE that its file is still the path's, so
  nothing is written into one that is gone, and again after COMMIT, so a commit that landed
  in one is answered 503 rather than 201 (a retry with the same Idempotency-Key is written
  where the store is now). One ``stat`` each.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

# connection info: (the database file's absolute path, its (device, inode) when opened)
FILE = "sqlite_file"

Identity = tuple[int, int] | None


class FileReplaced(sqlite3.OperationalError):
    """The connection's database file is no longer the one at the store's path."""


def remember(info: dict[str, Any], database: str | None) -> None:
    """Record, in a new connection's info, which file it opened (none in memory)."""
    if database and database != ":memory:" and not database.startswith("file:"):
        path = os.path.abspath(database)
        info[FILE] = (path, identity(path))


def identity(path: str) -> Identity:
    """The (device, inode) of the file at ``path`` now, or None when there is none."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino)


def replaced(info: dict[str, Any]) -> bool:
    """Whether the connection's file is no longer the one at its path."""
    opened = info.get(FILE)
    return opened is not None and identity(opened[0]) != opened[1]


def check(info: dict[str, Any]) -> None:
    """Raise FileReplaced when the connection's file is no longer the one at its path."""
    if replaced(info):
        raise FileReplaced(
            f"the database file {info[FILE][0]} was deleted or replaced while this"
            " connection had it open"
        )
