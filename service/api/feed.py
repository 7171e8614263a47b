"""The timeline as an Atom feed (RFC 4287) for newsroom feed readers."""

from __future__ import annotations

from flask import Response, request
from marshmallow import fields, validate
from sqlalchemy.engine import Connection

from ..readmodel.as_of import AsOf
from ..readmodel.fact_queries import recent_changes
from ..schemas.projection_queries import AsOfQuery
from ..store.event_reads import recorded_at
from .blueprint import Blueprint
from .context import public_url
from .formats.atom import feed_document
from .projection_http import projected, read_operation

blp = Blueprint("feed", __name__, url_prefix="/v1", description="Atom feed")

ATOM_TYPE = "application/atom+xml"
XML_TYPE = "text/xml"  # the same document, for clients that only ask for text/xml
FEED_HELP = (
    "An RFC 4287 Atom feed of the live facts of the timeline, the most recently recorded or"
    " corrected first. Each entry: id urn:uuid:<event id>, title the headline, published when"
    " the fact was recorded, updated when its latest correction was (a corrected fact shows as"
    " an updated entry; a retracted one leaves the feed), a link to /v1/events/<id>, the"
    " event type as category, and the fact's values and sources (as links) in content."
)


class FeedQuery(AsOfQuery):
    limit = fields.Integer(
        load_default=100,
        validate=validate.Range(min=1, max=1000),
        metadata={"description": "Entries in the feed: 1-1000, default 100"},
    )


@blp.route("/feed.atom", methods=["GET"])
@read_operation(
    blp,
    "getFeed",
    FeedQuery,
    None,
    content={
        ATOM_TYPE: {"schema": {"type": "string", "description": FEED_HELP}},
        XML_TYPE: {
            "schema": {
                "type": "string",
                "description": "The same Atom document, when Accept prefers text/xml",
            }
        },
    },
    summary="The timeline as an Atom feed, newest change first.",
)
def get_feed(as_of=None, limit=100):
    """The timeline as an Atom feed, newest change first."""
    # Links from PUBLIC_BASE_URL, or relative: a forged Host header must not reach the feed.
    base = public_url("")
    query = request.query_string.decode("latin-1")
    self_url = public_url(request.path) + (f"?{query}" if query else "")
    accept = request.accept_mimetypes
    mimetype = XML_TYPE if accept[XML_TYPE] > accept[ATOM_TYPE] else ATOM_TYPE

    def build(conn: Connection, at: AsOf) -> Response:
        entries = recent_changes(conn, at.position, limit=limit)
        document = feed_document(
            entries,
            updated=recorded_at(conn, at.position),
            self_url=self_url,
            base_url=base,
        )
        return Response(document, mimetype=mimetype)

    return projected(build, representation=mimetype)
