"""Live followers do not take the server's threads, and beyond the cap they are refused.

Over gunicorn (service/worker.py hands each stream to the process's hub) and in-process
(the Flask test client serves a stream in its own thread, with the same cap).
"""

from __future__ import annotations

import time

import httpx
import pytest

from service.streaming.slots import SLOTS
from tests.builders import fill, swap_body
from tests.databases import listeners
from tests.servers import running_gunicorn
from tests.sse import LiveStream, parse_block

pytestmark = pytest.mark.slow
QUICK = 5.0  # seconds: far longer than an answer takes, far shorter than a stuck thread


class ChunkedStream:
    """An HTTP/1.1 follower (chunked transfer encoding), read through httpx."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=30.0)
        self.context = self.client.stream("GET", "/v1/events/live")
        self.response = self.context.__enter__()
        assert self.response.status_code == 200
        assert self.response.headers["transfer-encoding"] == "chunked"
        self.lines = self.response.iter_lines()

    def messages(self):
        block: list[str] = []
        for line in self.lines:
            if line == "" and block:
                yield parse_block(block)
                block = []
            elif line:
                block.append(line)

    def next_event(self):
        return next(m for m in self.messages() if m.data)

    def close(self) -> None:
        self.context.__exit__(None, None, None)
        self.client.close()


def test_followers_beyond_the_threads_leave_reads_and_writes_answered(
    database_url, backend, write_token
):
    env = {"GUNICORN_THREADS": "2", "LIVE_HEARTBEAT_SECONDS": "1"}
    with running_gunicorn(database_url, workers=1, env=env) as server:
        raw = [LiveStream(server.base_url) for _ in range(10)]
        chunked = [ChunkedStream(server.base_url) for _ in range(4)]
        assert httpx.get(server.url("/healthz"), timeout=QUICK).status_code == 200
        written = httpx.post(
            server.url("/v1/swaps"),
            json=swap_body(),
            headers={"Authorization": f"Bearer {write_token}"},
            timeout=QUICK,
        )
        assert written.status_code == 201, written.text
        for stream in raw:
            assert [m.envelope for m in stream.events(1)] == [written.json()]
        for stream in chunked:
            assert stream.next_event().envelope == written.json()
        if backend == "postgresql":  # one LISTEN for the whole process, not one per stream
            assert listeners(database_url) == 1
        for stream in raw + chunked:
            stream.close()


def test_followers_beyond_the_cap_are_told_when_to_come_back(database_url):
    with running_gunicorn(database_url, workers=1, env={"LIVE_MAX_FOLLOWERS": "2"}) as server:
        held = [LiveStream(server.base_url) for _ in range(2)]
        refused = httpx.get(server.url("/v1/events/live"), timeout=QUICK)
        assert refused.status_code == 503
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["Retry-After"] == "5"
        assert "live streams" in refused.json()["detail"]
        assert httpx.get(server.url("/healthz"), timeout=QUICK).status_code == 200
        held.pop().close()  # its slot comes free once the hub sees the connection closed
        deadline = time.monotonic() + 10
        while True:
            try:
                held.append(LiveStream(server.base_url))
                break
            except AssertionError:
                assert time.monotonic() < deadline, "the closed stream's slot never came free"
                time.sleep(0.2)
        for stream in held:
            stream.close()


def test_a_chunked_stream_ends_cleanly_at_its_maximum_duration(database_url):
    env = {"LIVE_MAX_SECONDS": "1.5", "LIVE_HEARTBEAT_SECONDS": "0.5"}
    with running_gunicorn(database_url, workers=1, env=env) as server:
        stream = ChunkedStream(server.base_url)
        started = time.monotonic()
        messages = list(stream.messages())  # ends without a protocol error
        assert time.monotonic() - started < 10
        assert messages[0].retry == 2000
        assert any(m.comments == ["heartbeat"] for m in messages[1:])
        stream.close()


def test_in_process_streams_count_against_the_same_cap(client, auth, monkeypatch):
    fill(client, auth)
    monkeypatch.setattr(SLOTS, "limit", SLOTS.taken + 1)
    first = client.get("/v1/events/live", buffered=False)
    assert first.status_code == 200
    refused = client.get("/v1/events/live")
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    first.close()  # the server closes the stream: its slot is given back
    again = client.get("/v1/events/live", buffered=False)
    assert again.status_code == 200
    again.close()
