"""What the page and the embed read from the stored projections at one ``as_of``.

Every function takes the connection of the request's one snapshot and the position it answers
for. The gap report and the summary come from ``readmodel.reports``, as the API's do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..domain.events import EVENT_CORRECTED
from ..projections.facts import Fact
from ..readmodel.as_of import AsOf
from ..readmodel.fact_queries import TimelineFilter, timeline_page
from ..readmodel.rows import fact_from_row
from ..readmodel.tables import fact_versions as fv
from ..store.tables import events
from .present import IN_GAPS, Change, changed_values

# Facts a page lists before it links to the next page; facts a chart's details can show.
TIMELINE_PAGE = 500
GAP_FACTS_MAX = 5000


def timeline_facts(
    conn: Connection, at: AsOf, flt: TimelineFilter, after: tuple[date, int] | None
) -> tuple[list[Fact], bool]:
    """One page of the timeline and whether more follow."""
    facts = timeline_page(conn, at.position, flt, after=after, limit=TIMELINE_PAGE + 1)
    return facts[:TIMELINE_PAGE], len(facts) > TIMELINE_PAGE


def gap_facts(conn: Connection, at: AsOf, since: date | None) -> list[Fact]:
    """The live proposals, refusals, failed attempts and breach claims from ``since`` on."""
    flt = TimelineFilter(since=since, types=IN_GAPS)
    return timeline_page(conn, at.position, flt, after=None, limit=GAP_FACTS_MAX)


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction of a fact as the timeline shows it."""

    event_id: str
    recorded_at: str
    reason: str | None
    changes: Sequence[Change]


def corrections_of(
    conn: Connection, position: int, facts: Iterable[Fact]
) -> dict[str, list[Correction]]:
    """The corrections of these facts up to ``position``, oldest first, each with the values
    it changed (the fact's version just before it against the one it made)."""
    targets = {f.event_id: f for f in facts if f.corrected_by}
    ids = [c for f in targets.values() for c in f.corrected_by]
    if not ids:
        return {}
    rows = conn.execute(
        sa.select(events.c.id, events.c.position, events.c.recorded_at, events.c.data)
        .where(
            events.c.id.in_(ids),
            events.c.type == EVENT_CORRECTED,
            events.c.position <= position,
        )
        .order_by(events.c.position)
    ).all()
    at = [r.position for r in rows]
    versions = conn.execute(
        sa.select(fv).where(
            fv.c.event_id.in_(list(targets)), sa.or_(fv.c.valid_to.in_(at), fv.c.valid_from.in_(at))
        )
    ).all()
    before = {(v.event_id, v.valid_to): fact_from_row(v) for v in versions}
    after = {(v.event_id, v.valid_from): fact_from_row(v) for v in versions}
    found: dict[str, list[Correction]] = {}
    for row in rows:
        target = str(row.data["target_event_id"])
        old, new = before.get((target, row.position)), after.get((target, row.position))
        changes = changed_values(old, new) if old and new else []
        found.setdefault(target, []).append(
            Correction(row.id, row.recorded_at, row.data.get("reason"), changes)
        )
    return found
