"""Every PRODUCT §3 write rule: a 422 naming the field, and nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.domain.vocab import Category
from tests.api.expect import head, invalid, problem
from tests.builders import (
    acceptance_body,
    agreement_body,
    breach_body,
    correction_body,
    proposal_body,
    refusal_body,
    retraction_body,
    swap_body,
)

COUNT_RANGE = "Must be a whole number from 0 to 10000000."
NOT_WHOLE = "Must be a whole number (a JSON integer, not text or 1.5)."
ALLOWED_CATEGORIES = "Must be one of: " + ", ".join(c.value for c in Category) + "."
UNKNOWN_PARTY = (
    "Unknown party code 'XX'. Not an ISO 3166-1 alpha-2 party code"
    " (two capital letters, e.g. UA, RU, AE)."
)
EMPTY = {"position": 0, "hash": None}


def _tomorrow() -> str:
    return (datetime.now(UTC).date() + timedelta(days=1)).isoformat()


def _breakdown(*values, side="UA", dimension="nationality"):
    return {"side": side, "dimension": dimension, "values": list(values)}


def _side(**figures):
    return {"party": "UA", **figures}


SWAP_CASES = {
    "negative count": (
        swap_body(sides=[_side(received=-1)]),
        "sides.0.received",
        COUNT_RANGE,
    ),
    "fractional count": (swap_body(sides=[_side(received=1.5)]), "sides.0.received", NOT_WHOLE),
    "count as text": (swap_body(sides=[_side(received="157")]), "sides.0.received", NOT_WHOLE),
    "count as boolean": (swap_body(sides=[_side(bodies=True)]), "sides.0.bodies", NOT_WHOLE),
    "share above one": (
        swap_body(breakdowns=[_breakdown({"label": "Russians", "share": 1.2})]),
        "breakdowns.0.values.0.share",
        "Must be a fraction from 0 to 1.",
    ),
    "shares summing past the rounding allowance": (
        swap_body(
            breakdowns=[_breakdown({"label": "a", "share": 0.6}, {"label": "b", "share": 0.406})]
        ),
        "breakdowns.0.values",
        "shares of dimension 'nationality' sum to 1.006;"
        " they may sum to at most 1 (up to 1.005 for rounding)",
    ),
    "a value with both count and share": (
        swap_body(breakdowns=[_breakdown({"label": "a", "share": 0.5, "count": 3})]),
        "breakdowns.0.values.0",
        "give exactly one of count or share",
    ),
    "military above received": (
        swap_body(sides=[_side(received=157, military=158)]),
        "sides.0.military",
        "military (158) exceeds received (157)",
    ),
    "civilians above received": (
        swap_body(sides=[_side(received=157, civilians=158)]),
        "sides.0.civilians",
        "civilians (158) exceeds received (157)",
    ),
    "medical above received": (
        swap_body(sides=[_side(received=5, medical=6)]),
        "sides.0.medical",
        "medical (6) exceeds received (5)",
    ),
    "military and civilians together above received": (
        swap_body(sides=[_side(received=157, military=150, civilians=8)]),
        "sides.0.civilians",
        "military + civilians (158) exceeds received (157)",
    ),
    "breakdown of a party that is not a side": (
        swap_body(breakdowns=[_breakdown({"label": "a", "count": 3}, side="US")]),
        "breakdowns.0.side",
        "US is not one of the swap's sides (UA, RU)",
    ),
    "one party on two sides": (
        swap_body(sides=[_side(received=1), _side(received=2)]),
        "sides.1.party",
        "UA already has a side; each party appears only once",
    ),
    "one dimension broken down twice": (
        swap_body(
            breakdowns=[
                _breakdown({"label": "a", "share": 0.6}),
                _breakdown({"label": "b", "share": 0.6}),
            ]
        ),
        "breakdowns.1.dimension",
        "UA already has a 'nationality' breakdown; put all its values in one",
    ),
    "unknown category": (swap_body(categories=["heroes"]), "categories.0", ALLOWED_CATEGORIES),
    "unknown party code": (swap_body(mediators=["XX"]), "mediators.0", UNKNOWN_PARTY),
    "unknown field": (swap_body(figures=3), "figures", "Unknown field."),
    "missing required field": (swap_body(sides=...), "sides", "Missing data for required field."),
    "no sources": (swap_body(sources=[]), "sources", "Give 1 to 50 sources."),
    "source url that is not http(s)": (
        swap_body(sources=[{"url": "ftp://example.org/list.txt"}]),
        "sources.0.url",
        "Must be an http:// or https:// URL with a domain name, in ASCII"
        " (percent-encode other characters).",
    ),
    "occurred_on before 2014": (
        swap_body(occurred_on="2013-12-31"),
        "occurred_on",
        "must not be before 2014-01-01",
    ),
    "NUL character in text": (
        swap_body(notes="157 \x00 home"),
        "notes",
        "Must not contain NUL characters.",
    ),
    "swap of an unknown proposal": (
        swap_body(proposal_id="nope"),
        "proposal_id",
        "there is no proposal 'nope'",
    ),
    "swap of an unknown agreement": (
        swap_body(agreement_id="nope"),
        "agreement_id",
        "there is no agreement 'nope'",
    ),
    "id with a trailing newline": (
        swap_body(id="abc\n"),
        "id",
        "Must be a slug: lower-case letters, digits and '-', 1 to 64 characters,"
        " starting with a letter or digit.",
    ),
}


class TestSwapRules:
    @pytest.mark.parametrize("case", list(SWAP_CASES))
    def test_a_swap_breaking_a_rule_is_a_422_naming_the_field(self, client, auth, case):
        body, field, message = SWAP_CASES[case]
        r = client.post("/v1/swaps", json=body, headers=auth)
        invalid(r, field, message)
        assert head(client) == EMPTY

    def test_occurred_on_tomorrow_is_in_the_future(self, client, auth):
        today = datetime.now(UTC).date().isoformat()
        r = client.post("/v1/swaps", json=swap_body(occurred_on=_tomorrow()), headers=auth)
        invalid(r, "occurred_on", f"must not be in the future (today is {today})")
        assert head(client) == EMPTY

    def test_shares_summing_to_1_004_are_rounding_and_accepted(self, client, auth):
        values = [{"label": "Russians", "share": 0.8}, {"label": "Chechens", "share": 0.134}]
        values.append({"label": "other", "share": 0.07})
        r = client.post("/v1/swaps", json=swap_body(breakdowns=[_breakdown(*values)]), headers=auth)
        assert r.status_code == 201, r.json
        assert [v["share"] for v in r.json["data"]["breakdowns"][0]["values"]] == [0.8, 0.134, 0.07]

    def test_the_medically_exchanged_are_counted_among_the_military_received(self, client, auth):
        # PRODUCT §3: "157 received, of which five under a medical exchange".
        sides = [{"party": "RU", "received": 157, "military": 157, "medical": 5}]
        r = client.post("/v1/swaps", json=swap_body(sides=sides), headers=auth)
        assert r.status_code == 201, r.json
        assert r.json["data"]["sides"][0] == {**sides[0], "alternative_figures": []}

    def test_several_broken_fields_are_all_named_on_one_line(self, client, auth):
        body = swap_body(sides=[_side(received=-1)], categories=["heroes"], sources=[])
        r = client.post("/v1/swaps", json=body, headers=auth)
        body = problem(r, 422)
        assert set(body["errors"]) == {"sides.0.received", "categories.0", "sources"}
        assert "\n" not in body["detail"]
        for field in body["errors"]:
            assert f"{field}: " in body["detail"]


class TestOtherTypeRules:
    def test_an_agreement_needs_two_distinct_parties(self, client, auth):
        # The document states it (minItems 2, uniqueItems), so a repeated party is refused
        # by the schema before the rule (which still holds) is asked.
        r = client.post("/v1/agreements", json=agreement_body(parties=["UA", "UA"]), headers=auth)
        invalid(r, "parties", "Name each party only once.")
        r = client.post("/v1/agreements", json=agreement_body(parties=["UA"]), headers=auth)
        invalid(r, "parties", "Length must be between 2 and 20.")

    def test_a_party_does_not_allege_a_breach_against_itself(self, client, auth):
        client.post("/v1/agreements", json=agreement_body(id="a1"), headers=auth)
        r = client.post(
            "/v1/agreements/a1/breaches", json=breach_body(breached_by="UA"), headers=auth
        )
        invalid(r, "breached_by", "a party does not allege a breach against itself")
        assert head(client)["position"] == 1

    def test_an_unknown_proposal_format_lists_the_allowed_ones(self, client, auth):
        r = client.post("/v1/proposals", json=proposal_body(format="swap"), headers=auth)
        invalid(
            r,
            "format",
            "Must be one of: all_for_all, istanbul_format, numbers, categories, medical.",
        )


# case -> (creation path, its body builder, the write that references it, its body, field)
RETRACTED_CASES = {
    "refusal": (
        "/v1/proposals",
        proposal_body,
        "/v1/proposals/x/refusals",
        refusal_body(),
        "proposal_id",
    ),
    "acceptance": (
        "/v1/proposals",
        proposal_body,
        "/v1/proposals/x/acceptances",
        acceptance_body(),
        "proposal_id",
    ),
    "breach": (
        "/v1/agreements",
        agreement_body,
        "/v1/agreements/x/breaches",
        breach_body(),
        "agreement_id",
    ),
    "swap of a proposal": (
        "/v1/proposals",
        proposal_body,
        "/v1/swaps",
        swap_body(proposal_id="x"),
        "proposal_id",
    ),
    "swap under an agreement": (
        "/v1/agreements",
        agreement_body,
        "/v1/swaps",
        swap_body(agreement_id="x"),
        "agreement_id",
    ),
}


class TestReferencedResources:
    @pytest.mark.parametrize(
        ("path", "body", "field", "message"),
        [
            ("/v1/proposals/nope/refusals", refusal_body(), "proposal_id", "no proposal 'nope'"),
            (
                "/v1/proposals/nope/acceptances",
                acceptance_body(),
                "proposal_id",
                "no proposal 'nope'",
            ),
            ("/v1/agreements/nope/breaches", breach_body(), "agreement_id", "no agreement 'nope'"),
            (
                "/v1/proposals/Not-A-Slug/refusals",
                refusal_body(),
                "proposal_id",
                "no proposal 'Not-A-Slug'",
            ),
        ],
    )
    def test_a_write_to_an_unknown_resource_is_a_422(
        self, client, auth, path, body, field, message
    ):
        r = client.post(path, json=body, headers=auth)
        invalid(r, field, f"there is {message}")
        assert head(client) == EMPTY

    @pytest.mark.parametrize("case", list(RETRACTED_CASES))
    def test_a_write_to_a_retracted_resource_is_a_422(self, client, auth, case):
        create, create_body, path, body, field = RETRACTED_CASES[case]
        kind = field.removesuffix("_id")
        made = client.post(create, json=create_body(id="x"), headers=auth).json
        client.post(f"/v1/events/{made['id']}/retractions", json=retraction_body(), headers=auth)
        before = head(client)
        r = client.post(path, json=body, headers=auth)
        invalid(r, field, f"{kind} 'x' was retracted")
        assert head(client) == before


class TestCorrectionRules:
    def _swap(self, client, auth) -> dict:
        return client.post("/v1/swaps", json=swap_body(), headers=auth).json

    def _correct(self, client, auth, event_id, changes):
        path = f"/v1/events/{event_id}/corrections"
        return client.post(path, json=correction_body(changes), headers=auth)

    def test_a_retracted_event_cannot_be_corrected(self, client, auth):
        swap = self._swap(client, auth)
        client.post(f"/v1/events/{swap['id']}/retractions", json=retraction_body(), headers=auth)
        r = self._correct(client, auth, swap["id"], {"notes": "late"})
        invalid(r, "target_event_id", f"event {swap['id']} was retracted; it cannot be corrected")
        assert head(client)["position"] == 2

    def test_a_retraction_cannot_be_retracted(self, client, auth):
        swap = self._swap(client, auth)
        path = f"/v1/events/{swap['id']}/retractions"
        retraction = client.post(path, json=retraction_body(), headers=auth).json
        r = client.post(
            f"/v1/events/{retraction['id']}/retractions", json=retraction_body(), headers=auth
        )
        invalid(
            r, "target_event_id", "corrections and retractions cannot be corrected or retracted"
        )

    def test_an_event_cannot_be_retracted_twice(self, client, auth):
        swap = self._swap(client, auth)
        path = f"/v1/events/{swap['id']}/retractions"
        client.post(path, json=retraction_body(), headers=auth)
        r = client.post(path, json=retraction_body(), headers=auth)
        invalid(
            r, "target_event_id", f"event {swap['id']} was retracted; it cannot be retracted again"
        )

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            (
                {"sides": [{"party": "UA", "received": 5, "medical": 6}]},
                "changes.sides.0.medical",
                "medical (6) exceeds received (5)",
            ),
            ({"categories": ["heroes"]}, "changes.categories.0", ALLOWED_CATEGORIES),
            ({"figures": 3}, "changes.figures", "Unknown field."),
            ({"notes": float("nan")}, "changes.notes", "Not a valid string."),
            ({"proposal_id": "nope"}, "changes.proposal_id", "there is no proposal 'nope'"),
            ({"occurred_on": "2013-12-31"}, "changes.occurred_on", "must not be before 2014-01-01"),
            ({"occurred_on": 20260101}, "changes.occurred_on", "must be a date as YYYY-MM-DD"),
            (
                {"date_precision": "week"},
                "changes.date_precision",
                "must be one of: day, month, year",
            ),
            ({}, "changes", "name at least one field to change"),
        ],
    )  # fmt: skip
    def test_a_correction_whose_result_is_invalid_names_the_changed_field(
        self, client, auth, changes, field, message
    ):
        swap = self._swap(client, auth)
        invalid(self._correct(client, auth, swap["id"], changes), field, message)
        assert head(client) == {"position": 1, "hash": swap["hash"]}

    def test_a_correction_cannot_move_a_refusal_to_another_proposal(self, client, auth):
        client.post("/v1/proposals", json=proposal_body(id="p1"), headers=auth)
        client.post("/v1/proposals", json=proposal_body(id="p2"), headers=auth)
        refusal = client.post("/v1/proposals/p1/refusals", json=refusal_body(), headers=auth).json
        r = self._correct(client, auth, refusal["id"], {"proposal_id": "p2"})
        invalid(r, "changes.proposal_id", "the resource an event belongs to is fixed")

    def test_a_correction_may_leave_a_since_retracted_reference_alone(self, client, auth):
        proposal = client.post("/v1/proposals", json=proposal_body(id="p1"), headers=auth).json
        swap = client.post("/v1/swaps", json=swap_body(proposal_id="p1"), headers=auth).json
        path = f"/v1/events/{proposal['id']}/retractions"
        client.post(path, json=retraction_body(), headers=auth)
        r = self._correct(client, auth, swap["id"], {"notes": "Figures confirmed."})
        assert r.status_code == 201, r.json
        assert r.json["data"]["changes"] == {"notes": "Figures confirmed."}

    @pytest.mark.parametrize("kind", ["corrections", "retractions"])
    def test_correcting_or_retracting_an_unknown_event_is_a_404(self, client, auth, kind):
        unknown = "00000000-0000-4000-8000-000000000000"
        body = correction_body({"notes": "x"}) if kind == "corrections" else retraction_body()
        r = client.post(f"/v1/events/{unknown}/{kind}", json=body, headers=auth)
        problem(r, 404, f"there is no event {unknown}")
        assert head(client) == EMPTY
