"""PostgreSQL: the append lock's round trip, as one message of the simple query protocol.

An append transaction starts by taking the append lock, then reads the head, the engine's
``after_lock_reads`` and the generated stream names its writes will need (``lock_probe``).
Those go to the server as one text of three statements sent with one ``PQexec``:

    BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(…); EXECUTE pel_1(…)

Each statement of it takes its own READ COMMITTED snapshot, so the last one, taken once the
lock is granted, sees every append committed before. (One statement would read with the
snapshot it took before waiting for the lock.) The last statement returns everything as one
JSON array, the only result ``PQexec`` keeps.

Sent as a psycopg pipeline (BEGIN and one extended-protocol statement per read), the same
round trip cost 0.47 ms of the committer's CPU per lone append in-process, per statement a
send and a poll or two; as one message 0.12-0.14 ms (``bench/README.md``). The committer
runs it for every append transaction, with the lock's wait in between, so that is CPU taken
from every writer.

Once a connection has seen a log of ``PREPARE_FROM`` events, the reads of a write without a
search (a single write's) are one statement prepared on it (``pg_script.prepared``: a round
trip of its own the first time) and run with ``EXECUTE``. A batch's search stays text:
PostgreSQL would keep planning it for its values anyway (a generic plan, made without the
numbers, costs more than theirs). Parsed and planned from its text on every append, they
took the server 0.17 ms of CPU against 0.07 ms prepared (bench/README.md). The saving is the
plan: PostgreSQL keeps a generic one after five runs, and a generic plan made on a small
table scans it whole, kept as the log grows (``pg_writes.unprepared``). On a table of
``PREPARE_FROM`` events the planner takes the indexes, and a larger table only makes them
cheaper against a scan. Below it, and on a connection that has not yet seen it, the read
goes as its text, the probe's values in place. A session that lost its prepared statements
(psycopg's DEALLOCATE ALL, see ``pg_script.forget``) has them prepared again: the read that
found its statement gone is rolled back and sent again, before anything else of its
transaction ran. Either way the probe's names and searches are sent as literals escaped by
libpq; a probe without names or searches sends NULLs, which find nothing.

``send`` sends the same round trip without waiting for its answer, for the group committer's
transactions that run on a guess meanwhile (``pg_speculation``): the answer is read, with
the GIL released while it is awaited, when the transaction's next statement settles it.
"""

from __future__ import annotations

import select
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any
from weakref import WeakSet

import psycopg
from psycopg import pq

from . import json_text, pg_speculation
from .event_reads import HEAD_TEXT
from .lock_probe import NONE, Probe, found, search_params
from .pg_script import inline, prepared, raised, run
from .pg_writes import EXISTING_STREAMS_IN, FREE_SUFFIXES_IN

# Any constant shared by every writer: the key of the advisory lock that orders appends.
APPEND_LOCK_KEY = 0x504F57
LOCK = f"SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})"
_BEGIN = "BEGIN ISOLATION LEVEL READ COMMITTED"
# (after-lock reads (name, SQL), whether it searches) -> the read's text (see ``_select``)
_SELECTS: dict[tuple[tuple[tuple[str, str], ...], bool], str] = {}
# The prepared read's one parameter, the names to look up: cast in the text, so the server
# knows its type from the statement.
_PARAMETERS = (None,)
# The head position from which the read is prepared (see above), and the connections that
# have seen it.
PREPARE_FROM = 1_000
_LARGE: WeakSet[psycopg.Connection] = WeakSet()

Head = tuple[int, str | None]


def lock_and_head(
    driver: psycopg.Connection, reads: tuple[tuple[str, str], ...], probe: Probe = NONE
) -> tuple[Head, dict[str, Any], dict[str, bool]]:
    """BEGIN, take the append lock, then read the head, the ``reads`` (name, SQL) and look
    up the ``probe``'s names: one round trip. Returns the head ((0, None) in an empty log),
    each read's value by name, and the probe's findings (``lock_probe.found``)."""
    try:
        result = run(driver, statement(driver, reads, probe), pq.ExecStatus.TUPLES_OK)
    except psycopg.errors.InvalidSqlStatementName:
        result = _again(driver, reads, probe)
    return _answer(driver, result, reads, probe)


def send(
    driver: psycopg.Connection,
    reads: tuple[tuple[str, str], ...],
    probe: Probe,
    answered: Callable[[Head, dict[str, Any], dict[str, bool]], None],
) -> None:
    """``lock_and_head``'s round trip sent without waiting for its answer: the next
    statement on ``driver`` waits for it first (``pg_speculation.settle``), which hands it
    to ``answered``."""
    text = statement(driver, reads, probe)
    pgconn = driver.pgconn
    pgconn.send_query(text.encode())
    while pgconn.flush():  # 1: some of it is still to go
        _wait(pgconn, select.POLLOUT)

    def receive(use: bool) -> None:
        if not use:
            with suppress(psycopg.Error):
                _results(driver)
            return
        try:
            result = _read(driver, _results(driver))
        except psycopg.errors.InvalidSqlStatementName:
            result = _again(driver, reads, probe)
        answered(*_answer(driver, result, reads, probe))

    pg_speculation.expect(driver, receive)


def _again(
    driver: psycopg.Connection, reads: tuple[tuple[str, str], ...], probe: Probe
) -> pq.abc.PGresult:
    """The round trip once more, after the session lost the prepared read (``run`` forgot
    its names: ``pg_script.forget``): the transaction its text began is aborted; end it,
    which gives up the lock, and send it again, the read prepared anew."""
    run(driver, "ROLLBACK", pq.ExecStatus.COMMAND_OK)
    return run(driver, statement(driver, reads, probe), pq.ExecStatus.TUPLES_OK)


def _results(driver: psycopg.Connection) -> list[pq.abc.PGresult]:
    """Every result of the query in flight, waiting for them (the GIL released meanwhile)."""
    pgconn, results = driver.pgconn, []
    while True:
        while pgconn.is_busy():
            _wait(pgconn, select.POLLIN)
            pgconn.consume_input()
        result = pgconn.get_result()
        if result is None:
            return results
        results.append(result)


def _read(driver: psycopg.Connection, results: list[pq.abc.PGresult]) -> pq.abc.PGresult:
    """The read's result (the last), or the first error raised as ``run`` raises it."""
    for result in results:
        if result.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
            raise raised(driver, result)
    if not results or results[-1].status != pq.ExecStatus.TUPLES_OK:
        raise psycopg.OperationalError("the append lock's read returned no rows")
    return results[-1]


def _wait(pgconn: pq.abc.PGconn, events: int) -> None:
    poller = select.poll()
    poller.register(pgconn.socket, events | select.POLLERR)
    poller.poll()


def _answer(
    driver: psycopg.Connection,
    result: pq.abc.PGresult,
    reads: tuple[tuple[str, str], ...],
    probe: Probe,
) -> tuple[Head, dict[str, Any], dict[str, bool]]:
    # One row always (the head is LEFT JOINed to a one-row VALUES): one JSON array.
    position, last_hash, *values, names, free = json_text.loads(result.get_value(0, 0))
    after_lock = {name: value for (name, _), value in zip(reads, values, strict=True)}
    probed = found(probe, names or (), (tuple(pair) for pair in free or ()))
    head = (position, last_hash) if position is not None else (0, None)
    if head[0] >= PREPARE_FROM:
        _LARGE.add(driver)
    return head, after_lock, probed


def statement(driver: psycopg.Connection, reads: tuple[tuple[str, str], ...], probe: Probe) -> str:
    """The round trip's text: BEGIN, the lock, then the read: EXECUTE of its prepared
    statement (prepared on this connection now if new there) once the connection has seen a
    log of ``PREPARE_FROM`` events, else its text."""
    escaping = pq.Escaping(driver.pgconn)
    values = [_text_array(escaping, probe.names) if probe.names else "NULL"]
    if probe.searches:
        firsts, starts, wants, past = search_params(probe.searches)
        values += (
            _text_array(escaping, firsts),
            _int_array(starts),
            _int_array(wants),
            str(int(past)),
        )
    if driver in _LARGE and not probe.searches:
        read = f"EXECUTE {prepared(driver, _select(reads, False), _PARAMETERS)}({values[0]})"
    else:
        read = inline(_select(reads, bool(probe.searches)), values)
    return f"{_BEGIN}; {LOCK}; {read}"


def _select(reads: tuple[tuple[str, str], ...], searching: bool) -> str:
    """The read, one row of one JSON array: the head's position and hash, each of ``reads``,
    the probe's names found (an empty array for none) and, when ``searching``, its searches'
    free suffixes (else NULL). Its values are %s: the names, then the searches' four."""
    select = _SELECTS.get((reads, searching))
    if select is None:
        values = "".join(f", ({sql.replace('%', '%%')})" for _, sql in reads)
        names = EXISTING_STREAMS_IN.format(names="%s::text[]")
        free = "NULL"
        if searching:
            search = FREE_SUFFIXES_IN.format(
                firsts="%s::text[]", starts="%s::int[]", wants="%s::int[]", past="%s::int"
            )
            free = f"(SELECT json_agg(json_build_array(f.i, f.n)) FROM ({search}) AS f)"
        select = _SELECTS[reads, searching] = (
            f"SELECT json_build_array(head.position, head.hash{values}, ARRAY({names}), {free})"
            f" FROM (VALUES (1)) AS one (x) LEFT JOIN LATERAL ({HEAD_TEXT}) AS head ON true"
        )
    return select


def _text_array(escaping: pq.Escaping, values: Sequence[str]) -> str:
    """A text[] literal: each element double-quoted in the array syntax, the whole escaped
    by libpq as a string literal for this connection. (psycopg's list dumper,
    ``Transformer.as_literal``, makes the same literal untyped in 7.5 µs for 8 names against
    1.6 µs here, on every append transaction.)"""
    items = ",".join(
        '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values
    )
    return escaping.escape_literal(f"{{{items}}}".encode()).decode() + "::text[]"


def _int_array(values: Sequence[int]) -> str:
    return "'{" + ",".join(str(int(value)) for value in values) + "}'::int[]"
