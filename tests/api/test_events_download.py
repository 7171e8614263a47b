"""GET /v1/events?format=ndjson: the NDJSON log behind a plain download link."""

from __future__ import annotations

import json

from ..builders import post, proposal_body, swap_body


class TestNdjsonDownload:
    def test_format_ndjson_streams_every_event_as_accept_does(self, client, auth):
        written = [
            post(client, auth, "/v1/swaps", swap_body()),
            post(client, auth, "/v1/proposals", proposal_body()),
        ]
        r = client.get("/v1/events?format=ndjson")
        assert r.status_code == 200
        assert r.mimetype == "application/x-ndjson"
        lines = [json.loads(line) for line in r.get_data(as_text=True).splitlines()]
        assert [e["id"] for e in lines] == [e["id"] for e in written]
        by_accept = client.get("/v1/events", headers={"Accept": "application/x-ndjson"})
        assert by_accept.get_data() == r.get_data()

    def test_format_json_is_a_page_whatever_accept_says(self, client, auth):
        post(client, auth, "/v1/swaps", swap_body())
        r = client.get("/v1/events?format=json", headers={"Accept": "application/x-ndjson"})
        assert r.mimetype == "application/json"
        assert len(r.get_json()["events"]) == 1

    def test_another_format_is_a_422(self, client):
        r = client.get("/v1/events?format=csv")
        assert r.status_code == 422
        assert r.get_json()["errors"] == {"format": ["Must be one of: json, ndjson."]}
