"""GET /: the page for people, served from the projections, on both backends."""

from __future__ import annotations

import pytest

from service.store import tokens
from service.web import reads

from ..builders import (
    SOURCE,
    agreement_body,
    breach_body,
    correction_body,
    post,
    proposal_body,
    refusal_body,
    retraction_body,
    statement_body,
    swap_body,
)
from .html import Element, parse


def record_story(client, auth) -> dict[str, dict]:
    """Three swaps (gaps of 59 and 31 days), what happened between them, a correction and a
    retraction; returns the envelopes by name."""
    e = {}
    e["jan"] = post(client, auth, "/v1/swaps", swap_body(id="jan", occurred_on="2025-01-02"))
    e["proposal"] = post(
        client, auth, "/v1/proposals", proposal_body(id="all-for-all", occurred_on="2025-01-20")
    )
    e["refusal"] = post(
        client,
        auth,
        "/v1/proposals/all-for-all/refusals",
        refusal_body(occurred_on="2025-02-01"),
    )
    e["agreement"] = post(
        client, auth, "/v1/agreements", agreement_body(id="istanbul", occurred_on="2025-02-10")
    )
    e["breach"] = post(
        client, auth, "/v1/agreements/istanbul/breaches", breach_body(occurred_on="2025-03-02")
    )
    e["mar"] = post(client, auth, "/v1/swaps", swap_body(id="mar", occurred_on="2025-03-02"))
    e["statement"] = post(
        client,
        auth,
        "/v1/statements",
        statement_body(occurred_on="2025-03-10", summary="<script>alert('x')</script> & more"),
    )
    e["apr"] = post(client, auth, "/v1/swaps", swap_body(id="apr", occurred_on="2025-04-02"))
    sides = [{"party": "UA", "received": 150}, {"party": "RU", "received": 157}]
    e["fix"] = post(
        client, auth, f"/v1/events/{e['apr']['id']}/corrections", correction_body({"sides": sides})
    )
    e["gone"] = post(
        client, auth, "/v1/proposals", proposal_body(id="gone", occurred_on="2025-03-20")
    )
    e["retraction"] = post(
        client, auth, f"/v1/events/{e['gone']['id']}/retractions", retraction_body()
    )
    return e


def page(client, query: str = "", status: int = 200) -> Element:
    r = client.get("/" + query)
    assert r.status_code == status, r.get_data(as_text=True)[:2000]
    assert r.mimetype == "text/html"
    return parse(r.data)


def marks(doc: Element) -> list[tuple[str | None, ...]]:
    return [
        (m.attrs["data-from"], m.attrs["data-to"], m.attrs["data-days"])
        for m in doc.find_all(cls="gap-mark")
    ]


def timeline(doc: Element) -> list[str]:
    return [li.find("p", "headline").full_text() for li in doc.find_all("li", "fact")]


class TestFiguresAndChart:
    def test_an_empty_log_is_a_page_that_says_so(self, client):
        doc = page(client)
        figures = doc.find("dl", "figure-grid").full_text()
        assert "No swap recorded yet." in figures
        assert marks(doc) == []
        assert doc.find("li", "empty").full_text() == "No fact matches these filters."

    def test_the_headline_figures_are_the_metrics_the_api_reports(self, client, auth):
        e = record_story(client, auth)
        at = e["retraction"]["position"]
        api = client.get(f"/v1/metrics/gaps?as_of={at}").get_json()["summary"]
        doc = page(client, f"?as_of={at}")
        current = doc.find("div", "figure-current")
        assert current.find("strong").attrs["data-current-gap-days"] == str(api["current_gap_days"])
        assert "since the last swap on 2 Apr 2025" in current.full_text()
        figures = [f.full_text() for f in doc.find_all("div", "figure")]
        assert figures[1] == "Swaps recorded 3 since 2 Jan 2025"
        assert figures[2] == "Longest gap 59 days 2 Jan 2025 → 2 Mar 2025"
        # UA's figure was corrected to 150; RU's stays 157 in each of the three swaps.
        assert figures[3] == (
            "People returned RU 471 (every swap gives a figure) UA 464 (every swap gives a figure)"
        )

    def test_a_missing_figure_is_counted_as_missing_not_as_zero(self, client, auth):
        post(client, auth, "/v1/swaps", swap_body(occurred_on="2025-01-02"))
        no_figure = [{"party": "UA"}, {"party": "RU", "received": 10}]
        post(client, auth, "/v1/swaps", swap_body(occurred_on="2025-02-02", sides=no_figure))
        people = page(client).find("ul", "people").full_text()
        assert people == (
            "RU 167 (every swap gives a figure) UA 157 (1 swap of 2 without a figure)"
        )

    def test_the_chart_has_one_mark_per_gap_and_the_open_current_gap(self, client, auth):
        record_story(client, auth)
        doc = page(client)
        assert marks(doc) == [
            ("2025-01-02", "2025-03-02", "59"),
            ("2025-03-02", "2025-04-02", "31"),
        ]
        (current,) = doc.find_all(cls="current-gap")
        assert current.attrs["data-from"] == "2025-04-02"
        assert "data-to" not in current.attrs
        svg = doc.find("svg", "gaps-chart")
        assert svg.attrs["aria-labelledby"] == "gaps-title gaps-desc"

    def test_each_mark_links_to_its_row_and_carries_what_happened_inside(self, client, auth):
        record_story(client, auth)
        doc = page(client)
        first = doc.find("a", "gap-mark")
        key = "gap-2025-01-02-2025-03-02"
        assert (first.attrs["href"], first.attrs["data-key"]) == (f"#{key}", key)
        assert first.find("title").full_text() == (
            "2 Jan 2025 → 2 Mar 2025: 59 days without a swap; 1 proposal, 1 refusal, 1 breach claim"
        )
        details = doc.find("template", id=f"detail-{key}").full_text()
        assert details == (
            "2 Jan 2025 → 2 Mar 2025 · 59 days without a swap"
            " 1 proposal, 1 refusal, 1 breach claim."
            " Proposal 20 Jan 2025: UA proposes an all-for-all exchange to RU"
            " Refusal 1 Feb 2025: RU refuses proposal all-for-all"
            " Breach claim 2 Mar 2025: UA accuses RU of breaching agreement istanbul"
            " claim: alleged by UA against RU"
        )
        links = doc.find("template", id=f"detail-{key}").find_all("a")
        assert {a.attrs["href"] for a in links} == {SOURCE["url"]}

    def test_the_gaps_table_has_a_caption_scoped_headers_and_a_row_per_gap(self, client, auth):
        record_story(client, auth)
        table = page(client).find("table", id="gaps-table")
        assert table.find("caption").full_text().startswith("2 gaps between consecutive swaps")
        assert [th.attrs["scope"] for th in table.find("thead").find_all("th")] == ["col"] * 8
        rows = table.find("tbody").find_all("tr")
        assert [r.attrs["id"] for r in rows] == [
            "gap-2025-01-02-2025-03-02",
            "gap-2025-03-02-2025-04-02",
            "current-gap",
        ]
        assert all(r.find("th").attrs["scope"] == "row" for r in rows)
        cells = [c.full_text() for c in rows[0].children if c.tag in ("th", "td")]
        assert cells[:7] == ["2 Jan 2025", "2 Mar 2025", "59", "1", "1", "0", "1"]


class TestTimeline:
    def test_every_live_fact_in_date_order_with_retracted_ones_absent(self, client, auth):
        record_story(client, auth)
        assert timeline(page(client)) == [
            "UA and RU swap 157 for 157, mediated by AE and US",
            "UA proposes an all-for-all exchange to RU",
            "RU refuses proposal all-for-all",
            "UA and RU reach agreement: Istanbul arrangements",
            "UA accuses RU of breaching agreement istanbul",
            "UA and RU swap 157 for 157, mediated by AE and US",
            "Volodymyr Zelensky (UA): <script>alert('x')</script> & more",
            "UA and RU swap 150 for 157, mediated by AE and US",
        ]

    def test_text_from_the_log_is_escaped(self, client, auth):
        record_story(client, auth)
        html = client.get("/").get_data(as_text=True)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in html

    def test_claims_are_marked_as_claims(self, client, auth):
        e = record_story(client, auth)
        breach = page(client).find("li", id=f"fact-{e['breach']['id']}")
        assert breach.find("span", "kind").full_text() == "Breach claim"
        assert breach.find("p", "claim").full_text() == "Claim: alleged by UA against RU"

    def test_a_corrected_fact_says_what_changed_and_why(self, client, auth):
        e = record_story(client, auth)
        apr = page(client).find("li", id=f"fact-{e['apr']['id']}")
        assert apr.find("span", "corrected-badge").full_text() == "corrected"
        correction = apr.find("div", "correction")
        day = e["fix"]["recorded_at"][:10]
        assert correction.find("p").full_text() == (
            f"Corrected {day}: The ministry published a revised figure."
        )
        assert [li.full_text() for li in correction.find_all("li")] == [
            "sides UA civilians: 7 → (removed)",
            "sides UA received: 157 → 150",
        ]

    def test_dates_are_as_precise_as_recorded_and_sources_are_links(self, client, auth):
        body = proposal_body(occurred_on="2025-06-01", date_precision="month")
        e = post(client, auth, "/v1/proposals", body)
        fact = page(client).find("li", id=f"fact-{e['id']}")
        time = fact.find("time")
        assert (time.attrs["datetime"], time.full_text()) == ("2025-06", "Jun 2025")
        link = fact.find("p", "sources").find("a")
        assert (link.attrs["href"], link.full_text()) == (SOURCE["url"], "Reuters")
        assert fact.find("a", "raw").attrs["href"] == f"/v1/events/{e['id']}"


class TestFilters:
    def test_type_and_party_narrow_the_timeline(self, client, auth):
        record_story(client, auth)
        doc = page(client, "?type=proposal.made&type=agreement.breached")
        assert timeline(doc) == [
            "UA proposes an all-for-all exchange to RU",
            "UA accuses RU of breaching agreement istanbul",
        ]
        assert "checked" in doc.find("input", value="proposal.made").attrs
        assert len(marks(doc)) == 2  # the chart shows every gap whatever the types
        assert timeline(page(client, "?party=US")) == [
            "UA and RU swap 157 for 157, mediated by AE and US",
            "UA and RU swap 157 for 157, mediated by AE and US",
            "UA and RU swap 150 for 157, mediated by AE and US",
        ]

    def test_from_and_to_narrow_the_chart_the_table_and_the_timeline(self, client, auth):
        record_story(client, auth)
        doc = page(client, "?from=2025-03-01")
        assert marks(doc) == [("2025-03-02", "2025-04-02", "31")]
        assert len(doc.find("tbody").find_all("tr")) == 2  # the gap and the open one
        assert timeline(doc)[0] == "UA accuses RU of breaching agreement istanbul"
        doc = page(client, "?to=2025-03-31")
        assert marks(doc) == [("2025-01-02", "2025-03-02", "59")]
        assert doc.find_all(cls="current-gap") == []
        # The headline figures stay those of the whole log.
        assert doc.find("div", "figure-current").find("strong").full_text() != ""
        assert "Swaps recorded 3" in doc.find("dl", "figure-grid").full_text()

    def test_empty_form_fields_and_unknown_parameters_are_no_filter(self, client, auth):
        record_story(client, auth)
        plain = timeline(page(client))
        assert timeline(page(client, "?from=&to=&party=&as_of=&utm_source=news")) == plain

    @pytest.mark.parametrize(
        ("query", "field", "message"),
        [
            ("?from=yesterday", "from", "Not a valid date."),
            ("?type=swap.cancelled", "type.0", "Must be one of:"),
            ("?party=XX", "party.0", ""),
            ("?after=nope", "after", "Not a cursor from this page."),
            ("?after=2025-13-45.1", "after", "Not a cursor from this page."),
            ("?as_of=9999", "as_of", "position 9999 is beyond the head"),
            ("?as_of=soon", "as_of", "must be a position"),
        ],
    )
    def test_bad_filters_are_an_html_422_naming_the_field(self, client, query, field, message):
        doc = page(client, query, status=422)
        assert doc.find("h1").full_text() == "These filters cannot be used"
        (error,) = doc.find("ul", "errors").find_all("li")
        assert error.find("strong").full_text() == field
        assert message in error.full_text()
        assert doc.find("a", href="/").full_text() == "Back to the page without filters"

    @pytest.mark.parametrize(
        "query",
        [
            "?as_of=%00",
            "?as_of=release:%00",
            "?as_of=" + "9" * 30,
            "?as_of=2999-01-01T00:00:00Z",
            "?from=2025-02-30",
            "?to=0000-01-01",
            "?party=%F0%9F%92%A5",
            "?type=" + "x" * 5000,
            "?after=9999-12-31." + "9" * 18,
            "?from=2025-01-01&from=2026-01-01",
        ],
    )
    def test_odd_input_is_never_a_server_error(self, client, auth, query):
        post(client, auth, "/v1/swaps", swap_body())
        for path in ("/", "/embed/gaps"):
            r = client.get(path + query)
            assert r.status_code < 500, (path + query, r.status_code)
            assert r.mimetype == "text/html"

    def test_an_unknown_release_is_an_html_404(self, client):
        doc = page(client, "?as_of=release:nope", status=404)
        assert "there is no release 'nope'" in doc.full_text()

    def test_a_long_timeline_links_to_its_next_page_keeping_the_filters(
        self, client, auth, monkeypatch
    ):
        monkeypatch.setattr(reads, "TIMELINE_PAGE", 3)
        e = record_story(client, auth)
        doc = page(client, "?party=UA")
        assert len(timeline(doc)) == 3
        more = doc.find("p", "more").find("a").attrs["href"]
        agreement = e["agreement"]["position"]
        assert more == f"/?party=UA&after=2025-02-10.{agreement}#timeline"
        rest = timeline(page(client, more.removeprefix("/").removesuffix("#timeline")))
        assert rest[0] == "UA accuses RU of breaching agreement istanbul"

    def test_downloads_carry_the_filters(self, client, auth):
        record_story(client, auth)
        doc = page(client, "?from=2025-02-01&type=swap.completed&as_of=5")
        links = {
            a.full_text(): a.attrs["href"] for a in doc.find("section", "downloads").find_all("a")
        }
        assert links == {
            "CSV": "/v1/timeline?from=2025-02-01&type=swap.completed&as_of=5"
            "&format=csv&limit=10000",
            "TimelineJS JSON": "/v1/timeline?from=2025-02-01&type=swap.completed&as_of=5"
            "&format=timelinejs&limit=10000",
            "Atom": "/v1/feed.atom?as_of=5",
            "NDJSON": "/v1/events?format=ndjson",
            "SVG": "/v1/metrics/gaps.svg?from=2025-02-01&as_of=5",
            "JSON": "/v1/metrics/gaps?from=2025-02-01&as_of=5",
        }
        for url in links.values():
            assert client.get(url).status_code == 200, url


class TestAsOf:
    def test_as_of_shows_the_page_as_it_was(self, client, auth):
        e = record_story(client, auth)
        doc = page(client, f"?as_of={e['mar']['position']}")
        assert marks(doc) == [("2025-01-02", "2025-03-02", "59")]
        assert "Statement" not in [s.full_text() for s in doc.find_all("span", "kind")]
        assert (
            doc.find("p", "as-of")
            .full_text()
            .startswith(
                f"You are looking at the log as it was at {e['mar']['position']}:"
                f" position {e['mar']['position']} of {e['retraction']['position']}"
            )
        )
        # Before the retraction the retracted proposal was there; after it, it is not.
        before = timeline(page(client, f"?as_of={e['gone']['position']}"))
        assert "UA proposes an all-for-all exchange to RU" in before
        assert len(before) == len(timeline(page(client))) + 1

    def test_a_release_can_be_chosen_from_the_page(self, client, auth, engine):
        record_story(client, auth)
        admin = {"Authorization": f"Bearer {tokens.create_token(engine, 'editor', 'admin')}"}
        assert client.post("/v1/releases", json={"name": "march"}, headers=admin).status_code == 201
        post(client, auth, "/v1/swaps", swap_body(occurred_on="2025-05-01"))
        doc = page(client)
        options = doc.find("select", id="f-release").find_all("option")
        assert [o.attrs["value"] for o in options] == ["", "release:march"]
        assert len(marks(doc)) == 3
        assert len(marks(page(client, "?as_of=release:march"))) == 2

    def test_the_page_has_an_etag_and_answers_304_until_the_log_changes(self, client, auth):
        e = record_story(client, auth)
        first = client.get("/")
        assert first.headers["X-Log-Position"] == str(e["retraction"]["position"])
        again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
        post(client, auth, "/v1/swaps", swap_body(occurred_on="2025-05-01"))
        assert client.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200
