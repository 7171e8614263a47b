"""Which database errors mean "the store cannot serve this right now" rather than a bug.

The server is down, restarting or refusing connections, a connection was cut under a
request, the pool is exhausted, the disk is full or the store is read-only: a retry a little
later may well succeed, so the API answers 503 with Retry-After (never 500), and nothing
was written (the append transaction rolled back, or never began).

A database without the service's tables (created but not migrated yet, or dropped and
created again under the running service) is the same kind of state, not a bug: the API
answers it with a 503 naming it (``not_migrated``), and /readyz has always said so. So is
a SQLite file deleted or replaced under a connection that had it open
(``sqlite_file.FileReplaced``).
"""

from __future__ import annotations

import sqlite3

import psycopg
import sqlalchemy as sa

from . import sqlite_file

# SQLite primary result codes of a store that is busy, unwritable or unreachable (a bad
# statement is SQLITE_ERROR, a bug, and stays a 500).
_SQLITE_UNAVAILABLE = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_NOMEM,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PROTOCOL,
    }
)
# psycopg: OperationalError covers connection failures, admin shutdown, "cannot connect
# now" (starting up, or connections not allowed), disk full, too many connections;
# InterfaceError a connection already closed; ReadOnlySqlTransaction a standby.
_PSYCOPG_UNAVAILABLE = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg.errors.ReadOnlySqlTransaction,
)


def not_migrated(error: BaseException) -> bool:
    """Whether ``error`` says a table of the service is missing: the database has not been
    migrated (``exchange-log migrate``)."""
    if isinstance(error, sa.exc.DBAPIError):
        error = error.orig
    if isinstance(error, psycopg.errors.UndefinedTable):
        return True
    # SQLite names it in the message only (its result code is the generic SQLITE_ERROR).
    return isinstance(error, sqlite3.OperationalError) and str(error).startswith("no such table")


def unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached, cannot write, or is not
    migrated right now."""
    if isinstance(error, sa.exc.TimeoutError):  # no pooled connection came free in time
        return True
    if not_migrated(error) or isinstance(error, sqlite_file.FileReplaced):
        return True
    if isinstance(error, sa.exc.DBAPIError):
        if error.connection_invalidated:
            return True
        error = error.orig
    if isinstance(error, _PSYCOPG_UNAVAILABLE):
        return True
    if isinstance(error, sqlite3.Error):
        return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _SQLITE_UNAVAILABLE
    return False
