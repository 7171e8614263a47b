"""The raw log: pages, NDJSON, single events, corrections and retractions."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, request
from sqlalchemy.engine import Engine

from ..domain import events as ev
from ..domain.errors import NotFound
from ..schemas.common import EnvelopeSchema, EventPageSchema
from ..schemas.corrections import CorrectionWrite, RetractionWrite
from ..schemas.events import EventQuerySchema
from ..store import event_reads
from .auth import stream_token_check
from .blueprint import Blueprint
from .context import log_engine, public_url
from .formats.urls import EVENTS_PREFIX
from .write_views import created, write_operation

blp = Blueprint("events", __name__, url_prefix=EVENTS_PREFIX, description="The event log")

NDJSON = "application/x-ndjson"
DEFAULT_LIMIT = 100
NDJSON_BATCH = 500
ENVELOPE = EnvelopeSchema()


@blp.route("", methods=["GET"])
@blp.arguments(EventQuerySchema, location="query", as_kwargs=True)
@blp.response(200, EventPageSchema)
@blp.doc(
    operationId="listEvents",
    responses={
        "200": {
            "description": "A page of events in position order (JSON), or every matching"
            " event as NDJSON with Accept: application/x-ndjson or ?format=ndjson",
            "headers": {
                "Link": {
                    "description": 'rel="next" URL while more events exist',
                    "schema": {"type": "string"},
                }
            },
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/EventPage"}},
                NDJSON: {"schema": {"type": "string"}},
            },
        }
    },
)
def list_events(after: int = 0, limit: int | None = None, type=None, stream=None, format=None):
    """Read the log in position order, page by page."""
    engine: Engine = log_engine()
    wanted = request.accept_mimetypes.best_match(["application/json", NDJSON])
    if format == "ndjson" or (
        format is None
        and wanted == NDJSON
        and request.accept_mimetypes[NDJSON] > request.accept_mimetypes["application/json"]
    ):
        check = TokenCheck(
            stream_token_check(), current_app.config["SETTINGS"].stream_token_check_seconds
        )
        lines = _ndjson(engine, after=after, limit=limit, types=type, stream=stream, check=check)
        return Response(lines, mimetype=NDJSON)
    page_size = limit or DEFAULT_LIMIT
    with engine.connect() as conn:
        page = event_reads.page_of_events(
            conn, after=after, limit=page_size + 1, types=type, stream=stream
        )
    more = len(page) > page_size
    page = page[:page_size]
    next_after = page[-1].position if more else None
    headers = {}
    if next_after is not None:
        args: dict[str, Any] = {"after": next_after, "limit": page_size}
        if type:
            args["type"] = type
        if stream:
            args["stream"] = stream
        query = urlencode(args, doseq=True)
        headers["Link"] = f'<{public_url(EVENTS_PREFIX)}?{query}>; rel="next"'
    return {"events": page, "next_after": next_after}, 200, headers


class StreamRevoked(Exception):
    """The token a stream was opened with was revoked while it ran."""


@dataclass
class TokenCheck:
    """Asks ``valid`` again once ``every`` seconds have passed since it last did."""

    valid: Callable[[], bool] | None
    every: float
    clock: Callable[[], float] = time.monotonic
    last: float = field(default_factory=time.monotonic)

    def __call__(self) -> None:
        if self.valid is None or self.clock() - self.last < self.every:
            return
        if not self.valid():
            raise StreamRevoked("the bearer token was revoked while its NDJSON stream ran")
        self.last = self.clock()


def _ndjson(
    engine: Engine,
    *,
    after: int,
    limit: int | None,
    types: list[str] | None,
    stream: str | None,
    check: TokenCheck,
) -> Iterator[str]:
    """Stream matching events batch by batch; memory stays bounded whatever the log's size.

    Before each batch the token is checked (at most once per ``check.every`` seconds); a
    revoked one, like a database error, raises: the server then cuts the connection before
    the final chunk, so the client sees an incomplete stream, never a shorter log.
    """
    remaining = limit
    while remaining is None or remaining > 0:
        check()
        batch = NDJSON_BATCH if remaining is None else min(NDJSON_BATCH, remaining)
        with engine.connect() as conn:
            page = event_reads.page_of_events(
                conn, after=after, limit=batch, types=types, stream=stream
            )
        for event in page:
            yield json.dumps(ENVELOPE.dump(event), ensure_ascii=False) + "\n"
        if len(page) < batch:
            return
        after = page[-1].position
        if remaining is not None:
            remaining -= len(page)


@blp.route("/<uuid:event_id>", methods=["GET"])
@blp.response(200, EnvelopeSchema)
@blp.alt_response(404, response="NOT_FOUND", description="No such event")
@blp.doc(operationId="getEvent")
def get_event(event_id):
    """Read one event by id."""
    with log_engine().connect() as conn:
        event = event_reads.event_by_id(conn, str(event_id))
    if event is None:
        raise NotFound(f"there is no event {event_id}")
    return event


@blp.route("/<uuid:event_id>/corrections", methods=["POST"])
@write_operation(blp, "correctEvent", CorrectionWrite, ev.EVENT_CORRECTED, child=True)
def correct_event(body, event_id):
    """Correct fields of an earlier event (appends event.corrected).

    The target is a fact that is not retracted (a correction or retraction is not corrected):
    422 otherwise.
    """
    return created(body, str(event_id))


@blp.route("/<uuid:event_id>/retractions", methods=["POST"])
@write_operation(blp, "retractEvent", RetractionWrite, ev.EVENT_RETRACTED, child=True)
def retract_event(body, event_id):
    """Retract an earlier event (appends event.retracted).

    The target is a fact not retracted yet (a correction or retraction is not retracted): 422
    otherwise.
    """
    return created(body, str(event_id))
