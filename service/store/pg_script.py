"""PostgreSQL: an append transaction's last writes and its COMMIT, as one message of the
simple query protocol.

Every append transaction ends with its queued writes (``pg_writes.defer``; usually merged
into one statement, ``pg_merge``) and COMMIT. Sent as a psycopg pipeline (each statement in
the extended protocol, then a sync), that cost the committer 0.32-0.34 ms of CPU per lone
append in-process, a send and a poll or two per statement; as one text for one ``PQexec``,
0.25 ms (``bench/README.md``):

    EXECUTE pel_1('[…]'::jsonb, 'pow-exchange-log', 7); COMMIT

Parameters travel as literals made by psycopg's own dumpers (``Transformer.as_literal``),
quoted for this connection by libpq. A write psycopg would prepare is prepared here too, once
per connection (``PQprepare``, a round trip of its own the first time), and run with
``EXECUTE``, so the server plans it no more often than before; parsing and planning such a
statement from its text took the server ~0.4 ms each time. A write never to be prepared
(``pg_writes.unprepared``) goes in as its text with the literals in place of ``%s``.

Statements of one message run in order; the first that fails aborts the transaction, the
rest (COMMIT included) are skipped, and its error is raised as psycopg raises it elsewhere.
"""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import pq
from psycopg.adapt import PyFormat, Transformer

from . import pg_speculation
from .pg_merge import merged

# The parameter types a statement is prepared with: psycopg's own dumpers' (jsonb for Jsonb,
# unknown for text, which the server infers from the statement), except integers, which
# psycopg types by value (int2 for 7): a statement prepared with int2 would refuse 40,000
# later; int8 converts to any integer column. Arrays (typed by their first values too) are
# left to the statement, which casts them.
_INT8 = 20
_PLACEHOLDER = re.compile(r"%[s%]")
# Per driver connection: statement text -> the name it is prepared under on that session.
_PREPARED: weakref.WeakKeyDictionary[psycopg.Connection, dict[str, str]] = (
    weakref.WeakKeyDictionary()
)
# Names are never reused in a process: one forgotten (``forget``) may still exist on its session.
_NAMES = itertools.count(1)

Queued = Sequence[tuple[str, Any, Any, Any]]


def commit(driver: psycopg.Connection, queued: Queued) -> None:
    """Run the queued writes (no COPY among them), then COMMIT, in one message; raise the
    first error (the transaction is then aborted, and nothing of it committed)."""
    transformer = Transformer(driver)
    parts = []
    for statement, params, many, prepare in merged(list(queued)):
        for one in params if many else (params,):
            if type(one) is not tuple and type(one) is not list:
                raise TypeError(f"a queued write takes positional parameters: {statement}")
            literals = [transformer.as_literal(value).decode() for value in one]
            if prepare is False:
                parts.append(inline(statement, literals))
                continue
            name = prepared(driver, statement, one, transformer)
            parts.append(
                f"EXECUTE {name}({', '.join(literals)})" if literals else f"EXECUTE {name}"
            )
    parts.append("COMMIT")
    run(driver, "; ".join(parts), pq.ExecStatus.COMMAND_OK)


def run(driver: psycopg.Connection, text: str, expected: pq.ExecStatus) -> pq.abc.PGresult:
    """Send ``text`` (statements separated by ``;``) as one message; the last one's result.
    The first error is raised as psycopg raises it elsewhere (a broken connection's as an
    OperationalError, the connection then closed). A statement's prepared name the session
    no longer knows makes this connection's names forgotten (``forget``): the next use
    prepares them again. A lock's read in flight is waited for first (``pg_speculation``)."""
    pg_speculation.settle(driver)
    result = driver.pgconn.exec_(text.encode())
    if result.status != expected:
        raise raised(driver, result)
    return result


def raised(driver: psycopg.Connection, result: pq.abc.PGresult) -> psycopg.Error:
    """The error a failed result is raised as; a prepared name the session no longer knows
    makes this connection's names forgotten (``forget``)."""
    if driver.pgconn.status == pq.ConnStatus.BAD:
        message = result.get_error_message(driver.info.encoding) or "connection broken"
        return psycopg.OperationalError(message)
    error = psycopg.errors.error_from_result(result, encoding=driver.info.encoding)
    if isinstance(error, psycopg.errors.InvalidSqlStatementName):
        forget(driver)
    return error


def inline(statement: str, literals: Sequence[str]) -> str:
    """The statement's text with each ``%s`` replaced by its literal (``%%`` by ``%``)."""
    wanted = sum(1 for match in _PLACEHOLDER.finditer(statement) if match.group() == "%s")
    if len(literals) != wanted:
        raise psycopg.ProgrammingError(f"{len(literals)} parameters for: {statement}")
    values = iter(literals)
    return _PLACEHOLDER.sub(lambda m: next(values) if m.group() == "%s" else "%", statement)


def prepared(
    driver: psycopg.Connection,
    statement: str,
    params: Sequence[Any],
    transformer: Transformer | None = None,
) -> str:
    """The name ``statement`` (``%s`` placeholders) is prepared under on this connection,
    prepared now if new, its parameters typed as ``params``' values are (``_type``)."""
    names = _PREPARED.setdefault(driver, {})
    name = names.get(statement)
    if name is not None:
        return name
    transformer = transformer or Transformer(driver)
    name = f"pel_{next(_NAMES)}"
    count = iter(range(1, len(params) + 1))
    text = _PLACEHOLDER.sub(lambda m: f"${next(count)}" if m.group() == "%s" else "%", statement)
    types = [_type(transformer, value) for value in params]
    pg_speculation.settle(driver)
    result = driver.pgconn.prepare(name.encode(), text.encode(), types)
    if result.status != pq.ExecStatus.COMMAND_OK:
        raise raised(driver, result)
    names[statement] = name
    return name


def forget(driver: psycopg.Connection) -> None:
    """Forget what was prepared on this connection: its session lost it. psycopg sends
    DEALLOCATE ALL when it rolls back a transaction (or to a savepoint) on a connection where
    it prepared statements of its own (its fifth run of a query), which drops ours too."""
    _PREPARED.pop(driver, None)


def _type(transformer: Transformer, value: Any) -> int:
    if type(value) is int:
        return _INT8
    if value is None or type(value) is list:  # an array's type comes from the statement
        return 0
    return transformer.get_dumper(value, PyFormat.TEXT).oid
