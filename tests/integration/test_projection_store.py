"""Stored projections on both databases: incremental == rebuild == the pure fold; verify."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command

from service.cli.log import verify
from service.cli.readmodel import rebuild_command
from service.projections.gaps import DAY_ROW_KINDS, day_histogram, day_rows
from service.projections.state import fold
from service.readmodel import update
from service.readmodel.check import differing_projections
from service.readmodel.counter_reads import DAYS, TOTALS, counters_at, day_rows_at
from service.readmodel.rows import fact_from_row
from service.readmodel.tables import (
    DAY_COLUMNS,
    OPEN,
    PROJECTION_TABLES,
    counter_deltas,
    counters,
    day_counts,
    fact_versions,
)
from service.store import event_reads
from service.store.append import append
from service.store.engine import append_transaction
from service.store.migrate import alembic_config

from ..builders import (
    correction_body,
    fill,
    new_swap,
    post,
    proposal_body,
    refusal_body,
    retraction_body,
    swap_body,
)


def stored_counters(engine):
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(counters.c.key, counters.c.value)).all())


def snapshots_replay_the_log(engine) -> list[int]:
    """The positions of the stored counter snapshots, after checking that the counters as of
    every position equal the pure fold of the log up to it and that a rebuild agrees."""
    with engine.connect() as conn:
        positions = (
            conn.execute(sa.text("SELECT position FROM counter_snapshots ORDER BY position"))
            .scalars()
            .all()
        )
        events = event_reads.page_of_events(conn, limit=1000)
        for n in range(len(events) + 1):
            both = {**counters_at(conn, n, DAYS), **counters_at(conn, n, TOTALS)}
            assert both == fold(events[:n]).counters, n
    with append_transaction(engine) as conn:
        assert differing_projections(conn) == []
    return list(positions)


class TestStoredProjections:
    def test_incremental_state_equals_the_pure_fold_of_the_log(self, client, auth, engine):
        fill(client, auth)
        with engine.connect() as conn:
            events = event_reads.page_of_events(conn, limit=1000)
            rows = conn.execute(sa.select(fact_versions).where(fact_versions.c.valid_to == OPEN))
            facts = {r.event_id: fact_from_row(r) for r in rows}
        state = fold(events)
        assert stored_counters(engine) == state.counters
        assert facts == state.facts.by_id

    def test_day_counts_hold_one_row_per_day_with_live_facts(self, client, auth, engine):
        fill(client, auth)
        with engine.connect() as conn:
            rows = conn.execute(sa.select(day_counts).order_by(day_counts.c.day)).all()
            head = event_reads.head(conn)[0]
            events = event_reads.page_of_events(conn, limit=1000)
            assert day_rows_at(conn, head) == day_rows(day_histogram(fold(events).counters))
        assert DAY_COLUMNS == DAY_ROW_KINDS  # a stored row is a day row as gaps reads it
        by_day = {r.day.isoformat(): tuple(r)[1:] for r in rows}
        # (swaps, proposals, refusals, failed_attempts, breaches); the retracted proposal and
        # its refusal are gone, so their day keeps no row unless a swap shares it.
        assert by_day["2026-01-05"] == (1, 0, 0, 0, 0)
        assert by_day["2026-03-01"] == (1, 0, 0, 0, 0)
        assert all(any(counts) for counts in by_day.values())

    def test_verify_names_drifted_day_counts(self, app, client, auth, engine):
        fill(client, auth)
        with engine.begin() as conn:
            conn.execute(day_counts.update().values(swaps=day_counts.c.swaps + 1))
        runner = app.test_cli_runner()
        with app.app_context():
            result = runner.invoke(verify, ["--projections"])
        assert result.exit_code == 1
        assert "day_counts (gaps)" in result.output

    def test_a_rebuild_reproduces_every_table_and_verify_passes(self, client, auth, engine):
        fill(client, auth)
        before = stored_counters(engine)
        with append_transaction(engine) as conn:
            assert update.rebuild(conn) == 7
        assert stored_counters(engine) == before
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []

    def test_a_rebuild_that_rolls_back_leaves_the_stored_projections_as_they_were(
        self, client, auth, engine
    ):
        """PostgreSQL empties the tables with TRUNCATE: still undone by a ROLLBACK, and by
        the rolled-back SAVEPOINT of ``verify --projections``."""
        fill(client, auth)
        before = stored_counters(engine)
        with pytest.raises(RuntimeError), append_transaction(engine) as conn:
            update.rebuild(conn)
            raise RuntimeError("stop before COMMIT")
        assert stored_counters(engine) == before
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []
            assert stored_counters(engine) == before  # another connection sees them too
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []

    @pytest.mark.parametrize("page", [1, 2, 3, 5])
    def test_a_rebuild_in_small_pages_equals_the_incremental_projections(
        self, client, auth, engine, monkeypatch, page
    ):
        """Pages of a few events, so corrections and retractions target facts of the page
        before and of pages long written, a retracted resource's children lie on other
        pages, and snapshots fall inside pages (every earlier test log fitted in one page)."""
        monkeypatch.setattr(update, "SNAPSHOT_EVERY", 4)
        jan, _made, _refusal, feb, *_ = fill(client, auth)
        for notes in ("a", "b", "c"):  # one fact corrected on consecutive positions
            post(
                client,
                auth,
                f"/v1/events/{jan['id']}/corrections",
                correction_body({"notes": notes}),
            )
        p2 = post(client, auth, "/v1/proposals", proposal_body(id="p2"))
        first = post(client, auth, "/v1/proposals/p2/refusals", refusal_body())
        post(client, auth, "/v1/proposals/p2/refusals", refusal_body())
        post(
            client, auth, f"/v1/events/{first['id']}/corrections", correction_body({"reason": "r"})
        )
        post(client, auth, f"/v1/events/{p2['id']}/retractions", retraction_body())  # takes both
        post(client, auth, f"/v1/events/{feb['id']}/retractions", retraction_body())
        with append_transaction(engine) as conn:
            assert event_reads.head(conn)[0] == 16
            assert differing_projections(conn, batch=page) == []

    def test_verify_names_a_projection_that_drifted(self, app, client, auth, engine):
        fill(client, auth)
        with engine.begin() as conn:
            conn.execute(counters.update().values(value=counters.c.value + 1))
        runner = app.test_cli_runner()
        with app.app_context():
            result = runner.invoke(verify, ["--projections"])
            assert result.exit_code == 1
            assert "counters (gaps, summary)" in result.output
            assert runner.invoke(rebuild_command).exit_code == 0
            result = runner.invoke(verify, ["--projections"])
        assert result.exit_code == 0, result.output
        assert "stored projections equal a fresh rebuild" in result.output

    def test_snapshots_land_on_exact_multiples_whatever_the_batches(
        self, client, auth, engine, monkeypatch
    ):
        monkeypatch.setattr(update, "SNAPSHOT_EVERY", 3)
        fill(client, auth)
        assert snapshots_replay_the_log(engine) == [3, 6]

    def test_snapshots_inside_one_appended_batch_add_its_changes_to_the_stored_counters(
        self, client, auth, engine, monkeypatch
    ):
        """Several snapshot positions in one append: each is the counters as stored before
        the batch plus the batch's changes up to it (PostgreSQL sums them in the server)."""
        monkeypatch.setattr(update, "SNAPSHOT_EVERY", 2)
        fill(client, auth)  # 7 events: snapshots at 2, 4, 6 from single appends
        swaps = [new_swap(None, occurred_on=date(2025, 1, i + 1), received=i) for i in range(6)]
        swaps[0] = new_swap(None, occurred_on=date(2026, 1, 5), received=3)  # a day already held
        append(engine, swaps, recorded_by="tests")  # positions 8..13: snapshots at 8, 10, 12
        assert snapshots_replay_the_log(engine) == [2, 4, 6, 8, 10, 12]

    def test_events_written_before_the_projections_existed_are_caught_up(
        self, client, auth, engine
    ):
        fill(client, auth)
        with engine.begin() as conn:
            for table in reversed(PROJECTION_TABLES):
                conn.execute(table.delete())
        post(client, auth, "/v1/swaps", swap_body(id="apr", occurred_on="2026-03-02"))
        assert client.get("/v1/metrics/summary").get_json()["swaps"]["total"] == 4
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []


class TestDayCountsMigration:
    def test_migrating_a_log_with_events_fills_day_counts_from_its_counters(
        self, client, auth, engine
    ):
        fill(client, auth)
        query = sa.select(day_counts).order_by(day_counts.c.day)
        with engine.connect() as conn:
            before = conn.execute(query).all()
        url = engine.url.render_as_string(hide_password=False)
        command.downgrade(alembic_config(url), "0003")
        command.upgrade(alembic_config(url), "head")
        with engine.connect() as conn:
            assert conn.execute(query).all() == before
        assert len(before) == 3
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []


class TestPositionDeltasMigration:
    def test_a_round_trip_through_the_per_key_rows_keeps_every_delta(
        self, client, auth, engine, monkeypatch
    ):
        """0006 merges each position's per-key delta rows into one JSON row (and its
        downgrade splits them again): as_of reads and verify agree before and after."""
        monkeypatch.setattr(update, "SNAPSHOT_EVERY", 3)
        fill(client, auth)
        query = sa.select(counter_deltas).order_by(counter_deltas.c.position)
        with engine.connect() as conn:
            before = conn.execute(query).all()
            as_of = [counters_at(conn, n, TOTALS) for n in range(1, 8)]
        url = engine.url.render_as_string(hide_password=False)
        command.downgrade(alembic_config(url), "0005")
        with engine.connect() as conn:
            split = conn.execute(
                sa.text("SELECT position, key, delta FROM counter_deltas ORDER BY position, key")
            ).all()
        assert {(p, k, d) for p, k, d in split} == {
            (row.position, k, d) for row in before for k, d in row.deltas.items()
        }
        command.upgrade(alembic_config(url), "head")
        with engine.connect() as conn:
            assert conn.execute(query).all() == before
            assert [counters_at(conn, n, TOTALS) for n in range(1, 8)] == as_of
        assert all(row.deltas and 0 not in row.deltas.values() for row in before)
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []


class TestDeltasAsJsonMigration:
    def test_the_deltas_keep_their_values_as_json_text_and_as_of_reads_agree(
        self, client, auth, engine, monkeypatch
    ):
        """0007 stores the deltas as plain JSON on PostgreSQL (JSONB before; SQLite keeps
        its JSON column): every delta, as-of read and verify agree before and after."""
        monkeypatch.setattr(update, "SNAPSHOT_EVERY", 3)
        fill(client, auth)
        query = sa.select(counter_deltas).order_by(counter_deltas.c.position)
        url = engine.url.render_as_string(hide_password=False)

        def column_type() -> str | None:
            if engine.dialect.name != "postgresql":
                return None
            with engine.connect() as conn:
                return conn.execute(
                    sa.text(
                        "SELECT data_type FROM information_schema.columns"
                        " WHERE table_name = 'counter_deltas' AND column_name = 'deltas'"
                    )
                ).scalar_one()

        with engine.connect() as conn:
            now = conn.execute(query).all()
            as_of = [counters_at(conn, n, TOTALS) for n in range(1, 8)]
        postgresql = engine.dialect.name == "postgresql"
        command.downgrade(alembic_config(url), "0006")
        assert column_type() == ("jsonb" if postgresql else None)
        with engine.connect() as conn:
            assert conn.execute(query).all() == now
        command.upgrade(alembic_config(url), "head")
        assert column_type() == ("json" if postgresql else None)
        with engine.connect() as conn:
            assert conn.execute(query).all() == now
            assert [counters_at(conn, n, TOTALS) for n in range(1, 8)] == as_of
        assert len(now) == 6 and all(row.deltas for row in now)
        post(client, auth, "/v1/swaps", swap_body(id="after-0007", occurred_on="2026-03-09"))
        with append_transaction(engine) as conn:
            assert differing_projections(conn) == []
