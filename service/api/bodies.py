"""Request limits nothing else enforces: JSON nesting depth, NUL characters in the URL.

Python's json module recurses once per nesting level, so a body of 10,000 ``[`` would end in
a RecursionError (a 500) before any schema sees it. No write body nests deeper than a few
levels; anything past MAX_DEPTH is refused as a 400 problem before it is parsed.

The depth check runs before authentication on every JSON body, so it must cost time linear
in the body whatever its content: it is a fixed number of passes of C-level ``bytes``
methods (no Python loop over the input, no pattern that is retried from every quote of an
unterminated string).
"""

from __future__ import annotations

from array import array
from itertools import accumulate

from flask import Flask, request
from werkzeug.exceptions import BadRequest

MAX_DEPTH = 32
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_NOT_BRACKETS_OR_QUOTES = bytes(b for b in range(256) if b not in b'[]{}"')
_SIGNED = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # as signed bytes: +1 and -1


def nesting_depth(body: bytes, limit: int = MAX_DEPTH) -> int:
    """The deepest bracket nesting in a JSON text, in time linear in its length.

    Returns 0 without scanning when the body has too few brackets to pass ``limit``. Escapes
    are dropped first: ``\\\\`` pairs, then ``\\"``, scanning left to right as a JSON lexer
    pairs them, so every quote left opens or closes a string. Only quotes and brackets are
    kept; split at the quotes, every other piece is outside a string (an unterminated last
    string is dropped with its quote). Brackets outside strings then count +1 and -1; the
    deepest running sum is the answer. On text that is not JSON the figure may be off, but
    only after the first syntax error, where the parser stops anyway.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return 0
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = unescaped.translate(None, _NOT_BRACKETS_OR_QUOTES).split(b'"')[::2]
    brackets = b"".join(outside)
    return max(accumulate(array("b", brackets.translate(_SIGNED))), default=0)


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
