"""Request limits nothing else enforces: JSON nesting depth, NUL characters in the URL.

Python's json module recurses once per nesting level, so a body of 10,000 ``[`` would end in
a RecursionError (a 500) before any schema sees it. No write body nests deeper than a few
levels; anything past MAX_DEPTH is refused as a 400 problem before it is parsed.
"""

from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.exceptions import BadRequest

MAX_DEPTH = 32
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# A JSON string (skipped whole, escapes included) or a bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def nesting_depth(body: bytes, limit: int = MAX_DEPTH) -> int:
    """The deepest bracket nesting in a JSON text; stops counting once past ``limit``.

    Returns 0 without scanning when the body has too few brackets to pass the limit.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return 0
    depth = deepest = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def _reject_deep_json() -> None:
    checked = (
        request.method in BODY_METHODS
        and request.routing_exception is None
        and request.mimetype == "application/json"
    )
    if checked and nesting_depth(request.get_data(cache=True)) > MAX_DEPTH:
        raise BadRequest(f"The JSON body is nested more than {MAX_DEPTH} levels deep.")


def _reject_nul_in_path() -> None:
    # A resource id with a NUL can never exist, and PostgreSQL refuses NUL in any text
    # parameter (a DataError, i.e. a 500, if it reached a query).
    if request.routing_exception is None and "\x00" in request.path:
        raise BadRequest("The URL must not contain NUL characters.")


def init_body_limits(app: Flask) -> None:
    app.before_request(_reject_nul_in_path)
    app.before_request(_reject_deep_json)
