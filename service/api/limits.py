"""Rate limits per caller: a token's name (limit by its scope) or, without one, the address.

Counters live in ``RATELIMIT_STORAGE_URI``: ``memory://`` (the default) counts per gunicorn
worker; point it at ``redis://host:6379`` in production so all workers share one count.
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded

from ..config import Settings
from . import problems
from .auth import caller
from .bodies import MAX_DEPTH, nesting_depth

# Probes, metrics and documentation are never limited: an orchestrator must always see them.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/openapi.yaml", "/openapi.json"})
EXEMPT_PREFIXES = ("/docs",)
# A batch (POST /v1/batches) counts as one request per this many items, rounded up: it costs
# the server far less than as many single writes, but is not free.
BATCH_PATH = "/v1/batches"
BATCH_ITEMS_PER_HIT = 10


def rate_limit_key() -> str:
    """Who is counted: ``token:<name>`` for a valid token, else the client address."""
    token = caller()
    if token is not None:
        return f"token:{token.name}"
    return f"addr:{request.remote_addr or 'unknown'}"


def caller_scope() -> str:
    """The scope whose limit applies: a valid token's scope, else ``anonymous``."""
    token = caller()
    return token.scope if token is not None else "anonymous"


def request_cost() -> int:
    """How many requests this one counts as: a batch its items / BATCH_ITEMS_PER_HIT (at
    least 1), anything else 1. Runs before the body checks: a body too deep to parse or
    not JSON counts as 1 (and is refused right after)."""
    if request.method != "POST" or request.path != BATCH_PATH or not request.is_json:
        return 1
    if nesting_depth(request.get_data(cache=True)) > MAX_DEPTH:
        return 1
    body = request.get_json(silent=True)
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return 1
    return max(1, math.ceil(len(items) / BATCH_ITEMS_PER_HIT))


def _is_exempt() -> bool:
    path = request.path
    return request.method == "OPTIONS" or path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)


def init_limiter(app: Flask, settings: Settings) -> Limiter:
    """Attach flask-limiter: one limit per caller, chosen by the caller's scope."""

    def current_limit() -> str:
        return settings.rate_limits.get(caller_scope()) or settings.rate_limits["anonymous"]

    limiter = Limiter(
        rate_limit_key,
        app=app,
        application_limits=[current_limit],
        application_limits_cost=request_cost,
        storage_uri=settings.ratelimit_storage_uri,
        strategy="fixed-window",
        headers_enabled=False,
        enabled=settings.rate_limit_enabled,
        key_prefix="pel",
    )
    limiter.request_filter(_is_exempt)

    def too_many_requests(error: RateLimitExceeded) -> Response:
        limit = limiter.current_limit
        retry_after = 1
        if limit is not None:
            retry_after = max(1, math.ceil(limit.window.reset_time - time.time()))
        return problems.problem(
            429,
            f"Too many requests: the limit is {error.description}; retry after"
            f" {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
        )

    app.register_error_handler(RateLimitExceeded, too_many_requests)
    app.extensions["rate_limiter"] = limiter
    return limiter
