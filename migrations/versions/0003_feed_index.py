"""Index fact versions by the position that made them, for the Atom feed (newest change first).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_fact_versions_changed", "fact_versions", ["valid_from"])


def downgrade() -> None:
    op.drop_index("ix_fact_versions_changed", table_name="fact_versions")
