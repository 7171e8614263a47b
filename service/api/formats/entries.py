"""Facts as the read API shows them: timeline entries, resources with history, corrections."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...domain import events as ev
from ...projections.facts import Fact
from ...projections.headlines import headline, parties
from .urls import event_href

CHILDREN = {
    ev.PROPOSAL_MADE: {ev.PROPOSAL_REFUSED: "refusals", ev.PROPOSAL_ACCEPTED: "acceptances"},
    ev.AGREEMENT_REACHED: {ev.AGREEMENT_BREACHED: "breaches"},
    ev.SWAP_COMPLETED: {},
}


def corrections_of(fact: Fact) -> list[dict[str, Any]]:
    return [{"event_id": c, "href": event_href(c)} for c in fact.corrected_by]


def timeline_entry(fact: Fact) -> dict[str, Any]:
    return {
        "event_id": fact.event_id,
        "position": fact.position,
        "type": fact.type,
        "resource_id": fact.resource_id,
        "occurred_on": fact.occurred_on.isoformat(),
        "date_precision": fact.date_precision,
        "headline": headline(fact),
        "parties": parties(fact),
        "corrected": bool(fact.corrected_by),
        "corrections": corrections_of(fact),
        "data": dict(fact.data),
        "sources": [dict(s) for s in fact.sources],
    }


def _history_item(fact: Fact) -> dict[str, Any]:
    return {
        "event_id": fact.event_id,
        "position": fact.position,
        "occurred_on": fact.occurred_on.isoformat(),
        "date_precision": fact.date_precision,
        "data": dict(fact.data),
        "sources": [dict(s) for s in fact.sources],
        "corrected": bool(fact.corrected_by),
        "corrections": corrections_of(fact),
        "href": event_href(fact.event_id),
    }


def resource_view(creation: Fact, children: Iterable[Fact], stream_version: int) -> dict[str, Any]:
    """A proposal, agreement or swap: current values plus its live history, oldest first."""
    view = {
        "id": creation.resource_id,
        "stream": creation.stream,
        "stream_version": stream_version,
        "headline": headline(creation),
        **_history_item(creation),
    }
    for type_, name in CHILDREN[creation.type].items():
        view[name] = [
            _history_item(c)
            for c in sorted(children, key=lambda f: f.position)
            if c.type == type_ and c.live
        ]
    return view


def fact_values(fact: Fact | None) -> dict[str, Any] | None:
    """The target's values before or after a correction (None once retracted)."""
    if fact is None:
        return None
    return {
        "occurred_on": fact.occurred_on.isoformat(),
        "date_precision": fact.date_precision,
        "data": dict(fact.data),
    }


def correction_entry(
    meta: Mapping[str, Any], before: Fact | None, after: Fact | None
) -> dict[str, Any]:
    """One correction or retraction with the target's values before and after it."""
    data = meta["data"]
    retraction = meta["type"] == ev.EVENT_RETRACTED
    return {
        "event_id": meta["id"],
        "position": meta["position"],
        "type": meta["type"],
        "recorded_at": meta["recorded_at"],
        "recorded_by": meta["recorded_by"],
        "occurred_on": meta["occurred_on"],
        "reason": data.get("reason"),
        "changes": None if retraction else data.get("changes"),
        "target_event_id": data["target_event_id"],
        "target_type": before.type if before else None,
        "target_stream": meta["stream"],
        "before": fact_values(before),
        "after": None if retraction else fact_values(after),
        "href": event_href(meta["id"]),
    }
