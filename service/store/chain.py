"""``exchange-log verify``'s chain walk: online, up to a snapshot position.

The walk reads one consistent snapshot of the log and never takes the append lock, so
writes go on while it runs; what they append after the snapshot is left for the next run.
PostgreSQL: a REPEATABLE READ, READ ONLY transaction (its snapshot is taken by the first
statement, the head read, and the envelopes stream from a server-side cursor in it).
SQLite (WAL): a plain read transaction is a snapshot too, and readers never block the writer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import Connection, Engine

from ..domain.hashing import GENESIS_HASH, chain_break
from . import event_reads
from .canonical import canonical_bytes
from .streaming import stored_envelopes

# Called with the number of events checked so far, every PROGRESS_EVERY events and at the end.
Progress = Callable[[int], None]
PROGRESS_EVERY = 5000


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What the walk found: the snapshot head it checked up to, and the first bad position."""

    position: int
    hash: str | None
    checked: int
    broken_at: int | None = None


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction on one snapshot of the log, holding no lock writers wait on."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with conn.begin():
            yield conn


def verify_chain(
    engine: Engine, *, progress: Progress | None = None, every: int = PROGRESS_EVERY
) -> ChainReport:
    """Walk the hash chain from position 1 to the head of a snapshot taken now."""
    with snapshot(engine) as conn:
        position, hash_ = event_reads.head(conn)
        prev, expected = GENESIS_HASH, 1
        for envelope in stored_envelopes(conn, upto=position):
            broken = chain_break(envelope, position=expected, prev=prev, encode=canonical_bytes)
            if broken is not None:
                return ChainReport(position, hash_, expected - 1, broken_at=expected)
            prev = envelope["hash"]
            if progress is not None and expected % every == 0:
                progress(expected)
            expected += 1
        if expected <= position:  # a row is missing: the chain ends early
            return ChainReport(position, hash_, expected - 1, broken_at=expected)
    if progress is not None:
        progress(position)
    return ChainReport(position, hash_, position)
