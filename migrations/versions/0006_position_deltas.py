"""counter_deltas: one row per position (a JSON object of key -> change) instead of one per key.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

A swap changes ~35 counters; its append wrote ~35 delta rows (half the database's work of a
500-swap batch). The rows of each position are merged into one, in SQL, so a migrated store
keeps projections equal to a rebuild (``exchange-log verify``); the downgrade splits them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    merge = "jsonb_object_agg(key, delta)" if _postgresql() else "json_group_object(key, delta)"
    op.create_table(
        "counter_deltas_merged",
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("deltas", JSON_TYPE, nullable=False),
    )
    op.execute(
        f"INSERT INTO counter_deltas_merged (position, deltas)"
        f" SELECT position, {merge} FROM counter_deltas GROUP BY position"
    )
    op.drop_table("counter_deltas")
    op.create_table(
        "counter_deltas",
        sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("deltas", JSON_TYPE, nullable=False),
    )
    op.execute(
        "INSERT INTO counter_deltas (position, deltas)"
        " SELECT position, deltas FROM counter_deltas_merged"
    )
    op.drop_table("counter_deltas_merged")


def downgrade() -> None:
    split = (
        "SELECT d.position, e.key, e.value::bigint FROM counter_deltas d,"
        " jsonb_each_text(d.deltas) AS e"
        if _postgresql()
        else "SELECT d.position, e.key, e.value FROM counter_deltas d, json_each(d.deltas) AS e"
    )
    op.create_table(
        "counter_deltas_split",
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("key", sa.String(700), nullable=False),
        sa.Column("delta", sa.BigInteger, nullable=False),
    )
    op.execute(f"INSERT INTO counter_deltas_split (position, key, delta) {split}")
    op.drop_table("counter_deltas")
    op.create_table(
        "counter_deltas",
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("key", sa.String(700), primary_key=True),
        sa.Column("delta", sa.BigInteger, nullable=False),
    )
    op.execute(
        "INSERT INTO counter_deltas (position, key, delta)"
        " SELECT position, key, delta FROM counter_deltas_split"
    )
    op.drop_table("counter_deltas_split")
