"""Every correction and retraction, newest first, with the target's values before and after."""

from __future__ import annotations

from ..readmodel.fact_queries import corrections_page
from ..schemas.projection_queries import CorrectionsQuery
from ..schemas.projection_views import CorrectionPage
from .blueprint import Blueprint
from .formats.entries import correction_entry
from .projection_http import projected, read_operation

blp = Blueprint("corrections", __name__, url_prefix="/v1/corrections", description="Corrections")


@blp.route("", methods=["GET"])
@read_operation(blp, "listCorrections", CorrectionsQuery, CorrectionPage)
def list_corrections(as_of=None, before=None, limit=100):
    """Corrections and retractions, newest first, with before and after values."""

    def build(conn, at):
        rows = corrections_page(conn, at.position, before=before, limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return {
            "corrections": [correction_entry(*row) for row in rows],
            "next_before": rows[-1][0]["position"] if more and rows else None,
        }

    return projected(build)
