"""Request bodies with realistic defaults; tests override only what they are about."""

from __future__ import annotations

from datetime import date
from typing import Any

from service.domain.events import SWAP_COMPLETED, NewEvent

SOURCE = {"url": "https://www.reuters.com/world/europe/swap-2026-02-05/", "publisher": "Reuters"}


def _with(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    body = {**base, **overrides}
    return {k: v for k, v in body.items() if v is not ...}


def swap_body(**overrides: Any) -> dict[str, Any]:
    """5 Feb 2026: 157 for 157, mediated by the UAE and the US. Pass field=... to drop one."""
    return _with(
        {
            "occurred_on": "2026-02-05",
            "sources": [SOURCE],
            "mediators": ["AE", "US"],
            "sides": [
                {"party": "UA", "received": 157, "civilians": 7},
                {"party": "RU", "received": 157},
            ],
            "categories": ["military", "civilians"],
        },
        overrides,
    )


def proposal_body(**overrides: Any) -> dict[str, Any]:
    return _with(
        {
            "occurred_on": "2025-06-02",
            "sources": [SOURCE],
            "proposed_by": "UA",
            "addressed_to": "RU",
            "format": "all_for_all",
            "categories": ["military", "civilians"],
            "summary": "Ukraine proposes an all-for-all exchange.",
        },
        overrides,
    )


def refusal_body(**overrides: Any) -> dict[str, Any]:
    return _with(
        {
            "occurred_on": "2025-06-03",
            "sources": [SOURCE],
            "refused_by": "RU",
            "reason": "Russia insists on exchanges by categories.",
            "demanded_categories": ["severely_wounded", "under_25"],
        },
        overrides,
    )


def acceptance_body(**overrides: Any) -> dict[str, Any]:
    return _with({"occurred_on": "2025-06-03", "sources": [SOURCE], "accepted_by": "RU"}, overrides)


def agreement_body(**overrides: Any) -> dict[str, Any]:
    return _with(
        {
            "occurred_on": "2025-06-02",
            "sources": [SOURCE],
            "name": "Istanbul arrangements",
            "parties": ["UA", "RU"],
            "venue": "Istanbul",
            "terms": [
                {"category": "severely_wounded", "basis": "all_for_all", "open_ended": True},
                {"category": "under_25", "basis": "all_for_all", "open_ended": True},
                {"category": "bodies", "basis": "numbers", "count": 6000, "open_ended": False},
            ],
        },
        overrides,
    )


def breach_body(**overrides: Any) -> dict[str, Any]:
    return _with(
        {
            "occurred_on": "2025-06-08",
            "sources": [SOURCE],
            "alleged_by": "UA",
            "breached_by": "RU",
            "attributed_to": "Russian MoD",
            "description": "Lists did not match the agreed categories.",
        },
        overrides,
    )


def attempt_body(**overrides: Any) -> dict[str, Any]:
    return _with(
        {
            "occurred_on": "2024-01-24",
            "sources": [SOURCE],
            "reason": "An Il-76 crashed in Belgorod region before the planned exchange.",
        },
        overrides,
    )


def statement_body(**overrides: Any) -> dict[str, Any]:
    return _with(
        {
            "occurred_on": "2026-01-16",
            "sources": [SOURCE],
            "speaker": "Volodymyr Zelensky",
            "party": "UA",
            "summary": "Agreed exchanges were delayed by Russia.",
        },
        overrides,
    )


def correction_body(changes: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return _with(
        {
            "occurred_on": "2026-02-06",
            "sources": [SOURCE],
            "changes": changes,
            "reason": "The ministry published a revised figure.",
        },
        overrides,
    )


def retraction_body(**overrides: Any) -> dict[str, Any]:
    return _with(
        {"occurred_on": "2026-02-06", "sources": [SOURCE], "reason": "Recorded in error."},
        overrides,
    )


def post(client, auth: dict[str, str], url: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST a write that must succeed; returns the stored envelope."""
    response = client.post(url, json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def fill(client, auth: dict[str, str]) -> list[dict[str, Any]]:
    """The one mixed log of the tests, written through the API: the envelopes in position
    order — 1 swap jan (2026-01-05), 2 proposal p1, 3 its refusal, 4 swap feb (2026-02-05),
    5 a correction of feb, 6 the retraction of p1, 7 swap mar (2026-03-01)."""
    jan = post(client, auth, "/v1/swaps", swap_body(id="jan", occurred_on="2026-01-05"))
    made = post(client, auth, "/v1/proposals", proposal_body(id="p1"))
    refusal = post(client, auth, "/v1/proposals/p1/refusals", refusal_body())
    feb = post(client, auth, "/v1/swaps", swap_body(id="feb"))
    fix = post(client, auth, f"/v1/events/{feb['id']}/corrections", correction_body({"notes": "n"}))
    gone = post(client, auth, f"/v1/events/{made['id']}/retractions", retraction_body())
    mar = post(client, auth, "/v1/swaps", swap_body(id="mar", occurred_on="2026-03-01"))
    return [jan, made, refusal, feb, fix, gone, mar]


def new_swap(
    stream: str | None = "swap/2026-02-05",
    *,
    occurred_on: date = date(2026, 2, 5),
    received: int | None = 5,
) -> NewEvent:
    """A swap as the store appends it (below the HTTP layer): UA side, UAE mediator."""
    side = {"party": "UA"} if received is None else {"party": "UA", "received": received}
    return NewEvent(
        type=SWAP_COMPLETED,
        stream=stream,
        data={"mediators": ["AE"], "sides": [side], "categories": []},
        occurred_on=occurred_on,
        sources=({"url": "https://example.org/swap"},),
    )
