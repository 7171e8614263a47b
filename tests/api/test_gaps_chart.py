"""GET /v1/metrics/gaps.svg: the gaps chart as a standalone image, on both backends."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..builders import post, proposal_body, swap_body

SVG_NS = "{http://www.w3.org/2000/svg}"


def record_three_swaps(client, auth) -> list[dict]:
    """Swaps on 1 Jan, 2 Mar and 1 Apr 2025 (gaps of 60 and 30 days), a proposal in the first."""
    events = [post(client, auth, "/v1/swaps", swap_body(occurred_on="2025-01-01"))]
    events.append(post(client, auth, "/v1/proposals", proposal_body(occurred_on="2025-02-01")))
    for day in ("2025-03-02", "2025-04-01"):
        events.append(post(client, auth, "/v1/swaps", swap_body(occurred_on=day)))
    return events


def gap_marks(svg: bytes) -> list[tuple[str, str, str]]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    return [
        (e.get("data-from"), e.get("data-to"), e.get("data-days"))
        for e in root.iter()
        if "gap-mark" in (e.get("class") or "").split()
    ]


class TestGapsChart:
    def test_it_is_an_svg_image_with_one_mark_per_gap(self, client, auth):
        events = record_three_swaps(client, auth)
        r = client.get("/v1/metrics/gaps.svg")
        assert r.status_code == 200
        assert r.mimetype == "image/svg+xml"
        assert gap_marks(r.data) == [
            ("2025-01-01", "2025-03-02", "60"),
            ("2025-03-02", "2025-04-01", "30"),
        ]
        root = ET.fromstring(r.data)
        assert root.find(f"{SVG_NS}title").text == "Gaps between prisoner exchanges"
        assert "2 gaps between 3 swaps" in root.find(f"{SVG_NS}desc").text
        assert r.headers["X-Log-Position"] == str(events[-1]["position"])
        assert r.headers["Content-Disposition"] == 'inline; filename="gaps.svg"'

    def test_the_marks_are_the_gaps_the_json_metric_reports(self, client, auth):
        record_three_swaps(client, auth)
        gaps = client.get("/v1/metrics/gaps").get_json()["gaps"]
        svg = client.get("/v1/metrics/gaps.svg").data
        assert gap_marks(svg) == [(g["from_swap"], g["to_swap"], str(g["days"])) for g in gaps]

    def test_it_has_an_etag_and_answers_304_while_the_log_is_unchanged(self, client, auth):
        record_three_swaps(client, auth)
        etag = client.get("/v1/metrics/gaps.svg").headers["ETag"]
        assert (
            client.get("/v1/metrics/gaps.svg", headers={"If-None-Match": etag}).status_code == 304
        )
        post(client, auth, "/v1/swaps", swap_body(occurred_on="2025-05-01"))
        r = client.get("/v1/metrics/gaps.svg", headers={"If-None-Match": etag})
        assert r.status_code == 200
        assert len(gap_marks(r.data)) == 3

    def test_as_of_draws_the_chart_as_it_was(self, client, auth):
        events = record_three_swaps(client, auth)
        r = client.get(f"/v1/metrics/gaps.svg?as_of={events[2]['position']}")
        assert gap_marks(r.data) == [("2025-01-01", "2025-03-02", "60")]
        current = [e for e in ET.fromstring(r.data).iter() if e.get("class") == "current-gap"]
        assert [c.get("data-from") for c in current] == ["2025-03-02"]

    def test_from_and_to_restrict_the_swaps_and_hide_an_open_gap_outside_them(self, client, auth):
        record_three_swaps(client, auth)
        r = client.get("/v1/metrics/gaps.svg?from=2025-03-01&to=2025-03-31")
        assert gap_marks(r.data) == []
        root = ET.fromstring(r.data)
        assert not [e for e in root.iter() if e.get("class") == "current-gap"]
        r = client.get("/v1/metrics/gaps.svg?from=2025-03-01")
        assert gap_marks(r.data) == [("2025-03-02", "2025-04-01", "30")]
        root = ET.fromstring(r.data)
        assert [e.get("data-from") for e in root.iter() if e.get("class") == "current-gap"] == [
            "2025-04-01"
        ]

    def test_a_client_that_prefers_text_xml_gets_the_same_document_as_text_xml(self, client, auth):
        record_three_swaps(client, auth)
        svg = client.get("/v1/metrics/gaps.svg")
        xml = client.get("/v1/metrics/gaps.svg", headers={"Accept": "text/xml"})
        assert xml.mimetype == "text/xml"
        assert xml.data == svg.data
        assert xml.headers["ETag"] != svg.headers["ETag"]

    def test_an_empty_log_gives_a_chart_that_says_there_is_nothing_yet(self, client):
        r = client.get("/v1/metrics/gaps.svg")
        assert r.status_code == 200
        assert gap_marks(r.data) == []
        assert b"No gap to show" in r.data

    def test_bad_dates_and_unknown_releases_are_problems_not_images(self, client):
        r = client.get("/v1/metrics/gaps.svg?from=yesterday")
        assert r.status_code == 422
        assert r.mimetype == "application/problem+json"
        assert r.get_json()["errors"] == {"from": ["Not a valid date."]}
        r = client.get("/v1/metrics/gaps.svg?as_of=release:nope")
        assert r.status_code == 404
        assert r.get_json()["detail"] == "there is no release 'nope'"
