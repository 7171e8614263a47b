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
from collections.abc import Mapping
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
    days = day_histogram(counters)
    ordered = sorted(days)
    # prefix[i][kind] = events of that kind on days ordered[:i]
    prefix: list[dict[str, int]] = [dict.fromkeys(COUNTED, 0)]
    for day in ordered:
        prefix.append({k: prefix[-1][k] + days[day].get(k, 0) for k in COUNTED})
    all_swaps = [d for d in ordered for _ in range(days[d].get("swaps", 0))]
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
        item.update({k: prefix[hi][k] - prefix[lo][k] for k in COUNTED})
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
