"""Hostile and broken input: each gets its documented 4xx problem and writes nothing.

Injection strings are the exception: they are ordinary text, stored verbatim and returned
as JSON (never interpreted), so those cases assert the exact round trip instead.
"""

from __future__ import annotations

import json

import pytest

from service.api.bodies import MAX_DEPTH, nesting_depth
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


def _head(client) -> dict:
    return client.get("/v1/log/head").json


def _refused(client, auth, path, *, status, data=None, json_body=None, content_type=None):
    """POST, assert the problem status, and that the log did not move; return the body."""
    before = _head(client)
    kwargs = {"json": json_body} if json_body is not None else {"data": data}
    if content_type:
        kwargs["content_type"] = content_type
    r = client.post(path, headers=auth, **kwargs)
    assert r.status_code == status, r.get_data(as_text=True)[:500]
    assert r.mimetype == "application/problem+json"
    assert r.json["status"] == status
    assert _head(client) == before
    return r.json


class TestBodiesThatAreNotJsonObjects:
    @pytest.mark.parametrize("path", sorted(WRITES))
    def test_malformed_json_is_a_400(self, client, auth, path):
        problem = _refused(
            client, auth, path, status=400, data="{nope", content_type="application/json"
        )
        assert problem["detail"] == "The request body is not valid JSON."

    def test_invalid_utf8_is_a_400(self, client, auth):
        data = b'{"summary": "\xff\xfe\xc3"}'
        _refused(
            client, auth, "/v1/proposals", status=400, data=data, content_type="application/json"
        )

    def test_a_body_sent_as_text_is_a_415(self, client, auth):
        problem = _refused(
            client, auth, "/v1/swaps", status=415, data="{}", content_type="text/plain"
        )
        assert problem["detail"] == "send the body as application/json, not text/plain"

    @pytest.mark.parametrize("body", ["[1, 2]", "null", '"swap"', "42", "true"])
    def test_json_that_is_not_an_object_is_a_422(self, client, auth, body):
        problem = _refused(
            client, auth, "/v1/swaps", status=422, data=body, content_type="application/json"
        )
        assert problem["errors"] == {"body": ["Must be a JSON object."]}


class TestOversizedAndDeepBodies:
    @pytest.mark.parametrize("opener", ["[", '{"a":'])
    def test_ten_thousand_levels_of_nesting_are_a_400_not_a_crash(self, client, auth, opener):
        closer = "]" if opener == "[" else "}"
        data = opener * 10_000 + "1" + closer * 10_000
        problem = _refused(
            client, auth, "/v1/swaps", status=400, data=data, content_type="application/json"
        )
        assert problem["detail"] == f"The JSON body is nested more than {MAX_DEPTH} levels deep."

    def test_nesting_inside_strings_does_not_count(self):
        assert nesting_depth(json.dumps({"summary": "[" * 1000}).encode()) == 1
        assert nesting_depth(b'{"a": [[["\\"]]]"]]]}', limit=2) == 3  # stops past the limit

    def test_a_huge_array_is_refused_naming_the_field(self, client, auth):
        body = swap_body(sources=[SOURCE] * 5_000)
        problem = _refused(client, auth, "/v1/swaps", status=422, json_body=body)
        assert problem["errors"] == {"sources": ["Give 1 to 50 sources."]}

    def test_a_body_over_the_size_limit_is_a_413(self, client, auth):
        body = proposal_body(summary="x" * (1024 * 1024))
        problem = _refused(client, auth, "/v1/proposals", status=413, json_body=body)
        assert (
            problem["title"] == "Content Too Large"
            or problem["title"] == "Request Entity Too Large"
        )

    def test_a_long_string_under_the_size_limit_is_a_422(self, client, auth):
        body = proposal_body(summary="x" * 900_000)
        problem = _refused(client, auth, "/v1/proposals", status=422, json_body=body)
        assert list(problem["errors"]) == ["summary"]


class TestFieldsThatBreakTheRules:
    def test_nul_bytes_in_text_are_refused(self, client, auth):
        problem = _refused(
            client, auth, "/v1/proposals", status=422, json_body=proposal_body(summary="a\x00b")
        )
        assert problem["errors"] == {"summary": ["Must not contain NUL characters."]}

    @pytest.mark.parametrize("path", sorted(WRITES))
    def test_unknown_fields_are_refused_by_name(self, client, auth, path):
        body = WRITES[path](is_admin=True)
        problem = _refused(client, auth, path, status=422, json_body=body)
        assert problem["errors"] == {"is_admin": ["Unknown field."]}

    @pytest.mark.parametrize(
        ("field", "value"),
        [("sides", "157"), ("mediators", "AE"), ("occurred_on", 20260205), ("sources", {})],
    )
    def test_wrong_types_are_refused_by_name(self, client, auth, field, value):
        problem = _refused(
            client, auth, "/v1/swaps", status=422, json_body=swap_body(**{field: value})
        )
        assert list(problem["errors"]) == [field]

    @pytest.mark.parametrize("path", sorted(WRITES))
    @pytest.mark.parametrize("day", ["9999-12-31", "2100-01-01", "2013-12-31", "1900-01-01"])
    def test_far_future_and_pre_2014_dates_are_refused(self, client, auth, path, day):
        problem = _refused(client, auth, path, status=422, json_body=WRITES[path](occurred_on=day))
        assert list(problem["errors"]) == ["occurred_on"]


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
        assert _head(client)["position"] == len(INJECTIONS)
