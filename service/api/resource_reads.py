"""Current state of proposals, agreements and swaps, with their history.

Separate blueprints from the write modules (same URL prefixes, same OpenAPI tags) so reads
and writes can change independently. A retracted resource is gone: its list drops it and its
GET answers 404 saying it was retracted (the events stay readable in /v1/events).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema
from sqlalchemy.engine import Connection

from ..domain import events as ev
from ..domain.errors import NotFound
from ..domain.vocab import SLUG_PATTERN
from ..readmodel import fact_queries
from ..readmodel.as_of import AsOf
from ..schemas import projection_views as pv
from ..schemas.projection_queries import AsOfQuery, PageQuery
from ..store.event_reads import stream_versions_at
from .blueprint import Blueprint
from .formats.entries import resource_view
from .path_params import slug_path
from .projection_http import projected, read_operation

SLUG = re.compile(SLUG_PATTERN)


@dataclass(frozen=True, slots=True)
class ResourceKind:
    """A readable resource: its path segment, creating event type and answer schemas."""

    name: str  # swap, proposal, agreement (the path parameter is <name>_id)
    event_type: str
    plural: str  # path segment and list key
    view: type[Schema]
    page: type[Schema]

    @property
    def title(self) -> str:
        return self.name.capitalize()


KINDS = {
    kind.name: kind
    for kind in (
        ResourceKind("swap", ev.SWAP_COMPLETED, "swaps", pv.SwapView, pv.SwapPage),
        ResourceKind("proposal", ev.PROPOSAL_MADE, "proposals", pv.ProposalView, pv.ProposalPage),
        ResourceKind(
            "agreement", ev.AGREEMENT_REACHED, "agreements", pv.AgreementView, pv.AgreementPage
        ),
    )
}


def views(conn: Connection, at: AsOf, creations: list) -> list[dict[str, Any]]:
    streams = [f.stream for f in creations]
    kids = fact_queries.children(conn, at.position, streams)
    versions = stream_versions_at(conn, streams, at.position)
    return [resource_view(f, kids[f.stream], versions[f.stream]) for f in creations]


def list_body(conn: Connection, at: AsOf, type_: str, plural: str, after: int, limit: int):
    page = fact_queries.resource_page(conn, at.position, type_, after=after, limit=limit + 1)
    more = len(page) > limit
    page = page[:limit]
    return {
        plural: views(conn, at, page),
        "next_after": page[-1].position if more and page else None,
    }


def one_body(conn: Connection, at: AsOf, type_: str, kind: str, rid: str):
    fact = fact_queries.resource(conn, at.position, type_, rid) if SLUG.fullmatch(rid) else None
    if fact is None:
        raise NotFound(f"there is no {kind} {rid!r}")
    if not fact.live:
        raise NotFound(f"{kind} {rid!r} was retracted; its events remain in /v1/events")
    return views(conn, at, [fact])[0]


def make_blueprint(name: str) -> Blueprint:
    resource = KINDS[name]
    kind, type_, plural, title = resource.name, resource.event_type, resource.plural, resource.title
    view_schema, page_schema = resource.view, resource.page
    blp = Blueprint(
        f"{plural}_read", __name__, url_prefix=f"/v1/{plural}", description=f"{title}s (read)"
    )

    @blp.route("", methods=["GET"], tags=[plural], endpoint="list")
    @read_operation(
        blp,
        f"list{title}s",
        PageQuery,
        page_schema,
        summary=f"List {plural} (current state and history), oldest first.",
    )
    def list_resources(as_of=None, after=0, limit=100):
        return projected(lambda conn, at: list_body(conn, at, type_, plural, after, limit))

    @blp.route(
        f"/<string:{kind}_id>",
        methods=["GET"],
        tags=[plural],
        endpoint="get",
        parameters=slug_path(f"{kind}_id", f"The {kind}'s id"),
    )
    @read_operation(
        blp,
        f"get{title}",
        AsOfQuery,
        view_schema,
        not_found=f"No such {kind}, or retracted",
        summary=f"One {kind}: current values, corrections and history.",
    )
    def get_resource(as_of=None, **path):
        rid = path[f"{kind}_id"]
        return projected(lambda conn, at: one_body(conn, at, type_, kind, rid))

    return blp


swaps_blp = make_blueprint("swap")
proposals_blp = make_blueprint("proposal")
agreements_blp = make_blueprint("agreement")
