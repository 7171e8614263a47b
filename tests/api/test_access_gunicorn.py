"""Access rules and metrics as the real server applies them: gunicorn, two worker processes."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from service.store import tokens
from tests.servers import running_gunicorn

pytestmark = pytest.mark.slow
REQUESTS = 12


@pytest.fixture
def server(database_url):
    with running_gunicorn(database_url, workers=2) as running:
        yield running.base_url


def _fresh_get(url: str, **kwargs) -> httpx.Response:
    # A new connection per request, so the workers share the requests between them.
    with httpx.Client(timeout=10) as client:
        return client.get(url, **kwargs)


class TestUnderGunicorn:
    def test_no_server_banner_and_the_security_headers(self, server):
        r = _fresh_get(f"{server}/v1/log/head")
        assert r.headers["server"] == "pow-exchange-log"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"

    def test_a_revoked_token_is_refused_by_every_worker_at_once(self, server, engine):
        secret = tokens.create_token(engine, "desk", "read")
        auth = {"Authorization": f"Bearer {secret}"}
        before = [_fresh_get(f"{server}/v1/log/head", headers=auth).status_code for _ in range(6)]
        assert before == [200] * 6
        tokens.revoke_token(engine, "desk")
        after = [_fresh_get(f"{server}/v1/log/head", headers=auth) for _ in range(REQUESTS)]
        assert [r.status_code for r in after] == [401] * REQUESTS
        assert {r.json()["detail"] for r in after} == {"the bearer token was revoked"}

    def test_metrics_add_up_every_workers_requests(self, server):
        # The readiness wait of the server helper already made requests: count the increase.
        before = _readyz_count(server)
        for _ in range(REQUESTS):
            assert _fresh_get(f"{server}/readyz").status_code == 200
        assert _readyz_count(server) - before == REQUESTS


def _readyz_count(server: str) -> float:
    text = _fresh_get(f"{server}/metrics").text
    counts = {
        tuple(sorted(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "exchange_log_http_requests_total"
    }
    return counts.get((("endpoint", "/readyz"), ("method", "GET"), ("status", "200")), 0.0)


REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_server():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    keys = lambda: client.keys("LIMITS:LIMITER/pel/addr:*/global/5/1/minute")  # noqa: E731
    for key in keys():
        client.delete(key)
    yield client
    for key in keys():
        client.delete(key)


class TestSharedRateLimits:
    def test_with_redis_storage_all_workers_share_one_allowance(self, database_url, redis_server):
        env = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATE_LIMIT_ANONYMOUS": "5/minute"}
        with running_gunicorn(database_url, workers=2, env=env) as running:
            statuses = [
                _fresh_get(f"{running.base_url}/v1/log/head").status_code for _ in range(REQUESTS)
            ]
        assert statuses == [200] * 5 + [429] * (REQUESTS - 5)
