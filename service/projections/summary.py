"""The summary metric, computed from the counters (see ``counters.contributions``).

Per receiving party each figure has ``total`` (sum over swaps that give it) and ``unknown``
(swaps where that party received people but the figure is absent). Breakdown values sum the
counts sources give; shares become ``round(share * received)`` counts (halves up) marked
``estimated: true``; a share on a side whose ``received`` is unknown cannot be converted and is
counted in ``unknown``. Lists are sorted for stable output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .counters import FIGURES, parse


def summary(counters: Mapping[str, int]) -> dict[str, Any]:
    """The summary report (without ``as_of_position``, which the caller adds).

    Needs only the counters that are not per-day keys (see ``counters.DAY_PREFIX``)."""
    groups: dict[str, dict[tuple[str, ...], int]] = {}
    for k, v in counters.items():
        parts = parse(k)
        groups.setdefault(parts[0], {})[tuple(parts[1:])] = v
    g = lambda name: groups.get(name, {})  # noqa: E731
    swaps_total = sum(g("swap_year").values())
    return {
        "swaps": {
            "total": swaps_total,
            "per_year": [
                {"year": int(y), "swaps": v} for (y,), v in sorted(g("swap_year").items())
            ],
            "mediators": _per_party(g("mediator")),
        },
        "received": [_received(party, g) for (party,) in sorted(g("side"))],
        "proposals": {
            "total": sum(g("proposal_party").values()),
            "by_party": _per_party(g("proposal_party")),
            "by_format": [
                {"format": f, "count": v} for (f,), v in sorted(g("proposal_format").items())
            ],
        },
        "refusals": {
            "total": sum(g("refusal_party").values()),
            "by_party": _per_party(g("refusal_party")),
        },
        "acceptances": {
            "total": sum(g("acceptance_party").values()),
            "by_party": _per_party(g("acceptance_party")),
        },
        "failed_attempts": {
            "total": sum(g("attempt_blamed").values()),
            "by_blamed_party": [
                {"party": p or None, "count": v} for (p,), v in sorted(g("attempt_blamed").items())
            ],
        },
        "agreements": {"total": sum(g("agreements").values())},
        "breaches": {
            "total": sum(g("breach_agreement").values()),
            "by_agreement": [
                {"agreement_id": a, "count": v} for (a,), v in sorted(g("breach_agreement").items())
            ],
            "by_alleging_party": _per_party(g("breach_alleged_by")),
        },
        "statements": {"total": sum(g("statements").values())},
        "breakdowns": _breakdowns(g),
    }


def _per_party(group: Mapping[tuple[str, ...], int]) -> list[dict[str, Any]]:
    return [{"party": p, "count": v} for (p,), v in sorted(group.items())]


def _received(party: str, g: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"party": party, "swaps": g("side")[(party,)]}
    for figure in FIGURES:
        item[figure] = {
            "total": g("total").get((party, figure), 0),
            "unknown": g("unknown").get((party, figure), 0),
        }
    return item


def _breakdowns(g: Any) -> list[dict[str, Any]]:
    by_dimension: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for side, dim, label in sorted(g("bd_swaps")):
        k = (side, dim, label)
        counted, estimated = g("bd_count").get(k, 0), g("bd_estimated").get(k, 0)
        by_dimension.setdefault((side, dim), []).append(
            {
                "label": label,
                "count": counted + estimated,
                "estimated": bool(estimated),
                "estimated_count": estimated,
                "swaps": g("bd_swaps")[k],
                "unknown": g("bd_unknown").get(k, 0),
            }
        )
    return [
        {"side": side, "dimension": dim, "values": values}
        for (side, dim), values in sorted(by_dimension.items())
    ]
