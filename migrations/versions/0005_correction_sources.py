"""A corrected fact cites its corrections' sources too (projections.facts.corrected).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

Fact versions written before this revision hold only the sources of the fact's own event.
Each version of a corrected fact is given the sources it now has: the event's own, then
those of the corrections it lists in ``corrected_by`` (a URL already cited is not repeated),
so a migrated log keeps projections that equal a rebuild (``exchange-log verify``).
The logic is copied here, not imported, so this revision stays what it was when written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
events = sa.table(
    "events",
    sa.column("id", sa.String),
    sa.column("type", sa.String),
    sa.column("target_id", sa.String),
    sa.column("sources", JSONType),
)
fact_versions = sa.table(
    "fact_versions",
    sa.column("version_id", sa.BigInteger),
    sa.column("event_id", sa.String),
    sa.column("sources", JSONType),
    sa.column("corrected_by", JSONType),
)
CHUNK = 500


def _cited(
    own: Iterable[Mapping[str, Any]], added: Iterable[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    result = list(own)
    urls = {source.get("url") for source in result}
    for source in added:
        if source.get("url") not in urls:
            urls.add(source.get("url"))
            result.append(source)
    return result


def _rewrite(with_corrections: bool) -> None:
    conn = op.get_bind()
    corrected_events = sa.select(events.c.target_id).where(events.c.type == "event.corrected")
    rows = conn.execute(
        sa.select(fact_versions).where(fact_versions.c.event_id.in_(corrected_events))
    ).all()
    ids = {row.event_id for row in rows}
    ids |= {c for row in rows for c in (row.corrected_by or []) if with_corrections}
    sources: dict[str, list[Any]] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK):
        found = conn.execute(
            sa.select(events.c.id, events.c.sources).where(events.c.id.in_(ordered[i : i + CHUNK]))
        )
        sources.update({event_id: list(cited) for event_id, cited in found})
    for row in rows:
        new = sources.get(row.event_id, [])
        if with_corrections:
            for correction in row.corrected_by or []:
                new = _cited(new, sources.get(correction, []))
        if list(new) != list(row.sources):
            conn.execute(
                fact_versions.update()
                .where(fact_versions.c.version_id == row.version_id)
                .values(sources=list(new))
            )


def upgrade() -> None:
    _rewrite(with_corrections=True)


def downgrade() -> None:
    _rewrite(with_corrections=False)
