"""A write acknowledged with 201 survives the server being killed right after (SQLite file)."""

from __future__ import annotations

import httpx
import pytest

from service.domain.hashing import first_bad_position
from service.store import event_reads, tokens
from service.wiring import open_log
from tests.builders import swap_body
from tests.servers import running_gunicorn

pytestmark = pytest.mark.slow


@pytest.fixture
def sqlite_url(sqlite_factory):
    url = sqlite_factory.fresh()
    yield url
    sqlite_factory.drop(url)


def _token(url: str) -> str:
    engine = open_log(url)
    try:
        return tokens.create_token(engine, "newsroom", "write")
    finally:
        engine.dispose()


class TestDurability:
    def test_an_acknowledged_write_survives_kill_9_of_master_and_workers(self, sqlite_url):
        headers = {"Authorization": f"Bearer {_token(sqlite_url)}"}
        with running_gunicorn(sqlite_url, workers=2) as server:
            first = httpx.post(server.url("/v1/swaps"), json=swap_body(id="first"), headers=headers)
            written = httpx.post(server.url("/v1/swaps"), json=swap_body(), headers=headers)
            assert (first.status_code, written.status_code) == (201, 201), written.text
            server.kill()  # SIGKILL to the whole process group, right after the 201
            assert server.process.returncode == -9

        with running_gunicorn(sqlite_url, workers=2) as server:
            again = httpx.get(server.url(f"/v1/events/{written.json()['id']}"))
            assert again.status_code == 200
            assert again.json() == written.json()
            head = httpx.get(server.url("/v1/log/head")).json()
            assert head == {"position": 2, "hash": written.json()["hash"]}

        engine = open_log(sqlite_url)
        try:
            with engine.connect() as conn:
                assert first_bad_position(event_reads.raw_rows(conn)) is None
        finally:
            engine.dispose()
