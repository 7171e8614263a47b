"""Export and import: a restore reproduces positions, ids and hashes, or refuses loudly."""

from __future__ import annotations

import io
import json

import pytest

from service.store import event_reads
from service.store.backup import BackupRejected, export_to, import_from
from service.wiring import open_log
from tests.builders import fill
from tests.databases import empty_store


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
