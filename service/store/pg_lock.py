"""PostgreSQL: the append lock's round trip, as one message of the simple query protocol.

An append transaction starts by taking the append lock, then reads the head, the engine's
``after_lock_reads`` and the generated stream names its writes will need (``lock_probe``).
Those go to the server as one text of three statements sent with one ``PQexec``:

    BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(…); SELECT …

Each statement of it takes its own READ COMMITTED snapshot, so the last one, taken once the
lock is granted, sees every append committed before. (One statement would read with the
snapshot it took before waiting for the lock.) The last statement returns everything as one
JSON array, the only result ``PQexec`` keeps.

Sent as a psycopg pipeline (BEGIN and one extended-protocol statement per read), the same
round trip cost 0.47 ms of the committer's CPU per lone append in-process, per statement a
send and a poll or two; as one message 0.12-0.14 ms (``bench/README.md``). The committer
runs it for every append transaction, with the lock's wait in between, so that is CPU taken
from every writer. The price is the server planning the last statement each time (the
probes were never prepared anyway: ``pg_writes.unprepared``). The names go in as literals
escaped by libpq.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import pq

from . import json_text
from .event_reads import HEAD_TEXT
from .lock_probe import NONE, Probe, found, search_params
from .pg_script import run
from .pg_writes import EXISTING_STREAMS_IN, FREE_SUFFIXES_IN

# Any constant shared by every writer: the key of the advisory lock that orders appends.
APPEND_LOCK_KEY = 0x504F57
LOCK = f"SELECT pg_advisory_xact_lock({APPEND_LOCK_KEY})"
_BEGIN = "BEGIN ISOLATION LEVEL READ COMMITTED"
# after-lock reads (name, SQL) -> the text before and after the probes' two values
_FRAMES: dict[tuple[tuple[str, str], ...], tuple[str, str]] = {}

Head = tuple[int, str | None]


def lock_and_head(
    driver: psycopg.Connection, reads: tuple[tuple[str, str], ...], probe: Probe = NONE
) -> tuple[Head, dict[str, Any], dict[str, bool]]:
    """BEGIN, take the append lock, then read the head, the ``reads`` (name, SQL) and look
    up the ``probe``'s names: one round trip. Returns the head ((0, None) in an empty log),
    each read's value by name, and the probe's findings (``lock_probe.found``)."""
    text = statement(reads, probe, pq.Escaping(driver.pgconn))
    result = run(driver, text, pq.ExecStatus.TUPLES_OK)
    # One row always (the head is LEFT JOINed to a one-row VALUES): one JSON array.
    position, last_hash, *values, names, free = json_text.loads(result.get_value(0, 0))
    after_lock = {name: value for (name, _), value in zip(reads, values, strict=True)}
    probed = found(probe, names or (), (tuple(pair) for pair in free or ()))
    head = (position, last_hash) if position is not None else (0, None)
    return head, after_lock, probed


def statement(reads: tuple[tuple[str, str], ...], probe: Probe, escaping: pq.Escaping) -> str:
    """The round trip's text: BEGIN, the lock, then one row of one JSON array."""
    frame = _FRAMES.get(reads)
    if frame is None:
        values = "".join(f", ({sql})" for _, sql in reads)
        frame = _FRAMES[reads] = (
            f"{_BEGIN}; {LOCK}; SELECT json_build_array(head.position, head.hash{values}, ",
            f") FROM (VALUES (1)) AS one (x) LEFT JOIN LATERAL ({HEAD_TEXT}) AS head ON true",
        )
    names = "NULL"
    if probe.names:
        found_names = EXISTING_STREAMS_IN.format(names=_text_array(escaping, probe.names))
        names = f"ARRAY({found_names})"
    free = "NULL"
    if probe.searches:
        firsts, starts, wants, past = search_params(probe.searches)
        search = FREE_SUFFIXES_IN.format(
            firsts=_text_array(escaping, firsts),
            starts=_int_array(starts),
            wants=_int_array(wants),
            past=int(past),
        )
        free = f"(SELECT json_agg(json_build_array(f.i, f.n)) FROM ({search}) AS f)"
    return f"{frame[0]}{names}, {free}{frame[1]}"


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
