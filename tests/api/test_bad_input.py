"""Hostile and broken input: each gets its documented problem+json answer and writes nothing.

One table holds the refused requests (body, content type, expected status and message); the
tests below it cover what a table row cannot: the size limit of a configured app, routing,
an unexpected crash, and injection strings, which are ordinary text stored verbatim.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from service.api.bodies import MAX_DEPTH, nesting_depth
from service.app import create_app
from service.config import Settings
from tests.api.expect import head, problem
from tests.builders import (
    SOURCE,
    agreement_body,
    attempt_body,
    proposal_body,
    statement_body,
    swap_body,
)

WRITES = {
    "/v1/proposals": proposal_body,
    "/v1/agreements": agreement_body,
    "/v1/attempts": attempt_body,
    "/v1/statements": statement_body,
    "/v1/swaps": swap_body,
}
JSON = "application/json"
NOT_JSON = "The request body is not valid JSON."
NOT_AN_OBJECT = {"body": ["Must be a JSON object."]}
TOO_DEEP = f"The JSON body is nested more than {MAX_DEPTH} levels deep."
SURROGATE = "Must be valid Unicode text (no unpaired surrogate code points)."


def _surrogate(body: dict[str, Any], placeholder: str, escaped: str) -> str:
    return json.dumps(body).replace(placeholder, escaped)


@dataclass(frozen=True)
class Refused:
    """A POST the service refuses: what is sent and the problem it must answer."""

    data: str | bytes
    status: int
    detail: str | None = None
    errors: dict[str, list[str]] | None = None
    error_fields: tuple[str, ...] | None = None  # when only the named fields are asserted
    path: str = "/v1/swaps"
    content_type: str = JSON
    problem_type: str | None = None


REFUSED = {
    "malformed JSON": Refused(
        '{"occurred_on": "2026-02-05",', 400, NOT_JSON, problem_type="bad-request"
    ),
    "invalid UTF-8": Refused(b'{"summary": "\xff\xfe\xc3"}', 400, path="/v1/proposals"),
    # What orjson refuses goes to the standard parser, which decides as it always has.
    "a UTF-16 body": Refused(json.dumps(swap_body()).encode("utf-16"), 400, NOT_JSON),
    "a byte order mark": Refused(b"\xef\xbb\xbf" + json.dumps(swap_body()).encode(), 400, NOT_JSON),
    "NaN as a figure": Refused(
        json.dumps(swap_body()).replace('"received": 157', '"received": NaN', 1),
        422,
        errors={"sides.0.received": ["Must be a whole number (a JSON integer, not text or 1.5)."]},
    ),
    "an integer beyond 64 bits": Refused(
        json.dumps(swap_body()).replace('"received": 157', f'"received": {2**70}', 1),
        422,
        error_fields=("sides.0.received",),
    ),
    "a text body": Refused(
        "{}", 415, "send the body as application/json, not text/plain", content_type="text/plain"
    ),
    "a JSON array": Refused(
        json.dumps([swap_body()]),
        422,
        "The request is invalid. body: Must be a JSON object.",
        NOT_AN_OBJECT,
    ),
    "JSON null": Refused("null", 422, errors=NOT_AN_OBJECT),
    "a JSON string": Refused('"swap"', 422, errors=NOT_AN_OBJECT),
    "a JSON number": Refused("42", 422, errors=NOT_AN_OBJECT),
    "JSON true": Refused("true", 422, errors=NOT_AN_OBJECT),
    "100,000 nested arrays": Refused("[" * 100_000 + "]" * 100_000, 400, TOO_DEEP),
    "10,000 nested arrays": Refused("[" * 10_000 + "1" + "]" * 10_000, 400, TOO_DEEP),
    "10,000 nested objects": Refused('{"a":' * 10_000 + "1" + "}" * 10_000, 400, TOO_DEEP),
    "an unpaired surrogate": Refused(
        _surrogate(swap_body(notes="PH"), "PH", "\\ud800"), 422, errors={"notes": [SURROGATE]}
    ),
    "an unknown field named with a surrogate": Refused(
        _surrogate(swap_body(PH=1), "PH", "n\\ud800"), 422, errors={"n\ud800": ["Unknown field."]}
    ),
    "a NUL in a source URL": Refused(
        json.dumps(swap_body(sources=[{"url": "https://a.org/\x00"}])),
        422,
        errors={"sources.0.url": ["Must not contain NUL characters."]},
    ),
    "a NUL in text": Refused(
        json.dumps(proposal_body(summary="a\x00b")),
        422,
        errors={"summary": ["Must not contain NUL characters."]},
        path="/v1/proposals",
    ),
    "5,000 sources": Refused(
        json.dumps(swap_body(sources=[SOURCE] * 5_000)),
        422,
        errors={"sources": ["Give 1 to 50 sources."]},
    ),
    "a 1 MiB string": Refused(
        json.dumps(proposal_body(summary="x" * 1024 * 1024)),
        413,
        path="/v1/proposals",
        problem_type="content-too-large",
    ),
    "a 900 kB string": Refused(
        json.dumps(proposal_body(summary="x" * 900_000)),
        422,
        error_fields=("summary",),
        path="/v1/proposals",
    ),
    "sides as text": Refused(json.dumps(swap_body(sides="157")), 422, error_fields=("sides",)),
    "mediators as text": Refused(
        json.dumps(swap_body(mediators="AE")), 422, error_fields=("mediators",)
    ),
    "a date as a number": Refused(
        json.dumps(swap_body(occurred_on=20260205)), 422, error_fields=("occurred_on",)
    ),
    "sources as an object": Refused(
        json.dumps(swap_body(sources={})), 422, error_fields=("sources",)
    ),
}


def _refused(client, auth, case: Refused) -> dict[str, Any]:
    """POST the case; assert its problem and that the log did not move; return the body."""
    before = head(client)
    r = client.post(case.path, data=case.data, headers={**auth, "Content-Type": case.content_type})
    body = problem(r, case.status, case.detail)
    if case.errors is not None:
        assert body["errors"] == case.errors
    if case.error_fields is not None:
        assert tuple(body["errors"]) == case.error_fields
    if case.problem_type:
        assert body["type"].endswith("/" + case.problem_type)
    assert head(client) == before
    return body


class TestRefusedRequests:
    @pytest.mark.parametrize("case", list(REFUSED))
    def test_each_is_its_documented_problem_and_writes_nothing(self, client, auth, case):
        _refused(client, auth, REFUSED[case])

    @pytest.mark.parametrize("path", sorted(WRITES))
    def test_malformed_json_is_a_400_on_every_write(self, client, auth, path):
        _refused(client, auth, Refused("{nope", 400, NOT_JSON, path=path))

    @pytest.mark.parametrize("path", sorted(WRITES))
    def test_unknown_fields_are_refused_by_name(self, client, auth, path):
        data = json.dumps(WRITES[path](is_admin=True))
        _refused(
            client, auth, Refused(data, 422, errors={"is_admin": ["Unknown field."]}, path=path)
        )

    @pytest.mark.parametrize("path", sorted(WRITES))
    @pytest.mark.parametrize("day", ["9999-12-31", "2100-01-01", "2013-12-31", "1900-01-01"])
    def test_far_future_and_pre_2014_dates_are_refused(self, client, auth, path, day):
        data = json.dumps(WRITES[path](occurred_on=day))
        _refused(client, auth, Refused(data, 422, error_fields=("occurred_on",), path=path))

    def test_a_body_over_a_configured_limit_is_a_413_naming_it(self, database_url, write_token):
        app = create_app(Settings(database_url=database_url, max_content_length=512))
        client = app.test_client()
        auth = {"Authorization": f"Bearer {write_token}"}
        detail = "The request body is larger than the 512 bytes this service accepts."
        _refused(client, auth, Refused(json.dumps(swap_body(notes="x" * 1000)), 413, detail))
        app.extensions["engine"].dispose()

    def test_nesting_inside_strings_does_not_count(self):
        assert nesting_depth(json.dumps({"summary": "[" * 1000}).encode()) == 1
        assert nesting_depth(b'{"a": [[["\\"]]]"]]]}', limit=2) == 4  # an escaped quote


class TestRoutingAndCrashes:
    def test_an_unknown_url_is_a_404(self, client):
        body = problem(
            client.get("/v1/nothing-here"),
            404,
            "There is nothing at /v1/nothing-here; the routes are listed in /openapi.yaml.",
        )
        assert body["type"].endswith("/not-found")

    @pytest.mark.parametrize(
        ("path", "allowed"),
        [
            ("/v1/swaps", {"GET", "HEAD", "POST", "OPTIONS"}),
            ("/v1/events", {"GET", "HEAD", "OPTIONS"}),
        ],
    )
    def test_a_wrong_method_is_a_405_naming_the_allowed_ones(self, client, path, allowed):
        r = client.delete(path)
        problem(r, 405, "The method is not allowed for the requested URL.")
        assert {m.strip() for m in r.headers["Allow"].split(",")} == allowed

    def test_an_unexpected_exception_is_a_500_without_internals(self, client, auth, monkeypatch):
        def explode(*args, **kwargs):
            raise RuntimeError("secret table layout at /srv/db")

        monkeypatch.setattr("service.api.write_views.record", explode)
        r = client.post("/v1/swaps", json=swap_body(), headers=auth)
        body = problem(r, 500, "The server could not complete the request; the error was logged.")
        assert body["type"].endswith("/internal-error")
        assert "secret" not in r.get_data(as_text=True)
        assert head(client)["position"] == 0


INJECTIONS = [
    "'; DROP TABLE events; --",
    "\" OR 1=1; UPDATE events SET data = '{}' --",
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}} ${7*7} %s %n",
]
# Free-text fields of each create body (top level) and of every source.
FREE_TEXT = {
    "/v1/proposals": ["summary", "actor"],
    "/v1/agreements": ["name", "venue", "summary"],
    "/v1/attempts": ["reason"],
    "/v1/statements": ["speaker", "summary", "quote"],
    "/v1/swaps": ["notes"],
}
SOURCE_TEXT = ["publisher", "title", "quote"]


class TestInjectionStringsAreJustText:
    @pytest.mark.parametrize("path", sorted(WRITES))
    def test_every_free_text_field_stores_and_returns_them_verbatim(self, client, auth, path):
        for i, text in enumerate(INJECTIONS):
            fields = {name: f"{text} {i}" for name in FREE_TEXT[path]}
            source = {**SOURCE, **{name: text for name in SOURCE_TEXT}}
            body = WRITES[path](occurred_on=f"2025-01-{i + 1:02d}", sources=[source], **fields)
            r = client.post(path, json=body, headers=auth)
            assert r.status_code == 201, r.json
            assert r.mimetype == "application/json"
            assert (
                r.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
            )
            stored = client.get(f"/v1/events/{r.json['id']}").json
            for name in FREE_TEXT[path]:
                assert stored["data"][name] == f"{text} {i}"
            assert stored["sources"] == [source]
        assert head(client)["position"] == len(INJECTIONS)
