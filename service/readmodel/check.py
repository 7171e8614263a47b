"""``verify`` for projections: the stored tables must equal a fresh rebuild, row for row.

Digests each projection table (streamed, in a deterministic order), rebuilds inside a
savepoint, digests again and rolls the rebuild back; a differing digest names the table and
the reads it serves.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..store import event_reads
from .position import stored_position
from .tables import (
    counter_deltas,
    counter_snapshots,
    counters,
    day_counts,
    fact_versions,
)
from .update import REBUILD_BATCH, rebuild

CHECKED = {
    "fact_versions (timeline, resources, corrections)": (
        fact_versions,
        [fact_versions.c.event_id, fact_versions.c.valid_from],
    ),
    "counters (gaps, summary)": (counters, [counters.c.key]),
    "counter_deltas (gaps and summary as_of)": (
        counter_deltas,
        [counter_deltas.c.position],
    ),
    "counter_snapshots (gaps and summary as_of)": (
        counter_snapshots,
        [counter_snapshots.c.position],
    ),
    "day_counts (gaps)": (day_counts, [day_counts.c.day]),
}
STREAM_BATCH = 5000


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def digest(conn: Connection, table: sa.Table, order: list) -> str:
    columns = [c for c in table.c if c.name != "version_id"]
    h = hashlib.sha256()
    result = conn.execute(
        sa.select(*columns).order_by(*order).execution_options(yield_per=STREAM_BATCH)
    )
    for row in result:
        h.update(json.dumps([_plain(v) for v in row], sort_keys=True, default=str).encode())
    return h.hexdigest()


def differing_projections(conn: Connection, *, batch: int = REBUILD_BATCH) -> list[str]:
    """Names of the stored projections that differ from a fresh rebuild in pages of ``batch``
    events (run it in an append transaction so no write interleaves)."""
    problems = []
    head, _ = event_reads.head(conn)
    if stored_position(conn) != head:
        problems.append(f"projection_state (reflects {stored_position(conn)}, log head {head})")
    stored = {name: digest(conn, t, order) for name, (t, order) in CHECKED.items()}
    savepoint = conn.begin_nested()
    try:
        rebuild(conn, batch)
        fresh = {name: digest(conn, t, order) for name, (t, order) in CHECKED.items()}
    finally:
        savepoint.rollback()
    problems.extend(name for name in CHECKED if stored[name] != fresh[name])
    return problems
