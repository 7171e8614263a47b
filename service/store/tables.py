"""The schema as SQLAlchemy Core tables; Alembic migrations create it, a test checks drift."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData()

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

events = sa.Table(
    "events",
    metadata,
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("id", sa.String(36), nullable=False, unique=True),
    sa.Column("stream", sa.String(80), nullable=False),
    sa.Column("stream_version", sa.Integer, nullable=False),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("date_precision", sa.String(5), nullable=False),
    # Canonical UTC text (YYYY-MM-DDTHH:MM:SS.ffffffZ): hashed byte for byte, sorts as time.
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Column("recorded_by", sa.String(64), nullable=False),
    sa.Column("data", JSONType, nullable=False),
    sa.Column("sources", JSONType, nullable=False),
    sa.Column("target_id", sa.String(36), nullable=True),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.UniqueConstraint("stream", "stream_version", name="uq_events_stream_version"),
    sa.Index("ix_events_type_position", "type", "position"),
    sa.Index("ix_events_target_id", "target_id"),
    sa.Index("ix_events_recorded_at", "recorded_at"),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("token_name", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("claimed_at", sa.String(32), nullable=False),
    sa.Column("first_position", sa.BigInteger, nullable=True),
    sa.Column("last_position", sa.BigInteger, nullable=True),
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("scope", sa.String(8), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("last_used_at", sa.String(32), nullable=True),
    sa.Column("revoked_at", sa.String(32), nullable=True),
)

# Named, immutable (position, hash) pairs: the log head when a release was cut.
releases = sa.Table(
    "releases",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("description", sa.Text, nullable=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
)
