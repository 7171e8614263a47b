"""Projection answers kept per log position (service/api/answers.py): never stale, never
another request's, served with this request's own headers."""

from __future__ import annotations

import pytest

from service.api import metrics
from service.app import create_app
from service.config import Settings
from service.readmodel import reports
from tests.builders import fill, post, swap_body


@pytest.fixture
def built(monkeypatch):
    """How many times the gap report was built (not served from kept answers)."""
    calls = []
    original = reports.gap_report

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(metrics, "gap_report", counting)
    return calls


def test_an_unchanged_log_is_answered_without_building_again(client, auth, built):
    fill(client, auth)
    first = client.get("/v1/metrics/gaps")
    second = client.get("/v1/metrics/gaps")
    assert first.status_code == second.status_code == 200
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["X-Log-Position"] == first.headers["X-Log-Position"] == "7"
    assert len(built) == 1


def test_a_write_then_the_next_read_reflects_it(client, auth, built):
    fill(client, auth)
    before = client.get("/v1/metrics/gaps").get_json()
    post(client, auth, "/v1/swaps", swap_body(id="apr", occurred_on="2026-04-01"))
    after = client.get("/v1/metrics/gaps")
    assert after.headers["X-Log-Position"] == "8"
    assert after.get_json()["as_of_position"] == 8
    assert len(after.get_json()["gaps"]) == len(before["gaps"]) + 1
    assert len(built) == 2


def test_as_of_answers_do_not_change_as_the_log_grows(client, auth):
    fill(client, auth)
    then = client.get("/v1/metrics/summary?as_of=4")
    post(client, auth, "/v1/swaps", swap_body(id="apr", occurred_on="2026-04-01"))
    again = client.get("/v1/metrics/summary?as_of=4")
    now = client.get("/v1/metrics/summary")
    assert again.data == then.data
    assert again.headers["X-Log-Position"] == "4"
    assert now.get_json()["as_of_position"] == 8
    assert now.data != then.data


def test_a_kept_answer_is_revalidated_with_its_etag(client, auth, built):
    fill(client, auth)
    etag = client.get("/v1/metrics/gaps").headers["ETag"]
    unchanged = client.get("/v1/metrics/gaps", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.headers["ETag"] == etag
    assert unchanged.headers["X-Log-Position"] == "7"
    assert unchanged.data == b""
    post(client, auth, "/v1/swaps", swap_body(id="apr", occurred_on="2026-04-01"))
    changed = client.get("/v1/metrics/gaps", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_each_representation_is_kept_apart(client, auth):
    fill(client, auth)
    for _ in range(2):
        csv = client.get("/v1/timeline", headers={"Accept": "text/csv"})
        json_ = client.get("/v1/timeline", headers={"Accept": "application/json"})
        assert csv.status_code == json_.status_code == 200
        assert csv.mimetype == "text/csv"
        assert json_.mimetype == "application/json"
        assert json_.get_json()["as_of_position"] == 7


PARTNER = "https://partner.example"


def _app(database_url: str, **settings):
    app = create_app(Settings(database_url=database_url, **settings))
    app.config["TESTING"] = True
    return app


def test_a_kept_answer_carries_this_requests_headers_not_the_first_ones(database_url, auth):
    app = _app(database_url, cors_origins=(PARTNER,))
    client = app.test_client()
    fill(client, auth)
    first = client.get("/v1/metrics/gaps", headers={"Origin": PARTNER})
    second = client.get("/v1/metrics/gaps", headers={"Origin": "https://other.example"})
    third = client.get("/v1/metrics/gaps", headers={"Origin": PARTNER})
    assert second.data == first.data == third.data
    assert first.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "Access-Control-Allow-Origin" not in second.headers
    assert third.headers.getlist("Access-Control-Allow-Origin") == [PARTNER]
    assert second.headers.getlist("ETag") == first.headers.getlist("ETag")  # not doubled
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    app.extensions["engine"].dispose()


def test_invalid_queries_are_refused_every_time(client, auth):
    fill(client, auth)
    assert client.get("/v1/metrics/gaps").status_code == 200
    for _ in range(2):
        refused = client.get("/v1/metrics/gaps?from=yesterday")
        assert refused.status_code == 422
        assert refused.mimetype == "application/problem+json"


def test_private_reads_still_need_a_token_once_an_answer_is_kept(database_url, auth):
    app = _app(database_url, reads_private=True)
    client = app.test_client()
    fill(client, auth)
    assert client.get("/v1/metrics/gaps", headers=auth).status_code == 200
    refused = client.get("/v1/metrics/gaps")
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    app.extensions["engine"].dispose()
