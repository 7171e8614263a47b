"""A token revoked while its streams run: the live feed and the NDJSON log end, soon."""

from __future__ import annotations

import time
from datetime import date

import pytest

from service.api.events import StreamRevoked
from service.app import create_app
from service.config import Settings
from service.store import tokens
from service.store.append import append
from tests.builders import new_swap
from tests.sse import parse

# The test's timeout is the bound: a stream that went on after its token was revoked would
# run for the hour LIVE_MAX_SECONDS allows (or, NDJSON, to its end) and fail it.
pytestmark = [pytest.mark.faults, pytest.mark.timeout(60)]

CHECK_SECONDS = 0.1
NDJSON = "application/x-ndjson"


@pytest.fixture(params=[True, False], ids=["reads-private", "reads-public"])
def app(request, database_url):
    app = create_app(
        Settings(
            database_url=database_url,
            reads_private=request.param,
            live_max_seconds=3600,
            live_heartbeat_seconds=0.05,
            live_poll_seconds=0.02,
            stream_token_check_seconds=CHECK_SECONDS,
        )
    )
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def monitor(engine) -> dict[str, str]:
    """Headers of a reader whose token the test revokes."""
    return {"Authorization": f"Bearer {tokens.create_token(engine, 'monitor', 'read')}"}


class TestLiveStream:
    def test_it_ends_once_its_token_is_revoked_and_the_reconnect_is_a_401(
        self, client, engine, monitor
    ):
        append(engine, [new_swap()], recorded_by="newsroom")
        response = client.get("/v1/events/live", headers=monitor, buffered=False)
        assert response.status_code == 200
        chunks = iter(response.response)
        received = [next(chunks), next(chunks)]  # retry:, then the event
        tokens.revoke_token(engine, "monitor")
        received.extend(chunks)  # returns: the stream ended
        messages = parse("".join(c.decode() if isinstance(c, bytes) else c for c in received))
        assert [m.id for m in messages if m.data] == ["1"]
        again = client.get("/v1/events/live", headers={**monitor, "Last-Event-ID": "1"})
        assert again.status_code == 401

    def test_a_stream_opened_without_a_token_is_not_affected_by_revocations(
        self, app, client, engine, monitor
    ):
        if app.config["SETTINGS"].reads_private:
            pytest.skip("private reads need a token")
        response = client.get("/v1/events/live", buffered=False)
        chunks = iter(response.response)
        next(chunks)
        tokens.revoke_token(engine, "monitor")
        time.sleep(3 * CHECK_SECONDS)
        assert b"heartbeat" in next(chunks)  # still going


class TestNdjsonStream:
    def test_it_is_cut_off_once_its_token_is_revoked(self, client, engine, monitor):
        swaps = [new_swap(None, occurred_on=date(2025, 1, 1 + i % 28)) for i in range(1200)]
        append(engine, swaps, recorded_by="newsroom")
        response = client.get("/v1/events", headers={**monitor, "Accept": NDJSON}, buffered=False)
        assert (response.status_code, response.mimetype) == (200, NDJSON)
        chunks = iter(response.response)
        lines = [next(chunks)]
        tokens.revoke_token(engine, "monitor")
        time.sleep(2 * CHECK_SECONDS)  # the next batch re-checks the token
        with pytest.raises(StreamRevoked):
            lines.extend(chunks)
        # The server aborts the response (no final chunk): the client sees a broken stream,
        # never what looks like the whole log.
        assert 1 <= len(lines) < 1200
