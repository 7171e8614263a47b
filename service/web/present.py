"""Projection values as people read them: dates as precise as recorded, labels, claims,
corrections and what happened inside each gap. Pure functions: no Flask, no SQL."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from ..domain import events as ev
from ..projections.facts import Fact

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TYPE_LABELS = {
    ev.SWAP_COMPLETED: "Swap",
    ev.PROPOSAL_MADE: "Proposal",
    ev.PROPOSAL_REFUSED: "Refusal",
    ev.PROPOSAL_ACCEPTED: "Acceptance",
    ev.AGREEMENT_REACHED: "Agreement",
    ev.AGREEMENT_BREACHED: "Breach claim",
    ev.EXCHANGE_FAILED: "Failed attempt",
    ev.STATEMENT_MADE: "Statement",
}
# What the gap report counts inside a gap, in the order the chart's details list them.
IN_GAPS = (ev.PROPOSAL_MADE, ev.PROPOSAL_REFUSED, ev.EXCHANGE_FAILED, ev.AGREEMENT_BREACHED)
COUNT_NAMES = {
    "proposals": ("proposal", "proposals"),
    "refusals": ("refusal", "refusals"),
    "failed_attempts": ("failed attempt", "failed attempts"),
    "breaches": ("breach claim", "breach claims"),
}
MAX_CHANGES = 8


def day_text(d: date) -> str:
    """7 Aug 2023."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def date_text(d: date, precision: str = "day") -> str:
    """A date no more precise than it was recorded: 7 Aug 2023, Aug 2023 or 2023."""
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    return day_text(d)


def date_attr(d: date, precision: str = "day") -> str:
    """The same date for ``<time datetime>``: 2023-08-07, 2023-08 or 2023."""
    text = d.isoformat()
    return text[:4] if precision == "year" else text[:7] if precision == "month" else text


def number(value: int | float | None) -> str:
    """7,165; an unknown value is a dash, never 0."""
    if value is None:
        return "\u2013"  # an en dash
    return f"{value:,}"


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def counts_text(gap: Mapping[str, Any]) -> str:
    """'1 proposal, 2 breach claims' from a gap's counts, or 'nothing recorded'."""
    parts = [plural(gap[k], *names) for k, names in COUNT_NAMES.items() if gap.get(k)]
    return ", ".join(parts) if parts else "nothing recorded"


def claims(fact: Fact) -> list[str]:
    """What the fact reports as one side's claim rather than as established."""
    d = fact.data
    notes = []
    if fact.type == ev.AGREEMENT_BREACHED:
        notes.append(f"alleged by {d.get('alleged_by')} against {d.get('breached_by')}")
    if fact.type == ev.EXCHANGE_FAILED and d.get("blamed_party"):
        notes.append(f"{d['blamed_party']} blamed, as reported")
    for side in d.get("sides") or []:
        for alt in side.get("alternative_figures") or []:
            note = (
                f"{alt.get('claimed_by')} says {side.get('party')} received {alt.get('received')}"
            )
            notes.append(note + (f" ({alt['note']})" if alt.get("note") else ""))
    return notes


@dataclass(frozen=True, slots=True)
class SourceLink:
    url: str | None  # None: not an http(s) URL, shown as text only
    text: str
    title: str | None


def source_links(sources: Iterable[Mapping[str, Any]]) -> list[SourceLink]:
    """Sources as links named by publisher, title or host."""
    links = []
    for source in sources:
        url = str(source.get("url") or "")
        parts = urlsplit(url)
        safe = parts.scheme in ("http", "https") and bool(parts.netloc)
        host = parts.netloc.removeprefix("www.") if safe else url
        text = source.get("publisher") or host or "source"
        links.append(SourceLink(url if safe else None, str(text), source.get("title")))
    return links


@dataclass(frozen=True, slots=True)
class Change:
    """One value a correction changed (``before`` None: added; ``after`` None: removed)."""

    field: str
    before: str | None
    after: str | None


def _flatten(value: Any, path: str, out: dict[str, str]) -> None:
    # Lists of sides are keyed by party ("sides UA received"), other lists by position.
    if isinstance(value, Mapping):
        for k, v in value.items():
            _flatten(v, f"{path} {k}".strip(), out)
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        for i, v in enumerate(value):
            key = v.get("party") or v.get("label") or str(i + 1)
            _flatten(
                {k: x for k, x in v.items() if k not in ("party", "label")}, f"{path} {key}", out
            )
    elif isinstance(value, list):
        if value:
            out[path] = ", ".join(str(v) for v in value)
    elif value is not None:
        out[path] = str(value)


def changed_values(before: Fact, after: Fact) -> list[Change]:
    """What a correction changed, value by value, at most ``MAX_CHANGES`` of them."""
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    _flatten(dict(before.data), "", old)
    _flatten(dict(after.data), "", new)
    changes = [
        Change(k, old.get(k), new.get(k))
        for k in sorted(set(old) | set(new))
        if old.get(k) != new.get(k)
    ]
    if (before.occurred_on, before.date_precision) != (after.occurred_on, after.date_precision):
        changes.insert(
            0,
            Change(
                "date",
                date_text(before.occurred_on, before.date_precision),
                date_text(after.occurred_on, after.date_precision),
            ),
        )
    return changes[:MAX_CHANGES]


def facts_in_gaps(gaps: Sequence[Mapping[str, Any]], facts: Iterable[Fact]) -> list[list[Fact]]:
    """The facts of ``IN_GAPS`` types inside each gap: strictly after its first swap and on or
    before its second (the rule the gap report counts by), in date order."""
    bounds = [(date.fromisoformat(g["from_swap"]), date.fromisoformat(g["to_swap"])) for g in gaps]
    ends = [to for _, to in bounds]
    inside: list[list[Fact]] = [[] for _ in gaps]
    for fact in sorted(facts, key=lambda f: (f.occurred_on, f.position)):
        if fact.type not in IN_GAPS:
            continue
        # Gaps are consecutive, so at most one holds the day: the first ending on or after it.
        i = bisect.bisect_left(ends, fact.occurred_on)
        while i < len(bounds) and bounds[i][0] == bounds[i][1]:
            i += 1  # a 0-day gap holds nothing
        if i < len(bounds) and bounds[i][0] < fact.occurred_on <= bounds[i][1]:
            inside[i].append(fact)
    return inside


def facts_since(day: date | None, facts: Iterable[Fact]) -> list[Fact]:
    """The ``IN_GAPS`` facts after the last swap: what happened in the open current gap."""
    if day is None:
        return []
    return sorted(
        (f for f in facts if f.type in IN_GAPS and f.occurred_on > day),
        key=lambda f: (f.occurred_on, f.position),
    )


def gap_keys(gaps: Sequence[Mapping[str, Any]]) -> list[str]:
    """An anchor per gap, stable across filters: ``gap-2023-08-07-2024-01-03`` (``-2``, ``-3``
    for repeated 0-day gaps of one day)."""
    seen: dict[str, int] = {}
    keys = []
    for gap in gaps:
        key = f"gap-{gap['from_swap']}-{gap['to_swap']}"
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return keys
