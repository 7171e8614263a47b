"""Stored projections on both databases: incremental == rebuild == the pure fold; verify."""

from __future__ import annotations

import sqlalchemy as sa

from service.cli import verify
from service.projection_cli import rebuild_command
from service.projections.state import fold
from service.store import projections, queries
from service.store.engine import append_transaction
from service.store.projection_check import differing_projections
from service.store.projection_reads import DAYS, TOTALS, counters_at
from service.store.projection_tables import OPEN, counters, fact_versions

from ..builders import correction_body, proposal_body, refusal_body, retraction_body, swap_body


def post(client, auth, url, body):
    response = client.post(url, json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def fill(client, auth):
    post(client, auth, "/v1/swaps", swap_body(id="jan", occurred_on="2026-01-05"))
    made = post(client, auth, "/v1/proposals", proposal_body(id="p1"))
    post(client, auth, "/v1/proposals/p1/refusals", refusal_body())
    feb = post(client, auth, "/v1/swaps", swap_body(id="feb"))
    post(client, auth, f"/v1/events/{feb['id']}/corrections", correction_body({"notes": "n"}))
    post(client, auth, f"/v1/events/{made['id']}/retractions", retraction_body())
    post(client, auth, "/v1/swaps", swap_body(id="mar", occurred_on="2026-03-01"))


def stored_counters(engine):
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(counters.c.key, counters.c.value)).all())


class TestStoredProjections:
    def test_incremental_state_equals_the_pure_fold_of_the_log(self, client, auth, engine):
        fill(client, auth)
        with engine.connect() as conn:
            events = queries.page_of_events(conn, limit=1000)
            rows = conn.execute(sa.select(fact_versions).where(fact_versions.c.valid_to == OPEN))
            facts = {r.event_id: projections.fact_from_row(r) for r in rows}
        state = fold(events)
        assert stored_counters(engine) == state.counters
        assert facts == state.facts.by_id

    def test_a_rebuild_reproduces_every_table_and_verify_passes(self, client, auth, engine):
        fill(client, auth)
        before = stored_counters(engine)
        with append_transaction(engine) as conn:
            assert projections.rebuild(conn) == 7
        assert stored_counters(engine) == before
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []

    def test_verify_names_a_projection_that_drifted(self, app, client, auth, engine):
        fill(client, auth)
        with engine.begin() as conn:
            conn.execute(counters.update().values(value=counters.c.value + 1))
        runner = app.test_cli_runner()
        with app.app_context():
            result = runner.invoke(verify)
            assert result.exit_code == 1
            assert "counters (gaps, summary)" in result.output
            assert runner.invoke(rebuild_command).exit_code == 0
            result = runner.invoke(verify)
        assert result.exit_code == 0, result.output
        assert "stored projections equal a fresh rebuild" in result.output

    def test_snapshots_land_on_exact_multiples_whatever_the_batches(
        self, client, auth, engine, monkeypatch
    ):
        monkeypatch.setattr(projections, "SNAPSHOT_EVERY", 3)
        fill(client, auth)
        with engine.connect() as conn:
            snapshot_positions = (
                conn.execute(sa.text("SELECT position FROM counter_snapshots ORDER BY position"))
                .scalars()
                .all()
            )
            events = queries.page_of_events(conn, limit=1000)
            for n in range(len(events) + 1):
                both = {**counters_at(conn, n, DAYS), **counters_at(conn, n, TOTALS)}
                assert both == fold(events[:n]).counters, n
        assert snapshot_positions == [3, 6]
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []

    def test_events_written_before_the_projections_existed_are_caught_up(
        self, client, auth, engine
    ):
        fill(client, auth)
        with engine.begin() as conn:
            for table in reversed(projections.PROJECTION_TABLES):
                conn.execute(table.delete())
        post(client, auth, "/v1/swaps", swap_body(id="apr", occurred_on="2026-03-02"))
        assert client.get("/v1/metrics/summary").get_json()["swaps"]["total"] == 4
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []
