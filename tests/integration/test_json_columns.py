"""JSON columns are read by orjson (``json_text.loads``, the engines' JSON loader) and by the
standard parser for what orjson would read wrongly (integers beyond 64 bits become floats)
or refuses: every read path gives back the stored value exactly.

Neither the API nor a restore's content check stores an integer beyond 64 bits (the schemas
bound every number), but below them the store must not alter what it holds: the chain's
hashes cover it byte for byte."""

from __future__ import annotations

import math
from dataclasses import replace

import orjson
import pytest
import sqlalchemy as sa

from service.readmodel.tables import fact_versions
from service.readmodel.update import rebuild
from service.store import event_reads
from service.store.append import append
from service.store.chain import verify_chain
from service.store.engine import append_transaction
from service.store.json_text import loads
from service.store.streaming import stored_envelopes, stored_events
from tests.builders import new_swap

HUGE = 2**70  # orjson reads it as a float; the standard parser keeps it exact


def test_loads_reads_exactly_what_orjson_would_not():
    assert loads(b'{"a": [1, 2.5, "\\u00e9"]}') == {"a": [1, 2.5, "é"]}
    for number in (HUGE, -(2**63) - 1, 2**64, 10**30):  # orjson: a float, or refused
        value = loads(f'{{"n": {number}}}')["n"]
        assert value == number and type(value) is int
    assert loads(b'{"id": "1234567890123456789012"}') == {"id": "1234567890123456789012"}
    assert math.isnan(loads("[NaN]")[0])  # orjson refuses NaN; the standard parser reads it
    with pytest.raises(ValueError):
        loads("{")


def test_every_read_path_parses_json_columns_with_orjson(engine, monkeypatch):
    [stored] = append(engine, [new_swap("swap/plain")], recorded_by="newsroom")
    parsed: list[bytes] = []
    real = orjson.loads

    def spy(raw: bytes) -> object:
        parsed.append(bytes(raw))
        return real(raw)

    monkeypatch.setattr(orjson, "loads", spy)
    span, after = (stored.position, stored.position), stored.position - 1
    with engine.connect() as conn:
        reads = {  # each consumed whole: a COPY holds the connection until its end
            "sqlalchemy": lambda: event_reads.events_by_positions(conn, *span),
            "events": lambda: list(stored_events(conn, upto=span[1], after=after)),
            "envelopes": lambda: list(stored_envelopes(conn, upto=span[1], after=after)),
        }
        for path, read in reads.items():
            parsed.clear()
            [event] = read()
            assert (event["data"] if path == "envelopes" else event.data) == stored.data, path
            # the event's two JSON columns, data and sources, each parsed once by orjson
            values = [real(raw) for raw in parsed]
            assert len(values) == 2, path
            assert dict(stored.data) in values, path
            assert [dict(s) for s in stored.sources] in values, path


def test_every_read_path_gives_back_the_stored_json(engine):
    swap = new_swap("swap/huge")
    swap = replace(swap, data={**swap.data, "tally": HUGE, "ratio": 0.1})
    [stored] = append(engine, [swap], recorded_by="newsroom")
    assert stored.data["tally"] == HUGE

    with engine.connect() as conn:
        [read] = event_reads.events_by_positions(conn, stored.position, stored.position)
        [event] = stored_events(conn, upto=stored.position, after=stored.position - 1)
    with engine.connect() as conn:
        [envelope] = stored_envelopes(conn, upto=stored.position, after=stored.position - 1)
    for data in (read.data, event.data, envelope["data"]):
        assert data["tally"] == HUGE and type(data["tally"]) is int
        assert data["ratio"] == 0.1
        assert data == stored.data

    # The chain check re-hashes what it reads: the value came back exactly.
    assert verify_chain(engine).broken_at is None
    with append_transaction(engine) as conn:
        rebuild(conn)
    with engine.connect() as conn:
        versions = conn.execute(
            sa.select(fact_versions.c.data).where(fact_versions.c.stream == "swap/huge")
        ).scalars()
        assert [data["tally"] for data in versions] == [HUGE]
