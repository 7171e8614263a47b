"""What every write view shares: headers in, the use case, 201 + Location out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from flask import current_app, g, jsonify, request
from marshmallow import Schema

from ..domain.errors import DomainError
from ..domain.events import RecordedEvent
from ..recording import WriteRequest, fingerprint, record
from ..schemas.common import EnvelopeSchema
from ..schemas.fast_load import with_fast_load
from ..store.event_reads import event_envelope
from .auth import BEARER_SECURITY, requires
from .blueprint import Blueprint
from .context import log_engine, public_url
from .formats.urls import event_href

# Attribute of a write view: its WriteRoute (what a batch item sent to its path becomes).
WRITE_ROUTE = "write_route"
IF_MATCH = re.compile(r'^[ \t]*(?:W/)?"?([1-9][0-9]{0,8})"?[ \t]*$')  # versions start at 1
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")

WRITE_HEADERS = [
    {
        "in": "header",
        "name": "Idempotency-Key",
        "required": False,
        "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY.pattern, "maxLength": 255},
        "description": "Retry-safe key: the same key and body return the original event",
    }
]
CHILD_HEADERS = [
    *WRITE_HEADERS,
    {
        "in": "header",
        "name": "If-Match",
        "required": False,
        "schema": {"type": "string", "pattern": IF_MATCH.pattern},
        "description": 'Expected stream_version of the resource, quoted ("3"); 412 otherwise',
    },
]


@dataclass(frozen=True, slots=True)
class WriteRoute:
    """What a write endpoint appends and the schema that loads its body; a child endpoint's
    one URL variable names the resource (or event) it writes to."""

    event_type: str
    schema: Schema
    child: bool
    body_fields: frozenset[str]  # the schema's field names (a batch names an item's field)


def write_operation(
    blp: Blueprint, operation_id: str, body_schema: type, event_type: str, *, child: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a write view: token with scope write, body schema, documented responses."""
    schema = with_fast_load(body_schema())
    route = WriteRoute(event_type, schema, child, frozenset(schema.fields))

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        view = blp.response(
            201,
            EnvelopeSchema,
            description="The stored event",
            headers={"Location": {"description": "URL of the event", "schema": {"type": "string"}}},
        )(view)
        # An instance, not the class: webargs would build the schema anew on every request.
        view = blp.arguments(route.schema)(view)
        for status, text in (
            (400, "Malformed JSON or headers"),
            (401, "Missing or invalid bearer token"),
            (403, "Token lacks scope write"),
            (409, "Conflict: id taken, or expected_version mismatch"),
            (413, "Body too large"),
            (415, "Body is not application/json"),
        ):
            view = blp.alt_response(status, response=_ref(status), description=text)(view)
        if child:
            view = blp.alt_response(404, response="NOT_FOUND", description="No such resource")(view)
            view = blp.alt_response(
                412, response="PRECONDITION_FAILED", description="If-Match does not match"
            )(view)
        view = blp.doc(
            operationId=operation_id,
            security=BEARER_SECURITY,
            parameters=CHILD_HEADERS if child else WRITE_HEADERS,
        )(view)
        view = requires("write", confirmed_by_append=True)(view)
        setattr(view, WRITE_ROUTE, route)
        return view

    return decorator


def write_route(view: Callable[..., Any] | None) -> WriteRoute | None:
    """The WriteRoute of a view function (None for anything but a write view)."""
    return getattr(view, WRITE_ROUTE, None)


def _ref(status: int) -> str:
    return HTTPStatus(status).name


def created(body: dict[str, Any], parent_id: Any = None) -> Any:
    """Run the write use case of this view's route; answer 201 with Location and the envelope."""
    route = write_route(current_app.view_functions[request.endpoint or ""])
    assert route is not None, "created() serves views decorated by write_operation"
    key = idempotency_key_header()
    request_obj = WriteRequest(
        event_type=route.event_type,
        body=body,
        recorded_by=g.token.name,
        token_hash=g.get("token_hash"),
        parent_id=None if parent_id is None else str(parent_id),
        if_match=_if_match(),
        idempotency_key=key,
        request_fingerprint=(
            fingerprint(request.method, request.path, request.get_json()) if key else ""
        ),
    )
    event, fresh = record(log_engine(), request_obj)
    headers = {"Location": event_location(event)}
    if not fresh:
        headers["Idempotent-Replayed"] = "true"
    # The EnvelopeSchema's shape (documented by the decorator), built directly: a ready
    # Response is passed through by flask-smorest, which saves a marshmallow dump per write.
    return jsonify(event_envelope(event)), 201, headers


def event_location(event: RecordedEvent) -> str:
    """``url_for("events.get_event", …)`` without the URL map's reverse lookup on each write."""
    return public_url(event_href(event.id))


def _if_match() -> int | None:
    value = request.headers.get("If-Match")
    if value is None:
        return None
    match = IF_MATCH.match(value)
    if not match:
        raise DomainError('If-Match must be the quoted stream version, e.g. If-Match: "3"')
    return int(match.group(1))


def idempotency_key_header() -> str | None:
    """The request's Idempotency-Key (a 400 when malformed), or None."""
    value = request.headers.get("Idempotency-Key")
    if value is None:
        return None
    if not IDEMPOTENCY_KEY.match(value):
        raise DomainError("Idempotency-Key must be 1 to 255 visible ASCII characters")
    return value
