"""Hostile requests against the real server: gunicorn with gunicorn.conf.py (issue 10).

- item 9: the access log never holds a credential (gunicorn's default ``%(u)s`` decoded the
  user of a Basic Authorization header, so ``curl -u "$TOKEN:"`` logged the secret);
- item 3: an invented method (gunicorn passes any 3-20 letter token) is labelled ``OTHER``;
- item 5: behind ``TRUSTED_PROXIES=1`` each client has its own anonymous allowance.

Storage plays no part here: one SQLite database.
"""

from __future__ import annotations

import base64
import time
import uuid

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from service.store import tokens
from service.wiring import open_log
from tests.servers import running_gunicorn

pytestmark = [pytest.mark.slow, pytest.mark.hostile]


@pytest.fixture(scope="module")
def server(sqlite_factory):
    url = sqlite_factory.fresh()
    engine = open_log(url)
    secret = tokens.create_token(engine, "desk", "read")
    engine.dispose()
    env = {"TRUSTED_PROXIES": "1", "RATE_LIMIT_ANONYMOUS": "2/minute"}
    with running_gunicorn(url, workers=1, env=env) as running:
        yield running, secret
    sqlite_factory.drop(url)


def _logged(server, marker: str, timeout: float = 10.0) -> str:
    """The server's output once the access-log line holding ``marker`` was written."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = server.output()
        if marker in output:
            return output
        time.sleep(0.05)
    raise AssertionError(f"no access-log line with {marker!r}:\n{server.output()}")


def test_the_access_log_never_holds_a_token(server):
    running, secret = server
    basic = base64.b64encode(f"{secret}:".encode()).decode()
    named = base64.b64encode(b"editor-in-chief:hunter2").decode()
    markers = []
    for header in (f"Basic {basic}", f"Bearer {secret}", f"Basic {named}"):
        marker = uuid.uuid4().hex
        markers.append(marker)
        httpx.get(
            running.url(f"/healthz?m={marker}"), headers={"Authorization": header}, timeout=10
        )
    output = _logged(running, markers[-1])
    lines = [line for line in output.splitlines() if any(m in line for m in markers)]
    assert len(lines) == 3, output
    assert secret not in output
    assert "editor-in-chief" not in output and "hunter2" not in output
    assert all('"GET /healthz?m=' in line and " - - [" in line for line in lines), lines


def test_an_invented_method_is_labelled_other(server):
    running, _ = server
    r = httpx.request("FOOBARBAZ", running.url("/v1/events"), timeout=10)
    assert r.status_code == 405
    text = httpx.get(running.url("/metrics"), timeout=10).text
    methods = {
        s.labels["method"]
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "exchange_log_http_requests_total"
    }
    assert "OTHER" in methods and "FOOBARBAZ" not in methods


def test_each_client_behind_the_proxy_has_its_own_allowance(server):
    running, _ = server

    def statuses(client_address: str) -> list[int]:
        headers = {"X-Forwarded-For": client_address}
        with httpx.Client(timeout=10) as client:
            return [
                client.get(running.url("/v1/log/head"), headers=headers).status_code
                for _ in range(3)
            ]

    assert statuses("203.0.113.7") == [200, 200, 429]
    assert statuses("198.51.100.9") == [200, 200, 429]
