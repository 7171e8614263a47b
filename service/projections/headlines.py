"""One-line human headlines and the parties a fact concerns (for the timeline)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain import events as ev
from .facts import Fact

FORMATS = {
    "all_for_all": "an all-for-all exchange",
    "istanbul_format": "an exchange in the Istanbul format",
    "numbers": "an exchange by numbers",
    "categories": "an exchange by categories",
    "medical": "a medical exchange",
}
MAX_HEADLINE = 160


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def swap_headline(d: Mapping[str, Any]) -> str:
    sides = d.get("sides") or []
    known = [s for s in sides if s.get("received") is not None]
    parties = [s["party"] for s in sides]
    if len(sides) == 2 and len(known) == 2:
        text = f"{_and(parties)} swap {sides[0]['received']} for {sides[1]['received']}"
    elif known:
        text = "; ".join(
            f"{s['party']} receives {s['received']}"
            if s.get("received") is not None
            else f"{s['party']} figure unknown"
            for s in sides
        )
    elif len(sides) == 2:
        text = f"{_and(parties)} swap; figures unknown"
    else:
        text = f"{_and(parties)} receives an unknown number"
    mediators = list(d.get("mediators") or [])
    return text + (f", mediated by {_and(mediators)}" if mediators else "")


def headline(fact: Fact) -> str:
    d, t = fact.data, fact.type
    if t == ev.SWAP_COMPLETED:
        text = swap_headline(d)
    elif t == ev.PROPOSAL_MADE:
        what = FORMATS.get(str(d.get("format")), "an exchange")
        count = f" of {d['proposed_count']}" if d.get("proposed_count") is not None else ""
        text = f"{d.get('proposed_by')} proposes {what}{count} to {d.get('addressed_to')}"
    elif t == ev.PROPOSAL_REFUSED:
        text = f"{d.get('refused_by')} refuses proposal {fact.resource_id}"
    elif t == ev.PROPOSAL_ACCEPTED:
        text = f"{d.get('accepted_by')} accepts proposal {fact.resource_id}"
    elif t == ev.AGREEMENT_REACHED:
        text = f"{_and(list(d.get('parties') or []))} reach agreement: {d.get('name')}"
    elif t == ev.AGREEMENT_BREACHED:
        text = (
            f"{d.get('alleged_by')} accuses {d.get('breached_by')} of breaching"
            f" agreement {fact.resource_id}"
        )
    elif t == ev.EXCHANGE_FAILED:
        blamed = f" ({d['blamed_party']} blamed)" if d.get("blamed_party") else ""
        text = f"Planned exchange fails{blamed}: {d.get('reason')}"
    elif t == ev.STATEMENT_MADE:
        text = f"{d.get('speaker')} ({d.get('party')}): {d.get('summary')}"
    else:
        text = t
    return text if len(text) <= MAX_HEADLINE else text[: MAX_HEADLINE - 1] + "…"


def detail_text(fact: Fact) -> str:
    """A longer text for TimelineJS: the summary, reason or description a source gave."""
    d = fact.data
    for name in ("summary", "description", "reason", "notes", "quote"):
        if d.get(name):
            return str(d[name])
    return ""


_SINGLE_PARTY_FIELDS = (
    "proposed_by",
    "addressed_to",
    "refused_by",
    "accepted_by",
    "alleged_by",
    "breached_by",
    "blamed_party",
    "party",
)


def parties(fact: Fact) -> list[str]:
    """Every party the fact names (sides, mediators, proposers, accusers...), sorted."""
    d = fact.data
    found = {str(d[name]) for name in _SINGLE_PARTY_FIELDS if d.get(name)}
    for name in ("parties", "mediators"):
        listed = d.get(name)
        if listed:
            found.update(map(str, listed))
    sides = d.get("sides")
    if sides:
        found.update(str(s["party"]) for s in sides)
    return sorted(found)
