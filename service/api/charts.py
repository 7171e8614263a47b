"""GET /v1/metrics/gaps.svg: the gaps chart as a standalone SVG, for articles and social cards."""

from __future__ import annotations

from flask import Response, request
from sqlalchemy.engine import Connection

from ..readmodel.as_of import AsOf
from ..readmodel.cache import at_position
from ..readmodel.reports import gap_report
from ..schemas.projection_queries import GapsQuery
from ..web.chart import gaps_svg, shows_current
from .blueprint import Blueprint
from .projection_http import projected, read_operation

blp = Blueprint(
    "charts", __name__, url_prefix="/v1/metrics", description="Charts for articles (SVG)"
)

SVG = "image/svg+xml"
XML_TYPE = "text/xml"  # the same document, for clients that only ask for text/xml
SVG_HELP = (
    "An SVG 1.1 document (960 x 360, viewBox set, scales freely) with a <title> and a <desc>"
    " for screen readers. One element of class gap-mark per gap, with data-from, data-to"
    " (the swaps' dates) and data-days; the open current gap is one element of class"
    " current-gap with data-from (the last swap) and data-days, and no data-to. Colours are"
    " presentation attributes: no stylesheet or script."
)


@blp.route("/gaps.svg", methods=["GET"])
@read_operation(
    blp,
    "getGapsChart",
    GapsQuery,
    None,
    content={
        SVG: {"schema": {"type": "string", "description": SVG_HELP}},
        XML_TYPE: {
            "schema": {
                "type": "string",
                "description": "The same SVG document, when Accept prefers text/xml",
            }
        },
    },
    summary="The gaps between swaps as an SVG chart, one mark per gap.",
)
def get_gaps_chart(as_of=None, since=None, until=None):
    """The gaps between swaps as an SVG chart, one mark per gap."""
    accept = request.accept_mimetypes
    mimetype = XML_TYPE if accept[XML_TYPE] > accept[SVG] else SVG

    def build(conn: Connection, at: AsOf) -> Response:
        def compute() -> str:
            report = gap_report(conn, at, since, until)
            return gaps_svg(report, show_current=shows_current(report, since, until))

        svg = at_position(conn, at.position, ("gaps.svg", since, until, at.reference), compute)
        response = Response(svg, mimetype=mimetype)
        response.headers["Content-Disposition"] = 'inline; filename="gaps.svg"'
        return response

    return projected(build, representation=mimetype)
