"""Stored fact versions <-> ``Fact``: the one mapping between the table and the pure fold."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..projections.facts import Fact
from ..projections.headlines import parties
from .tables import OPEN


def fact_from_row(row: Any) -> Fact:
    """A fact_versions row (a result row, or a mapping of its columns) as the ``Fact``."""
    m = row._mapping if hasattr(row, "_mapping") else row
    occurred = m["occurred_on"]
    return Fact(
        event_id=m["event_id"],
        position=m["position"],
        type=m["type"],
        stream=m["stream"],
        occurred_on=occurred if not isinstance(occurred, str) else date.fromisoformat(occurred),
        date_precision=m["date_precision"],
        data=m["data"],
        sources=tuple(m["sources"]),
        corrected_by=tuple(m["corrected_by"]),
        retracted=bool(m["retracted"]),
        resource_retracted=bool(m["resource_retracted"]),
    )


def version_row(fact: Fact, valid_from: int) -> dict[str, Any]:
    """The fact_versions row of a fact's version valid from ``valid_from`` on. The JSON
    columns are the fact's own values, not copies: a row is written as it is made (a
    superseded pending row changes only ``valid_to``), and a fact is never changed in place
    (a correction makes a new one)."""
    return {
        "event_id": fact.event_id,
        "position": fact.position,
        "type": fact.type,
        "stream": fact.stream,
        "occurred_on": fact.occurred_on,
        "date_precision": fact.date_precision,
        "data": fact.data if type(fact.data) is dict else dict(fact.data),
        "sources": fact.sources,
        "corrected_by": fact.corrected_by,
        "retracted": fact.retracted,
        "resource_retracted": fact.resource_retracted,
        "live": fact.live,
        "parties": "," + ",".join(parties(fact)) + ",",
        "valid_from": valid_from,
        "valid_to": OPEN,
    }
