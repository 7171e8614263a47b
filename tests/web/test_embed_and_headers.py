"""GET /embed/gaps, the pages' Content-Security-Policy, their assets and who may read them."""

from __future__ import annotations

import pytest

from service.app import create_app
from service.config import Settings
from service.store import tokens
from service.web.site import PAGE_CSP

from ..builders import post, proposal_body, swap_body
from .html import parse

NEWSROOM, OTHER = "https://news.example", "https://www.other.example:8443"


@pytest.fixture
def embed_client(database_url):
    app = create_app(Settings(database_url=database_url, embed_origins=(NEWSROOM, OTHER)))
    yield app.test_client()
    app.extensions["engine"].dispose()


@pytest.fixture
def private_app(database_url):
    app = create_app(Settings(database_url=database_url, reads_private=True))
    yield app
    app.extensions["engine"].dispose()


def record_two_swaps(client, auth) -> None:
    post(client, auth, "/v1/swaps", swap_body(occurred_on="2025-01-02"))
    post(client, auth, "/v1/proposals", proposal_body(occurred_on="2025-01-20"))
    post(client, auth, "/v1/swaps", swap_body(occurred_on="2025-03-02"))


class TestEmbed:
    def test_the_embed_is_the_current_gap_and_the_chart_alone(self, client, auth):
        record_two_swaps(client, auth)
        r = client.get("/embed/gaps")
        assert r.status_code == 200
        doc = parse(r.data)
        figure = doc.find("h1", "embed-figure")
        assert "since the last prisoner exchange between Russia and Ukraine" in figure.full_text()
        assert len(doc.find_all(cls="gap-mark")) == 1
        assert len(doc.find_all(cls="current-gap")) == 1
        assert doc.find_all("table") == [] and doc.find_all("form") == []
        assert doc.find_all("ol", "timeline") == []

    def test_its_links_open_the_full_page_outside_the_frame(self, client, auth):
        record_two_swaps(client, auth)
        doc = parse(client.get("/embed/gaps?from=2025-01-01").data)
        mark = doc.find("a", "gap-mark")
        assert mark.attrs["href"] == "/?from=2025-01-01#gap-2025-01-02-2025-03-02"
        assert mark.attrs["target"] == "_blank"
        credit = doc.find("p", "credit").find("a")
        assert (credit.attrs["href"], credit.attrs["target"]) == ("/?from=2025-01-01", "_blank")
        template = doc.find("template", id="detail-gap-2025-01-02-2025-03-02")
        assert {a.attrs.get("target") for a in template.find_all("a")} == {"_blank"}

    def test_bad_filters_are_an_html_422_here_too(self, client):
        r = client.get("/embed/gaps?to=later")
        assert r.status_code == 422
        assert r.mimetype == "text/html"
        assert "Not a valid date." in r.get_data(as_text=True)


class TestContentSecurityPolicy:
    def test_the_page_allows_only_its_own_files_and_no_framing(self, client):
        r = client.get("/")
        assert r.headers["Content-Security-Policy"] == (
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:;"
            " form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        )
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "no-referrer"

    @pytest.mark.parametrize("path", ["/", "/embed/gaps", "/?from=bad"])
    def test_no_inline_script_or_style_and_nothing_from_elsewhere(self, client, auth, path):
        record_two_swaps(client, auth)
        doc = parse(client.get(path).data)
        scripts = doc.find_all("script")
        assert all(s.attrs.get("src", "").startswith("/static/") for s in scripts)
        assert all(s.full_text() == "" for s in scripts)
        assert doc.find_all("style") == []
        assert [e.tag for e in doc.iter() if "style" in e.attrs] == []
        assert [e.tag for e in doc.iter() if any(a.startswith("on") for a in e.attrs)] == []
        sheets = [link.attrs["href"] for link in doc.find_all("link", rel="stylesheet")]
        assert len(sheets) == 1 and sheets[0].startswith("/static/page.css?v=")

    def test_without_embed_origins_nobody_may_frame_the_embed(self, client):
        csp = client.get("/embed/gaps").headers["Content-Security-Policy"]
        assert csp == PAGE_CSP
        assert csp.endswith("frame-ancestors 'none'")

    def test_the_configured_origins_may_frame_the_embed_and_nothing_else(self, embed_client):
        csp = embed_client.get("/embed/gaps").headers["Content-Security-Policy"]
        assert csp.endswith(f"frame-ancestors {NEWSROOM} {OTHER}")
        assert csp.startswith("default-src 'none'; style-src 'self'; script-src 'self';")
        assert embed_client.get("/").headers["Content-Security-Policy"] == PAGE_CSP
        api = embed_client.get("/v1/metrics/gaps.svg").headers["Content-Security-Policy"]
        assert api == "default-src 'none'; frame-ancestors 'none'"
        error = embed_client.get("/embed/gaps?from=x")
        assert error.headers["Content-Security-Policy"].endswith(
            f"frame-ancestors {NEWSROOM} {OTHER}"
        )

    @pytest.mark.parametrize(
        "origin",
        ["news.example", "https://news.example/path", "https://a.example; script-src *", "*"],
    )
    def test_an_embed_origin_that_is_not_an_origin_stops_the_app_from_starting(
        self, tmp_path, origin
    ):
        with pytest.raises(ValueError, match="EMBED_ORIGINS"):
            create_app(Settings(database_url=f"sqlite:///{tmp_path}/x.db", embed_origins=(origin,)))

    def test_embed_origins_come_from_the_environment(self):
        env = {"EMBED_ORIGINS": "https://news.example, https://*.paper.example"}
        settings = Settings.from_env(env)
        assert settings.embed_origins == ("https://news.example", "https://*.paper.example")


class TestAssets:
    @pytest.mark.parametrize(
        ("name", "mimetype", "marker"),
        [
            ("page.css", "text/css", "prefers-color-scheme: dark"),
            ("page.js", "text/javascript", "gap-panel"),
            ("favicon.svg", "image/svg+xml", "<svg"),
        ],
    )
    def test_the_stylesheet_script_and_icon_are_served_by_the_app(
        self, client, name, mimetype, marker
    ):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200
        assert r.mimetype == mimetype
        assert marker in r.get_data(as_text=True)
        r.close()

    def test_the_page_links_them_with_a_version_that_changes_with_the_files(self, client):
        doc = parse(client.get("/").data)
        script = doc.find("script").attrs["src"]
        assert script.startswith("/static/page.js?v=")
        assert client.get(script).status_code == 200


class TestAccess:
    def test_private_reads_make_the_pages_need_a_read_token(self, private_app):
        client = private_app.test_client()
        for path in ("/", "/embed/gaps"):
            r = client.get(path)
            assert r.status_code == 401
            assert r.mimetype == "text/html"
            assert r.headers["WWW-Authenticate"] == 'Bearer realm="pow-exchange-log"'
            assert "send Authorization: Bearer" in r.get_data(as_text=True)
        secret = tokens.create_token(private_app.extensions["engine"], "reader", "read")
        assert client.get("/", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    def test_the_assets_stay_public_when_reads_are_private(self, private_app):
        assert private_app.test_client().get("/static/page.css").status_code == 200

    def test_a_bad_token_on_the_public_page_is_refused_not_ignored(self, client):
        r = client.get("/", headers={"Authorization": "Bearer pel_nope"})
        assert r.status_code == 401
        assert "the bearer token is not valid" in r.get_data(as_text=True)
