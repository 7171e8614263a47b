"""Stored projections: fact versions, counters with deltas and snapshots, releases.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

A log that already holds events when this runs gets empty projections at position 0; the
next append catches them up (store.projections replays the missing positions first), or run
``exchange-log rebuild``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
KEY = sa.String(700)


def upgrade() -> None:
    op.create_table(
        "fact_versions",
        sa.Column(
            "version_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
        ),
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
    )
    op.create_index("ix_fact_versions_event", "fact_versions", ["event_id", "valid_to"])
    op.create_index("ix_fact_versions_stream", "fact_versions", ["stream", "valid_to"])
    op.create_index(
        "ix_fact_versions_current", "fact_versions", ["valid_to", "occurred_on", "position"]
    )
    op.create_index("ix_fact_versions_timeline", "fact_versions", ["occurred_on", "position"])
    op.create_index("ix_fact_versions_type", "fact_versions", ["type", "valid_to", "position"])
    op.create_table(
        "counters",
        sa.Column("key", KEY, primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "counter_deltas",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("key", KEY, primary_key=True),
        sa.Column("delta", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "counter_snapshots",
        sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("counters", JSONType, nullable=False),
    )
    op.create_table(
        "projection_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "releases",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "releases",
        "projection_state",
        "counter_snapshots",
        "counter_deltas",
        "counters",
        "fact_versions",
    ):
        op.drop_table(table)
