"""The timeline: every non-retracted fact in occurred_on order, as JSON, CSV or TimelineJS."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Response, request
from sqlalchemy.engine import Connection

from ..domain.errors import RuleViolation
from ..projections.headlines import detail_text
from ..readmodel.as_of import AsOf
from ..readmodel.fact_queries import TimelineFilter, timeline_page
from ..schemas.projection_queries import TimelineQuery
from ..schemas.projection_views import TimelinePage
from .blueprint import Blueprint
from .context import public_url
from .formats.entries import timeline_entry
from .formats.timeline_files import CSV_COLUMNS, timeline_csv, timelinejs
from .projection_http import projected, read_operation

blp = Blueprint("timeline", __name__, url_prefix="/v1/timeline", description="Timeline")

CSV = "text/csv"
TIMELINEJS = "application/vnd.timelinejs+json"
JSON_LIMIT, JSON_MAX = 100, 1000
EXPORT_LIMIT = 1000
CSV_HELP = (
    "One row per fact, UTF-8 with a byte-order mark, CRLF line ends (RFC 4180). Columns: "
    + ", ".join(CSV_COLUMNS)
    + ". parties is space-separated; corrected is true/false; source_url is the first"
    " source. Every cell is quoted. A cell a spreadsheet could read as a formula is prefixed"
    " with ': one whose text after leading spaces starts with = + - or @ (or that starts with"
    " a tab or carriage return), and one with = + - or @ after a ; , | tab or line break"
    " (spaces between allowed), where each such sign gets a ' too (x;=1+1 is written"
    " 'x;'=1+1), so no spreadsheet runs it, whatever separator it splits on."
)
_STRING = {"type": "string"}
TIMELINEJS_SCHEMA = {
    "type": "object",
    "description": "Knight Lab TimelineJS JSON (?format=timelinejs)",
    "required": ["events"],
    "properties": {
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start_date", "text", "group", "unique_id"],
                "properties": {
                    "start_date": {
                        "type": "object",
                        "description": "month and day only as far as date_precision goes",
                        "required": ["year"],
                        "properties": {"year": _STRING, "month": _STRING, "day": _STRING},
                    },
                    "text": {
                        "type": "object",
                        "required": ["headline", "text"],
                        "properties": {"headline": _STRING, "text": _STRING},
                    },
                    "group": {**_STRING, "description": "The event type"},
                    "unique_id": {**_STRING, "description": "The event id"},
                },
            },
        }
    },
}
CONTENT = {
    "application/json": {"schema": {"$ref": "#/components/schemas/TimelinePage"}},
    CSV: {"schema": {"type": "string", "description": CSV_HELP}},
    TIMELINEJS: {"schema": TIMELINEJS_SCHEMA},
}


def wanted_format(explicit: str | None) -> str:
    if explicit:
        return explicit
    accept = request.accept_mimetypes
    if accept[CSV] and accept[CSV] > accept["application/json"]:
        return "csv"
    if accept[TIMELINEJS] and accept[TIMELINEJS] > accept["application/json"]:
        return "timelinejs"
    return "json"


def _cursor(after: str | None) -> tuple[date, int] | None:
    if not after:
        return None
    day, _, position = after.partition(".")
    try:
        return date.fromisoformat(day), int(position)
    except ValueError as exc:
        raise RuleViolation("after", "not a cursor from next_after") from exc


def _next_link(next_after: str) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "after"]
    query = urlencode([*args, ("after", next_after)])
    return f'<{public_url(request.path)}?{query}>; rel="next"'


@blp.route("", methods=["GET"])
@read_operation(
    blp,
    "getTimeline",
    TimelineQuery,
    TimelinePage,
    content=CONTENT,
    summary="Every non-retracted fact in occurred_on order, with a one-line headline.",
)
def get_timeline(
    as_of=None, since=None, until=None, type=None, party=None, after=None, limit=None, format=None
):
    """Every non-retracted fact in occurred_on order, with a one-line headline."""
    fmt = wanted_format(format)
    size = limit or (JSON_LIMIT if fmt == "json" else EXPORT_LIMIT)
    if fmt == "json" and size > JSON_MAX:
        raise RuleViolation("limit", f"JSON pages hold at most {JSON_MAX} facts")
    flt = TimelineFilter(since, until, tuple(type or ()), tuple(party or ()))
    cursor = _cursor(after)

    def build(conn: Connection, at: AsOf) -> Any:
        facts = timeline_page(conn, at.position, flt, after=cursor, limit=size + 1)
        more = len(facts) > size
        facts = facts[:size]
        entries = [timeline_entry(f) for f in facts]
        next_after = (
            f"{facts[-1].occurred_on.isoformat()}.{facts[-1].position}" if more and facts else None
        )
        if fmt == "json":
            body = {"entries": entries, "next_after": next_after}
            return body, ({"Link": _next_link(next_after)} if next_after else {})
        if fmt == "csv":
            response = Response(
                timeline_csv(entries).encode("utf-8"),
                mimetype=CSV,
                content_type=f"{CSV}; charset=utf-8",
            )
            response.headers["Content-Disposition"] = 'inline; filename="timeline.csv"'
        else:
            texts = {f.event_id: detail_text(f) for f in facts}
            response = Response(_json(timelinejs(entries, texts)), mimetype=TIMELINEJS)
        if next_after:
            response.headers["Link"] = _next_link(next_after)
        return response

    return projected(build, representation=fmt)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
