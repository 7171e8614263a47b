"""GET /v1/feed.atom: the timeline as an Atom feed, read back with a feed parser."""

from __future__ import annotations

import feedparser
import pytest

from ..builders import (
    correction_body,
    post,
    proposal_body,
    refusal_body,
    retraction_body,
    swap_body,
)


def parse(response):
    assert response.status_code == 200, response.data
    feed = feedparser.parse(response.data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


@pytest.fixture
def day(client, auth):
    """A proposal, its refusal and two swaps; the February swap corrected, the March one
    retracted."""
    made = {
        "proposal": post(client, auth, "/v1/proposals", proposal_body(id="all-for-all")),
        "refusal": post(client, auth, "/v1/proposals/all-for-all/refusals", refusal_body()),
        "feb": post(client, auth, "/v1/swaps", swap_body(id="feb")),
        "mar": post(client, auth, "/v1/swaps", swap_body(id="mar", occurred_on="2026-03-06")),
    }
    sides = [{"party": "UA", "received": 157, "civilians": 7}, {"party": "RU", "received": 160}]
    made["fix"] = post(
        client,
        auth,
        f"/v1/events/{made['feb']['id']}/corrections",
        correction_body({"sides": sides}),
    )
    made["gone"] = post(
        client, auth, f"/v1/events/{made['mar']['id']}/retractions", retraction_body()
    )
    return made


class TestTheFeed:
    def test_an_empty_log_is_a_valid_feed_without_entries(self, client):
        response = client.get("/v1/feed.atom")
        feed = parse(response)
        assert response.content_type.startswith("application/atom+xml")
        assert feed.version == "atom10"
        assert feed.entries == []
        assert feed.feed.title == "POW Exchange Log: timeline"
        assert feed.feed.updated == "1970-01-01T00:00:00Z"

    def test_entries_are_live_facts_newest_change_first_with_their_headlines(self, client, day):
        feed = parse(client.get("/v1/feed.atom"))
        assert [e.title for e in feed.entries] == [
            "UA and RU swap 157 for 160, mediated by AE and US",  # corrected last
            "RU refuses proposal all-for-all",
            "UA proposes an all-for-all exchange to RU",
        ]
        assert [e.id for e in feed.entries] == [
            f"urn:uuid:{day['feb']['id']}",
            f"urn:uuid:{day['refusal']['id']}",
            f"urn:uuid:{day['proposal']['id']}",
        ]
        assert [e.tags[0].term for e in feed.entries] == [
            "swap.completed",
            "proposal.refused",
            "proposal.made",
        ]

    def test_a_corrected_swap_is_an_updated_entry_with_the_corrected_figures(self, client, day):
        swap = parse(client.get("/v1/feed.atom")).entries[0]
        assert swap.published == day["feb"]["recorded_at"]
        assert swap.updated == day["fix"]["recorded_at"]
        assert swap.updated > swap.published
        assert [(link.rel, link.href) for link in swap.links] == [
            ("alternate", f"/v1/events/{day['feb']['id']}")  # relative: no PUBLIC_BASE_URL
        ]
        assert "RU, received 160" in swap.content[0].value.replace("party ", "")
        assert 'href="https://www.reuters.com/world/europe/swap-2026-02-05/"' in (
            swap.content[0].value
        )

    def test_the_feed_header_names_itself_and_its_author(self, client, day):
        feed = parse(client.get("/v1/feed.atom?limit=2"))
        assert len(feed.entries) == 2
        assert feed.feed.id.startswith("urn:uuid:")
        assert feed.feed.author == "POW Exchange Log"
        assert feed.feed.updated == day["gone"]["recorded_at"]
        assert {(link.rel, link.href) for link in feed.feed.links} >= {
            ("self", "/v1/feed.atom?limit=2")
        }

    def test_as_of_shows_the_feed_before_the_correction_and_retraction(self, client, day):
        feed = parse(client.get(f"/v1/feed.atom?as_of={day['mar']['position']}"))
        assert [e.title for e in feed.entries] == [
            "UA and RU swap 157 for 157, mediated by AE and US",
            "UA and RU swap 157 for 157, mediated by AE and US",
            "RU refuses proposal all-for-all",
            "UA proposes an all-for-all exchange to RU",
        ]
        assert feed.entries[0].id == f"urn:uuid:{day['mar']['id']}"
        assert feed.entries[1].updated == feed.entries[1].published

    def test_text_is_escaped_and_parses_back_verbatim(self, client, auth):
        summary = 'Tom & Jerry <script>alert("x")</script> ]]> \u00e9'
        post(client, auth, "/v1/proposals", proposal_body(summary=summary))
        entry = parse(client.get("/v1/feed.atom")).entries[0]
        assert entry.summary == summary

    def test_an_unchanged_feed_is_a_304(self, client, day):
        first = client.get("/v1/feed.atom")
        again = client.get("/v1/feed.atom", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
        assert first.headers["X-Log-Position"] == str(day["gone"]["position"])

    def test_a_bad_limit_is_a_problem_naming_it(self, client):
        response = client.get("/v1/feed.atom?limit=0")
        assert response.status_code == 422
        assert response.content_type == "application/problem+json"
        assert "limit" in response.get_json()["errors"]

    def test_a_client_asking_for_text_xml_gets_the_same_document_as_text_xml(self, client, day):
        atom = client.get("/v1/feed.atom")
        xml = client.get("/v1/feed.atom", headers={"Accept": "text/xml"})
        assert xml.content_type.startswith("text/xml")
        assert xml.data == atom.data
        assert xml.headers["ETag"] != atom.headers["ETag"]
