"""The live feed: every appended event as Server-Sent Events, resumable by position."""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections.abc import Callable, Iterator

from flask import Response, current_app, request
from marshmallow import Schema, fields, validate
from sqlalchemy.engine import Engine

from ..domain.errors import DomainError
from ..domain.events import RecordedEvent
from ..schemas.common import EnvelopeSchema
from ..schemas.fields import MAX_POSITION_CURSOR, POSITION_DIGITS
from ..store import event_reads
from ..store.faults import unavailable
from ..store.listen import waiter_for
from ..streaming.follow import BATCH, HEARTBEAT_FRAME, RETRY_FRAME, Follow, LiveTiming
from ..streaming.handoff import FOLLOW, HANDOFF_AVAILABLE
from ..streaming.slots import FULL_RETRY_AFTER, SLOTS
from .auth import stream_token_check
from .blueprint import Blueprint
from .context import log_engine
from .problems import problem

blp = Blueprint("live", __name__, url_prefix="/v1/events", description="The event log, live")

EVENT_STREAM = "text/event-stream"
ENVELOPE = EnvelopeSchema()
log = logging.getLogger(__name__)
LAST_EVENT_ID = re.compile(rf"[0-9]{{1,{POSITION_DIGITS}}}")  # any such value is a cursor


AFTER_HELP = "Start after this position (Last-Event-ID wins when sent)"


class LiveQuerySchema(Schema):
    after = fields.Integer(
        strict=False,
        validate=validate.Range(min=0, max=MAX_POSITION_CURSOR),
        metadata={"description": AFTER_HELP},
    )


# One Server-Sent Event as a client parses it (OpenAPI 3.0/3.1: the schema of a
# text/event-stream response describes each event). Comments (heartbeats) and the opening
# ``retry:`` line carry no data, so they are no events.
LIVE_EVENT = {
    "type": "object",
    "description": "One event of the stream: an event appended to the log",
    "required": ["data", "event", "id"],
    "additionalProperties": False,
    "properties": {
        "event": {
            "allOf": [{"$ref": "#/components/schemas/EventType"}],
            "description": "The type of the appended event",
        },
        "id": {
            "type": "string",
            "pattern": "^[0-9]{1,19}$",
            "description": "Its position: send it back as Last-Event-ID to resume after it",
        },
        "data": {
            "type": "string",
            "description": "The stored envelope as JSON on one line (an Envelope, as in"
            " GET /v1/events)",
        },
        "retry": {"type": "integer", "description": "Reconnection delay in milliseconds"},
    },
}


@blp.route("/live", methods=["GET"])
@blp.arguments(LiveQuerySchema, location="query", as_kwargs=True)
@blp.alt_response(400, response="BAD_REQUEST", description="Last-Event-ID is not a position")
@blp.doc(
    operationId="streamEvents",
    # Listed by hand: a manual parameter list replaces the one made from LiveQuerySchema.
    parameters=[
        {
            "in": "query",
            "name": "after",
            "required": False,
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_POSITION_CURSOR},
            "description": AFTER_HELP,
        },
        {
            "in": "header",
            "name": "Last-Event-ID",
            "required": False,
            "schema": {
                "type": "string",
                "pattern": f"^[0-9]{{0,{POSITION_DIGITS}}}$",
                "maxLength": POSITION_DIGITS,
            },
            "description": f"Position of the last event received (up to {POSITION_DIGITS}"
            " digits); the stream resumes after it (empty: as if not sent)",
        },
    ],
    responses={
        "200": {
            "description": "Server-Sent Events: per event `event: <type>`, `id: <position>`,"
            " `data: <envelope JSON>`; `: heartbeat` comments keep the connection open. The"
            " stream ends after a maximum duration; reconnect with Last-Event-ID.",
            "content": {EVENT_STREAM: {"schema": LIVE_EVENT}},
        }
    },
)
def stream_events(after: int = 0):
    """Follow the log live as Server-Sent Events."""
    start = _last_event_id(after)
    settings = current_app.config["SETTINGS"]
    timing = LiveTiming(
        heartbeat=settings.live_heartbeat_seconds,
        max_duration=settings.live_max_seconds,
        poll=settings.live_poll_seconds,
        token_check=settings.stream_token_check_seconds,
    )
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    if request.method == "HEAD":
        return Response(mimetype=EVENT_STREAM, headers=headers)
    if not SLOTS.take():
        return problem(
            503,
            f"This server already follows {SLOTS.limit} live streams per worker; retry in"
            f" {FULL_RETRY_AFTER} seconds (with Last-Event-ID, nothing is missed).",
            headers={"Retry-After": str(FULL_RETRY_AFTER)},
            slug="live-followers-full",
        )
    follow = Follow(log_engine(), start, timing, frame, stream_token_check())
    if request.environ.get(HANDOFF_AVAILABLE):
        # The worker hands the connection to its hub (service/streaming/handoff.py).
        request.environ[FOLLOW] = follow
        return Response(_no_body(), mimetype=EVENT_STREAM, headers=headers)
    return Response(HeldStream(follow), mimetype=EVENT_STREAM, headers=headers)


def _no_body() -> Iterator[str]:
    yield from ()


class HeldStream:
    """The stream served by the request's own thread (servers without a hub: the Flask test
    client, ``flask run``); its follower slot is given back when the server closes it."""

    def __init__(self, follow: Follow) -> None:
        self.follow = follow
        self.frames = event_frames(
            follow.engine, follow.after, follow.timing, token_valid=follow.token_valid
        )

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self.frames)

    def close(self) -> None:
        self.frames.close()
        self.follow.release()


def _last_event_id(after: int) -> int:
    # A reconnecting EventSource repeats the original URL and adds the header: the header wins.
    header = request.headers.get("Last-Event-ID")
    if header is None or header.strip() == "":
        return after
    value = header.strip()
    if not LAST_EVENT_ID.fullmatch(value):
        raise DomainError("Last-Event-ID must be the position of an event (a whole number >= 0)")
    return int(value)


def event_frames(
    engine: Engine,
    after: int,
    timing: LiveTiming,
    clock: Callable[[], float] = time.monotonic,
    token_valid: Callable[[], bool] | None = None,
) -> Iterator[str]:
    """SSE text: events after ``after`` as they commit, heartbeats, until the max duration.

    Ends early, for the client to reconnect with Last-Event-ID, when the token the stream
    was opened with is found revoked (``token_valid``, asked every ``timing.token_check``
    seconds; the reconnect then gets 401) or when the database cannot be reached. A client
    that goes away makes the next write fail; the server then closes this generator, which
    releases the LISTEN connection.
    """
    deadline = clock() + timing.max_duration
    with waiter_for(engine, timing.poll) as waiter:
        yield RETRY_FRAME
        next_beat = clock() + timing.heartbeat
        next_check = clock() + timing.token_check if token_valid else math.inf
        while True:
            try:
                with engine.connect() as conn:
                    page = event_reads.page_of_events(conn, after=after, limit=BATCH)
                now = clock()
                if token_valid is not None and now >= next_check:
                    if not token_valid():
                        return
                    next_check = now + timing.token_check
            except Exception as exc:
                if not unavailable(exc):
                    raise
                log.warning("live stream ended: the database cannot be reached (%s)", exc)
                return
            for event in page:
                yield frame(event)
                after = event.position
            if len(page) == BATCH:
                continue
            now = clock()
            if now >= deadline:
                return
            if now >= next_beat:
                yield HEARTBEAT_FRAME
                next_beat = now + timing.heartbeat
            waiter.wait(min(next_beat, deadline, next_check) - now)


def frame(event: RecordedEvent) -> str:
    """One SSE message: the event type, its position as id, the envelope as data."""
    data = json.dumps(ENVELOPE.dump(event), ensure_ascii=False, separators=(",", ":"))
    return f"event: {event.type}\nid: {event.position}\ndata: {data}\n\n"
