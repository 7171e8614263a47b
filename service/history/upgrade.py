"""Bring a store that loaded an earlier history up to date without rewriting what it holds.

A history record is *loaded* when an earlier import wrote its event: the resource's stream for
a record with an id; for a refusal, acceptance or breach, the event its idempotency key
produced, or else (a restored store keeps no keys) the importer's event in the parent's stream
with the record's date and first source. A loaded record is read as the importer left it: its
event with the importer's own corrections applied (a newsroom's corrections are its own and
stay). When the shipped record differs, one ``event.corrected`` names the changed fields and
cites the sources the new version adds, or, adding none, the record's own. Sources can only
be added after those already cited and a field changed but not removed, because a correction
can express nothing else: such a change is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..domain.corrections import merged
from ..domain.events import EVENT_TYPES, RecordedEvent, stream_name
from ..projections.facts import cited_sources
from ..recording import ENVELOPE_FIELDS
from ..schemas.loaded import jsonable
from ..store import event_reads
from ..store.tables import idempotency_keys
from .convert import HistoryRecord

_MISSING = object()


class NotCorrectable(Exception):
    """A change to a loaded record that a correction cannot express."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Shipped:
    """A history record as the write path would store it: payload, dates and sources."""

    data: dict[str, Any]
    occurred_on: str
    date_precision: str
    sources: list[dict[str, Any]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Loaded:
    """What an earlier import wrote for a record, with that importer's corrections applied."""

    event: RecordedEvent
    stream_version: int
    data: dict[str, Any]
    occurred_on: str
    date_precision: str
    sources: tuple[Mapping[str, Any], ...]
    mine: bool
    retracted: bool


def shipped(body: Mapping[str, Any]) -> Shipped:
    """A record's body, as its write schema loaded it, in the form the log stores."""
    return Shipped(
        data=jsonable({k: v for k, v in body.items() if k not in ENVELOPE_FIELDS}),
        occurred_on=jsonable(body["occurred_on"]),
        date_precision=jsonable(body.get("date_precision", "day")),
        sources=jsonable(list(body["sources"])),
    )


def loaded_record(
    conn: Connection, item: HistoryRecord, event_type: str, writer: str
) -> Loaded | None:
    """The record as an earlier import left it in the log; None when it was never loaded."""
    kind = EVENT_TYPES[event_type].stream_kind
    if item.parent is None:
        event = event_reads.stream_creation(conn, stream_name(kind, item.body["id"]))
        return None if event is None else _loaded(conn, event, writer)
    keyed = _keyed_event(conn, writer, item.key)
    if keyed is not None:
        return _loaded(conn, keyed, writer)
    stream = stream_name(kind, item.parent)
    first_url = item.body["sources"][0]["url"]
    for event in event_reads.page_of_events(conn, stream=stream, types=[event_type], limit=1000):
        if event.recorded_by != writer:
            continue
        found = _loaded(conn, event, writer)
        if found.occurred_on == item.body["occurred_on"] and found.sources[0]["url"] == first_url:
            return found
    return None


def correction_body(record: Shipped, loaded: Loaded, *, today: date) -> dict[str, Any] | None:
    """The correction body that brings ``loaded`` to ``record``; None when they agree."""
    removed = sorted(set(loaded.data) - set(record.data))
    if removed:
        raise NotCorrectable(
            f"{', '.join(removed)} removed; a correction can change a field, not remove it"
        )
    changes = {k: v for k, v in record.data.items() if loaded.data.get(k, _MISSING) != v}
    if record.occurred_on != loaded.occurred_on:
        changes["occurred_on"] = record.occurred_on
    if record.date_precision != loaded.date_precision:
        changes["date_precision"] = record.date_precision
    cited = [dict(source) for source in loaded.sources]
    if record.sources[: len(cited)] != cited:
        raise NotCorrectable(
            "sources changed; sources already cited stay as they are, new ones go after them"
        )
    added = record.sources[len(cited) :]
    if not changes:
        if added:
            raise NotCorrectable("sources added but no field changed; a correction changes one")
        return None
    reason = f"Shipped history updated: {', '.join(sorted(changes))} changed"
    if added:
        reason += "; sources added: " + ", ".join(source["url"] for source in added)
    # The correction happened when its newest source was published (else on this import).
    published = [source["published_on"] for source in added if source.get("published_on")]
    return {
        "occurred_on": max(published) if published else today.isoformat(),
        "sources": added or record.sources,
        "changes": changes,
        "reason": reason + ".",
        "expected_version": loaded.stream_version,
    }


def _keyed_event(conn: Connection, writer: str, key: str) -> RecordedEvent | None:
    position = conn.execute(
        sa.select(idempotency_keys.c.first_position).where(
            idempotency_keys.c.token_name == writer, idempotency_keys.c.key == key
        )
    ).scalar()
    if position is None:
        return None
    found = event_reads.events_by_positions(conn, position, position)
    return found[0] if found else None


def _loaded(conn: Connection, event: RecordedEvent, writer: str) -> Loaded:
    parent_field = EVENT_TYPES[event.type].parent_field
    data = {k: v for k, v in event.data.items() if k != parent_field}
    occurred_on, precision = event.occurred_on.isoformat(), event.date_precision
    sources: tuple[Mapping[str, Any], ...] = tuple(event.sources)
    for correction in event_reads.corrections_of(conn, event.id):
        if correction.recorded_by != writer:
            continue
        changes = correction.data["changes"]
        data = merged(data, [changes])
        occurred_on = str(changes.get("occurred_on", occurred_on))
        precision = str(changes.get("date_precision", precision))
        sources = cited_sources(sources, correction.sources)
    creation = event if parent_field is None else event_reads.stream_creation(conn, event.stream)
    return Loaded(
        event=event,
        stream_version=event_reads.stream_version(conn, event.stream),
        data=data,
        occurred_on=occurred_on,
        date_precision=precision,
        sources=sources,
        mine=event.recorded_by == writer,
        retracted=event_reads.is_retracted(conn, event.id)
        or (creation is not None and event_reads.is_retracted(conn, creation.id)),
    )
