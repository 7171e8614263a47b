"""Bearer tokens: who is calling and whether the scope allows the action."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request

from ..domain.errors import Forbidden, Unauthorized
from ..store.tokens import Token, authenticate

BEARER_SECURITY = [{"bearerAuth": []}]


def current_token(required_scope: str) -> Token:
    """The request's token if it has the scope; otherwise 401 or 403."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("send Authorization: Bearer <token>")
    token = authenticate(current_app.extensions["engine"], secret.strip())
    if token is None:
        raise Unauthorized("the bearer token is not valid")
    if token.revoked_at is not None:
        raise Unauthorized("the bearer token was revoked")
    if not token.allows(required_scope):
        raise Forbidden(f"this action needs a token with scope '{required_scope}'")
    g.token = token
    return token


def requires(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: the caller needs a token with at least this scope."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            current_token(scope)
            return view(*args, **kwargs)

        return wrapper

    return decorator
