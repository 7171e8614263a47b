"""The compiled fast path for write bodies loads exactly what marshmallow loads, and leaves
every body marshmallow would refuse (or doubt) to marshmallow."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from enum import Enum
from typing import Any

import pytest
from marshmallow import EXCLUDE, Schema, ValidationError, fields

from service.schemas import fast_load
from service.schemas.agreements import AgreementWrite, BreachWrite
from service.schemas.attempts import AttemptWrite
from service.schemas.batches import BatchWrite
from service.schemas.common import SourceSchema
from service.schemas.corrections import CorrectionWrite, RetractionWrite
from service.schemas.fast_load import Fallback, compile_schema, with_fast_load
from service.schemas.proposals import AcceptanceWrite, ProposalWrite, RefusalWrite
from service.schemas.statements import StatementWrite
from service.schemas.swaps import SwapWrite
from tests import builders

BREAKDOWNS = [
    {
        "side": "UA",
        "dimension": "nationality",
        "values": [{"label": "Ukrainian", "count": 150, "share": 0.95}, {"label": "other"}],
    }
]
SIDES = [
    {
        "party": "UA",
        "received": 157,
        "military": 150,
        "civilians": 7,
        "medical": 3,
        "bodies": 0,
        "alternative_figures": [{"claimed_by": "RU", "received": 150, "note": "MoD"}],
    }
]
SOURCE = {
    "url": "https://www.reuters.com/x",
    "publisher": "Reuters",
    "title": "A swap",
    "published_on": "2026-02-06",
    "quote": "q",
}
BODIES: dict[type[Schema], list[dict[str, Any]]] = {
    SwapWrite: [
        builders.swap_body(),
        builders.swap_body(
            id="feb",
            sides=SIDES,
            breakdowns=BREAKDOWNS,
            sources=[SOURCE],
            notes="n",
            proposal_id="p1",
            agreement_id="a1",
            date_precision="month",
        ),
    ],
    ProposalWrite: [builders.proposal_body(), builders.proposal_body(id="p1")],
    RefusalWrite: [builders.refusal_body(), builders.refusal_body(expected_version=2)],
    AcceptanceWrite: [builders.acceptance_body()],
    AgreementWrite: [builders.agreement_body()],
    BreachWrite: [builders.breach_body()],
    AttemptWrite: [builders.attempt_body()],
    StatementWrite: [builders.statement_body()],
    CorrectionWrite: [
        builders.correction_body({"notes": "n"}),
        builders.correction_body({"sides": SIDES, "occurred_on": "2026-02-04"}),
    ],
    RetractionWrite: [builders.retraction_body()],
    BatchWrite: [
        {"items": [{"method": "POST", "path": "/v1/swaps", "body": {"id": "x", "n": [1]}}]},
    ],
}
ODD_VALUES = [
    None, True, False, 0, -1, 1, 2, 1.5, 0.5, 1.0, 2**70, float("nan"), float("inf"),
    10_000_001, "", " ", "x", "UA", "ZZ", "ua", "military", "day", "DAY", "2026-02-05",
    "2026-2-5", "2026-02-30", "20260205", "2026-02-05\n", "1", "0.5", "true",
    "https://example.org/x", "ftp://example.org/x", "a\x00b", "a\x1fb", "\ud800", "x" * 5000,
    "p1", "-bad", [], [1], ["UA"], ["military"], {}, {"a": 1}, {"party": "UA"},
]  # fmt: skip


def typed(value: Any) -> Any:
    """A value with its types spelled out: a date is not its text, a member not its value."""
    if isinstance(value, dict):
        return ("dict", tuple((k, typed(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(typed(v) for v in value))
    if isinstance(value, Enum):
        return (type(value).__name__, value.value)
    return (type(value).__name__, value)


def paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*prefix, key)
            yield from paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield (*prefix, index)
            yield from paths(inner, (*prefix, index))


def replaced(body: Any, path: tuple, value: Any) -> Any:
    body = copy.deepcopy(body)
    target = body
    for step in path[:-1]:
        target = target[step]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


DELETE = object()


def variants(body: dict[str, Any]) -> Iterator[Any]:
    yield body
    for path in paths(body):
        for value in [*ODD_VALUES, DELETE]:
            if value is DELETE and isinstance(path[-1], int):
                continue
            yield replaced(body, path, value)
        if isinstance(path[-1], str):
            yield replaced(body, (*path[:-1], "unknown_field"), 1)
    yield {**body, "unknown_field": 1}
    yield [body]
    yield "body"


def outcomes(schema_class: type[Schema], body: Any) -> tuple[Any, Any]:
    try:
        expected = ("loaded", typed(schema_class().load(body)))
    except ValidationError:
        expected = ("invalid", None)
    try:
        fast = ("loaded", typed(compile_schema(schema_class())(body)))
    except Fallback:
        fast = ("fallback", None)
    return expected, fast


@pytest.mark.parametrize("schema_class", list(BODIES), ids=lambda c: c.__name__)
class TestFastLoad:
    def test_every_write_schema_compiles(self, schema_class):
        assert callable(compile_schema(schema_class()))

    def test_valid_bodies_take_the_fast_path_and_load_as_marshmallow_does(self, schema_class):
        for body in BODIES[schema_class]:
            expected, fast = outcomes(schema_class, body)
            assert expected[0] == "loaded", body
            assert fast == expected

    def test_on_any_altered_body_it_agrees_with_marshmallow_or_leaves_it_to_it(self, schema_class):
        checked = accepted = 0
        for base in BODIES[schema_class]:
            for body in variants(base):
                expected, fast = outcomes(schema_class, body)
                if fast[0] == "loaded":
                    assert fast == expected, body
                    accepted += 1
                else:
                    assert fast[0] == "fallback", body
                checked += 1
        assert accepted > len(BODIES[schema_class])  # some altered bodies are valid too
        assert checked > 100


class TestInstalledLoad:
    def test_the_installed_load_answers_marshmallows_errors(self):
        body = builders.swap_body(mediators=["XX"], sources=[])
        with pytest.raises(ValidationError) as caught:
            with_fast_load(SwapWrite()).load(body)
        assert caught.value.messages == SwapWrite().validate(body)
        assert set(caught.value.messages) == {"mediators", "sources"}

    def test_a_schema_it_cannot_reproduce_is_left_to_marshmallow(self):
        class Loose(Schema):  # unknown fields are dropped: not what the fast path does
            class Meta:
                unknown = EXCLUDE

            name = fields.String()

        schema = Loose()
        assert with_fast_load(schema).load == schema.load
        assert "load" not in vars(schema)


class TestRememberedUrls:
    """A URL field's compiled loader skips the URLs it already accepted, and only those."""

    def test_an_accepted_url_is_accepted_again_and_a_bad_one_still_refused(self):
        schema = with_fast_load(SourceSchema())
        good = {"url": "https://www.reuters.com/world/swap/"}
        assert schema.load(good) == good
        assert schema.load(dict(good)) == good
        for bad in ("javascript:alert(1)", "https://www.reuters.com/\x0b", ["https://x.org/"]):
            with pytest.raises(ValidationError) as refused:
                schema.load({"url": bad})
            assert "url" in refused.value.messages

    def test_a_full_memory_starts_over_and_still_judges(self, monkeypatch):
        monkeypatch.setattr(fast_load, "ACCEPTED_URLS_KEPT", 2)
        schema = with_fast_load(SourceSchema())
        for n in [0, 1, 2, 3, 0, 4]:
            url = f"https://example.org/{n}"
            assert schema.load({"url": url}) == {"url": url}
        with pytest.raises(ValidationError):
            schema.load({"url": "javascript:alert(1)"})
