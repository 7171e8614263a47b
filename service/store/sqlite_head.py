"""SQLite: the head and the engine's ``after_lock_reads`` in one statement on the driver,
right after BEGIN IMMEDIATE (PostgreSQL reads the same in the lock's round trip,
``pg_lock``).

Read one by one through SQLAlchemy (the head, the projections' position, the tokens'
revocation count), each statement cost more of the committer's CPU than SQLite took to run
it, on every append transaction.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .event_reads import HEAD_TEXT

Head = tuple[int, str | None]
# (name, SQL) of the reads -> the statement
_STATEMENTS: dict[tuple[tuple[str, str], ...], str] = {}


def head_and_reads(
    driver: sqlite3.Connection, reads: tuple[tuple[str, str], ...]
) -> tuple[Head, dict[str, Any]]:
    """The head ((0, None) in an empty log) and each read's value by name (None: no row)."""
    text = _STATEMENTS.get(reads)
    if text is None:
        values = "".join(f", ({sql})" for _, sql in reads)
        text = _STATEMENTS[reads] = (
            f"SELECT head.position, head.hash{values}"
            f" FROM (SELECT 1) AS one LEFT JOIN ({HEAD_TEXT}) AS head ON 1"
        )
    position, last_hash, *values = driver.execute(text).fetchone()
    head = (position, last_hash) if position is not None else (0, None)
    return head, {name: value for (name, _), value in zip(reads, values, strict=True)}
