"""Hostile requests (issue 10): crafted bodies, invented methods, floods of anonymous reads of
the OpenAPI document, forged proxy headers, cursors past 64 bits, /metrics of a private log."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

import service.api.openapi as openapi_module
from service.app import create_app
from service.config import DEFAULT_RATE_LIMITS, Settings
from service.store import tokens
from tests.builders import swap_body

pytestmark = pytest.mark.hostile
MIB = 1024 * 1024
REQUESTS_TOTAL = "exchange_log_http_requests_total"
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"}


def make_app(database_url: str, **settings):
    app = create_app(Settings(database_url=database_url, **settings))
    yield app
    app.extensions["engine"].dispose()


def request_series(client, headers=None) -> set[tuple[tuple[str, str], ...]]:
    text = client.get("/metrics", headers=headers or {}).get_data(as_text=True)
    return {
        tuple(sorted(s.labels.items()))
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == REQUESTS_TOTAL
    }


class TestCraftedBody:
    """Item 2: the body that froze a worker for an hour is answered at once."""

    @pytest.mark.timeout(60)  # a hang guard only; the old tokenizer took about an hour
    @pytest.mark.parametrize("token", [False, True], ids=["anonymous", "writer"])
    def test_a_pathological_mebibyte_is_answered(self, client, auth, token):
        head = b"[]" * 33 + b'"'
        body = head + b'\\"' * ((MIB - len(head)) // 2)
        r = client.post(
            "/v1/swaps",
            data=body,
            content_type="application/json",
            headers=auth if token else {},
        )
        assert r.status_code == (400 if token else 401)
        assert r.mimetype == "application/problem+json"


class TestMetricLabels:
    """Item 3: a client cannot add series to the request counter."""

    def test_invented_methods_share_one_label(self, client):
        for method in ("FOOBAR", "PROPFIND", "QWERTYUIOPASDFGHJKLZ"):
            assert client.open("/v1/events", method=method).status_code == 405
        series = request_series(client)
        assert {dict(s)["method"] for s in series} <= KNOWN_METHODS
        assert (("endpoint", "unmatched"), ("method", "OTHER"), ("status", "405")) in series

    def test_floods_of_unknown_paths_methods_and_429s_add_a_bounded_number_of_series(
        self, database_url
    ):
        limits = {**DEFAULT_RATE_LIMITS, "anonymous": "3/minute"}
        for app in make_app(database_url, rate_limits=limits):
            client = app.test_client()
            client.get("/v1/log/head")
            before = request_series(client)
            statuses = set()
            for i in range(60):
                method = ("GET", "POST", f"X{i:03d}Y")[i % 3]
                path = (f"/nothing/{i}", "/v1/log/head", f"/v1/events/{i}")[i // 3 % 3]
                statuses.add(client.open(path, method=method).status_code)
            new = request_series(client) - before
        assert 429 in statuses
        assert {dict(s)["endpoint"] for s in new} <= {"unmatched", "/v1/log/head"}
        assert {dict(s)["method"] for s in new} <= {"GET", "POST", "OTHER"}
        assert len(new) <= 8  # 2 endpoints x 3 methods x the few statuses, not 60


class TestOpenApiDocument:
    """Item 4: rendered once per process, served with an ETag."""

    def test_rendered_once_and_revalidated_with_a_304(self, database_url, monkeypatch):
        calls = []
        real = openapi_module.spec_yaml
        monkeypatch.setattr(openapi_module, "spec_yaml", lambda api: calls.append(1) or real(api))
        for app in make_app(database_url):
            client = app.test_client()
            first, *_more = [client.get("/openapi.yaml") for _ in range(3)]
            etag = first.headers["ETag"]
            again = client.get("/openapi.yaml", headers={"If-None-Match": etag})
            json_doc = client.get("/openapi.json")
            json_again = client.get(
                "/openapi.json", headers={"If-None-Match": json_doc.headers["ETag"]}
            )
        assert len(calls) == 1
        assert first.status_code == 200 and first.mimetype == "application/yaml"
        assert again.status_code == 304 and again.data == b""
        assert json_doc.status_code == 200 and json_doc.json["openapi"] == "3.0.3"
        assert json_again.status_code == 304

    def test_prime_renders_before_any_request(self, database_url):
        for app in make_app(database_url):
            api = app.extensions["api"]
            api.prime()
            body, etag = api.rendered("yaml")
            r = app.test_client().get("/openapi.yaml")
        assert r.data == body and r.headers["ETag"] == f'"{etag}"'


class TestTrustedProxies:
    """Item 5: behind a proxy, anonymous callers are counted by their own address."""

    def _statuses(self, client, forwarded_for: str, n: int = 3) -> list[int]:
        headers = {"X-Forwarded-For": forwarded_for}
        return [client.get("/v1/log/head", headers=headers).status_code for _ in range(n)]

    def test_with_one_trusted_proxy_each_client_has_its_own_allowance(self, database_url):
        limits = {**DEFAULT_RATE_LIMITS, "anonymous": "2/minute"}
        for app in make_app(database_url, rate_limits=limits, trusted_proxies=1):
            client = app.test_client()  # every request comes from the proxy, 127.0.0.1
            assert self._statuses(client, "203.0.113.7") == [200, 200, 429]
            assert self._statuses(client, "198.51.100.9") == [200, 200, 429]
            # The client's own claim before the proxy's entry is not believed.
            assert self._statuses(client, "192.0.2.1, 203.0.113.7", 1) == [429]

    def test_by_default_a_forwarded_header_is_ignored(self, database_url):
        limits = {**DEFAULT_RATE_LIMITS, "anonymous": "2/minute"}
        for app in make_app(database_url, rate_limits=limits):
            client = app.test_client()
            assert self._statuses(client, "203.0.113.7") == [200, 200, 429]
            assert self._statuses(client, "198.51.100.9", 1) == [429]

    @pytest.mark.parametrize("value", ["-1", "two", "11"])
    def test_a_bad_setting_is_refused_at_start(self, value):
        with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
            Settings.from_env({"TRUSTED_PROXIES": value})


class TestCursorBounds:
    """Item 12: cursors past 64 bits are a 422 (or 400 for the header), never a dead stream."""

    @pytest.mark.parametrize(
        "url",
        [
            "/v1/events/live?after=18446744073709551616",
            "/v1/events/live?after=9223372036854775808",
            "/v1/events?after=9223372036854775808",
            "/v1/swaps?after=9223372036854775808",
            "/v1/corrections?before=9223372036854775808",
            "/v1/events?limit=1001",
            "/v1/feed.atom?limit=0",
        ],
    )
    def test_out_of_range_cursors_are_refused(self, client, url):
        r = client.get(url)
        assert r.status_code == 422, r.data
        assert r.mimetype == "application/problem+json"

    def test_a_last_event_id_past_18_digits_is_refused(self, client):
        r = client.get("/v1/events/live", headers={"Last-Event-ID": "9" * 19})
        assert r.status_code == 400
        assert "Last-Event-ID" in r.json["detail"]

    def test_the_largest_cursor_streams_nothing_and_ends(self, database_url):
        for app in make_app(database_url, live_max_seconds=0.2, live_poll_seconds=0.05):
            client = app.test_client()
            r = client.get("/v1/events/live?after=9223372036854775807")
            text = r.get_data(as_text=True)
        assert r.status_code == 200
        assert text.startswith("retry: ")
        assert "event:" not in text

    def test_the_document_states_the_ranges(self, app):
        spec = app.extensions["api"].spec.to_dict()
        live = spec["paths"]["/v1/events/live"]["get"]["parameters"]
        after = next(p for p in live if p["name"] == "after")
        assert after["schema"]["maximum"] == 2**63 - 1
        header = next(p for p in live if p["name"] == "Last-Event-ID")
        assert header["schema"]["maxLength"] == 18


class TestMetricsAccess:
    """Item 13: /metrics follows READS_PRIVATE, or a METRICS_TOKEN of its own."""

    def test_private_reads_make_metrics_need_a_token(self, database_url):
        for app in make_app(database_url, reads_private=True):
            client = app.test_client()
            secret = tokens.create_token(app.extensions["engine"], "scraper", "read")
            anonymous = client.get("/metrics")
            bad = client.get("/metrics", headers={"Authorization": "Bearer pel_nope"})
            good = client.get("/metrics", headers={"Authorization": f"Bearer {secret}"})
        assert anonymous.status_code == 401 and bad.status_code == 401
        assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
        assert good.status_code == 200
        assert "exchange_log_head_position" in good.get_data(as_text=True)
        assert "exchange_log_head_position" not in anonymous.get_data(as_text=True)

    def test_a_metrics_token_is_the_only_key(self, database_url):
        for app in make_app(database_url, metrics_token="scrape-me-0123456789"):
            client = app.test_client()
            api_token = tokens.create_token(app.extensions["engine"], "desk", "admin")
            answers = {
                name: client.get("/metrics", headers=headers).status_code
                for name, headers in {
                    "none": {},
                    "api token": {"Authorization": f"Bearer {api_token}"},
                    "wrong": {"Authorization": "Bearer scrape-me-012345678"},
                    "metrics token": {"Authorization": "Bearer scrape-me-0123456789"},
                }.items()
            }
            read = client.get("/v1/log/head").status_code
        assert answers == {"none": 401, "api token": 401, "wrong": 401, "metrics token": 200}
        assert read == 200  # reads stay public: only /metrics is keyed

    def test_public_reads_leave_metrics_public(self, client):
        assert client.get("/metrics").status_code == 200

    def test_the_settings_come_from_the_environment(self):
        settings = Settings.from_env({"METRICS_TOKEN": " s3cret ", "DATABASE_URL": "sqlite://"})
        assert settings.metrics_token == "s3cret"


def test_writes_still_work_behind_all_of_this(database_url):
    """The hardening changes nothing for an honest client."""
    for app in make_app(database_url, trusted_proxies=1, metrics_token="m" * 20):
        client = app.test_client()
        secret = tokens.create_token(app.extensions["engine"], "newsroom", "write")
        r = client.post(
            "/v1/swaps", json=swap_body(), headers={"Authorization": f"Bearer {secret}"}
        )
    assert r.status_code == 201
