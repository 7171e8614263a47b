"""Reviewed additions to swap records that exchanges.csv's columns cannot hold.

swap_details.json gives, per swap id, more figures for a side (e.g. Russia's `military` and
`medical`, or the figure the other side claims for it), breakdowns, and publisher/title/date
for sources whose URLs the CSV row already lists. Being data, not code, they belong to the
history version they ship with (an earlier data directory does not get them). A detail
never overrides a figure the CSV gives, and every source it describes must be cited by the
row: the CSV stays the list of what was read.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

DETAILS_FILE = "swap_details.json"
_KEYS = frozenset({"swap_id", "sides", "breakdowns", "sources", "review_note"})


def with_details(bodies: list[dict[str, Any]], path: str | Path) -> list[dict[str, Any]]:
    """The swap bodies with the reviewed details of ``path`` applied, when it exists."""
    if not Path(path).exists():
        return bodies
    with Path(path).open(encoding="utf-8") as fh:
        details = {item["swap_id"]: item for item in json.load(fh)}
    unknown = sorted(set(details) - {body["id"] for body in bodies})
    if unknown:
        raise ValueError(f"{DETAILS_FILE}: no swap with id {', '.join(unknown)}")
    return [
        _detailed(body, details[body["id"]]) if body["id"] in details else body for body in bodies
    ]


def _detailed(swap: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    where = f"{DETAILS_FILE}: swap {item['swap_id']}"
    extra = set(item) - _KEYS
    if extra:
        raise ValueError(f"{where}: unexpected keys {sorted(extra)}")
    body = copy.deepcopy(swap)
    for figures in item.get("sides", []):
        side = next((s for s in body["sides"] if s["party"] == figures["party"]), None)
        if side is None:
            raise ValueError(f"{where}: no side {figures['party']}")
        for name, value in figures.items():
            if side.get(name, value) != value:
                raise ValueError(f"{where}: {name} is {side[name]} in exchanges.csv")
            side[name] = value
    if item.get("breakdowns"):
        body["breakdowns"] = copy.deepcopy(item["breakdowns"])
    described = {source["url"]: source for source in item.get("sources", [])}
    uncited = sorted(set(described) - {source["url"] for source in body["sources"]})
    if uncited:
        raise ValueError(f"{where}: {', '.join(uncited)} is not in the row's source_urls")
    body["sources"] = [{**s, **described.get(s["url"], {})} for s in body["sources"]]
    return body
