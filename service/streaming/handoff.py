"""Handing a live stream's connection from a request thread to the hub (gunicorn side).

The worker (service/worker.py) marks every request it serves as able to hand its
connection over (``HANDOFF_AVAILABLE`` in the WSGI environ). The live view then puts its
``Follow`` in the environ (``FOLLOW``) and returns no body; ``handoff_wsgi`` sends the
response head itself, tells gunicorn not to end the body, and marks the socket; once
gunicorn is done with the request, the worker hands the socket to this process's hub,
which serves the stream from then on. No request thread waits on a follower.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .follow import Follow

HANDOFF_AVAILABLE = "exchange_log.handoff"
FOLLOW = "exchange_log.follow"
HANDED_OFF = "handed_off"

WsgiApp = Callable[[dict, Callable[..., Any]], Iterable[bytes]]


def handoff_wsgi(app: WsgiApp) -> WsgiApp:
    """``app``, with live streams sent to the hub instead of iterated in the thread."""

    def wrapped(environ: dict, start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ[HANDOFF_AVAILABLE] = True
        body = app(environ, start_response)
        follow: Follow | None = environ.get(FOLLOW)
        if follow is None:
            return body
        response = getattr(start_response, "__self__", None)  # gunicorn's Response
        if response is None or response.status_code != 200:
            follow.release()
            return body
        if hasattr(body, "close"):
            body.close()
        response.force_close()  # the connection ends when the stream does
        response.send_headers()
        setattr(response.sock, HANDED_OFF, (follow, response.chunked))
        response.chunked = False  # the hub writes the chunks, and the last one
        return []

    return wrapped


def handed_off(sock: Any) -> tuple[Follow, bool] | None:
    """(follow, chunked) when the request on ``sock`` became a live stream for the hub."""
    return getattr(sock, HANDED_OFF, None)
