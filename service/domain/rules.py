"""Write-time invariants of PRODUCT §3 that span fields; each failure names its field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from .errors import RuleViolation
from .events import AGREEMENT_BREACHED, AGREEMENT_REACHED, SWAP_COMPLETED

EARLIEST_DATE = date(2014, 1, 1)
SHARE_TOLERANCE = 0.005
MAX_SHARE_TOTAL = round(1 + SHARE_TOLERANCE, 9)
SUB_COUNTS = ("military", "civilians", "medical")


def check_occurred_on(occurred_on: date, today: date, field: str = "occurred_on") -> None:
    """A fact happened between 2014-01-01 and today."""
    if occurred_on < EARLIEST_DATE:
        raise RuleViolation(field, f"must not be before {EARLIEST_DATE.isoformat()}")
    if occurred_on > today:
        raise RuleViolation(field, f"must not be in the future (today is {today.isoformat()})")


def _check_swap(data: Mapping[str, Any]) -> None:
    parties = [side["party"] for side in data.get("sides", [])]
    for i, party in enumerate(parties):
        if party in parties[:i]:
            raise RuleViolation(
                f"sides.{i}.party", f"{party} already has a side; each party appears only once"
            )
    for i, side in enumerate(data.get("sides", [])):
        received = side.get("received")
        if received is None:
            continue
        for name in SUB_COUNTS:
            value = side.get(name)
            if value is not None and value > received:
                raise RuleViolation(
                    f"sides.{i}.{name}", f"{name} ({value}) exceeds received ({received})"
                )
        # Only military and civilians are disjoint parts of `received`. The medically
        # exchanged are counted among them too (PRODUCT §3: "157 received, of which five
        # under a medical exchange"), so `medical` is bounded by `received` alone.
        military, civilians = side.get("military"), side.get("civilians")
        if military is not None and civilians is not None and military + civilians > received:
            raise RuleViolation(
                f"sides.{i}.civilians",
                f"military + civilians ({military + civilians}) exceeds received ({received})",
            )
    seen: set[tuple[str, str]] = set()
    for i, breakdown in enumerate(data.get("breakdowns", [])):
        pair = (breakdown["side"], breakdown["dimension"])
        if pair in seen:
            # Two breakdowns of one dimension would let its shares add up past 1 unnoticed.
            raise RuleViolation(
                f"breakdowns.{i}.dimension",
                f"{pair[0]} already has a '{pair[1]}' breakdown; put all its values in one",
            )
        seen.add(pair)
        if breakdown["side"] not in parties:
            raise RuleViolation(
                f"breakdowns.{i}.side",
                f"{breakdown['side']} is not one of the swap's sides ({', '.join(parties)})",
            )
        shares = [v["share"] for v in breakdown["values"] if v.get("share") is not None]
        # Rounded so that float noise (0.6 + 0.405 = 1.0050000000000001) does not decide.
        total = round(sum(shares), 9)
        if total > MAX_SHARE_TOTAL:
            raise RuleViolation(
                f"breakdowns.{i}.values",
                f"shares of dimension '{breakdown['dimension']}' sum to {total:g};"
                f" they may sum to at most 1 (up to {MAX_SHARE_TOTAL:g} for rounding)",
            )
        for j, value in enumerate(breakdown["values"]):
            if (value.get("count") is None) == (value.get("share") is None):
                raise RuleViolation(
                    f"breakdowns.{i}.values.{j}", "give exactly one of count or share"
                )


def _check_agreement(data: Mapping[str, Any]) -> None:
    if len(set(data.get("parties", []))) < 2:
        raise RuleViolation("parties", "an agreement needs at least two distinct parties")


def _check_breach(data: Mapping[str, Any]) -> None:
    if data.get("alleged_by") == data.get("breached_by"):
        raise RuleViolation("breached_by", "a party does not allege a breach against itself")


PAYLOAD_RULES: dict[str, Callable[[Mapping[str, Any]], None]] = {
    SWAP_COMPLETED: _check_swap,
    AGREEMENT_REACHED: _check_agreement,
    AGREEMENT_BREACHED: _check_breach,
}


def check_payload(event_type: str, data: Mapping[str, Any]) -> None:
    """Cross-field rules of one event type's payload."""
    rule = PAYLOAD_RULES.get(event_type)
    if rule is not None:
        rule(data)
