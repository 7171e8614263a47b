"""The event log, idempotency keys and tokens; the database rejects UPDATE/DELETE on events.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

PG_GUARD = """
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
"""

SQLITE_GUARDS = (
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE is not allowed'); END""",
)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("stream", sa.String(80), nullable=False),
        sa.Column("stream_version", sa.Integer, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("date_precision", sa.String(5), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("data", JSONType, nullable=False),
        sa.Column("sources", JSONType, nullable=False),
        sa.Column("target_id", sa.String(36), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("stream", "stream_version", name="uq_events_stream_version"),
    )
    op.create_index("ix_events_type_position", "events", ["type", "position"])
    op.create_index("ix_events_target_id", "events", ["target_id"])
    op.create_index("ix_events_recorded_at", "events", ["recorded_at"])
    op.create_table(
        "idempotency_keys",
        sa.Column("token_name", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("claimed_at", sa.String(32), nullable=False),
        sa.Column("first_position", sa.BigInteger, nullable=True),
        sa.Column("last_position", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "tokens",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("last_used_at", sa.String(32), nullable=True),
        sa.Column("revoked_at", sa.String(32), nullable=True),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_GUARD)
    else:
        for statement in SQLITE_GUARDS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER events_no_truncate ON events")
        op.execute("DROP TRIGGER events_no_update_delete ON events")
        op.execute("DROP FUNCTION events_append_only()")
    op.drop_table("tokens")
    op.drop_table("idempotency_keys")
    op.drop_table("events")
