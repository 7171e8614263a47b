"""Compact aggregates: each live fact contributes to named counters.

The gap metric and the summary need only these counters, never the facts themselves: a
per-day histogram of swaps, proposals, refusals, failed attempts and breaches (a few
thousand keys whatever the log's size, since dates span 2014..today) and per-party totals.
A changed fact's effect is ``contributions(after) - contributions(before)``, so a correction
or a retraction updates the counters exactly, without replaying anything.

Keys are their parts joined by the unit separator U+001F (a ``%`` or U+001F inside a label is
escaped as %25 / %1F), so parsing a key is a split, and all per-day keys share the prefix
``day`` + U+001F (one index range).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache

from ..domain import events as ev
from .facts import Fact, FactChange

FIGURES = ("received", "military", "civilians", "medical", "bodies")
DAY_KINDS = {
    ev.SWAP_COMPLETED: "swaps",
    ev.PROPOSAL_MADE: "proposals",
    ev.PROPOSAL_REFUSED: "refusals",
    ev.EXCHANGE_FAILED: "failed_attempts",
    ev.AGREEMENT_BREACHED: "breaches",
}


SEP = "\x1f"
DAY_PREFIX = "day" + SEP


def _escape(part: object) -> str:
    text = part if type(part) is str else str(part)
    return text.replace("%", "%25").replace(SEP, "%1F") if ("%" in text or SEP in text) else text


def _unescape(part: str) -> str:
    return part.replace("%1F", SEP).replace("%25", "%") if "%" in part else part


@lru_cache(maxsize=65_536, typed=True)  # the same few thousand keys again and again
def key(*parts: object) -> str:
    return SEP.join(map(_escape, parts))


def parse(counter_key: str) -> list[str]:
    return [_unescape(p) for p in counter_key.split(SEP)]


def estimate(share: float, received: int) -> int:
    """round(share * received), halves rounded up (0.5 * 157 = 78.5 → 79)."""
    return math.floor(share * received + 0.5)


def contributions(fact: Fact) -> dict[str, int]:
    """What one fact adds to the counters; nothing when it is retracted."""
    out: defaultdict[str, int] = defaultdict(int)  # C-level default (Counter's is Python)
    if not fact.live:
        return out
    d = fact.data
    kind = DAY_KINDS.get(fact.type)
    if kind:
        out[_day_key(fact.occurred_on, kind)] += 1
    if fact.type == ev.SWAP_COMPLETED:
        _swap(out, fact)
    elif fact.type == ev.PROPOSAL_MADE:
        out[key("proposal_party", d.get("proposed_by"))] += 1
        out[key("proposal_format", d.get("format"))] += 1
    elif fact.type == ev.PROPOSAL_REFUSED:
        out[key("refusal_party", d.get("refused_by"))] += 1
    elif fact.type == ev.PROPOSAL_ACCEPTED:
        out[key("acceptance_party", d.get("accepted_by"))] += 1
    elif fact.type == ev.EXCHANGE_FAILED:
        out[key("attempt_blamed", d.get("blamed_party") or "")] += 1
    elif fact.type == ev.AGREEMENT_REACHED:
        out[key("agreements")] += 1
    elif fact.type == ev.AGREEMENT_BREACHED:
        out[key("breach_agreement", d.get("agreement_id") or fact.resource_id)] += 1
        out[key("breach_alleged_by", d.get("alleged_by"))] += 1
    elif fact.type == ev.STATEMENT_MADE:
        out[key("statements")] += 1
    return out


@lru_cache(maxsize=16_384)  # every day since 2014, several kinds each, without churn
def _day_key(occurred_on: date, kind: str) -> str:
    return key("day", occurred_on.isoformat(), kind)


@lru_cache(maxsize=1024)
def _side_keys(party: str) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """A side's keys, made once per party: its count, then per figure (figure, total key,
    unknown key). A swap counts ~20 keys; looking each up in ``key``'s cache was a third of
    folding it."""
    figures = tuple((f, key("total", party, f), key("unknown", party, f)) for f in FIGURES)
    return key("side", party), figures


def _swap(out: defaultdict[str, int], fact: Fact) -> None:
    d = fact.data
    out[key("swap_year", fact.occurred_on.year)] += 1
    for mediator in d.get("mediators") or []:
        out[key("mediator", mediator)] += 1
    received: dict[str, int | None] = {}
    for side in d.get("sides") or []:
        party = side["party"]
        received[party] = side.get("received")
        side_key, figures = _side_keys(party)
        out[side_key] += 1
        for figure, total_key, unknown_key in figures:
            value = side.get(figure)
            if value is None:
                out[unknown_key] += 1
            else:
                out[total_key] += int(value)
    for breakdown in d.get("breakdowns") or []:
        side, dim = breakdown["side"], breakdown["dimension"]
        for value in breakdown["values"]:
            label = value["label"]
            out[key("bd_swaps", side, dim, label)] += 1
            if value.get("count") is not None:
                out[key("bd_count", side, dim, label)] += int(value["count"])
            elif value.get("share") is not None and received.get(side) is not None:
                out[key("bd_estimated", side, dim, label)] += estimate(
                    float(value["share"]), int(received[side] or 0)
                )
            else:
                out[key("bd_unknown", side, dim, label)] += 1


def delta(changes: Sequence[FactChange]) -> dict[str, int]:
    """The net change of the counters for a list of fact changes (zeros dropped)."""
    if len(changes) == 1 and changes[0].before is None:  # a new fact: most events
        return {k: v for k, v in contributions(changes[0].after).items() if v}
    total: Counter[str] = Counter()
    for change in changes:
        total.update(contributions(change.after))
        if change.before is not None:
            total.subtract(contributions(change.before))
    return {k: v for k, v in total.items() if v != 0}


def apply_delta(counters: dict[str, int], change: Mapping[str, int]) -> dict[str, int]:
    """Counters plus a delta, dropping keys that fall to zero (so equal states compare equal)."""
    result = dict(counters)
    for k, v in change.items():
        value = result.get(k, 0) + v
        if value:
            result[k] = value
        else:
            result.pop(k, None)
    return result
