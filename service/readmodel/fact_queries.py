"""Queries over fact versions as of a position: timeline pages, resources, corrections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..domain.events import EVENT_TYPES, META_TYPES, stream_name
from ..projections.facts import Fact
from ..store.event_reads import stored_envelope
from ..store.tables import events
from .rows import fact_from_row
from .tables import fact_versions as fv


def valid_at(position: int) -> sa.ColumnElement[bool]:
    """Fact versions valid at a position."""
    return sa.and_(fv.c.valid_from <= position, fv.c.valid_to > position)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """A live fact with when it was recorded and when it last changed (a correction)."""

    fact: Fact
    published: str  # recorded_at of the fact
    updated: str  # recorded_at of its latest correction, or of the fact


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    since: date | None = None
    until: date | None = None
    types: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()


def timeline_page(
    conn: Connection,
    position: int,
    flt: TimelineFilter,
    *,
    after: tuple[date, int] | None,
    limit: int,
) -> list[Fact]:
    """Live facts valid at ``position`` in (occurred_on, position) order, after the cursor."""
    query = sa.select(fv).where(valid_at(position), fv.c.live.is_(True))
    if flt.since:
        query = query.where(fv.c.occurred_on >= flt.since)
    if flt.until:
        query = query.where(fv.c.occurred_on <= flt.until)
    if flt.types:
        query = query.where(fv.c.type.in_(flt.types))
    if flt.parties:
        query = query.where(sa.or_(*(fv.c.parties.contains(f",{p},") for p in flt.parties)))
    if after:
        day, pos = after
        query = query.where(
            sa.or_(fv.c.occurred_on > day, sa.and_(fv.c.occurred_on == day, fv.c.position > pos))
        )
    rows = conn.execute(query.order_by(fv.c.occurred_on, fv.c.position).limit(limit))
    return [fact_from_row(r) for r in rows]


def recent_changes(conn: Connection, position: int, *, limit: int) -> list[FeedEntry]:
    """Live facts valid at ``position``, the most recently recorded or corrected first.

    A live fact's version valid at ``position`` was made by the fact itself or by its latest
    correction (retractions make it not live), so ``valid_from`` is that event's position.
    """
    made, changed = events.alias("made"), events.alias("changed")
    query = (
        sa.select(fv, made.c.recorded_at.label("published"), changed.c.recorded_at.label("updated"))
        .join(made, made.c.position == fv.c.position)
        .join(changed, changed.c.position == fv.c.valid_from)
        .where(valid_at(position), fv.c.live.is_(True))
        .order_by(fv.c.valid_from.desc(), fv.c.position.desc())
        .limit(limit)
    )
    return [FeedEntry(fact_from_row(r), r.published, r.updated) for r in conn.execute(query)]


def resource_page(
    conn: Connection, position: int, type_: str, *, after: int, limit: int
) -> list[Fact]:
    """Live resources of a type (their creating facts) valid at ``position``, oldest first."""
    rows = conn.execute(
        sa.select(fv)
        .where(fv.c.type == type_, valid_at(position), fv.c.live.is_(True), fv.c.position > after)
        .order_by(fv.c.position)
        .limit(limit)
    )
    return [fact_from_row(r) for r in rows]


def resource(conn: Connection, position: int, type_: str, rid: str) -> Fact | None:
    """The creating fact of a resource as of ``position`` (retracted ones included)."""
    stream = stream_name(EVENT_TYPES[type_].stream_kind, rid)
    row = conn.execute(
        sa.select(fv).where(fv.c.stream == stream, fv.c.type == type_, valid_at(position))
    ).first()
    return fact_from_row(row) if row else None


def children(conn: Connection, position: int, streams: list[str]) -> dict[str, list[Fact]]:
    found: dict[str, list[Fact]] = {s: [] for s in streams}
    if not streams:
        return found
    rows = conn.execute(
        sa.select(fv).where(fv.c.stream.in_(streams), valid_at(position)).order_by(fv.c.position)
    )
    for row in rows:
        fact = fact_from_row(row)
        if not fact.creates_resource:
            found[fact.stream].append(fact)
    return found


def corrections_page(
    conn: Connection, position: int, *, before: int | None, limit: int
) -> list[tuple[dict[str, Any], Fact | None, Fact | None]]:
    """Corrections and retractions at or before ``position``, newest first, each with the
    target's version just before it and the one it produced."""
    query = sa.select(events).where(events.c.type.in_(META_TYPES), events.c.position <= position)
    if before is not None:
        query = query.where(events.c.position < before)
    metas = [
        stored_envelope(r._mapping)
        for r in conn.execute(query.order_by(events.c.position.desc()).limit(limit))
    ]
    result = []
    for meta in metas:
        target, at = meta["data"]["target_event_id"], meta["position"]
        rows = conn.execute(
            sa.select(fv).where(
                fv.c.event_id == target, sa.or_(fv.c.valid_to == at, fv.c.valid_from == at)
            )
        ).all()
        before_row = next((r for r in rows if r.valid_to == at), None)
        after_row = next((r for r in rows if r.valid_from == at), None)
        result.append(
            (
                meta,
                fact_from_row(before_row) if before_row else None,
                fact_from_row(after_row) if after_row else None,
            )
        )
    return result
