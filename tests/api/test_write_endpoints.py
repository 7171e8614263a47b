"""Every write endpoint's happy path: 201, Location and the exact stored envelope."""

from __future__ import annotations

import sqlalchemy as sa

from service.domain.hashing import envelope_hash
from service.store import event_reads
from tests.api.expect import FIRST, head, invalid, problem, stored
from tests.builders import (
    SOURCE,
    acceptance_body,
    agreement_body,
    attempt_body,
    breach_body,
    correction_body,
    proposal_body,
    refusal_body,
    retraction_body,
    statement_body,
    swap_body,
)

PROPOSAL_DATA = {
    "proposed_by": "UA",
    "addressed_to": "RU",
    "format": "all_for_all",
    "categories": ["military", "civilians"],
    "summary": "Ukraine proposes an all-for-all exchange.",
}
SWAP_DATA = {
    "mediators": ["AE", "US"],
    "sides": [
        {"party": "UA", "received": 157, "civilians": 7, "alternative_figures": []},
        {"party": "RU", "received": 157, "alternative_figures": []},
    ],
    "breakdowns": [],
    "categories": ["military", "civilians"],
}


def _post(client, auth, path, body, **headers):
    return client.post(path, json=body, headers={**auth, **headers})


class TestProposals:
    def test_a_proposal_is_the_first_event_of_its_stream_and_of_the_log(self, client, auth):
        r = _post(client, auth, "/v1/proposals", proposal_body(id="all-for-all-2025"))
        stored(
            client,
            r,
            position=1,
            stream="proposal/all-for-all-2025",
            stream_version=1,
            type="proposal.made",
            occurred_on="2025-06-02",
            data=PROPOSAL_DATA,
            sources=[SOURCE],
            prev_hash=FIRST,
        )

    def test_a_refusal_joins_the_proposal_stream_and_chains_to_it(self, client, auth):
        made = _post(client, auth, "/v1/proposals", proposal_body(id="p1")).json
        r = _post(client, auth, "/v1/proposals/p1/refusals", refusal_body())
        stored(
            client,
            r,
            position=2,
            stream="proposal/p1",
            stream_version=2,
            type="proposal.refused",
            occurred_on="2025-06-03",
            data={
                "refused_by": "RU",
                "reason": "Russia insists on exchanges by categories.",
                "demanded_categories": ["severely_wounded", "under_25"],
                "proposal_id": "p1",
            },
            sources=[SOURCE],
            prev_hash=made["hash"],
        )

    def test_an_acceptance_joins_the_proposal_stream(self, client, auth):
        made = _post(client, auth, "/v1/proposals", proposal_body(id="p1")).json
        r = _post(client, auth, "/v1/proposals/p1/acceptances", acceptance_body(actor="Kremlin"))
        stored(
            client,
            r,
            position=2,
            stream="proposal/p1",
            stream_version=2,
            type="proposal.accepted",
            occurred_on="2025-06-03",
            data={"accepted_by": "RU", "actor": "Kremlin", "proposal_id": "p1"},
            sources=[SOURCE],
            prev_hash=made["hash"],
        )


class TestAgreements:
    def test_an_agreement_stores_its_terms_with_defaults_filled_in(self, client, auth):
        body = agreement_body(id="istanbul-2025")
        body["terms"][0].pop("open_ended")
        r = _post(client, auth, "/v1/agreements", body)
        stored(
            client,
            r,
            position=1,
            stream="agreement/istanbul-2025",
            stream_version=1,
            type="agreement.reached",
            occurred_on="2025-06-02",
            data={
                "name": "Istanbul arrangements",
                "parties": ["UA", "RU"],
                "venue": "Istanbul",
                "terms": [
                    {"category": "severely_wounded", "basis": "all_for_all", "open_ended": False},
                    {"category": "under_25", "basis": "all_for_all", "open_ended": True},
                    {"category": "bodies", "basis": "numbers", "count": 6000, "open_ended": False},
                ],
            },
            sources=[SOURCE],
            prev_hash=FIRST,
        )

    def test_a_breach_joins_the_agreement_stream(self, client, auth):
        reached = _post(client, auth, "/v1/agreements", agreement_body(id="istanbul-2025")).json
        r = _post(client, auth, "/v1/agreements/istanbul-2025/breaches", breach_body())
        stored(
            client,
            r,
            position=2,
            stream="agreement/istanbul-2025",
            stream_version=2,
            type="agreement.breached",
            occurred_on="2025-06-08",
            data={
                "alleged_by": "UA",
                "breached_by": "RU",
                "attributed_to": "Russian MoD",
                "description": "Lists did not match the agreed categories.",
                "agreement_id": "istanbul-2025",
            },
            sources=[SOURCE],
            prev_hash=reached["hash"],
        )


class TestAttemptsStatementsSwaps:
    def test_a_failed_attempt_gets_a_stream_named_after_its_date(self, client, auth):
        r = _post(client, auth, "/v1/attempts", attempt_body(blamed_party="UA"))
        stored(
            client,
            r,
            position=1,
            stream="attempt/2024-01-24",
            stream_version=1,
            type="exchange.failed",
            occurred_on="2024-01-24",
            data={
                "blamed_party": "UA",
                "reason": "An Il-76 crashed in Belgorod region before the planned exchange.",
            },
            sources=[SOURCE],
            prev_hash=FIRST,
        )

    def test_a_statement_keeps_its_quote_and_date_precision(self, client, auth):
        r = _post(
            client,
            auth,
            "/v1/statements",
            statement_body(quote="«Обмін відбудеться»", date_precision="month"),
        )
        stored(
            client,
            r,
            position=1,
            stream="statement/2026-01-16",
            stream_version=1,
            type="statement.made",
            occurred_on="2026-01-16",
            date_precision="month",
            data={
                "speaker": "Volodymyr Zelensky",
                "party": "UA",
                "summary": "Agreed exchanges were delayed by Russia.",
                "quote": "«Обмін відбудеться»",
            },
            sources=[SOURCE],
            prev_hash=FIRST,
        )

    def test_a_swap_stores_its_sides_with_empty_lists_filled_in(self, client, auth):
        r = _post(client, auth, "/v1/swaps", swap_body())
        stored(
            client,
            r,
            position=1,
            stream="swap/2026-02-05",
            stream_version=1,
            type="swap.completed",
            occurred_on="2026-02-05",
            data=SWAP_DATA,
            sources=[SOURCE],
            prev_hash=FIRST,
        )

    def test_a_swap_keeps_breakdowns_alternative_figures_and_full_sources(self, client, auth):
        source = {
            "url": "http://example.org/a",
            "publisher": "Ukrinform",
            "title": "Exchange",
            "published_on": "2026-02-05",
            "quote": "157 defenders are home.",
        }
        body = swap_body(
            sources=[source],
            sides=[
                {
                    "party": "RU",
                    "received": 157,
                    "military": 150,
                    "medical": 5,
                    "bodies": 0,
                    "alternative_figures": [{"claimed_by": "UA", "received": 150, "note": "x"}],
                }
            ],
            breakdowns=[
                {
                    "side": "RU",
                    "dimension": "nationality",
                    "values": [{"label": "Russians", "share": 0.8}, {"label": "Other", "count": 3}],
                }
            ],
            proposal_id=...,
            notes="First exchange in five months.",
        )
        r = _post(client, auth, "/v1/swaps", body)
        data = {k: v for k, v in body.items() if k not in ("occurred_on", "sources")}
        stored(
            client,
            r,
            position=1,
            stream="swap/2026-02-05",
            stream_version=1,
            type="swap.completed",
            occurred_on="2026-02-05",
            data={**data, "mediators": ["AE", "US"]},
            sources=[source],
            prev_hash=FIRST,
        )

    def test_a_swap_may_reference_a_live_proposal_and_agreement(self, client, auth):
        _post(client, auth, "/v1/proposals", proposal_body(id="p1"))
        _post(client, auth, "/v1/agreements", agreement_body(id="a1"))
        r = _post(client, auth, "/v1/swaps", swap_body(proposal_id="p1", agreement_id="a1"))
        assert r.status_code == 201
        assert (r.json["data"]["proposal_id"], r.json["data"]["agreement_id"]) == ("p1", "a1")


class TestServerAndClientIds:
    def test_server_ids_are_the_date_then_numbered_when_taken(self, client, auth):
        streams = [_post(client, auth, "/v1/swaps", swap_body()).json["stream"] for _ in range(3)]
        assert streams == ["swap/2026-02-05", "swap/2026-02-05-2", "swap/2026-02-05-3"]

    def test_a_generated_id_skips_one_a_client_already_chose(self, client, auth):
        _post(client, auth, "/v1/swaps", swap_body(id="2026-02-05-2"))
        streams = [_post(client, auth, "/v1/swaps", swap_body()).json["stream"] for _ in range(2)]
        assert streams == ["swap/2026-02-05", "swap/2026-02-05-3"]

    def test_reusing_a_client_id_is_a_409_and_writes_nothing(self, client, auth):
        first = _post(client, auth, "/v1/proposals", proposal_body(id="p1")).json
        r = _post(client, auth, "/v1/proposals", proposal_body(id="p1"))
        problem(r, 409, "proposal/p1 already exists; choose another id")
        assert head(client) == {"position": 1, "hash": first["hash"]}


class TestCorrectionsAndRetractions:
    def test_a_correction_joins_the_target_stream_with_normalised_changes(self, client, auth):
        swap = _post(client, auth, "/v1/swaps", swap_body()).json
        changes = {"sides": [{"party": "UA", "received": 150}], "occurred_on": "2026-02-04"}
        r = _post(client, auth, f"/v1/events/{swap['id']}/corrections", correction_body(changes))
        stored(
            client,
            r,
            position=2,
            stream="swap/2026-02-05",
            stream_version=2,
            type="event.corrected",
            occurred_on="2026-02-06",
            data={
                "changes": {
                    "sides": [{"party": "UA", "received": 150, "alternative_figures": []}],
                    "occurred_on": "2026-02-04",
                },
                "reason": "The ministry published a revised figure.",
                "target_event_id": swap["id"],
            },
            sources=[SOURCE],
            prev_hash=swap["hash"],
        )

    def test_a_retraction_joins_the_target_stream(self, client, auth):
        swap = _post(client, auth, "/v1/swaps", swap_body()).json
        r = _post(client, auth, f"/v1/events/{swap['id']}/retractions", retraction_body())
        stored(
            client,
            r,
            position=2,
            stream="swap/2026-02-05",
            stream_version=2,
            type="event.retracted",
            occurred_on="2026-02-06",
            data={"reason": "Recorded in error.", "target_event_id": swap["id"]},
            sources=[SOURCE],
            prev_hash=swap["hash"],
        )

    def test_a_second_correction_is_checked_against_the_first(self, client, auth):
        swap = _post(client, auth, "/v1/swaps", swap_body()).json
        path = f"/v1/events/{swap['id']}/corrections"
        first = {"sides": [{"party": "UA", "received": 10}, {"party": "RU", "received": 10}]}
        assert _post(client, auth, path, correction_body(first)).status_code == 201
        second = {"breakdowns": [{"side": "UA", "dimension": "n", "values": [{"label": "a"}]}]}
        r = _post(client, auth, path, correction_body(second))
        invalid(r, "changes.breakdowns.0.values.0", "give exactly one of count or share")


class TestTheStoredChain:
    def test_every_stored_row_hashes_to_its_hash_and_links_to_the_previous(self, client, auth):
        _post(client, auth, "/v1/proposals", proposal_body(id="p1"))
        _post(client, auth, "/v1/proposals/p1/refusals", refusal_body())
        swap = _post(client, auth, "/v1/swaps", swap_body()).json
        _post(client, auth, f"/v1/events/{swap['id']}/retractions", retraction_body())
        engine = client.application.extensions["engine"]
        with engine.connect() as conn:
            rows = list(event_reads.raw_rows(conn))
            types = conn.execute(sa.text("SELECT type FROM events ORDER BY position")).scalars()
            assert list(types) == [
                "proposal.made",
                "proposal.refused",
                "swap.completed",
                "event.retracted",
            ]
        assert [r["prev_hash"] for r in rows] == [FIRST] + [r["hash"] for r in rows[:-1]]
        assert [envelope_hash(r) for r in rows] == [r["hash"] for r in rows]
        assert head(client) == {"position": 4, "hash": rows[-1]["hash"]}
