"""Serialized projection answers, kept per log position: served again without rebuilding.

What a projection read answers at position P never changes (the log is append-only and
the read model is rebuilt exactly), so a finished 200 answer — its body bytes, content type
and the read's own headers — is kept per (database, chain hash at P, ETag) and served to
the next identical request until the head moves. The ETag already names the path, the
query, the representation and the reference day (today, for the current gap), and the
chain hash names the log up to P: a database replaced under a running worker never gets
another log's answer. Per-request headers (request id, security headers, CORS, rate
limits) are added to every response as usual, cached or not.

Bounded by ``ANSWER_CACHE_BYTES`` per worker process (least recently used out first);
``0`` switches it off.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from sqlalchemy.engine import Engine

from ..domain.clock import today
from ..readmodel.position import current_head
from .context import log_engine

DEFAULT_BYTES = 32 * 1024 * 1024
_PENDING = "answer_cache_key"


@dataclass(frozen=True, slots=True)
class Answer:
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]

    @property
    def etag(self) -> str:
        return next((value for name, value in self.headers if name == "ETag"), "")

    @property
    def revalidation_headers(self) -> list[tuple[str, str]]:
        return [(n, v) for n, v in self.headers if n in ("ETag", "X-Log-Position", "Vary")]

    def response(self) -> Response:
        response = Response(self.body, 200, content_type=self.content_type)
        response.headers.extend(self.headers)
        return response


class AnswerCache:
    """A thread-safe LRU of answers, bounded by the bytes of their bodies."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.size = 0
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: tuple, answer: Answer) -> None:
        if len(answer.body) > self.capacity // 4:
            return  # one answer never takes most of the room
        with self._lock:
            old = self._answers.pop(key, None)
            self.size += len(answer.body) - (len(old.body) if old else 0)
            self._answers[key] = answer
            while self.size > self.capacity:
                _, dropped = self._answers.popitem(last=False)
                self.size -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self.size = 0


CACHE = AnswerCache(int(os.environ.get("ANSWER_CACHE_BYTES") or DEFAULT_BYTES))
# An Accept header longer than this is not part of a key: such a request is not kept.
MAX_ACCEPT = 256
PROJECTION_VIEW = "_projection_read"


def request_key(engine: Engine, chain: str | None) -> tuple | None:
    """What names an answer: the database, the chain hash at the position answered for,
    the request as asked (path, query, Accept) and the day the current gap is counted to.
    None for a request that is not kept."""
    accept = request.headers.get("Accept", "")
    if not CACHE.capacity or request.method != "GET" or len(accept) > MAX_ACCEPT:
        return None
    query = tuple(sorted(request.args.items(multi=True)))
    return (engine.url, chain, request.path, query, accept, today())


def cached_answer(key: tuple | None) -> Response | None:
    """The answer kept for ``key``, as a new response (304 when If-None-Match names its
    ETag); None when there is none."""
    answer = CACHE.get(key) if key is not None else None
    if answer is None:
        return None
    if if_none_match(request.headers.get("If-None-Match", ""), answer.etag):
        response = Response(status=304)
        response.headers.extend(answer.revalidation_headers)
        return response
    return answer.response()


def keep_answer(key: tuple | None) -> None:
    """Keep the 200 answer this request gives under ``key`` (once it has been serialized)."""
    if key is not None:
        g.setdefault(_PENDING, key)


def if_none_match(header: str, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (weakly) or is ``*``."""
    if header.strip() == "*":
        return True
    return any(t.strip().removeprefix("W/") == etag for t in header.split(","))


def _serve_kept_head_answer() -> Response | None:
    """Before the view (after authentication and rate limits): an answer kept for this very
    request at the current head is served without parsing, building or serializing again."""
    if request.method != "GET" or not CACHE.size or request.args.get("as_of"):
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, PROJECTION_VIEW, False):
        return None
    engine = log_engine()
    _, chain = current_head(engine)
    return cached_answer(request_key(engine, chain))


def _keep(response: Response) -> Response:
    key = g.pop(_PENDING, None)
    if key is None or response.status_code != 200 or response.is_streamed:
        return response
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name not in ("Content-Type", "Content-Length")
    )
    CACHE.put(key, Answer(response.get_data(), response.content_type or "", headers))
    return response


def init_answers(app: Flask) -> None:
    """Serve kept answers and keep new ones. Registered after every other ``before_request``
    and ``after_request`` function: the kept answer is served only once the caller passed
    authentication and rate limits, and an answer is kept as the view made it — Flask runs
    ``after_request`` functions in reverse order, so this one runs before the others add
    their per-request headers."""
    app.before_request(_serve_kept_head_answer)
    app.after_request(_keep)
