"""Connection settings for a bulk load or build (a restore, a rebuild), restored after it,
and the indexes such a load leaves for the end (``indexes_built_after``).

- Both stores: no cyclic garbage collection meanwhile (``gc_tuning.collector_paused``).

- SQLite: a page cache of up to ``SQLITE_BULK_CACHE_KIB`` instead of the default 2 MiB. A
  restore or a rebuild writes the whole log's rows in one transaction; with the default,
  SQLite spills dirty pages to the WAL mid-transaction and reads them back for the next
  index insert (bench/tools.py, SQLite rebuild of 50,000 events: 22,061-22,919 events/s
  against 20,291-23,054 with the default, alternating). The cache grows only as used.
- PostgreSQL: a short GIL switch interval (5 ms by default). A bulk build's thread sending a
  page's writes (``pg_send.send_in_background``) needs the GIL for a moment each time the
  socket takes more data or an answer arrives, while the caller folds the next page without
  pause: at 5 ms a wait, a 50,000-event rebuild waited 0.42 s in all for its pages' writes
  to land; at 0.5 ms, 0.09 s (the last page's only).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..gc_tuning import collector_paused

SQLITE_BULK_CACHE_KIB = 256 * 1024
BULK_SWITCH_INTERVAL = 0.0005


@contextmanager
def bulk_session(conn: Connection) -> Iterator[None]:
    """Run the block with the bulk settings for ``conn``'s database, then restore them."""
    with collector_paused(), _connection_settings(conn):
        yield


@contextmanager
def _connection_settings(conn: Connection) -> Iterator[None]:
    if conn.dialect.name == "sqlite":
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB}")
        try:
            yield
        finally:
            conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")
        return
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, BULK_SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


@contextmanager
def indexes_built_after(conn: Connection, indexes: Sequence[sa.Index]) -> Iterator[None]:
    """Drop ``indexes`` for the block and build them at its end, in one sorted pass each,
    instead of one entry per row written. Dropping an index takes its table's exclusive
    lock until COMMIT: readers of that table wait for the load. On a failure the block's
    transaction is rolled back, which puts the indexes back as they were."""
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)
