"""The service under gunicorn over a real socket: two workers, one write and one read."""

from __future__ import annotations

import httpx
import pytest

from service.store import tokens
from service.wiring import open_log
from tests.builders import swap_body
from tests.servers import running_gunicorn

pytestmark = pytest.mark.slow


def _create_token(database_url: str, name: str, scope: str = "write") -> str:
    engine = open_log(database_url)
    try:
        return tokens.create_token(engine, name, scope)
    finally:
        engine.dispose()


class TestGunicornSmoke:
    def test_a_write_and_a_read_go_through_gunicorn_with_two_workers(self, database_url):
        secret = _create_token(database_url, "smoke")
        with running_gunicorn(database_url, workers=2) as server:
            with httpx.Client(base_url=server.base_url, timeout=10.0) as http:
                written = http.post(
                    "/v1/swaps", json=swap_body(), headers={"Authorization": f"Bearer {secret}"}
                )
                assert written.status_code == 201, written.text
                assert written.json()["position"] == 1
                assert written.json()["stream"] == "swap/2026-02-05"
                assert written.json()["recorded_by"] == "smoke"

                read = http.get(written.headers["Location"])
                assert read.status_code == 200
                assert read.json() == written.json()

                head = http.get("/v1/log/head")
                assert head.json() == {"position": 1, "hash": written.json()["hash"]}
            assert server.stop() == 0, server.output()

    def test_a_server_that_never_gets_ready_fails_showing_its_output(self, tmp_path):
        unmigrated = f"sqlite:///{tmp_path / 'empty.db'}"
        with (
            pytest.raises(RuntimeError) as caught,
            running_gunicorn(unmigrated, workers=1, ready_timeout=3),
        ):
            pass  # pragma: no cover - never reached
        message = str(caught.value)
        assert "did not become ready" in message
        assert 'GET /readyz HTTP/1.1" 503' in message  # the captured access log
