"""The write flow in one place: the engine, and what runs on every append, in order.

An append (``store.append.append_in``, one or a batch, fresh or replayed) goes:

1. BEGIN and the append lock (PostgreSQL: advisory lock; SQLite: BEGIN IMMEDIATE). On
   PostgreSQL the head, the ``after_lock_reads`` below and the generated stream names the
   writers will ask about come back in the same round trip.
2. The use case checks its rules against the log and the token (``token_cache.refusal``
   compares the tokens table's state, read with the lock).
3. The events are placed (position, stream version, hash chain) and inserted.
4. ``on_append`` hooks, inside the same transaction: the read model's update (so a reader
   never sees an event without its projections), then the live-feed NOTIFY (PostgreSQL
   delivers it on commit).
5. COMMIT (PostgreSQL, group-committed: sent with the deferred writes, one round trip); only
   then the ``after_commit`` hooks (metrics), and the caller is answered.

A restore (``exchange-log import``) replays stored envelopes through the same insert; each
line's content is checked like an API write (``restore_check``; for a load of more than one
batch, by a second process while the batch goes in, and nothing commits before every line
is found sound), and each page of the load, once in, goes to ``on_replayed``, the read
model's bulk build (set-wise, its bulk indexes built once at the end), instead of
``on_append``; nobody listens to a store being restored, so no NOTIFY is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Engine

from .readmodel.position import STATE_NAME, STORED_POSITION
from .readmodel.update import bulk_build, project
from .schemas.stored import envelope_problem
from .store import hooks
from .store.engine import make_engine
from .store.listen import notify_appended
from .store.token_cache import TOKENS_READ, TOKENS_STATE


def open_log(
    url: str, *, after_commit: Sequence[hooks.CommitHook] = (), **engine_options: Any
) -> Engine:
    """An engine on the log at ``url`` with the append flow above installed on it."""
    engine = make_engine(url, **engine_options)
    hooks.install(
        engine,
        hooks.LogHooks(
            after_lock_reads={
                STATE_NAME: hooks.lock_read(STORED_POSITION),
                TOKENS_READ: hooks.lock_read(TOKENS_STATE, append_stable=True),
            },
            on_append=(project, notify_appended),
            on_replayed=(bulk_build,),
            after_commit=tuple(after_commit),
            restore_check=envelope_problem,
        ),
    )
    return engine
