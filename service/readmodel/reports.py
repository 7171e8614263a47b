"""The derived metrics as of a position — the one computation behind the API, chart and page.

Each is remembered per position (``cache.at_position``): ``GET /v1/metrics/gaps``, the gaps
SVG and the page share one result, so the page never shows a figure the API would not.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from ..projections.gaps import gaps_of_rows
from ..projections.summary import summary
from .as_of import AsOf
from .cache import at_position
from .counter_reads import TOTALS, counters_at, day_rows_at


def gap_report(
    conn: Connection, at: AsOf, since: date | None = None, until: date | None = None
) -> dict[str, Any]:
    """Gaps between consecutive swaps (``since``/``until`` restrict the swaps considered)."""

    def compute() -> dict[str, Any]:
        days = day_rows_at(conn, at.position)
        return gaps_of_rows(days, reference=at.reference, since=since, until=until)

    return at_position(conn, at.position, ("gaps", since, until, at.reference), compute)


def summary_report(conn: Connection, at: AsOf) -> dict[str, Any]:
    """Totals per party, proposals, refusals, breaches and breakdowns."""
    return at_position(
        conn, at.position, ("summary",), lambda: summary(counters_at(conn, at.position, TOTALS))
    )
