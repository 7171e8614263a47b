"""Property: for random valid sequences of writes, corrections and retractions,

- the incrementally stored projections equal a rebuild from scratch (and the pure fold), and
- ``as_of=N`` answers exactly what the endpoint answered when the log had N events,
for every N, on both databases. Writes go through the HTTP API, so every rule applies.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.app import create_app
from service.config import Settings
from service.projections.state import fold
from service.readmodel.check import differing_projections
from service.readmodel.tables import counters
from service.store import event_reads, tokens
from service.store.engine import append_transaction

from ..builders import (
    agreement_body,
    attempt_body,
    breach_body,
    correction_body,
    proposal_body,
    refusal_body,
    retraction_body,
    swap_body,
)

START = date(2025, 1, 1)
READS = (
    "/v1/metrics/gaps",
    "/v1/metrics/summary",
    "/v1/timeline?limit=1000",
    "/v1/swaps?limit=1000",
    "/v1/proposals?limit=1000",
    "/v1/corrections",
)
KINDS = ("swap", "proposal", "refusal", "agreement", "breach", "attempt", "correct", "retract")


@pytest.fixture
def fresh_app(request, backend):
    """A factory of apps on fresh databases (one per hypothesis example)."""
    factory = request.getfixturevalue(f"{backend}_factory")
    made = []

    def make():
        url = factory.fresh()
        app = create_app(Settings(database_url=url))
        made.append((url, app))
        return app

    yield make
    for url, app in made:
        app.extensions["engine"].dispose()
        factory.drop(url)


class _Writer:
    def __init__(self, app):
        self.client = app.test_client()
        secret = tokens.create_token(app.extensions["engine"], "prop", "write")
        self.auth = {"Authorization": f"Bearer {secret}"}
        self.live: dict[str, dict] = {}  # event id -> {"type", "rid"}
        self.n = 0

    def post(self, url, body):
        response = self.client.post(url, json=body, headers=self.auth)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def live_of(self, type_):
        # In creation order, not sorted: ids are random UUIDs, and a choice must pick the same
        # event whenever hypothesis replays the same draws (else FlakyStrategyDefinition).
        return [(i, f["rid"]) for i, f in self.live.items() if f["type"] == type_ and f["rid"]]

    def write(self, data, kind):
        on = (START + timedelta(days=data.draw(st.integers(0, 60), label="day"))).isoformat()
        self.n += 1
        rid = f"r{self.n}"
        if kind == "swap":
            ua = data.draw(st.none() | st.integers(0, 300), label="ua")
            side = {"party": "UA", **({"received": ua} if ua is not None else {})}
            body = swap_body(id=rid, occurred_on=on, sides=[side, {"party": "RU", "received": 5}])
            event = self.post("/v1/swaps", body)
        elif kind == "proposal":
            event = self.post("/v1/proposals", proposal_body(id=rid, occurred_on=on))
        elif kind == "agreement":
            event = self.post("/v1/agreements", agreement_body(id=rid, occurred_on=on))
        elif kind == "attempt":
            event = self.post("/v1/attempts", attempt_body(id=rid, occurred_on=on))
        elif kind in ("refusal", "breach"):
            parents = self.live_of("proposal.made" if kind == "refusal" else "agreement.reached")
            if not parents:
                return
            _, parent = data.draw(st.sampled_from(parents), label="parent")
            if kind == "refusal":
                event = self.post(f"/v1/proposals/{parent}/refusals", refusal_body(occurred_on=on))
            else:
                event = self.post(f"/v1/agreements/{parent}/breaches", breach_body(occurred_on=on))
            self.live[event["id"]] = {"type": event["type"], "rid": None, "parent": parent}
            return
        else:
            if not self.live:
                return
            target = data.draw(st.sampled_from(list(self.live)), label="target")
            if kind == "correct":
                self.post(
                    f"/v1/events/{target}/corrections",
                    correction_body({"occurred_on": on}, occurred_on="2026-01-01"),
                )
            else:
                self.post(f"/v1/events/{target}/retractions", retraction_body())
                gone = self.live.pop(target)
                if gone["rid"]:  # a retracted resource takes its children with it
                    for i in [i for i, f in self.live.items() if f.get("parent") == gone["rid"]]:
                        del self.live[i]
            return
        self.live[event["id"]] = {"type": event["type"], "rid": rid}

    def answers(self, as_of=None):
        """Every read's JSON body, now or as of a position."""
        result = {}
        for url in READS:
            full = url if as_of is None else f"{url}{'&' if '?' in url else '?'}as_of={as_of}"
            response = self.client.get(full)
            assert response.status_code == 200, (full, response.get_json())
            result[url] = response.get_json()
        return result


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_incremental_projections_equal_a_rebuild_and_as_of_replays_history(fresh_app, data):
    app = fresh_app()
    writer = _Writer(app)
    recorded = [writer.answers()]  # recorded[n] = answers when the log had n events
    for kind in data.draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=14), label="ops"):
        before = writer.client.get("/v1/log/head").get_json()["position"]
        writer.write(data, kind)
        if writer.client.get("/v1/log/head").get_json()["position"] != before:
            recorded.append(writer.answers())
    for n, answer in enumerate(recorded):
        assert writer.answers(as_of=n) == answer, f"as_of={n}"
    engine = app.extensions["engine"]
    with engine.connect() as conn:
        state = fold(event_reads.page_of_events(conn, limit=1000))
        stored = dict(conn.execute(sa.select(counters.c.key, counters.c.value)).all())
    assert stored == state.counters
    with append_transaction(engine) as conn:
        assert differing_projections(conn) == []
