"""SQLite appenders take turns on a lock file beside the database (store/sqlite_turns): an
append waits for the turn and goes on once it is given up, a turn not given within the busy
timeout is a 503 and leaves the turn free, and a dead holder's turn is released by the
kernel. PostgreSQL and in-memory SQLite take no turns."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from service.store import engine as store_engine
from service.store.sqlite_turns import LOCK_SUFFIX, lock_path
from tests.builders import swap_body
from tests.faults.load import PROBLEM


@pytest.fixture
def turns(backend, engine) -> str:
    if backend != "sqlite":
        pytest.skip("SQLite's appenders take turns; PostgreSQL's take an advisory lock")
    with engine.connect() as conn:
        path = lock_path(conn)
    assert path == f"{engine.url.database}{LOCK_SUFFIX}"
    return path


@contextmanager
def held(path: str) -> Iterator[None]:
    """The turn held as another writer holds it (its own open file, flock)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)


def head(client) -> int:
    return client.get("/v1/log/head").json["position"]


def test_an_append_waits_for_the_turn_and_goes_on_once_it_is_given_up(client, auth, turns):
    answers: list = []
    with held(turns):
        writer = threading.Thread(
            target=lambda: answers.append(client.post("/v1/swaps", json=swap_body(), headers=auth))
        )
        writer.start()
        writer.join(0.5)
        assert writer.is_alive() and not answers  # it cannot append while the turn is held
        assert head(client) == 0
    writer.join(30)
    assert [a.status_code for a in answers] == [201]
    assert head(client) == 1


def test_a_turn_not_given_within_the_busy_timeout_is_a_503_and_leaves_it_free(
    client, auth, turns, monkeypatch
):
    monkeypatch.setattr(store_engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    with held(turns):
        refused = client.post("/v1/swaps", json=swap_body(), headers=auth)
    assert refused.status_code == 503, refused.json
    assert refused.content_type == PROBLEM
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.json["type"].endswith("/database-unavailable")
    assert refused.json["detail"].startswith("The database cannot be reached right now.")
    assert head(client) == 0
    # The abandoned wait took the turn once it was given up, and let it go at once.
    assert client.post("/v1/swaps", json=swap_body(), headers=auth).status_code == 201
    with held(turns):  # free again: taken here without waiting
        pass
    assert head(client) == 1


def test_the_turn_of_a_killed_process_is_released(client, auth, turns):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(600)\n",
            turns,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(BlockingIOError), held(turns):
            pass
    finally:
        holder.kill()
        holder.wait()
    assert client.post("/v1/swaps", json=swap_body(), headers=auth).status_code == 201


def test_turns_are_taken_on_sqlite_files_only(backend, engine, client, auth):
    assert client.post("/v1/swaps", json=swap_body(), headers=auth).status_code == 201
    with engine.connect() as conn:
        path = lock_path(conn)
    if backend == "postgresql":
        assert path is None
    else:
        assert path is not None and os.path.exists(path)
    memory = sa.create_engine("sqlite://")
    with memory.connect() as conn:
        assert lock_path(conn) is None
    memory.dispose()
