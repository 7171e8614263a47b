"""Export and import: a restore reproduces positions, ids and hashes, or refuses loudly."""

from __future__ import annotations

import io
import json
import multiprocessing
import os

import pytest
import sqlalchemy as sa

from service.domain.hashing import envelope_hash
from service.readmodel import check, update
from service.schemas.stored import envelope_problem
from service.store import backup, event_reads, hooks, line_check
from service.store.append import RESTORE_BUILT_INDEXES
from service.store.backup import BackupRejected, export_to, import_from
from service.store.engine import append_transaction, make_engine
from service.store.line_check import ForkedCheck, checker
from service.wiring import open_log
from tests.builders import fill
from tests.databases import empty_store
from tests.thread_sends import SENDING_THREAD, observe_sends


def _export(engine) -> str:
    out = io.StringIO()
    export_to(engine, out)
    return out.getvalue()


def _rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return list(event_reads.raw_rows(conn))


@pytest.fixture
def empty_postgres_engine(request):
    """An empty PostgreSQL store, whatever the parametrised backend."""
    yield from empty_store(request.getfixturevalue("postgresql_factory"))


class TestRoundTrip:
    def test_export_writes_one_stored_envelope_per_line_in_position_order(
        self, engine, client, auth
    ):
        fill(client, auth)
        lines = [json.loads(line) for line in _export(engine).splitlines()]
        assert [e["position"] for e in lines] == [1, 2, 3, 4, 5, 6, 7]
        assert lines == _rows(engine)

    def test_a_restore_reproduces_positions_ids_and_hashes(
        self, engine, client, auth, empty_engine
    ):
        fill(client, auth)
        text = _export(engine)
        head = import_from(empty_engine, io.StringIO(text))
        assert _rows(empty_engine) == _rows(engine)
        with engine.connect() as source, empty_engine.connect() as target:
            assert event_reads.head(target) == event_reads.head(source)
            assert (head.events, head.hash) == event_reads.head(source)
        assert _export(empty_engine) == text

    def test_sqlite_restores_into_postgresql_with_the_same_head(
        self, sqlite_factory, empty_postgres_engine
    ):
        from service.history.importer import import_history

        url = sqlite_factory.fresh()
        source = open_log(url)
        try:
            import_history(source)
            text = _export(source)
            import_from(empty_postgres_engine, io.StringIO(text))
            assert _rows(empty_postgres_engine) == _rows(source)
            with source.connect() as a, empty_postgres_engine.connect() as b:
                assert event_reads.head(b) == event_reads.head(a) and event_reads.head(a)[0] == 119
        finally:
            source.dispose()
            sqlite_factory.drop(url)

    def test_importing_the_history_after_a_restore_appends_nothing(self, engine, empty_engine):
        from service.history.importer import import_history

        import_history(engine)
        import_from(empty_engine, io.StringIO(_export(engine)))
        summary = import_history(empty_engine)
        assert (summary.appended, summary.corrected, summary.present) == (0, 0, 119)
        assert _rows(empty_engine) == _rows(engine)

    def test_an_empty_log_exports_nothing_and_restores_to_nothing(self, engine, empty_engine):
        assert _export(engine) == ""
        head = import_from(empty_engine, io.StringIO(""))
        assert (head.events, head.hash) == (0, None)


@pytest.mark.usefixtures("restore_batches")
class TestRefusals:
    def test_a_store_that_is_not_empty_is_refused(self, engine, client, auth):
        fill(client, auth)
        with pytest.raises(BackupRejected) as caught:
            import_from(engine, io.StringIO(_export(engine)))
        assert str(caught.value) == "the store is not empty (head position 7); refusing"

    def test_an_altered_line_is_named_and_nothing_is_restored(
        self, engine, client, auth, empty_engine
    ):
        fill(client, auth)
        lines = _export(engine).splitlines()
        tampered = json.loads(lines[2])
        tampered["data"]["mediators"] = ["QA"]
        lines[2] = json.dumps(tampered)
        with pytest.raises(BackupRejected) as caught:
            import_from(empty_engine, io.StringIO("\n".join(lines)))
        assert str(caught.value) == "line 3: hash does not match the envelope (altered content)"
        assert _rows(empty_engine) == []

    def test_a_missing_line_breaks_the_chain_at_the_next_line(
        self, engine, client, auth, empty_engine
    ):
        fill(client, auth)
        lines = _export(engine).splitlines()
        del lines[1]
        with pytest.raises(BackupRejected) as caught:
            import_from(empty_engine, io.StringIO("\n".join(lines)))
        assert str(caught.value) == "line 2: position 3, expected 2"

    def test_malformed_json_is_named_by_line(self, engine, client, auth, empty_engine):
        fill(client, auth)
        lines = _export(engine).splitlines()
        lines[3] = lines[3][:-5]
        with pytest.raises(BackupRejected) as caught:
            import_from(empty_engine, io.StringIO("\n".join(lines)))
        assert caught.value.line == 4
        assert str(caught.value).startswith("line 4: not valid JSON")
        assert _rows(empty_engine) == []


class TestRestoreInPages:
    """A restore builds the projections page by page as its lines go in (the read model's bulk
    build, ``on_replayed``), from the events it loaded: nothing is read back from the log."""

    @pytest.fixture(autouse=True)
    def _pages_of_two(self, monkeypatch):
        monkeypatch.setattr(backup, "IMPORT_BATCH", 2)  # 7 events: [1, 2] [3, 4] [5, 6] [7]

    def test_the_projections_equal_the_source_s_and_no_event_is_read_back(
        self, engine, client, auth, empty_engine, monkeypatch
    ):
        fill(client, auth)  # 5 corrects 4, 6 retracts 2: both across a page boundary
        text = _export(engine)

        def read_back(*_args, **_kwargs):
            raise AssertionError("a restore read its events back from the log")

        monkeypatch.setattr(update, "stored_events", read_back)
        import_from(empty_engine, io.StringIO(text))
        monkeypatch.undo()
        with engine.connect() as source, empty_engine.connect() as restored:
            for table, order in check.CHECKED.values():
                assert check.digest(restored, table, order) == check.digest(source, table, order)
        with append_transaction(empty_engine) as conn:
            assert check.differing_projections(conn) == []

    def test_without_a_replay_build_the_append_hooks_get_each_page(
        self, engine, client, auth, backend, request
    ):
        fill(client, auth)
        factory = request.getfixturevalue(f"{backend}_factory")
        url = factory.fresh()
        pages: list[list[int]] = []
        bare = make_engine(url)
        hooks.install(
            bare,
            hooks.LogHooks(
                on_append=(lambda conn, events: pages.append([e.position for e in events]),),
                restore_check=envelope_problem,
            ),
        )
        try:
            import_from(bare, io.StringIO(_export(engine)))
            assert _rows(bare) == _rows(engine)
        finally:
            bare.dispose()
            factory.drop(url)
        assert pages == [[1, 2], [3, 4], [5, 6], [7]]

    def test_each_page_s_events_go_out_with_the_build_s_writes_from_its_thread(
        self, engine, client, auth, empty_engine, backend, monkeypatch
    ):
        if backend != "postgresql":
            pytest.skip("writes are sent from a thread on PostgreSQL only")
        fill(client, auth)
        text = _export(engine)
        log: list = []
        observe_sends(monkeypatch, log)
        import_from(empty_engine, io.StringIO(text))
        sends = [copied for _, (thread, copied) in log if thread == SENDING_THREAD]
        assert sends == [
            ["events"],  # page 1 (the first page has no writes before it)
            ["fact_versions", "counter_deltas", "events"],  # page 1's writes, page 2's events
            ["fact_versions", "counter_deltas", "events"],
            ["fact_versions", "counter_deltas", "events"],
            ["fact_versions", "counter_deltas"],  # page 4's writes, at the end
        ]
        assert _rows(empty_engine) == _rows(engine)

    def test_a_repeated_id_in_a_later_page_names_the_lines_that_were_landing(
        self, engine, client, auth, empty_engine
    ):
        """Content and chain can be forged around a repeated id; the store's constraint
        refuses it. On PostgreSQL the rows of the page before may still be on their way when
        it is found, so the clash names both pages' lines; nothing is restored."""
        fill(client, auth)
        lines = _export(engine).splitlines()
        prev = json.loads(lines[3])["hash"]
        forged = []
        for number, line in enumerate(lines, start=1):
            envelope = json.loads(line)
            if number == 6:
                envelope["id"] = json.loads(lines[0])["id"]
            if number >= 6:
                envelope["prev_hash"], envelope["hash"] = prev, None
                envelope["hash"] = prev = envelope_hash(envelope)
            elif number == 5:
                prev = envelope["hash"]
            forged.append(json.dumps(envelope))
        with pytest.raises(BackupRejected) as caught:
            import_from(empty_engine, io.StringIO("\n".join(forged)))
        assert (
            str(caught.value)
            == {
                # SQLite inserts page 3 (lines 5-6) at once, and refuses it there.
                "sqlite": "lines 5-6 clash (UNIQUE constraint failed: events.id)",
                # PostgreSQL's COPY of page 3 goes out from the thread while page 4 (line 7) loads,
                # and its refusal is raised then: page 3 or 4 is to blame.
                "postgresql": "lines 5-7 clash (duplicate key value violates unique constraint"
                ' "events_id_key")',
            }[empty_engine.dialect.name]
        )
        assert _rows(empty_engine) == []
        with empty_engine.connect() as conn:
            assert event_reads.head(conn) == (0, None)


class TestEventIndexesDuringARestore:
    """The events table's non-unique indexes are dropped while a restore loads and built
    once at its end; a refused restore leaves them as they were."""

    def _indexes(self, conn) -> set[str]:
        return {i["name"] for i in sa.inspect(conn).get_indexes("events")}

    def test_they_are_built_after_the_load(self, engine, client, auth, empty_engine, monkeypatch):
        fill(client, auth)
        with empty_engine.connect() as conn:
            before = self._indexes(conn)
        assert {i.name for i in RESTORE_BUILT_INDEXES} <= before
        during = []
        project = update.project

        def spied(conn, events, **kwargs):
            during.append(self._indexes(conn))
            project(conn, events, **kwargs)

        monkeypatch.setattr(update, "project", spied)
        import_from(empty_engine, io.StringIO(_export(engine)))
        assert during and all(
            names == before - {i.name for i in RESTORE_BUILT_INDEXES} for names in during
        )
        with empty_engine.connect() as conn:
            assert self._indexes(conn) == before

    def test_a_refused_restore_leaves_them_in_place(self, engine, client, auth, empty_engine):
        fill(client, auth)
        with empty_engine.connect() as conn:
            before = self._indexes(conn)
        lines = _export(engine).splitlines()
        lines[6] = lines[6][:-5]
        with pytest.raises(BackupRejected):
            import_from(empty_engine, io.StringIO("\n".join(lines)))
        with empty_engine.connect() as conn:
            assert self._indexes(conn) == before


class TestCheckedInASecondProcess:
    """A restore of more than one batch is checked by a forked process while this one loads
    the same lines; nothing commits before every batch's verdict, and whatever fails first,
    the user is told what the check found."""

    @pytest.fixture(autouse=True)
    def _pages_of_two(self, monkeypatch):
        monkeypatch.setattr(backup, "IMPORT_BATCH", 2)

    def test_the_check_runs_in_another_process_which_is_gone_afterwards(
        self, engine, client, auth, empty_engine, monkeypatch
    ):
        fill(client, auth)
        made = []

        def spied(lines, *, more):
            made.append(checker(lines, more=more))
            return made[-1]

        monkeypatch.setattr(backup, "checker", spied)
        head = import_from(empty_engine, io.StringIO(_export(engine)))
        assert head.events == 7
        [check] = made
        assert isinstance(check, ForkedCheck)
        assert check.process.pid != os.getpid() and check.process.exitcode is not None
        assert multiprocessing.active_children() == []

    def test_a_line_the_load_cannot_take_is_answered_with_the_check_s_verdict(
        self, engine, client, auth, empty_engine
    ):
        """Line 4's date breaks the load's own parsing before the check has answered."""
        fill(client, auth)
        lines = [json.loads(line) for line in _export(engine).splitlines()]
        prev = lines[2]["hash"]
        for envelope in lines[3:]:
            if envelope["position"] == 4:
                envelope["occurred_on"] = "2026-13-45"
            envelope["prev_hash"], envelope["hash"] = prev, None
            envelope["hash"] = prev = envelope_hash(envelope)
        text = "\n".join(json.dumps(e) for e in lines)
        with pytest.raises(BackupRejected) as caught:
            import_from(empty_engine, io.StringIO(text))
        assert str(caught.value) == "line 4: occurred_on is not a YYYY-MM-DD date"
        assert _rows(empty_engine) == []

    def test_a_check_that_dies_fails_the_restore_and_restores_nothing(
        self, engine, client, auth, empty_engine, monkeypatch
    ):
        fill(client, auth)
        batch = line_check.LineCheck.batch

        def dies_on_the_third_batch(self, numbered, types):
            if numbered[0][0] == 5:
                os._exit(3)  # in the forked process, as a crash would
            batch(self, numbered, types)

        monkeypatch.setattr(line_check.LineCheck, "batch", dies_on_the_third_batch)
        with pytest.raises(BackupRejected) as caught:
            import_from(empty_engine, io.StringIO(_export(engine)))
        assert str(caught.value) == (
            "the line check stopped before its verdict (exit code 3); nothing was restored"
        )
        assert _rows(empty_engine) == []
        assert multiprocessing.active_children() == []


class TestCommands:
    def test_export_and_import_commands_round_trip_through_a_file(
        self, app, engine, client, auth, empty_engine, tmp_path, monkeypatch
    ):
        fill(client, auth)
        path = tmp_path / "log.ndjson"
        runner = app.test_cli_runner()
        with app.app_context():
            exported = runner.invoke(args=["export", str(path)])
        assert exported.exit_code == 0, exported.output
        monkeypatch.setitem(app.extensions, "engine", empty_engine)
        with app.app_context():
            imported = runner.invoke(args=["import", str(path)])
            again = runner.invoke(args=["import", str(path)])
        with engine.connect() as conn:
            _, head_hash = event_reads.head(conn)
        assert imported.stdout == f"imported 7 events, head hash {head_hash}\n"
        assert again.exit_code == 1
        assert "the store is not empty (head position 7); refusing" in again.output

    def test_export_to_standard_output_is_pure_ndjson(self, app, client, auth):
        fill(client, auth)
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["export"])
        lines = result.stdout.splitlines()
        assert [json.loads(line)["position"] for line in lines] == [1, 2, 3, 4, 5, 6, 7]
