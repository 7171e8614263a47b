"""What the fuzzer found, kept as regression tests."""

from __future__ import annotations

import httpx
import pytest

from tests.builders import SOURCE, acceptance_body, breach_body, refusal_body, swap_body
from tests.servers import running_gunicorn


class TestFuzzFindings:
    def test_a_source_with_a_publication_date_is_stored_and_read_back(self, client, auth):
        # FUZZ-1: the envelope dump of the stored ISO text was a TypeError: a 500.
        source = {**SOURCE, "published_on": "2026-02-05"}
        r = client.post("/v1/swaps", json=swap_body(sources=[source]), headers=auth)
        assert r.status_code == 201
        assert r.json["sources"] == [source]
        listed = client.get("/v1/events")
        assert listed.status_code == 200
        assert listed.json["events"][0]["sources"] == [source]


class TestFixedFuzzFindings:
    @pytest.mark.parametrize("after", [2**63, 25361114938179468656640])
    def test_a_cursor_beyond_64_bits_is_a_422_not_a_500(self, client, after):
        # FUZZ-3: was an OverflowError (SQLite) / out-of-range error in the query: a 500.
        r = client.get(f"/v1/events?after={after}")
        assert r.status_code == 422
        assert list(r.json["errors"]) == ["after"]

    def test_the_largest_64_bit_cursor_is_an_empty_page(self, client):
        r = client.get(f"/v1/events?after={2**63 - 1}")
        assert r.status_code == 200
        assert r.json == {"events": [], "next_after": None}

    def test_a_stream_filter_with_a_nul_is_a_422_not_a_500(self, client):
        # FUZZ-4: PostgreSQL refuses NUL in text parameters (DataError): was a 500 there.
        r = client.get("/v1/events?stream=swap/a%00b")
        assert r.status_code == 422
        assert r.json["errors"] == {"stream": ["Must not contain NUL characters."]}

    @pytest.mark.parametrize(
        ("path", "body"),
        [
            ("/v1/proposals/a%00b/refusals", refusal_body()),
            ("/v1/proposals/a%00b/acceptances", acceptance_body()),
            ("/v1/agreements/a%00b/breaches", breach_body()),
        ],
    )
    def test_a_parent_id_with_a_nul_is_a_4xx_not_a_500(self, client, auth, path, body):
        # FUZZ-5: was a DataError 500 on PostgreSQL (the id reached the stream query).
        r = client.post(path, json=body, headers=auth)
        assert r.status_code == 400
        assert r.mimetype == "application/problem+json"
        assert r.json["detail"] == "The URL must not contain NUL characters."

    @pytest.mark.parametrize("url", ["https://a.example/\u0000x", "https://a.example/a b"])
    def test_a_source_url_with_a_nul_or_space_is_a_422_not_a_500(self, client, auth, url):
        # FUZZ-6: PostgreSQL's jsonb refuses \u0000: the insert failed with a 500.
        r = client.post("/v1/swaps", json=swap_body(sources=[{"url": url}]), headers=auth)
        assert r.status_code == 422
        assert list(r.json["errors"]) == ["sources.0.url"]
        assert client.get("/v1/log/head").json["position"] == 0


class TestFindingsOnALiveServer:
    @pytest.mark.slow
    def test_what_gunicorn_refuses_itself_is_a_problem_document_too(self, database_url):
        # FUZZ-7 (live server): a request line over gunicorn's 4094 bytes was a 414 HTML page.
        with running_gunicorn(database_url, workers=1) as server:
            long_url = server.url("/v1/corrections?before=" + "1" * 5000)
            r = httpx.get(long_url, timeout=10)
            huge_header = httpx.get(server.url("/v1/log/head"), headers={"X-A": "b" * 9000})
        assert r.status_code == 414
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"] == "https://pow-exchange-log.example/problems/uri-too-long"
        assert (r.json()["status"], r.json()["title"]) == (414, "URI Too Long")
        assert huge_header.status_code == 431
        assert huge_header.headers["content-type"] == "application/problem+json"
        assert huge_header.json()["status"] == 431
