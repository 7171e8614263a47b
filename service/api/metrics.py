"""Derived metrics: gaps between exchanges and the summary."""

from __future__ import annotations

from ..readmodel.reports import gap_report, summary_report
from ..schemas.metrics import GapReport, SummaryReport
from ..schemas.projection_queries import AsOfQuery, GapsQuery
from .blueprint import Blueprint
from .projection_http import projected, read_operation

blp = Blueprint("metrics", __name__, url_prefix="/v1/metrics", description="Derived metrics")


@blp.route("/gaps", methods=["GET"])
@read_operation(blp, "getGaps", GapsQuery, GapReport)
def get_gaps(as_of=None, since=None, until=None):
    """Gaps between consecutive swaps, with what happened inside each gap."""
    return projected(lambda conn, at: gap_report(conn, at, since, until))


@blp.route("/summary", methods=["GET"])
@read_operation(blp, "getSummary", AsOfQuery, SummaryReport)
def get_summary(as_of=None):
    """Totals: people received per party, proposals, refusals, breaches, breakdowns."""
    return projected(summary_report)
