"""A bulk build or restore runs with its own connection settings (store/bulk_session.py):
a larger SQLite page cache, a shorter GIL switch interval on PostgreSQL, and on both no
cyclic garbage collection; all are put back afterwards, also when it fails, and the pooled
connection keeps the default."""

from __future__ import annotations

import gc
import sys

import pytest
import sqlalchemy as sa

from service.readmodel import update
from service.store.backup import export_to, import_from
from service.store.bulk_session import BULK_SWITCH_INTERVAL, SQLITE_BULK_CACHE_KIB
from service.store.engine import append_transaction
from tests.builders import fill


def settings(conn, backend):
    if backend == "sqlite":
        return conn.exec_driver_sql("PRAGMA cache_size").scalar(), gc.isenabled()
    return sys.getswitchinterval(), gc.isenabled()


def bulk_settings(backend):
    return -SQLITE_BULK_CACHE_KIB if backend == "sqlite" else BULK_SWITCH_INTERVAL, False


@pytest.fixture
def seen(monkeypatch, backend):
    """The settings each projection page of a bulk build saw."""
    found = []
    project = update.project

    def observed(conn, events, **kwargs):
        found.append(settings(conn, backend))
        return project(conn, events, **kwargs)

    monkeypatch.setattr(update, "project", observed)
    return found


def test_a_rebuild_runs_with_the_bulk_settings_and_restores_them(
    engine, client, auth, backend, seen
):
    fill(client, auth)
    with engine.connect() as conn:
        default = settings(conn, backend)
    with append_transaction(engine) as conn:
        update.rebuild(conn, batch=3)
        assert settings(conn, backend) == default
    assert default[1] is True
    bulk = bulk_settings(backend)
    assert seen == [bulk, bulk, bulk]
    assert default != bulk


def test_a_failed_rebuild_restores_them_too(engine, client, auth, backend, seen, monkeypatch):
    fill(client, auth)
    with engine.connect() as conn:
        default = settings(conn, backend)

    def failing(conn, page, **_):
        raise RuntimeError("stop")

    monkeypatch.setattr(update, "project", failing)
    with pytest.raises(RuntimeError), append_transaction(engine) as conn:
        update.rebuild(conn)
    with engine.connect() as conn:
        assert settings(conn, backend) == default


def test_a_restore_builds_with_them_and_leaves_the_default(
    engine, empty_engine, client, auth, backend, seen, tmp_path
):
    fill(client, auth)
    with empty_engine.connect() as conn:
        default = settings(conn, backend)
    path = tmp_path / "log.ndjson"
    with path.open("w", encoding="utf-8") as out:
        export_to(engine, out)
    with path.open(encoding="utf-8") as lines:
        import_from(empty_engine, lines)
    bulk = bulk_settings(backend)
    assert seen == [bulk]
    count = sa.text("SELECT count(*) FROM fact_versions")
    with empty_engine.connect() as conn, engine.connect() as source:
        assert settings(conn, backend) == default != bulk
        assert conn.execute(count).scalar() == source.execute(count).scalar() == 8
