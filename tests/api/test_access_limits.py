"""Rate limits: per caller, by scope, answered with a 429 problem and Retry-After."""

from __future__ import annotations

import pytest

from service.app import create_app
from service.config import DEFAULT_RATE_LIMITS, Settings
from service.store import tokens
from tests.builders import swap_body


def _app(database_url, **limits):
    rate_limits = {**DEFAULT_RATE_LIMITS, **limits}
    app = create_app(Settings(database_url=database_url, rate_limits=rate_limits))
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def tight_app(database_url):
    yield from _app(database_url, anonymous="2/minute", write="3/minute")


class TestRateLimits:
    def test_the_request_over_the_limit_gets_a_429_problem_with_retry_after(self, tight_app):
        client = tight_app.test_client()
        assert [client.get("/v1/log/head").status_code for _ in range(2)] == [200, 200]
        r = client.get("/v1/log/head")
        assert r.status_code == 429
        assert r.mimetype == "application/problem+json"
        assert r.json["status"] == 429
        assert r.json["title"] == "Too Many Requests"
        assert r.json["type"] == "https://pow-exchange-log.example/problems/too-many-requests"
        assert r.json["detail"].startswith("Too many requests: the limit is 2 per 1 minute;")
        assert 1 <= int(r.headers["Retry-After"]) <= 60

    def test_a_token_is_counted_by_name_under_its_scope_limit(self, tight_app):
        client = tight_app.test_client()
        secret = tokens.create_token(tight_app.extensions["engine"], "newsroom", "write")
        auth = {"Authorization": f"Bearer {secret}"}
        for _ in range(2):  # the anonymous allowance is spent...
            client.get("/v1/log/head")
        assert client.get("/v1/log/head").status_code == 429
        # ...but the token has its own count, with the write scope's limit of 3.
        statuses = [
            client.post("/v1/swaps", json=swap_body(occurred_on=f"2025-01-0{d}"), headers=auth)
            for d in (1, 2, 3, 4)
        ]
        assert [r.status_code for r in statuses] == [201, 201, 201, 429]

    def test_the_refused_request_writes_nothing(self, tight_app):
        client = tight_app.test_client()
        secret = tokens.create_token(tight_app.extensions["engine"], "newsroom", "write")
        auth = {"Authorization": f"Bearer {secret}"}
        for d in (1, 2, 3):
            client.post("/v1/swaps", json=swap_body(occurred_on=f"2025-01-0{d}"), headers=auth)
        r = client.post("/v1/swaps", json=swap_body(occurred_on="2025-01-09"), headers=auth)
        assert r.status_code == 429
        head = client.get("/v1/log/head", headers=auth)
        assert head.status_code == 429  # the token's allowance covers reads too
        with tight_app.extensions["engine"].connect() as conn:
            from service.store import event_reads

            assert event_reads.head(conn)[0] == 3

    def test_probes_metrics_and_docs_are_never_limited(self, tight_app):
        client = tight_app.test_client()
        for path in ("/healthz", "/readyz", "/metrics", "/openapi.yaml", "/docs/"):
            assert [client.get(path).status_code for _ in range(4)] == [200] * 4, path

    def test_limits_can_be_switched_off(self, database_url):
        settings = Settings(
            database_url=database_url,
            rate_limit_enabled=False,
            rate_limits={**DEFAULT_RATE_LIMITS, "anonymous": "1/minute"},
        )
        client = create_app(settings).test_client()
        assert [client.get("/v1/log/head").status_code for _ in range(3)] == [200] * 3


class TestRateLimitSettings:
    def test_limits_storage_and_origins_come_from_the_environment(self):
        settings = Settings.from_env(
            {
                "DATABASE_URL": "sqlite://",
                "RATE_LIMIT_ANONYMOUS": "10/second",
                "RATE_LIMIT_ADMIN": "5 per minute",
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
                "CORS_ORIGINS": "https://a.example, https://b.example",
            }
        )
        assert settings.rate_limits == {
            "anonymous": "10/second",
            "read": "1200/minute",
            "write": "600/minute",
            "admin": "5 per minute",
        }
        assert settings.ratelimit_storage_uri == "redis://127.0.0.1:6379/0"
        assert settings.cors_origins == ("https://a.example", "https://b.example")
        assert settings.rate_limit_enabled is True
