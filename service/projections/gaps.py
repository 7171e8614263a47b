"""Gaps between consecutive swaps, computed from the per-day counters in O(days).

Definitions (PRODUCT §4): ``from_swap``/``to_swap`` are the ``occurred_on`` dates of
consecutive swaps; two swaps on one day make a 0-day gap; a gap counts the proposals,
refusals, failed attempts and breaches that occurred strictly after the first swap and on or
before the second. Dates are the stored ``occurred_on`` whatever their precision (a
month-precision date is stored as the first of its month and counts on that day).

``from``/``to`` restrict the swaps considered (inclusive). The current gap always refers to
the last swap of the whole log (as of the read), counted to ``reference`` (today, or the
date of the ``as_of`` timestamp or position). Undefined values are null: with no gap,
mean/median/max/longest are null; with no swap, the current gap is null too.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .counters import DAY_PREFIX, SEP

COUNTED = ("proposals", "refusals", "failed_attempts", "breaches")


def day_histogram(counters: Mapping[str, int]) -> dict[date, dict[str, int]]:
    """{day: {kind: count}} from the per-day keys (day keys hold no escapes: a plain split)."""
    by_text: dict[str, dict[str, int]] = {}
    for k, v in counters.items():
        if k.startswith(DAY_PREFIX):
            _, day, kind = k.split(SEP)
            by_text.setdefault(day, {})[kind] = v
    return {date.fromisoformat(d): kinds for d, kinds in by_text.items()}


def gaps(
    counters: Mapping[str, int],
    *,
    reference: date,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """The gap report (without ``as_of_position``, which the caller adds)."""
    return gaps_of_days(day_histogram(counters), reference=reference, since=since, until=until)


# The columns of a day row: (day, swaps, proposals, refusals, failed_attempts, breaches).
DAY_ROW_KINDS = ("swaps", *COUNTED)


def day_rows(days: Mapping[date, Mapping[str, int]]) -> list[tuple[Any, ...]]:
    """The histogram as day rows in day order (the shape stored in day_counts)."""
    return [(d, *(days[d].get(k, 0) for k in DAY_ROW_KINDS)) for d in sorted(days)]


def gaps_of_days(
    days: Mapping[date, Mapping[str, int]],
    *,
    reference: date,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """``gaps`` from the per-day histogram {day: {kind: count}} itself."""
    return gaps_of_rows(day_rows(days), reference=reference, since=since, until=until)


def gaps_of_rows(
    rows: Sequence[Sequence[Any]],
    *,
    reference: date,
    since: date | None = None,
    until: date | None = None,
) -> dict[str, Any]:
    """``gaps`` from day rows (day, swaps, proposals, refusals, failed_attempts, breaches),
    ordered by day: prefix sums per column, then one bisect per gap."""
    ordered = [r[0] for r in rows]
    # prefix[kind][i] = events of that kind on days ordered[:i]
    prefix = {
        k: [0, *itertools.accumulate(r[i] for r in rows)]
        for i, k in enumerate(DAY_ROW_KINDS[1:], start=2)
    }
    all_swaps = [r[0] for r in rows if r[1] for _ in range(r[1])]
    swaps = [
        d for d in all_swaps if (since is None or d >= since) and (until is None or d <= until)
    ]
    items = []
    for first, second in itertools.pairwise(swaps):
        lo = bisect.bisect_right(ordered, first)  # strictly after the first swap
        hi = bisect.bisect_right(ordered, second)  # on or before the second
        item: dict[str, Any] = {
            "from_swap": first.isoformat(),
            "to_swap": second.isoformat(),
            "days": (second - first).days,
        }
        item.update({k: prefix[k][hi] - prefix[k][lo] for k in COUNTED})
        items.append(item)
    lengths = [g["days"] for g in items]
    longest = None
    if items:
        top = max(items, key=lambda g: g["days"])  # the earliest of equally long gaps
        longest = {"from_swap": top["from_swap"], "to_swap": top["to_swap"]}
    last = all_swaps[-1] if all_swaps else None
    return {
        "gaps": items,
        "summary": {
            "swaps": len(swaps),
            "gaps": len(items),
            "mean_days": round(statistics.fmean(lengths), 1) if lengths else None,
            "median_days": _number(statistics.median(lengths)) if lengths else None,
            "max_days": max(lengths) if lengths else None,
            "longest": longest,
            "current_gap_days": max((reference - last).days, 0) if last else None,
            "current_gap_since": last.isoformat() if last else None,
        },
    }


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
