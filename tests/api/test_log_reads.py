"""The raw log over HTTP: pages, cursors, filters, NDJSON, single events, the head."""

from __future__ import annotations

import json

from tests.builders import fill


class TestEventPages:
    def test_events_come_in_position_order_with_a_next_link(self, client, auth):
        created = fill(client, auth)
        r = client.get("/v1/events?limit=2")
        assert r.status_code == 200
        assert [e["position"] for e in r.json["events"]] == [1, 2]
        assert r.json["next_after"] == 2
        assert r.headers["Link"] == '</v1/events?after=2&limit=2>; rel="next"'
        r = client.get("/v1/events?after=5&limit=2")
        assert [e["id"] for e in r.json["events"]] == [created[5]["id"], created[6]["id"]]
        assert r.json["next_after"] is None
        assert "Link" not in r.headers

    def test_type_and_stream_filters_narrow_the_log(self, client, auth):
        fill(client, auth)
        r = client.get("/v1/events?type=proposal.made")
        assert [e["type"] for e in r.json["events"]] == ["proposal.made"]
        r = client.get("/v1/events?stream=swap/jan")
        assert [e["stream"] for e in r.json["events"]] == ["swap/jan"]

    def test_limit_over_1000_is_a_422_problem(self, client):
        r = client.get("/v1/events?limit=1001")
        assert r.status_code == 422
        assert r.content_type == "application/problem+json"
        assert "limit" in r.json["errors"]

    def test_ndjson_streams_every_event_as_one_line_each(self, client, auth):
        created = fill(client, auth)
        r = client.get("/v1/events", headers={"Accept": "application/x-ndjson"})
        assert r.status_code == 200
        assert r.mimetype == "application/x-ndjson"
        lines = [json.loads(line) for line in r.data.decode().splitlines()]
        assert [e["id"] for e in lines] == [c["id"] for c in created]


class TestSingleEventAndHead:
    def test_an_event_is_readable_by_id(self, client, auth):
        created = fill(client, auth)[0]
        r = client.get(f"/v1/events/{created['id']}")
        assert r.status_code == 200
        assert r.json == created

    def test_an_unknown_event_is_a_404_problem(self, client):
        r = client.get("/v1/events/00000000-0000-4000-8000-000000000000")
        assert r.status_code == 404
        assert r.content_type == "application/problem+json"
        assert r.json["detail"] == "there is no event 00000000-0000-4000-8000-000000000000"

    def test_head_of_an_empty_log_is_position_zero(self, client):
        assert client.get("/v1/log/head").json == {"position": 0, "hash": None}

    def test_head_names_the_last_position_and_hash(self, client, auth):
        created = fill(client, auth)
        assert client.get("/v1/log/head").json == {
            "position": 7,
            "hash": created[-1]["hash"],
        }
