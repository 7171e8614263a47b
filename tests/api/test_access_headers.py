"""Security headers on every response, CORS only for allowed origins, /docs from local files."""

from __future__ import annotations

import pytest

from service.api.headers import API_CSP
from service.app import create_app
from service.config import Settings

PARTNER = "https://partner.example"


@pytest.fixture
def cors_client(database_url):
    app = create_app(Settings(database_url=database_url, cors_origins=(PARTNER,)))
    yield app.test_client()
    app.extensions["engine"].dispose()


class TestSecurityHeaders:
    @pytest.mark.parametrize(
        "path", ["/v1/log/head", "/v1/events", "/healthz", "/openapi.yaml", "/metrics", "/nope"]
    )
    def test_json_problem_yaml_and_metrics_responses_forbid_everything(self, client, path):
        r = client.get(path)
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert "Server" not in r.headers

    def test_errors_carry_the_headers_too(self, client):
        r = client.post("/v1/swaps", data="x", content_type="text/plain")
        assert r.status_code == 415
        assert r.headers["Content-Security-Policy"] == API_CSP
        assert r.headers["X-Content-Type-Options"] == "nosniff"


class TestCors:
    def test_without_configured_origins_there_is_no_cors(self, client):
        r = client.get("/v1/log/head", headers={"Origin": PARTNER})
        assert "Access-Control-Allow-Origin" not in r.headers

    def test_an_allowed_origin_may_read_and_sees_the_paging_headers(self, cors_client):
        r = cors_client.get("/v1/events", headers={"Origin": PARTNER})
        assert r.headers["Access-Control-Allow-Origin"] == PARTNER
        exposed = {h.strip() for h in r.headers["Access-Control-Expose-Headers"].split(",")}
        assert {"Link", "Location", "Retry-After"} <= exposed

    def test_a_preflight_for_a_write_allows_the_write_headers(self, cors_client):
        r = cors_client.options(
            "/v1/swaps",
            headers={
                "Origin": PARTNER,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "Authorization, Content-Type, Idempotency-Key",
            },
        )
        assert r.status_code == 200
        assert r.headers["Access-Control-Allow-Origin"] == PARTNER
        allowed = r.headers["Access-Control-Allow-Headers"].lower()
        assert {"authorization", "content-type", "idempotency-key"} <= {
            h.strip() for h in allowed.split(",")
        }
        assert "POST" in r.headers["Access-Control-Allow-Methods"]

    def test_another_origin_gets_no_cors_headers(self, cors_client):
        r = cors_client.get("/v1/events", headers={"Origin": "https://evil.example"})
        assert r.status_code == 200
        assert "Access-Control-Allow-Origin" not in r.headers


class TestDocs:
    def test_docs_page_is_html_that_loads_only_local_assets(self, client):
        r = client.get("/docs/")
        assert r.status_code == 200
        assert r.mimetype == "text/html"
        html = r.get_data(as_text=True)
        assert '<script src="/docs/swagger-ui-bundle.js"></script>' in html
        assert '<link rel="stylesheet" href="/docs/swagger-ui.css">' in html
        assert "http://" not in html and "https://" not in html
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp

    def test_docs_without_slash_redirects(self, client):
        r = client.get("/docs")
        assert r.status_code == 308
        assert r.headers["Location"] == "/docs/"

    @pytest.mark.parametrize(
        ("path", "mimetype", "marker"),
        [
            ("/docs/swagger-ui-bundle.js", "text/javascript", "SwaggerUIBundle"),
            ("/docs/swagger-ui.css", "text/css", ".swagger-ui"),
            ("/docs/init.js", "text/javascript", 'url: "/openapi.yaml"'),
        ],
    )
    def test_its_script_and_styles_are_served_by_the_app(self, client, path, mimetype, marker):
        r = client.get(path)
        assert r.status_code == 200
        assert r.mimetype == mimetype
        assert marker in r.get_data(as_text=True)
        r.close()

    def test_only_the_known_assets_are_served(self, client):
        r = client.get("/docs/..%2Fsetup.py")
        assert r.status_code == 404
        assert r.mimetype == "application/problem+json"
        assert client.get("/docs/index.html").status_code == 404
