"""GET /v1/events/live through the Flask test client: frames, resume, limits, errors."""

from __future__ import annotations

import pytest

from service.app import create_app
from service.config import Settings
from service.store import tokens
from tests.builders import swap_body
from tests.sse import parse

# A stream that ends after 0.3 s, so the test client can read it to the end.
SHORT = {"live_max_seconds": 0.3, "live_heartbeat_seconds": 0.1, "live_poll_seconds": 0.02}


@pytest.fixture
def short_client(database_url):
    yield from _client_with_three_swaps(database_url, SHORT)


@pytest.fixture
def quiet_client(database_url):
    """SHORT, but a second before the stream ends: a heartbeat is due every 0.1 s, and a
    0.3 s stream left only 0.2 s of slack for a machine that stalls (CI once saw none)."""
    yield from _client_with_three_swaps(database_url, {**SHORT, "live_max_seconds": 1.0})


def _client_with_three_swaps(database_url, timing):
    app = create_app(Settings(database_url=database_url, **timing))
    engine = app.extensions["engine"]
    auth = {"Authorization": f"Bearer {tokens.create_token(engine, 'newsroom', 'write')}"}
    client = app.test_client()
    for day in ("2026-02-05", "2026-03-05", "2026-03-06"):
        r = client.post("/v1/swaps", json=swap_body(occurred_on=day), headers=auth)
        assert r.status_code == 201
    yield client
    engine.dispose()


class TestLiveFrames:
    def test_each_event_is_a_message_with_its_type_position_and_envelope(self, short_client):
        r = short_client.get("/v1/events/live")
        assert r.status_code == 200
        assert r.mimetype == "text/event-stream"
        assert r.headers["Cache-Control"] == "no-cache"
        assert r.headers["X-Accel-Buffering"] == "no"
        messages = parse(r.get_data(as_text=True))
        assert messages[0].retry == 2000
        events = [m for m in messages if m.data]
        assert [(m.event, m.id) for m in events] == [
            ("swap.completed", "1"),
            ("swap.completed", "2"),
            ("swap.completed", "3"),
        ]
        logged = short_client.get("/v1/events").json["events"]
        assert [m.envelope for m in events] == logged

    def test_heartbeat_comments_keep_a_quiet_stream_open_until_the_maximum_duration(
        self, quiet_client
    ):
        messages = parse(quiet_client.get("/v1/events/live?after=3").get_data(as_text=True))
        assert [m for m in messages if m.data] == []
        assert {c for m in messages for c in m.comments} == {"heartbeat"}

    def test_last_event_id_resumes_after_that_position_and_beats_the_query(self, short_client):
        r = short_client.get("/v1/events/live?after=0", headers={"Last-Event-ID": "2"})
        assert [m.id for m in parse(r.get_data(as_text=True)) if m.data] == ["3"]

    def test_after_resumes_when_no_last_event_id_is_sent(self, short_client):
        r = short_client.get("/v1/events/live?after=1")
        assert [m.id for m in parse(r.get_data(as_text=True)) if m.data] == ["2", "3"]

    def test_a_last_event_id_that_is_not_a_position_is_a_400_problem(self, short_client):
        r = short_client.get("/v1/events/live", headers={"Last-Event-ID": "abc"})
        assert r.status_code == 400
        assert r.content_type == "application/problem+json"
        assert r.json["detail"] == (
            "Last-Event-ID must be the position of an event (a whole number >= 0)"
        )

    def test_a_negative_after_is_a_422_naming_the_parameter(self, short_client):
        r = short_client.get("/v1/events/live?after=-1")
        assert r.status_code == 422
        assert list(r.json["errors"]) == ["after"]
