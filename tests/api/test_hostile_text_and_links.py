"""Control characters in text (issue 10, item 6) and a forged Host header (item 8).

A statement whose ``speaker`` held ``\\x0b`` was stored, and /v1/feed.atom was then not
well-formed XML; a forged ``Host`` ended up in ``Link`` headers and Atom links. Both stores.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from service.app import create_app
from service.config import Settings, public_base_url
from service.domain.events import STATEMENT_MADE, NewEvent
from service.store import tokens
from service.store.append import append
from tests.api.expect import head, invalid
from tests.builders import fill, post, statement_body, swap_body

pytestmark = pytest.mark.hostile
ATOM = "{http://www.w3.org/2005/Atom}"
FORGED = {"Host": "evil.example"}
CONTROL = (
    "Must not contain control characters (found U+000B); of them only tab, line feed and"
    " carriage return are allowed."
)


class TestControlCharacters:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (statement_body(speaker="Press\x0boffice"), "speaker"),
            (statement_body(summary="ok\x1b[2Jcleared"), "summary"),
            (statement_body(quote="\x07bell"), "quote"),
            (statement_body(sources=[{"url": "https://a.example/\x0bx"}]), "sources.0.url"),
            (statement_body(sources=[{"url": "https://a.example/", "title": "t\x0c"}]), None),
        ],
    )
    def test_text_fields_refuse_c0_controls_naming_the_field(self, client, auth, body, field):
        r = client.post("/v1/statements", json=body, headers=auth)
        assert r.status_code == 422
        name = field or "sources.0.title"
        message = r.json["errors"][name][0]
        assert message.startswith("Must not contain control characters (found U+00"), message
        assert head(client)["position"] == 0

    def test_the_exact_message_names_the_character(self, client, auth):
        body = statement_body(speaker="Press\x0boffice")
        invalid(client.post("/v1/statements", json=body, headers=auth), "speaker", CONTROL)

    def test_tab_line_feed_and_carriage_return_are_still_text(self, client, auth):
        body = statement_body(summary="line one\r\n\tline two")
        stored = post(client, auth, "/v1/statements", body)
        assert stored["data"]["summary"] == "line one\r\n\tline two"

    def test_a_correction_cannot_bring_one_in(self, client, auth):
        made = post(client, auth, "/v1/statements", statement_body())
        body = {
            "occurred_on": "2026-01-17",
            "sources": statement_body()["sources"],
            "reason": "typo",
            "changes": {"speaker": "Zelensky\x0b"},
        }
        r = client.post(f"/v1/events/{made['id']}/corrections", json=body, headers=auth)
        assert r.status_code == 422
        assert any(k.startswith("changes") for k in r.json["errors"]), r.json

    def test_the_feed_stays_well_formed_over_text_stored_before_the_rule(self, client, engine):
        # Below the API, as an old log (or a restore from before the rule) may hold it.
        append(
            engine,
            [
                NewEvent(
                    type=STATEMENT_MADE,
                    stream="statement/old",
                    data={"speaker": "Press\x0boffice", "party": "UA", "summary": "a\x01b\x1fc"},
                    occurred_on=date(2025, 5, 1),
                    sources=({"url": "javascript:alert(1)", "title": "old\x0b"},),
                )
            ],
            recorded_by="before-the-rule",
        )
        r = client.get("/v1/feed.atom")
        assert r.status_code == 200
        feed = ET.fromstring(r.data)  # raises on a document that is not well-formed
        entry = feed.find(f"{ATOM}entry")
        assert entry.find(f"{ATOM}title").text.startswith("Press\ufffdoffice")
        content = entry.find(f"{ATOM}content").text
        assert "\x0b" not in content and "\ufffd" in content
        assert "javascript:" not in content.replace("old\ufffd", "")  # no link, only its label


class TestForgedHost:
    def test_links_never_take_the_host_header(self, client, auth):
        fill(client, auth)
        page = client.get("/v1/events?limit=2", headers=FORGED)
        timeline = client.get("/v1/timeline?limit=1", headers=FORGED)
        created = client.post("/v1/swaps", json=swap_body(id="h1"), headers={**auth, **FORGED})
        feed = client.get("/v1/feed.atom", headers=FORGED)
        assert page.headers["Link"] == '</v1/events?after=2&limit=2>; rel="next"'
        assert timeline.headers["Link"].startswith("</v1/timeline?limit=1&after=")
        assert created.headers["Location"] == f"/v1/events/{created.json['id']}"
        assert b"evil.example" not in feed.data
        links = [e.get("href") for e in ET.fromstring(feed.data).iter(f"{ATOM}link")]
        assert links and all(href.startswith("/v1/") for href in links)

    @pytest.mark.parametrize(
        ("path", "location"),
        [("/v1//events?limit=2", "/v1/events?limit=2"), ("/v1//log///head", "/v1/log/head")],
    )
    def test_redirects_never_take_the_host_header(self, client, path, location):
        r = client.get(path, headers=FORGED)
        assert r.status_code == 308
        assert r.headers["Location"] == location

    def test_with_a_public_base_url_links_are_absolute_under_it(self, database_url, write_token):
        base = "https://exchange-log.example/pel"
        app = create_app(Settings(database_url=database_url, public_base_url=base))
        client = app.test_client()
        auth = {"Authorization": f"Bearer {write_token}"}
        fill(client, auth)
        page = client.get("/v1/events?limit=2&type=swap.completed", headers=FORGED)
        created = client.post("/v1/swaps", json=swap_body(id="h1"), headers={**auth, **FORGED})
        admin = tokens.create_token(app.extensions["engine"], "editor", "admin")
        release = client.post(
            "/v1/releases",
            json={"name": "r1"},
            headers={"Authorization": f"Bearer {admin}", **FORGED},
        )
        feed = ET.fromstring(client.get("/v1/feed.atom?limit=2", headers=FORGED).data)
        redirect = client.get("/v1//events", headers=FORGED)
        app.extensions["engine"].dispose()
        assert redirect.headers["Location"] == f"{base}/v1/events"
        assert page.headers["Link"] == (
            f'<{base}/v1/events?after=4&limit=2&type=swap.completed>; rel="next"'
        )
        assert created.headers["Location"] == f"{base}/v1/events/{created.json['id']}"
        assert release.headers["Location"] == f"{base}/v1/releases/r1"
        links = {e.get("rel"): e.get("href") for e in feed.findall(f"{ATOM}link")}
        assert links == {
            "self": f"{base}/v1/feed.atom?limit=2",
            "alternate": f"{base}/v1/timeline",
        }
        hrefs = [e.get("href") for e in feed.iter(f"{ATOM}link")]
        assert all(h.startswith(base + "/v1/") for h in hrefs)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("", ""),
            ("https://log.example/", "https://log.example"),
            ("http://127.0.0.1:8000/pel/", "http://127.0.0.1:8000/pel"),
        ],
    )
    def test_the_setting_is_normalised(self, value, expected):
        assert public_base_url(value) == expected

    @pytest.mark.parametrize("value", ["log.example", "ftp://log.example", "https://x/?a=1"])
    def test_a_bad_setting_is_refused_at_start(self, value):
        with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
            Settings.from_env({"PUBLIC_BASE_URL": value})
