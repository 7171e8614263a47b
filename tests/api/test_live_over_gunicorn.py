"""The live feed over a real socket against gunicorn (2 gthread workers), on both stores."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.builders import swap_body
from tests.databases import listeners
from tests.servers import ROOT, running_gunicorn
from tests.sse import READ_TIMEOUT, LiveStream

pytestmark = pytest.mark.slow


def _post_swaps(base: str, token: str, days: list[str]) -> list[dict]:
    auth = {"Authorization": f"Bearer {token}"}
    created = []
    for day in days:
        r = httpx.post(f"{base}/v1/swaps", json=swap_body(occurred_on=day), headers=auth)
        assert r.status_code == 201, r.text
        created.append(r.json())
    return created


@pytest.fixture
def server(database_url, tmp_path, write_token):
    with running_gunicorn(database_url, env={"LIVE_HEARTBEAT_SECONDS": "1"}) as server:
        base = server.base_url
        yield base


class TestLiveOverGunicorn:
    def test_events_appended_by_another_process_arrive_in_order_exactly_once(
        self, server, database_url
    ):
        stream = LiveStream(server)
        assert stream.status_line.endswith("200 OK")
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.headers["x-accel-buffering"] == "no"
        env = {**os.environ, "DATABASE_URL": database_url}
        result = subprocess.run(
            [str(Path(sys.executable).parent / "exchange-log"), "import-history"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.stdout == "history: appended 119, corrected 0, already present 0\n", (
            result.stderr
        )
        received = stream.events(119)
        stream.close()
        logged = httpx.get(f"{server}/v1/events?limit=1000").json()["events"]
        assert [m.id for m in received] == [str(p) for p in range(1, 120)]
        assert [m.envelope for m in received] == logged
        assert [m.event for m in received] == [e["type"] for e in logged]

    def test_a_client_that_reconnects_with_last_event_id_misses_nothing(self, server, write_token):
        first = LiveStream(server)
        _post_swaps(server, write_token, ["2026-02-05", "2026-03-05"])
        assert [m.id for m in first.events(2)] == ["1", "2"]
        first.close()
        missed = _post_swaps(server, write_token, ["2026-03-06", "2026-04-11"])
        second = LiveStream(server, last_event_id=2)
        assert [m.envelope["id"] for m in second.events(2)] == [e["id"] for e in missed]
        later = _post_swaps(server, write_token, ["2026-04-24"])
        message = second.next_message()
        while not message.data:
            assert message.comments == ["heartbeat"]
            message = second.next_message()
        assert (message.id, message.envelope["id"]) == ("5", later[0]["id"])
        second.close()


@pytest.fixture
def postgres_server(postgresql_factory, tmp_path):
    url = postgresql_factory.fresh()
    with running_gunicorn(url, env={"LIVE_HEARTBEAT_SECONDS": "1"}) as server:
        base = server.base_url
        yield base, url
    postgresql_factory.drop(url)


class TestStreamsEnd:
    def test_a_disconnected_client_releases_its_listening_connection(self, postgres_server):
        server, database_url = postgres_server
        stream = LiveStream(server)
        deadline = time.monotonic() + READ_TIMEOUT  # the hub's waker connects on its own
        while listeners(database_url) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert listeners(database_url) == 1
        stream.close()
        deadline = time.monotonic() + READ_TIMEOUT
        while listeners(database_url) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert listeners(database_url) == 0
