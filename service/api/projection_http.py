"""What every projection read shares: one snapshot, ``as_of``, ETag/304 and X-Log-Position."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from flask import Response, request
from marshmallow import EXCLUDE, Schema, fields
from sqlalchemy.engine import Connection

from ..readmodel.as_of import AsOf, locate, read_snapshot, resolve_as_of
from ..store.event_reads import hash_at
from .answers import PROJECTION_VIEW, cached_answer, if_none_match, keep_answer, request_key
from .blueprint import Blueprint
from .context import log_engine

POSITION_HEADER = "X-Log-Position"
READ_HEADERS = {
    "ETag": {
        "description": "Derived from the log position and the representation",
        "schema": {"type": "string"},
    },
    POSITION_HEADER: {
        "description": "The log position this answer reflects",
        "schema": {"type": "integer"},
    },
}


class ConditionalHeaders(Schema):
    """If-None-Match, documented as a header parameter (other headers are ignored)."""

    class Meta:
        unknown = EXCLUDE

    if_none_match = fields.String(
        data_key="If-None-Match",
        metadata={"description": "An ETag from an earlier answer: 304 while it is unchanged"},
    )


CONDITIONAL_HEADERS = ConditionalHeaders()


def etag_for(as_of: AsOf, representation: str) -> str:
    """Same position, same request, same reference day → same ETag.

    The reference day (today without ``as_of``) is part of it because ``current_gap_days``
    grows every day even when the log does not.
    """
    query = sorted(request.args.items(multi=True))
    key = f"{request.path}?{query}|{representation}|{as_of.reference}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f'"{as_of.position}-{digest}"'


def _matches(etag: str) -> bool:
    return if_none_match(request.headers.get("If-None-Match", ""), etag)


def projected(build: Callable[[Connection, AsOf], Any], *, representation: str = "json") -> Any:
    """Run ``build`` in one snapshot at the requested ``as_of``; 304 when the ETag matches.

    ``build`` returns a body for the view's response schema (optionally with extra headers,
    as a ``(body, headers)`` pair), or a finished Response (CSV). The position is first
    located with one cheap read; an answer already given at that position is served again
    as it was (service/api/answers.py) and only a new one is built, in its own snapshot.
    """
    engine = log_engine()
    raw = request.args.get("as_of")
    as_of, chain = locate(engine, raw)
    etag = etag_for(as_of, representation)
    # "*" matches any current representation, and only one that exists: a resource that is
    # not there is still a 404 (RFC 9110 §13.1.2), so it is built (or found kept) first.
    any_match = request.headers.get("If-None-Match", "").strip() == "*"
    if _matches(etag) and not any_match:
        return _not_modified(etag, as_of)
    answer = cached_answer(request_key(engine, chain))
    if answer is not None:
        return answer
    with read_snapshot(engine) as conn:
        built_at = resolve_as_of(conn, raw)
        if built_at.position != as_of.position:  # the head moved since: answer for the new one
            as_of, chain = built_at, hash_at(conn, built_at.position)
            etag = etag_for(as_of, representation)
        if any_match:
            build(conn, as_of)
            return _not_modified(etag, as_of)
        body = build(conn, as_of)
    keep_answer(request_key(engine, chain))
    headers = _read_headers(etag, as_of)
    if isinstance(body, tuple):  # (body, extra headers such as Link)
        body, extra = body
        headers.update(extra)
    if isinstance(body, Response):
        body.headers.update(headers)
        return body
    if isinstance(body, dict):
        body = {"as_of_position": as_of.position, **body}
    return body, 200, headers


def _read_headers(etag: str, as_of: AsOf) -> dict[str, str]:
    """What every answer of a read carries, 304s included."""
    return {"ETag": etag, POSITION_HEADER: str(as_of.position), "Vary": "Accept"}


def _not_modified(etag: str, as_of: AsOf) -> Response:
    response = Response(status=304)
    response.headers.update(_read_headers(etag, as_of))
    return response


def read_operation(
    blp: Blueprint,
    operation_id: str,
    query: type[Schema],
    schema: type[Schema] | Schema,
    *,
    not_found: str = "Unknown release in as_of",
    content: dict[str, Any] | None = None,
    summary: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a projection read: query arguments, 200 with ETag and X-Log-Position, and the
    documented 304, 404 and 422 answers."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        original = view

        @functools.wraps(original)
        def view(*args: Any, if_none_match: str | None = None, **kwargs: Any) -> Any:
            return original(*args, **kwargs)  # ``projected`` reads If-None-Match itself

        view = blp.response(200, schema, headers=READ_HEADERS)(view)
        # Schema instances, not classes: webargs would build a new schema on every request.
        view = blp.arguments(query(), location="query", as_kwargs=True)(view)
        view = blp.arguments(CONDITIONAL_HEADERS, location="headers", as_kwargs=True)(view)
        view = blp.alt_response(304, response="NOT_MODIFIED", description="Unchanged")(view)
        view = blp.alt_response(404, response="NOT_FOUND", description=not_found)(view)
        view = blp.alt_response(
            422,
            response="UNPROCESSABLE_ENTITY",
            description="Invalid query, or as_of beyond the head or unparseable",
        )(view)
        setattr(view, PROJECTION_VIEW, True)  # answers kept per position (api/answers.py)
        doc: dict[str, Any] = {"operationId": operation_id}
        if summary:
            doc["summary"] = summary
        if content:
            doc["responses"] = {
                "200": {"description": "OK", "content": content, "headers": READ_HEADERS}
            }
        return blp.doc(**doc)(view)

    return decorator
