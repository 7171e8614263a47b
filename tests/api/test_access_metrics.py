"""/metrics: requests by endpoint and status, committed events by type, the log head."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.builders import proposal_body, swap_body


def _samples(client) -> dict[tuple[str, tuple], float]:
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.mimetype == "text/plain"
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(r.get_data(as_text=True))
        for s in family.samples
    }


def _value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


class TestMetrics:
    def test_the_head_gauge_follows_the_log(self, client, auth):
        assert _value(_samples(client), "exchange_log_head_position") == 0
        client.post("/v1/swaps", json=swap_body(), headers=auth)
        client.post("/v1/proposals", json=proposal_body(), headers=auth)
        assert _value(_samples(client), "exchange_log_head_position") == 2

    def test_committed_events_are_counted_by_type_and_refused_ones_are_not(self, client, auth):
        name = "exchange_log_events_appended_total"
        before = _samples(client)
        client.post("/v1/swaps", json=swap_body(), headers=auth)
        client.post("/v1/swaps", json=swap_body(occurred_on="2025-01-01"), headers=auth)
        refused = client.post("/v1/swaps", json=swap_body(id="2025-01-01"), headers=auth)
        assert refused.status_code == 409  # rolled back: not counted
        after = _samples(client)
        assert (
            _value(after, name, type="swap.completed") - _value(before, name, type="swap.completed")
            == 2
        )

    def test_requests_are_counted_and_timed_by_route_template_and_status(self, client, auth):
        total = "exchange_log_http_requests_total"
        route = "/v1/events/<uuid:event_id>"
        labels = {"endpoint": route, "method": "GET", "status": "404"}
        before = _samples(client)
        for _ in range(3):
            client.get("/v1/events/6f1c0a55-0000-4000-8000-000000000000")
        after = _samples(client)
        assert _value(after, total, **labels) - _value(before, total, **labels) == 3
        count = "exchange_log_http_request_duration_seconds_count"
        assert _value(after, count, **labels) - _value(before, count, **labels) == 3

    def test_unknown_paths_share_one_label(self, client):
        client.get("/no/such/thing")
        labels = {"endpoint": "unmatched", "method": "GET", "status": "404"}
        assert _value(_samples(client), "exchange_log_http_requests_total", **labels) >= 1


class TestMetricsWithoutADatabase:
    def test_metrics_are_served_without_the_head_when_the_database_is_down(self, tmp_path):
        from service.app import create_app
        from service.config import Settings

        app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/missing/dir/x.db"))
        r = app.test_client().get("/metrics")
        assert r.status_code == 200
        assert "exchange_log_http_requests_total" in r.get_data(as_text=True)
        assert "exchange_log_head_position" not in r.get_data(as_text=True)
