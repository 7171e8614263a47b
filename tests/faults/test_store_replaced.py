"""A SQLite file deleted or replaced under the running service (``rm``, a restore copied
over it): nothing is read from or written into the file that is gone, and no write into it
is answered 201. (PostgreSQL's counterpart, a database dropped and created again under load:
test_database_cut_off.py.)"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from service.store import faults, sqlite_file
from service.store.append import append_in
from service.store.engine import append_transaction
from tests.builders import new_swap, swap_body
from tests.faults.load import PROBLEM

pytestmark = pytest.mark.faults


@pytest.fixture
def path(backend, database_url) -> Path:
    if backend != "sqlite":
        pytest.skip("a database file deleted or replaced under the service is SQLite's")
    return Path(make_url(database_url).database or "")


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def replace_with(path: Path, other: str) -> None:
    """A restore copied over the store: another store's file (with no WAL beside it)."""
    remove(path)
    shutil.copyfile(make_url(other).database or "", path)


# What the service says while no usable store is at the path: the file it had is gone (the
# connection that had it open), then a new empty file there, with no tables.
GONE = "The database cannot be reached right now."
NOT_MIGRATED = "The database is missing the service's tables (it is not migrated)."


def assert_503(response) -> None:
    assert response.status_code == 503, response.json
    assert response.content_type == PROBLEM
    assert response.json["type"].endswith("/database-unavailable")
    assert response.headers["Retry-After"] == "2"
    assert response.json["detail"].split(" Retry in 2 seconds")[0] in (GONE, NOT_MIGRATED)


def test_deleted_then_replaced_under_the_service(client, auth, path, sqlite_factory):
    assert client.post("/v1/swaps", json=swap_body(), headers=auth).status_code == 201
    assert client.get("/v1/log/head").json["position"] == 1
    remove(path)
    for _ in range(3):  # the committer's held connection, then fresh ones: no file, no tables
        assert_503(client.post("/v1/swaps", json=swap_body(), headers=auth))
        assert_503(client.get("/v1/log/head"))
    other = sqlite_factory.fresh()  # migrated, empty, without the writer's token
    try:
        replace_with(path, other)
        r = client.post("/v1/swaps", json=swap_body(), headers=auth)
        assert (r.status_code, r.json["detail"]) == (401, "the bearer token is not valid")
        assert client.get("/v1/log/head").json["position"] == 0  # the new file's log
    finally:
        sqlite_factory.drop(other)


def test_a_commit_that_landed_in_a_replaced_file_is_not_acknowledged(engine, path, sqlite_factory):
    other = sqlite_factory.fresh()
    try:
        with (
            pytest.raises(sqlite_file.FileReplaced) as raised,
            append_transaction(engine) as conn,
        ):
            append_in(conn, [new_swap("swap/a")], recorded_by="t")
            replace_with(path, other)  # while the transaction is open
        assert faults.unavailable(raised.value)  # answered 503, retried where the store is
    finally:
        sqlite_factory.drop(other)
    with engine.connect() as conn:  # a new connection: the file now at the path
        assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar() == 0


class TestFileIdentity:
    def test_a_connection_knows_its_file_until_it_is_deleted_or_replaced(self, tmp_path):
        path = tmp_path / "a.db"
        path.write_bytes(b"")
        info: dict = {}
        sqlite_file.remember(info, str(path))
        assert not sqlite_file.replaced(info)
        sqlite_file.check(info)
        (tmp_path / "b.db").write_bytes(b"")
        os.replace(tmp_path / "b.db", path)
        assert sqlite_file.replaced(info)
        with pytest.raises(sqlite_file.FileReplaced, match="deleted or replaced"):
            sqlite_file.check(info)
        sqlite_file.remember(info, str(path))
        path.unlink()
        assert sqlite_file.replaced(info)

    def test_a_relative_path_is_kept_absolute(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        Path("a.db").write_bytes(b"")
        info: dict = {}
        sqlite_file.remember(info, "a.db")
        monkeypatch.chdir("/")
        assert not sqlite_file.replaced(info)

    @pytest.mark.parametrize("database", [None, "", ":memory:"])
    def test_a_database_in_memory_has_no_file(self, database):
        info: dict = {}
        sqlite_file.remember(info, database)
        assert not sqlite_file.replaced(info)
