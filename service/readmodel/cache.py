"""Answers remembered per log position: what a projection says at P never changes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import Connection

from ..store.event_reads import hash_at

T = TypeVar("T")
_CACHE: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
CACHE_SIZE = 64


def at_position(conn: Connection, position: int, name: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, remembered per (database, position, name) in this process.

    Everything a projection answers at a position is fixed forever (the log is append-only
    and a rebuild reproduces the projections exactly), so this cache is never stale; it spares
    repeated reads of an unchanged log the query and the fold. The caller must not mutate
    the result. ``clear_cache`` empties it (the benchmark measures cold reads with it).
    """
    # The chain hash at P names the log up to P: a database reset under a running worker
    # cannot serve another log's answer.
    chain = hash_at(conn, position)
    cache_key = (conn.engine.url.render_as_string(), position, chain, *name)
    if cache_key in _CACHE:
        _CACHE.move_to_end(cache_key)
        return _CACHE[cache_key]
    value = compute()
    _CACHE[cache_key] = value
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value


def clear_cache() -> None:
    """Forget every remembered answer (the benchmark measures cold reads with it)."""
    _CACHE.clear()
