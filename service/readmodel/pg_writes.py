"""PostgreSQL: one projection step's writes, deferred on the append connection, and its
one many-key read.

Every write of a step needs no answer, so it joins the append's deferred pipeline
(``store.pg_writes``): constant statement texts, many-row parts as one JSON parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

from ..store.pg_merge import independent
from ..store.pg_writes import (
    add_on_conflict,
    copy_rows,
    defer,
    flush,
    insert_from_json,
    json_param,
    json_rows,
    unprepared,
    write_rows,
)
from .tables import DAY_COLUMNS, OPEN, counter_deltas, counters, day_counts, fact_versions

ADD_COUNTERS = independent(
    insert_from_json(counters, add_on_conflict("counters", "key", ["value"])), "counters"
)
ADD_DAYS = independent(
    insert_from_json(day_counts, add_on_conflict("day_counts", "day", DAY_COLUMNS)), "day_counts"
)
# ``valid_to + 0``: only ix_fact_versions_event can serve this (one fact's few versions).
# A prepared statement keeps its generic plan until the table is analyzed again; planned on
# a small table, ``valid_to = %s`` tied with ix_fact_versions_current, and PostgreSQL chose
# it: every UPDATE then walked all current versions, a cost growing with the log (the bulk
# append at 10^6 events ran at 0.4x its rate at 10^5).
CLOSE_VERSIONS = "UPDATE fact_versions SET valid_to = %s WHERE event_id = %s AND valid_to + 0 = %s"
# The versions read in this step (their row ids came with them, ``current_versions``) are
# closed in one statement: a TID scan per row. A rebuild closes ~13,500 versions per 50,000
# events; one UPDATE each took ~0.4 s of its ~5. Never prepared: the generic plan made on a
# small table is a sequential scan (or a walk of ix_fact_versions_current) joined to the row
# ids, which would be kept as the table grows.
CLOSE_ROWS = (
    "UPDATE fact_versions AS f SET valid_to = v.p FROM unnest(%s::bigint[], %s::tid[]) AS v(p, t)"
    f" WHERE f.ctid = v.t AND f.valid_to + 0 = {OPEN}"
)
# The counters and days a step brought to zero (never prepared, like every many-key
# statement: a generic plan made on a small table is a sequential scan).
DROP_ZERO_COUNTERS = "DELETE FROM counters WHERE key = ANY(%s::text[]) AND value = 0"
DROP_ZERO_DAYS = (
    "DELETE FROM day_counts WHERE day = ANY(%s::date[])"
    f" AND {' AND '.join(f'{c} = 0' for c in DAY_COLUMNS)}"
)
# A snapshot of the counters at a position inside the batch: the stored counters (as before
# the batch: it is sent ahead of the batch's counter upsert) plus the batch's changes up to
# that position, summed by the server, zeros dropped as ``apply_delta`` drops them. Reading
# the ~18,700 counters of a large log into Python and writing them back as JSON took ~9 % of
# a bulk append's CPU.
SNAPSHOT_FROM_STORED = (
    "INSERT INTO counter_snapshots (position, counters)"
    " SELECT %s, coalesce(jsonb_object_agg(k, v), '{}'::jsonb) FROM"
    " (SELECT k, sum(v) AS v FROM (SELECT key AS k, value AS v FROM counters"
    " UNION ALL SELECT key, value::bigint FROM jsonb_each_text(%s)) AS u"
    " GROUP BY k HAVING sum(v) <> 0) AS t"
)
SET_POSITION = independent(
    "INSERT INTO projection_state (name, position) VALUES (%s, %s)"
    " ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position",
    "projection_state",
)


def write_projection(
    conn: Connection,
    *,
    closed: Sequence[tuple[int, str]],
    closed_rows: Sequence[tuple[int, str]] = (),
    versions: list[dict[str, Any]],
    deltas: list[dict[str, Any]],
    net: dict[str, int],
    days: list[dict[str, Any]],
    state: tuple[str, int],
    bulk: bool = False,
) -> None:
    """Every write of one projection step (deferred: none needs an answer). ``bulk`` (a
    rebuild's or a restore's pages of thousands) queues COPYs of the many rows instead,
    after the versions they close. ``closed``: (position, event id) of versions to close;
    ``closed_rows``: (position, row id) of versions read in this step."""
    if closed_rows:
        positions, rows = [p for p, _ in closed_rows], [row for _, row in closed_rows]
        defer(conn, CLOSE_ROWS, (positions, rows), prepared=False)
    if closed:
        defer(conn, CLOSE_VERSIONS, [(p, eid, OPEN) for p, eid in closed], many=True)
    for table, rows in ((fact_versions, versions), (counter_deltas, deltas)):
        if bulk:
            copy_rows(conn, table, rows, deferred=True)
        elif rows:
            write_rows(conn, table, rows)
    if net:
        defer(conn, ADD_COUNTERS, (json_rows([{"key": k, "value": v} for k, v in net.items()]),))
        falling = [k for k, v in net.items() if v < 0]
        if falling:
            defer(conn, DROP_ZERO_COUNTERS, (falling,), prepared=False)
    if days:
        defer(conn, ADD_DAYS, (json_rows(days),))
        falling_days = [d["day"] for d in days if any(d[c] < 0 for c in DAY_COLUMNS)]
        if falling_days:
            defer(conn, DROP_ZERO_DAYS, (falling_days,), prepared=False)
    defer(conn, SET_POSITION, state)


def snapshots_from_stored(conn: Connection, points: Sequence[tuple[int, dict[str, int]]]) -> None:
    """Deferred snapshots: (position, the batch's changes up to it) each."""
    defer(conn, SNAPSHOT_FROM_STORED, [(p, json_param(acc)) for p, acc in points], many=True)


# The current versions for many keys: one index probe per key, a nested loop over the
# array, whatever the statistics (with autovacuum off there are none). Earlier forms were
# planned to read every current version once per batch, so the bulk append slowed as the
# log grew: ``key IN (...) AND valid_to = OPEN`` walked ix_fact_versions_current (a generic
# plan made on a small table is kept until the next ANALYZE), and a plain LATERAL join was
# flattened into one sequential scan joined to the keys. So: ``OFFSET 0`` keeps the subquery
# per key, ``valid_to + 0`` leaves only the event or stream index usable, and the statement
# is never prepared (``unprepared``).
ROW_ID = "row_id"
_CURRENT_BY = {
    name: "SELECT fv.* FROM unnest(%s::text[]) AS k(key) CROSS JOIN LATERAL"
    f" (SELECT ctid::text AS {ROW_ID}, * FROM fact_versions"
    f" WHERE {name} = k.key AND valid_to + 0 = {OPEN} OFFSET 0)"
    " AS fv"
    for name in ("event_id", "stream")
}


def current_versions(conn: Connection, column: str, keys: list[str]) -> list[dict[str, Any]]:
    """The current fact_versions rows whose ``column`` (event_id or stream) is in ``keys``,
    each with its row id (``ROW_ID``: the ctid, valid for this transaction's CLOSE_ROWS)."""
    flush(conn)
    cursor = unprepared(conn.connection.driver_connection, _CURRENT_BY[column], (keys,))
    names = [d.name for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor]
