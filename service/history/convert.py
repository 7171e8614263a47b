"""Pure conversion of the seed history into API write bodies, in a safe append order."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from service.history.details import DETAILS_FILE, with_details
from service.history.judgements import (
    ALTERNATIVE_FIGURES,
    CATEGORY_TAGS,
    MEDIATOR_CODES,
    SWAP_AGREEMENTS,
)

DATA_DIR: Path = Path(__file__).resolve().parent.parent / "data" / "history"
NOTES_LIMIT = 4000

# Reviewed records researched after events.csv, in negotiation_events.json's format but with
# no CSV row of their own; a data directory without them is an earlier history version.
ADDED_RECORD_FILES = ("founding_article.json",)
CREATION_ENDPOINTS = frozenset({"proposals", "agreements", "attempts", "statements", "swaps"})
# Sub-resource endpoint -> the creation endpoint its parent belongs to.
PARENT_ENDPOINTS: dict[str, str] = {
    "refusals": "proposals",
    "acceptances": "proposals",
    "breaches": "agreements",
}
# Body fields that point at another resource -> the creation endpoint they point into.
REFERENCE_FIELDS: dict[str, str] = {"proposal_id": "proposals", "agreement_id": "agreements"}
_RECORD_KEYS = frozenset({"row", "key", "endpoint", "parent", "body", "review_note"})


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryRecord:
    """One write to the API: the endpoint, the parent resource id (sub-resources) and body."""

    key: str
    endpoint: str
    parent: str | None
    body: dict[str, Any]


def swap_records(csv_path: str | Path) -> list[HistoryRecord]:
    """Return one `swaps` record per row of exchanges.csv, in file order."""
    rows = _read_rows(csv_path)
    ids = _swap_ids(row["date"] for row in rows)
    return [_swap_record(row, swap_id) for row, swap_id in zip(rows, ids, strict=True)]


def negotiation_records(json_path: str | Path) -> list[HistoryRecord]:
    """Load the reviewed negotiation_events.json, dropping the review notes."""
    with Path(json_path).open(encoding="utf-8") as fh:
        items = json.load(fh)
    return [_negotiation_record(item) for item in items]


def history_records(data_dir: str | Path = DATA_DIR) -> list[HistoryRecord]:
    """Return every record in an order the API accepts: by date, referenced resources first."""
    base = Path(data_dir)
    records = negotiation_records(base / "negotiation_events.json")
    for name in ADDED_RECORD_FILES:
        if (base / name).exists():
            records += negotiation_records(base / name)
    swaps = swap_records(base / "exchanges.csv")
    bodies = with_details([swap.body for swap in swaps], base / DETAILS_FILE)
    records += [replace(swap, body=body) for swap, body in zip(swaps, bodies, strict=True)]
    ordered = sorted(
        enumerate(records),
        key=lambda pair: (pair[1].body["occurred_on"], _phase(pair[1]), pair[0]),
    )
    result = [record for _, record in ordered]
    check_references(result)
    return result


def references(record: HistoryRecord) -> list[tuple[str, str]]:
    """Return the (endpoint, id) pairs of the resources a record points at."""
    refs = []
    if record.parent is not None:
        refs.append((PARENT_ENDPOINTS[record.endpoint], record.parent))
    for field, endpoint in REFERENCE_FIELDS.items():
        if field in record.body:
            refs.append((endpoint, record.body[field]))
    return refs


def check_references(records: list[HistoryRecord]) -> None:
    """Raise ValueError unless keys and ids are unique and every reference points backwards."""
    seen: set[tuple[str, str]] = set()
    keys: set[str] = set()
    for record in records:
        if record.key in keys:
            raise ValueError(f"duplicate key {record.key!r}")
        keys.add(record.key)
        for ref in references(record):
            if ref not in seen:
                raise ValueError(f"{record.key!r} references {ref} before it is created")
        if "id" in record.body:
            created = (record.endpoint, record.body["id"])
            if created in seen:
                raise ValueError(f"duplicate resource {created}")
            seen.add(created)


def _phase(record: HistoryRecord) -> int:
    # On one day, resources that others can reference go first.
    return 0 if record.endpoint in {"proposals", "agreements"} else 1


def _read_rows(csv_path: str | Path) -> list[dict[str, str]]:
    with Path(csv_path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _swap_ids(dates: Iterable[str]) -> list[str]:
    seen: Counter[str] = Counter()
    ids = []
    for date in dates:
        seen[date] += 1
        ids.append(date if seen[date] == 1 else f"{date}-{seen[date]}")
    return ids


def _swap_record(row: dict[str, str], swap_id: str) -> HistoryRecord:
    notes = [row["notes"].strip()] if row["notes"].strip() else []
    ua_received = _count(row["returned_to_ukraine"])
    ua_civilians = _count(row["civilians_to_ukraine"])
    if ua_civilians is not None and ua_received is not None and ua_civilians > ua_received:
        notes.append(
            f"Dropped figure: {ua_civilians} civilians to Ukraine exceeds the "
            f"{ua_received} people received."
        )
        ua_civilians = None
    alternatives = ALTERNATIVE_FIGURES.get(swap_id, {})
    sides = [
        _side(
            "UA",
            alternatives.get("UA", ()),
            received=ua_received,
            civilians=ua_civilians,
            bodies=_count(row["bodies_to_ukraine"]),
        ),
        _side(
            "RU",
            alternatives.get("RU", ()),
            received=_count(row["returned_to_russia"]),
            bodies=_count(row["bodies_to_russia"]),
        ),
    ]
    categories, unmapped = _categories(row["categories"])
    if unmapped:
        notes.append("Tags: " + "; ".join(unmapped) + ".")
    body: dict[str, Any] = {
        "occurred_on": row["date"],
        "date_precision": "day",
        "sources": [{"url": url} for url in _split(row["source_urls"])],
        "id": swap_id,
        "mediators": [_mediator(name) for name in _split(row["mediator"])],
        "sides": sides,
        "categories": categories,
    }
    if swap_id in SWAP_AGREEMENTS:
        body["agreement_id"] = SWAP_AGREEMENTS[swap_id]
    if notes:
        body["notes"] = _truncate(" ".join(notes), NOTES_LIMIT)
    return HistoryRecord(key=f"swap-{swap_id}", endpoint="swaps", parent=None, body=body)


def _side(
    party: str, alternatives: Iterable[dict[str, Any]], **counts: int | None
) -> dict[str, Any]:
    side: dict[str, Any] = {"party": party}
    # An empty cell means unknown: the key is left out, never set to 0.
    side.update({name: value for name, value in counts.items() if value is not None})
    if alternatives:
        side["alternative_figures"] = [dict(figure) for figure in alternatives]
    return side


def _categories(cell: str) -> tuple[list[str], list[str]]:
    categories: list[str] = []
    unmapped: list[str] = []
    for tag in _split(cell):
        if tag not in CATEGORY_TAGS:
            unmapped.append(tag)
            continue
        categories.extend(c for c in CATEGORY_TAGS[tag] if c not in categories)
    return categories, unmapped


def _mediator(name: str) -> str:
    if name not in MEDIATOR_CODES:
        raise ValueError(f"unreviewed mediator {name!r}; add it to MEDIATOR_CODES")
    return MEDIATOR_CODES[name]


def _negotiation_record(item: dict[str, Any]) -> HistoryRecord:
    extra = set(item) - _RECORD_KEYS
    where = f"row {item['row']}" if "row" in item else f"record {item.get('key')!r}"
    if extra:
        raise ValueError(f"{where}: unexpected keys {sorted(extra)}")
    endpoint = item["endpoint"]
    parent = item.get("parent")
    if endpoint not in CREATION_ENDPOINTS and endpoint not in PARENT_ENDPOINTS:
        raise ValueError(f"{where}: unknown endpoint {endpoint!r}")
    if (endpoint in PARENT_ENDPOINTS) != (parent is not None):
        raise ValueError(f"{where}: parent must be given exactly for sub-resources")
    return HistoryRecord(key=item["key"], endpoint=endpoint, parent=parent, body=item["body"])


def _count(cell: str) -> int | None:
    value = cell.strip()
    return int(value) if value else None


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
