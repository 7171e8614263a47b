"""The one error funnel: every error leaves as RFC 9457 application/problem+json."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, json, request
from werkzeug.exceptions import HTTPException

from ..domain import errors as de
from ..domain.errors import PayloadInvalid
from ..store.faults import not_migrated, unavailable

PROBLEM_TYPE_BASE = "https://pow-exchange-log.example/problems/"
# Seconds a client should wait before retrying when the database cannot be reached: a
# cut connection is replaced at once, a restarting server is back within seconds.
UNAVAILABLE_RETRY_AFTER = 2
log = logging.getLogger(__name__)

# Domain error class -> HTTP status. The most specific class wins (checked in MRO order).
DOMAIN_STATUS: dict[type[de.DomainError], int] = {
    de.RuleViolation: 422,
    de.NotFound: 404,
    de.StreamExists: 409,
    de.IdempotencyMismatch: 422,
    de.Unauthorized: 401,
    de.Forbidden: 403,
    de.DomainError: 400,
}

SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "content-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "too-many-requests",
    408: "request-timeout",
    500: "internal-error",
    503: "database-unavailable",
}


def problem(
    status: int,
    detail: str,
    *,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
    slug: str | None = None,
) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + (slug or SLUGS.get(status, str(status))),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors:
        body["errors"] = dict(errors)
    # backslashreplace: a lone surrogate echoed from the request (an unknown field's name)
    # cannot be UTF-8 encoded; written as \\udXXX it is still the same valid JSON string.
    response = Response(
        (json.dumps(body, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace"),
        status=status,
        mimetype="application/problem+json",
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as {"sides.0.received": ["..."]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = prefix if key == "_schema" and prefix else str(key)
            path = f"{prefix}.{key}" if prefix and key != "_schema" else name
            for k, v in flatten_messages(value, path).items():
                flat.setdefault(k, []).extend(v)
    elif isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        flat[prefix or "body"] = [str(m) for m in messages]
    elif isinstance(messages, list | tuple):
        for i, value in enumerate(messages):
            for k, v in flatten_messages(value, f"{prefix}.{i}" if prefix else str(i)).items():
                flat.setdefault(k, []).extend(v)
    else:
        flat[prefix or "body"] = [str(messages)]
    return flat


def validation_problem(messages: Any) -> Response:
    # webargs nests body errors under their location; the user only needs the field path.
    if isinstance(messages, Mapping) and set(messages) <= {"json", "query", "headers", "view_args"}:
        merged: dict[str, Any] = {}
        for location, value in messages.items():
            merged.update(value if isinstance(value, Mapping) else {location: value})
        messages = merged
    errors = flatten_messages(messages)
    errors = {("body" if k == "_schema" else k): v for k, v in errors.items()}
    return problem(422, validation_detail(errors), errors=errors)


def validation_detail(errors: Mapping[str, list[str]]) -> str:
    """One terminal line naming every field and what it must be.

    ``The request is invalid. sides.0.received: Must be a whole number from 0 to 10000000;
    sources: Give 1 to 50 sources.``
    """
    parts = []
    for field, messages in errors.items():
        text = "; ".join(m.strip().rstrip(".") for m in messages)
        parts.append(f"{field}: {text}")
    return _one_line("The request is invalid. " + "; ".join(parts) + ".")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def handle_http_exception(error: HTTPException) -> Response:
    """werkzeug and webargs errors (404, 405, 413, 400 bad JSON, 422 validation...)."""
    data = getattr(error, "data", None) or {}
    status = error.code or 500
    headers = dict(data.get("headers") or {})
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            headers[name] = value
    if status == 422 and ("messages" in data or "errors" in data):
        response = validation_problem(data.get("errors") or data.get("messages"))
        for name, value in headers.items():
            response.headers[name] = value
        return response
    if status == 400 and "messages" in data:
        return problem(400, "The request body is not valid JSON.", headers=headers)
    if status >= 500 and status != 503:  # a 503 says what is unavailable
        log.error("HTTP %s on %s %s", status, request.method, request.path)
        return problem(status, "The server could not complete the request.", headers=headers)
    detail = data.get("message") or error.description or HTTPStatus(status).phrase
    if status == 404:
        detail = f"There is nothing at {request.path}; the routes are listed in /openapi.yaml."
    elif status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        detail = f"The request body is larger than the {limit} bytes this service accepts."
    return problem(status, str(detail), headers=headers)


def handle_domain_error(error: de.DomainError) -> Response:
    status = next(DOMAIN_STATUS[c] for c in type(error).__mro__ if c in DOMAIN_STATUS)
    if isinstance(error, de.VersionMismatch):
        status = 412 if error.source == "header" else 409
    if isinstance(error, de.RuleViolation):
        errors = {error.field: [error.field_message]}
        return problem(422, validation_detail(errors), errors=errors)
    headers = {"WWW-Authenticate": 'Bearer realm="pow-exchange-log"'} if status == 401 else None
    return problem(status, error.message, headers=headers)


def handle_payload_invalid(error: PayloadInvalid) -> Response:
    return validation_problem(error.messages)


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    if isinstance(error, TimeoutError | ConnectionError):
        # Raised by the client's socket while the body was read (service/worker.py bounds
        # those reads): the client was too slow, or went away. (The server then closes the
        # connection: what is left of the body cannot be drained in time either.)
        log.info("request body not received on %s %s: %s", request.method, request.path, error)
        return problem(408, "The request body did not arrive in time.")
    if not_migrated(error):
        log.warning("database not migrated on %s %s: %s", request.method, request.path, error)
        return database_unavailable(
            "The database is missing the service's tables (it is not migrated)."
        )
    if unavailable(error):
        # A write's transaction rolled back (or, if its COMMIT was cut off, may have
        # committed): a retry with the same Idempotency-Key gets exactly one event.
        log.warning("database unavailable on %s %s: %s", request.method, request.path, error)
        return database_unavailable()
    if isinstance(error, RecursionError) and request.is_json:
        # Python's JSON parser (and anything walking the parsed body) recurses once per
        # nesting level; a body nested thousands deep is the client's error, not ours.
        log.warning("body nested too deeply on %s %s", request.method, request.path)
        return problem(400, "The request body is nested too deeply to process.")
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem(500, "The server could not complete the request; the error was logged.")


def database_unavailable(
    reason: str = "The database cannot be reached right now.",
) -> Response:
    """503: the database cannot be reached, cannot write or is not migrated right now;
    retry shortly."""
    return problem(
        503,
        f"{reason} Retry in {UNAVAILABLE_RETRY_AFTER} seconds (a write with the same"
        " Idempotency-Key: it is recorded at most once).",
        headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER)},
    )


def register(app: Flask) -> None:
    """Route every error through the funnel."""
    app.register_error_handler(de.DomainError, handle_domain_error)
    app.register_error_handler(PayloadInvalid, handle_payload_invalid)
    app.register_error_handler(Exception, handle_unexpected)
