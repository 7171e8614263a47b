"""Event types, the recorded event, and the registry that maps wire names to them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .quick_init import quick_init


@dataclass(frozen=True, slots=True, kw_only=True)
class EventType:
    """One kind of fact the log records: its wire name, payload version and stream kind."""

    name: str
    schema_version: int
    stream_kind: str
    creates_stream: bool
    parent_field: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewEvent:
    """An event to append: payload and dates, before the store gives it a place in the log."""

    type: str
    stream: str | None
    data: Mapping[str, Any]
    occurred_on: date
    date_precision: str = "day"
    sources: tuple[Mapping[str, Any], ...] = ()
    expected_version: int | None = None
    expected_from: str = "body"
    stream_kind: str | None = None


@quick_init
@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedEvent:
    """An event as stored: the payload plus its envelope."""

    id: str
    position: int
    stream: str
    stream_version: int
    type: str
    schema_version: int
    occurred_on: date
    date_precision: str
    recorded_at: str
    recorded_by: str
    data: Mapping[str, Any]
    sources: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)
    prev_hash: str = ""
    hash: str = ""

    @property
    def target_event_id(self) -> str | None:
        """The event a correction or retraction points at."""
        return self.data.get("target_event_id") if self.type in META_TYPES else None


PROPOSAL_MADE = "proposal.made"
PROPOSAL_REFUSED = "proposal.refused"
PROPOSAL_ACCEPTED = "proposal.accepted"
AGREEMENT_REACHED = "agreement.reached"
AGREEMENT_BREACHED = "agreement.breached"
EXCHANGE_FAILED = "exchange.failed"
STATEMENT_MADE = "statement.made"
SWAP_COMPLETED = "swap.completed"
EVENT_CORRECTED = "event.corrected"
EVENT_RETRACTED = "event.retracted"

EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType(
            name=PROPOSAL_MADE, schema_version=1, stream_kind="proposal", creates_stream=True
        ),
        EventType(
            name=PROPOSAL_REFUSED,
            schema_version=1,
            stream_kind="proposal",
            creates_stream=False,
            parent_field="proposal_id",
        ),
        EventType(
            name=PROPOSAL_ACCEPTED,
            schema_version=1,
            stream_kind="proposal",
            creates_stream=False,
            parent_field="proposal_id",
        ),
        EventType(
            name=AGREEMENT_REACHED, schema_version=1, stream_kind="agreement", creates_stream=True
        ),
        EventType(
            name=AGREEMENT_BREACHED,
            schema_version=1,
            stream_kind="agreement",
            creates_stream=False,
            parent_field="agreement_id",
        ),
        EventType(
            name=EXCHANGE_FAILED, schema_version=1, stream_kind="attempt", creates_stream=True
        ),
        EventType(
            name=STATEMENT_MADE, schema_version=1, stream_kind="statement", creates_stream=True
        ),
        EventType(name=SWAP_COMPLETED, schema_version=1, stream_kind="swap", creates_stream=True),
        EventType(name=EVENT_CORRECTED, schema_version=1, stream_kind="", creates_stream=False),
        EventType(name=EVENT_RETRACTED, schema_version=1, stream_kind="", creates_stream=False),
    )
}

META_TYPES = frozenset({EVENT_CORRECTED, EVENT_RETRACTED})
FACT_TYPES = frozenset(EVENT_TYPES) - META_TYPES
# Payload fields that name another resource (a swap's proposal_id...), with its stream kind.
REFERENCE_FIELDS = {"proposal_id": "proposal", "agreement_id": "agreement"}


def stream_name(kind: str, resource_id: str) -> str:
    """The stream of a resource, e.g. ``swap/2026-02-05``."""
    return f"{kind}/{resource_id}"


def resource_id(stream: str) -> str:
    """The resource id part of a stream name."""
    return stream.split("/", 1)[1]
