"""Tables of the stored projections (migration 0002_projections creates them).

- ``fact_versions``: every version of every fact (corrections and retractions applied), valid
  for positions ``valid_from <= p < valid_to``; the current version has ``valid_to = OPEN``.
  Timeline, resource views and corrections read it, current or as of any position, with an
  index range instead of a replay.
- ``counters``: the compact aggregates behind gaps and summary (see projections.counters).
- ``counter_deltas``: each position's net change of the counters as one row (a JSON object
  of key -> change; positions that change nothing have no row), and ``counter_snapshots``:
  the whole counter set every ``SNAPSHOT_EVERY`` positions. Counters as of P = the last
  snapshot at or before P plus the deltas after it (fewer than SNAPSHOT_EVERY positions).
- ``day_counts``: the per-day part of ``counters`` as one row per day with a column per kind
  (swaps, proposals, refusals, failed attempts, breaches): what a current gaps read loads,
  ~5x fewer rows than the day keys and nothing to parse. Days whose five counts are all zero
  have no row (as the counters drop zero keys). ``as_of`` reads use the counter snapshots.
- ``projection_state``: the position the stored projections reflect, written in the same
  append transaction as their rows.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..projections.counters import DAY_KINDS
from ..store.tables import JSONType

# The read model's own schema (migrations create it beside the log's; see migrations/env.py).
metadata = sa.MetaData()

# The kinds of the per-day histogram, as day_counts columns (see projections.counters).
DAY_COLUMNS = tuple(DAY_KINDS.values())
OPEN = 2**62  # valid_to of a current version (a sentinel instead of NULL keeps indexes usable)

fact_versions = sa.Table(
    "fact_versions",
    metadata,
    sa.Column("version_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("stream", sa.String(80), nullable=False),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("date_precision", sa.String(5), nullable=False),
    sa.Column("data", JSONType, nullable=False),
    sa.Column("sources", JSONType, nullable=False),
    sa.Column("corrected_by", JSONType, nullable=False),
    sa.Column("retracted", sa.Boolean, nullable=False),
    sa.Column("resource_retracted", sa.Boolean, nullable=False),
    sa.Column("live", sa.Boolean, nullable=False),
    sa.Column("parties", sa.String(400), nullable=False),
    sa.Column("valid_from", sa.BigInteger, nullable=False),
    sa.Column("valid_to", sa.BigInteger, nullable=False),
    sa.Index("ix_fact_versions_event", "event_id", "valid_to"),
    sa.Index("ix_fact_versions_stream", "stream", "valid_to"),
    sa.Index("ix_fact_versions_current", "valid_to", "occurred_on", "position"),
    sa.Index("ix_fact_versions_timeline", "occurred_on", "position"),
    sa.Index("ix_fact_versions_type", "type", "valid_to", "position"),
    sa.Index("ix_fact_versions_changed", "valid_from"),  # the Atom feed: newest change first
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("key", sa.String(700), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

counter_deltas = sa.Table(
    "counter_deltas",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    # {counter key: net change}, no zeros. Plain JSON (text), not JSONB, on PostgreSQL: every
    # append writes one row per event (~35 keys for a swap), and only an as-of read looks
    # into them, expanding a few thousand at most (``json_each_text``). COPY of 500 swaps'
    # rows: 2.9-3.5 ms for the server against 4.8-8.9 ms as JSONB (migration 0007).
    sa.Column("deltas", sa.JSON, nullable=False),
)

counter_snapshots = sa.Table(
    "counter_snapshots",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("counters", JSONType, nullable=False),
)

day_counts = sa.Table(
    "day_counts",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    *(sa.Column(kind, sa.BigInteger, nullable=False) for kind in DAY_COLUMNS),
)

projection_state = sa.Table(
    "projection_state",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
)

PROJECTION_TABLES = (
    fact_versions,
    counters,
    counter_deltas,
    counter_snapshots,
    day_counts,
    projection_state,
)
