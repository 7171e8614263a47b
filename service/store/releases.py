"""Named, immutable releases: the log head (position and hash) at the moment one is cut."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..domain.errors import NotFound, StreamExists
from ..domain.vocab import SLUG_PATTERN
from . import event_reads
from .engine import append_transaction, utc_now_text
from .tables import releases


class ReleaseExists(StreamExists):
    """A release name is taken; releases are never replaced (409)."""


def _as_dict(row: Any) -> dict[str, Any]:
    m = row._mapping
    return {
        k: m[k] for k in ("name", "description", "position", "hash", "created_at", "created_by")
    }


def create_release(engine: Engine, name: str, description: str | None, created_by: str) -> dict:
    """Cut a release at the current head, inside the append lock so the head is exact."""
    with append_transaction(engine) as conn:
        if conn.execute(sa.select(releases.c.name).where(releases.c.name == name)).first():
            raise ReleaseExists(f"release {name!r} already exists; releases are immutable")
        position, hash_ = event_reads.head(conn)
        row = {
            "name": name,
            "description": description,
            "position": position,
            "hash": hash_,
            "created_at": utc_now_text(),
            "created_by": created_by,
        }
        conn.execute(releases.insert().values(**row))
    return row


def list_releases(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(sa.select(releases).order_by(releases.c.position, releases.c.created_at))
    return [_as_dict(r) for r in rows]


def get_release(conn: Connection, name: str) -> dict[str, Any]:
    """One release by name; NotFound when there is none."""
    return _as_dict(_release_row(conn, name))


def release_position(conn: Connection, name: str) -> int:
    """The log position a release pinned (``as_of=release:<name>``); NotFound if unknown."""
    return int(_release_row(conn, name).position)


def _release_row(conn: Connection, name: str) -> Any:
    row = None
    if re.fullmatch(SLUG_PATTERN, name):  # anything else cannot name a release
        row = conn.execute(sa.select(releases).where(releases.c.name == name)).first()
    if row is None:
        raise NotFound(f"there is no release {name!r}")
    return row
