"""Derived metrics: gaps between exchanges and the summary."""

from __future__ import annotations

from flask_smorest import Blueprint

from ..projections.gaps import gaps_of_rows
from ..projections.summary import summary
from ..readmodel.cache import at_position
from ..readmodel.counter_reads import TOTALS, counters_at, day_rows_at
from ..schemas.metrics import GapReport, SummaryReport
from ..schemas.projection_queries import AsOfQuery, GapsQuery
from .projection_http import projected, read_operation

blp = Blueprint("metrics", __name__, url_prefix="/v1/metrics", description="Derived metrics")


@blp.route("/gaps", methods=["GET"])
@read_operation(blp, "getGaps", GapsQuery, GapReport)
def get_gaps(as_of=None, since=None, until=None):
    """Gaps between consecutive swaps, with what happened inside each gap."""

    def build(conn, at):
        def compute():
            days = day_rows_at(conn, at.position)
            return gaps_of_rows(days, reference=at.reference, since=since, until=until)

        return at_position(conn, at.position, ("gaps", since, until, at.reference), compute)

    return projected(build)


@blp.route("/summary", methods=["GET"])
@read_operation(blp, "getSummary", AsOfQuery, SummaryReport)
def get_summary(as_of=None):
    """Totals: people received per party, proposals, refusals, breaches, breakdowns."""

    def build(conn, at):
        def compute():
            return summary(counters_at(conn, at.position, TOTALS))

        return at_position(conn, at.position, ("summary",), compute)

    return projected(build)
