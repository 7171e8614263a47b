"""PostgreSQL: queued writes that only add rows to their own table, sent as one statement.

An append transaction ends with up to seven such writes (the events, their fact versions,
counter deltas, counters, day counts, the projections' position, the NOTIFY), each a
statement of its own in the commit's pipeline. psycopg spends ~13 µs of this process's CPU
on each statement it sends (a cursor's query conversion, parameter dumping, prepared-state
bookkeeping, result handling), in the group committer's thread, under the GIL. So
consecutive writes that are ``independent`` go out as one statement: each a data-modifying
``WITH`` part, the last (or the NOTIFY, which must be the main query to run at all) the
main one. PostgreSQL runs every part of one statement on the same snapshot, which is why
only writes that read nothing but their own parameters and their own table's rows may be
merged, and never two on the same table (the second would not see the first's rows, and an
upsert may not touch a row twice in one statement). Anything else queued in between (an
UPDATE closing versions, a DELETE, an ``executemany``, an unprepared statement, a COPY) is
sent as before, in order, so it still sees every write queued before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# statement -> the one table it writes (NOTIFY: a name of its own)
_INDEPENDENT: dict[str, str] = {}
# SELECTs (the NOTIFY) that must be a merged statement's main query: a SELECT in a WITH
# part that nothing reads is never run.
_MAIN_ONLY: set[str] = set()
# merged statement texts, by the statements they merge (in queue order)
_MERGED: dict[tuple[str, ...], tuple[str, tuple[int, ...]]] = {}

Item = tuple[str, Any, Any, Any]  # a queued write: (statement, params, many, prepare)


def independent(statement: str, table: str, *, main_only: bool = False) -> str:
    """Declare ``statement`` a write that only adds rows to ``table`` (or upserts them),
    reading nothing but its parameters and that table: it may be merged with its neighbours
    in the queue. ``main_only``: a SELECT (NOTIFY), which must be the merged statement's main
    query. Returns the statement, so a definition can be wrapped."""
    _INDEPENDENT[statement] = table
    if main_only:
        _MAIN_ONLY.add(statement)
    return statement


def merged(queued: list[Item]) -> Iterator[Item]:
    """The queued writes, each run of consecutive independent writes on distinct tables
    (at most one ``main_only``) as one statement; everything else as it was, in order."""
    group: list[Item] = []
    tables: set[str] = set()
    for item in queued:
        statement, params, many, prepare = item
        positional = type(params) is tuple or type(params) is list  # joined in order
        table = _INDEPENDENT.get(statement) if positional and not many and prepare is None else None
        if table is None:
            yield from _joined(group)
            group, tables = [], set()
            yield item
            continue
        if table in tables:
            yield from _joined(group)
            group, tables = [], set()
        group.append(item)
        tables.add(table)
    yield from _joined(group)


def _joined(group: list[Item]) -> Iterator[Item]:
    if len(group) < 2:
        yield from group
        return
    statements = tuple(item[0] for item in group)
    known = _MERGED.get(statements)
    if known is None:
        known = _MERGED[statements] = _text(statements)
    text, order = known
    params: list[Any] = []
    for index in order:
        params.extend(group[index][1])
    yield text, tuple(params), False, None


def _text(statements: tuple[str, ...]) -> tuple[str, tuple[int, ...]]:
    """The merged statement, and the order its parts' parameters go in (the WITH parts in
    queue order, then the main query)."""
    main = next((i for i, s in enumerate(statements) if s in _MAIN_ONLY), len(statements) - 1)
    parts = [i for i in range(len(statements)) if i != main]
    with_parts = ", ".join(f"w{n} AS ({statements[i]})" for n, i in enumerate(parts))
    return f"WITH {with_parts} {statements[main]}", (*parts, main)
