"""The per-day histogram of the gaps metric as one row per day (day_counts).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

Filled from the per-day counter keys already stored, so a log migrated with events keeps
projections that equal a rebuild (``exchange-log verify``).
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KINDS = ("swaps", "proposals", "refusals", "failed_attempts", "breaches")
DAY_PREFIX = "day\x1f"


def upgrade() -> None:
    day_counts = op.create_table(
        "day_counts",
        sa.Column("day", sa.Date, primary_key=True),
        *(sa.Column(kind, sa.BigInteger, nullable=False) for kind in KINDS),
    )
    counters = sa.table("counters", sa.column("key", sa.String), sa.column("value", sa.BigInteger))
    days: dict[str, dict[str, int]] = {}
    rows = op.get_bind().execute(sa.select(counters.c.key, counters.c.value))
    for key, value in rows:
        if key.startswith(DAY_PREFIX):
            _, day, kind = key.split("\x1f")
            days.setdefault(day, dict.fromkeys(KINDS, 0))[kind] = value
    if days:
        op.bulk_insert(
            day_counts,
            [{"day": datetime.date.fromisoformat(d), **k} for d, k in sorted(days.items())],
        )


def downgrade() -> None:
    op.drop_table("day_counts")
