"""Every error leaves as application/problem+json with type, title, status and detail."""

from __future__ import annotations

import json

import pytest

from service.app import create_app
from service.config import Settings
from tests.api.expect import head, problem
from tests.builders import swap_body


def _raw(client, auth, data, content_type="application/json", path="/v1/swaps"):
    return client.post(path, data=data, headers={**auth, "Content-Type": content_type})


class TestRequestShape:
    def test_malformed_json_is_a_400(self, client, auth):
        r = _raw(client, auth, '{"occurred_on": "2026-02-05",')
        body = problem(r, 400, "The request body is not valid JSON.")
        assert body["type"].endswith("/bad-request")

    def test_a_json_array_is_a_422(self, client, auth):
        r = _raw(client, auth, json.dumps([swap_body()]))
        body = problem(r, 422, "The request is invalid. body: Must be a JSON object.")
        assert body["errors"] == {"body": ["Must be a JSON object."]}

    def test_a_text_body_is_a_415(self, client, auth):
        r = _raw(client, auth, json.dumps(swap_body()), content_type="text/plain")
        problem(r, 415, "send the body as application/json, not text/plain")

    def test_a_body_over_the_limit_is_a_413(self, database_url, write_token):
        app = create_app(Settings(database_url=database_url, max_content_length=512))
        client = app.test_client()
        body = swap_body(notes="x" * 1000)
        r = client.post("/v1/swaps", json=body, headers={"Authorization": f"Bearer {write_token}"})
        body = problem(
            r, 413, "The request body is larger than the 512 bytes this service accepts."
        )
        assert body["type"].endswith("/content-too-large")
        assert head(client)["position"] == 0
        app.extensions["engine"].dispose()

    def test_json_nested_thousands_deep_is_a_400_not_a_crash(self, client, auth):
        r = _raw(client, auth, "[" * 100_000 + "]" * 100_000)
        problem(r, 400, "The JSON body is nested more than 32 levels deep.")

    def test_an_unpaired_surrogate_is_a_422_not_a_crash(self, client, auth):
        data = json.dumps(swap_body(notes="PLACEHOLDER")).replace("PLACEHOLDER", "\\ud800")
        r = _raw(client, auth, data)
        body = problem(r, 422)
        assert body["errors"] == {
            "notes": ["Must be valid Unicode text (no unpaired surrogate code points)."]
        }

    def test_an_unknown_field_named_with_a_surrogate_is_a_422_not_a_crash(self, client, auth):
        data = json.dumps(swap_body(PLACEHOLDER=1)).replace("PLACEHOLDER", "n\\ud800")
        r = _raw(client, auth, data)
        assert problem(r, 422)["errors"] == {"n\ud800": ["Unknown field."]}

    def test_a_nul_in_a_source_url_is_a_422_on_every_backend(self, client, auth):
        r = client.post(
            "/v1/swaps", json=swap_body(sources=[{"url": "https://a.org/\x00"}]), headers=auth
        )
        assert problem(r, 422)["errors"] == {"sources.0.url": ["Must not contain NUL characters."]}


class TestRoutingAndCrashes:
    def test_an_unknown_url_is_a_404(self, client):
        body = problem(
            client.get("/v1/nothing-here"),
            404,
            "There is nothing at /v1/nothing-here; the routes are listed in /openapi.yaml.",
        )
        assert body["type"].endswith("/not-found")

    @pytest.mark.parametrize(
        ("method", "path"), [("delete", "/v1/swaps"), ("delete", "/v1/events")]
    )
    def test_a_wrong_method_is_a_405_naming_the_allowed_ones(self, client, method, path):
        r = getattr(client, method)(path)
        problem(r, 405, "The method is not allowed for the requested URL.")
        allowed = {m.strip() for m in r.headers["Allow"].split(",")}
        assert allowed == (
            {"GET", "HEAD", "POST", "OPTIONS"}
            if path == "/v1/swaps"
            else {"GET", "HEAD", "OPTIONS"}
        )

    def test_an_unexpected_exception_is_a_500_without_internals(self, client, auth, monkeypatch):
        def explode(*args, **kwargs):
            raise RuntimeError("secret table layout at /srv/db")

        monkeypatch.setattr("service.api.write_views.record", explode)
        r = client.post("/v1/swaps", json=swap_body(), headers=auth)
        body = problem(r, 500, "The server could not complete the request; the error was logged.")
        assert body["type"].endswith("/internal-error")
        assert "secret" not in r.get_data(as_text=True)
        assert head(client)["position"] == 0
