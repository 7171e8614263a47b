"""Bearer tokens: who is calling and whether the scope allows the action.

The token is authenticated once per request (cached on ``flask.g``): looked up in the
database, except on write views, which may take a token this worker found valid before and
have the append transaction confirm it (store/token_cache.py). Either way a revoked token is
refused on the very next request in every worker.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from apispec import BasePlugin
from flask import Flask, current_app, g, request
from sqlalchemy.engine import Engine

from ..domain.errors import Forbidden, Unauthorized
from ..store.token_cache import NOT_VALID, REVOKED, refusal_now, remembered
from ..store.tokens import Token, authenticate, hash_secret
from .context import log_engine

BEARER_SECURITY = [{"bearerAuth": []}]
# Reads are public unless READS_PRIVATE=true: the document says "no token, or a bearer token".
OPTIONAL_BEARER_SECURITY: list[dict[str, list[str]]] = [{}, {"bearerAuth": []}]
READ_METHODS = frozenset({"GET", "HEAD"})
API_PREFIX = "/v1/"
# Attribute of a view wrapped by requires(..., confirmed_by_append=True).
CONFIRMED_BY_APPEND = "token_confirmed_by_append"


def caller() -> Token | None:
    """The valid, unrevoked token of this request, or None (no header, bad or revoked)."""
    token, _error = _resolve()
    return token


def current_token(required_scope: str) -> Token:
    """The request's token if it has the scope; otherwise 401 or 403."""
    token, error = _resolve()
    if error is not None:
        raise error
    assert token is not None
    if not token.allows(required_scope):
        raise Forbidden(f"this action needs a token with scope '{required_scope}'")
    g.token = token
    return token


def _resolve() -> tuple[Token | None, Unauthorized | None]:
    """Authenticate the Authorization header once per request.

    For a view that has its token confirmed by the append (``requires(...,
    confirmed_by_append=True)``), a valid token may come from this process's memory instead
    of the database (store/token_cache.py).
    """
    if "auth_result" not in g:
        view = current_app.view_functions.get(request.endpoint or "")
        remember = getattr(view, CONFIRMED_BY_APPEND, False)
        g.auth_result = _authenticate_header(request.headers.get("Authorization", ""), remember)
    return g.auth_result


def _authenticate_header(
    header: str, remember: bool = False
) -> tuple[Token | None, Unauthorized | None]:
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        return None, Unauthorized("send Authorization: Bearer <token>")
    if not secret.isascii() or not secret.isprintable():
        return None, Unauthorized(NOT_VALID)
    engine = log_engine()
    if remember:
        g.token_hash = hash_secret(secret)
        token, g.token_from_memory = remembered(engine, g.token_hash)
    else:
        token = authenticate(engine, secret)
    if token is None:
        return None, Unauthorized(NOT_VALID)
    if token.revoked_at is not None:
        return None, Unauthorized(REVOKED)
    return token, None


def stream_token_check() -> TokenCheck | None:
    """For a response streamed after its view returned: a check, run as the stream goes on,
    that the token the request was authenticated with is still valid (a database read).
    None when the request sent no token."""
    if "Authorization" not in request.headers:
        return None
    token, _error = _resolve()
    if token is None:
        return None
    token_hash = hash_secret(request.headers["Authorization"].partition(" ")[2].strip())
    return TokenCheck(log_engine(), token_hash)


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """Whether a token is still valid, asked again now; ``key`` names the token, so one
    answer serves every stream opened with it (service/streaming/hub.py)."""

    engine: Engine
    token_hash: str

    @property
    def key(self) -> tuple[Engine, str]:
        return (self.engine, self.token_hash)

    def __call__(self) -> bool:
        return refusal_now(self.engine, self.token_hash) is None


def requires(
    scope: str, *, confirmed_by_append: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: the caller needs a token with at least this scope.

    ``confirmed_by_append``: the view appends through ``writes.record``, whose transaction
    confirms the token (``WriteRequest.token_hash``), so a remembered token is accepted up
    front; should the view fail any other way, the token is looked up again first, so a
    revoked token is still answered 401 before anything else about its request.
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            current_token(scope)
            if not confirmed_by_append:
                return view(*args, **kwargs)
            try:
                return view(*args, **kwargs)
            except Exception:
                if g.get("token_from_memory"):
                    refused = refusal_now(log_engine(), g.token_hash)
                    if refused is not None:
                        raise Unauthorized(refused) from None
                raise

        setattr(wrapper, CONFIRMED_BY_APPEND, confirmed_by_append)
        return wrapper

    return decorator


def read_guard(reads_private: bool) -> Callable[[], None]:
    """A before_request for every GET/HEAD under /v1/, so no read route can forget it.

    Private reads need a token with scope read or higher. Public reads need none, but a
    token that is sent must be valid: a bad or revoked token is told so (401), not
    silently served as anonymous.
    """

    def guard() -> None:
        if request.method not in READ_METHODS or not request.path.startswith(API_PREFIX):
            return
        if reads_private or "Authorization" in request.headers:
            current_token("read")

    return guard


def register_read_guard(app: Flask, reads_private: bool) -> None:
    """Install the read guard (READS_PRIVATE decides whether a token is required)."""
    app.before_request(read_guard(reads_private))


class AccessDocsPlugin(BasePlugin):
    """Documents what every /v1/ operation shares: optional auth on reads, 401s, 429s, 503s."""

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **kwargs: Any
    ) -> None:
        if not path or not path.startswith(API_PREFIX) or not operations:
            return
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            # Component responses by name: apispec turns them into $refs (and emits them).
            responses.setdefault("429", "TOO_MANY_REQUESTS")
            responses.setdefault("503", "SERVICE_UNAVAILABLE")
            if method == "get":
                operation.setdefault("security", copy.deepcopy(OPTIONAL_BEARER_SECURITY))
                responses.setdefault("401", "UNAUTHORIZED")
