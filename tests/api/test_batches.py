"""POST /v1/batches: many writes in one request, appended all or none."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service.app import create_app
from service.config import DEFAULT_RATE_LIMITS, Settings
from service.readmodel.check import differing_projections
from service.schemas.fields import PARTY_MESSAGE
from service.store import event_reads, pg_writes, tokens
from tests.api.expect import head, invalid, problem
from tests.builders import (
    agreement_body,
    breach_body,
    correction_body,
    proposal_body,
    refusal_body,
    retraction_body,
    statement_body,
    swap_body,
)
from tests.thread_sends import SENDING_THREAD, observe_sends

BATCHES = "/v1/batches"


def item(path: str, body: dict, method: str = "POST") -> dict:
    return {"method": method, "path": path, "body": body}


def statements(n: int) -> list[dict]:
    return [item("/v1/statements", statement_body(id=f"s{i}")) for i in range(n)]


class TestBatchWrites:
    def test_every_item_is_appended_in_order_and_answered_with_its_envelope(self, client, auth):
        items = [
            item("/v1/swaps", swap_body(id="feb")),
            item("/v1/proposals", proposal_body(id="p1")),
            item("/v1/agreements", agreement_body(id="istanbul")),
            item("/v1/statements", statement_body()),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        assert r.status_code == 201, r.json
        events = r.json["events"]
        assert [(e["position"], e["stream"], e["type"]) for e in events] == [
            (1, "swap/feb", "swap.completed"),
            (2, "proposal/p1", "proposal.made"),
            (3, "agreement/istanbul", "agreement.reached"),
            (4, "statement/2026-01-16", "statement.made"),
        ]
        assert client.get("/v1/events").json["events"] == events
        assert head(client) == {"position": 4, "hash": events[-1]["hash"]}

    def test_a_batch_is_recorded_at_one_moment(self, client, auth):
        r = client.post(BATCHES, json={"items": statements(3)}, headers=auth)
        assert len({e["recorded_at"] for e in r.json["events"]}) == 1
        later = client.post(BATCHES, json={"items": [statements(4)[3]]}, headers=auth)
        assert later.json["events"][0]["recorded_at"] > r.json["events"][0]["recorded_at"]

    def test_each_item_is_stored_as_its_own_endpoint_stores_it(self, client, auth):
        r = client.post(BATCHES, json={"items": [item("/v1/swaps", swap_body())]}, headers=auth)
        single = client.post("/v1/swaps", json=swap_body(), headers=auth).json
        batched = r.json["events"][0]
        assert batched["data"] == single["data"]
        assert (batched["stream"], single["stream"]) == ("swap/2026-02-05", "swap/2026-02-05-2")
        assert batched["sources"] == single["sources"]


class TestReferencesWithinTheBatch:
    def test_a_path_naming_an_id_created_earlier_in_the_batch_resolves(self, client, auth):
        items = [
            item("/v1/proposals", proposal_body(id="p1")),
            item("/v1/proposals/p1/refusals", refusal_body()),
            item("/v1/agreements", agreement_body(id="istanbul")),
            item("/v1/agreements/istanbul/breaches", breach_body(expected_version=1)),
            item("/v1/swaps", swap_body(id="feb", proposal_id="p1", agreement_id="istanbul")),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        assert r.status_code == 201, r.json
        assert [(e["stream"], e["stream_version"]) for e in r.json["events"]] == [
            ("proposal/p1", 1),
            ("proposal/p1", 2),
            ("agreement/istanbul", 1),
            ("agreement/istanbul", 2),
            ("swap/feb", 1),
        ]
        assert r.json["events"][1]["data"]["proposal_id"] == "p1"

    def test_references_name_the_event_and_the_generated_resource_of_earlier_items(
        self, client, auth
    ):
        items = [
            item("/v1/swaps", swap_body()),
            item("/v1/events/{items.0.id}/corrections", correction_body({"notes": "revised"})),
            item("/v1/proposals", proposal_body()),
            item(
                "/v1/proposals/{items.2.resource_id}/acceptances",
                {
                    "occurred_on": "2025-06-03",
                    "sources": swap_body()["sources"],
                    "accepted_by": "RU",
                },
            ),
            item("/v1/events/{items.2.id}/retractions", retraction_body()),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        assert r.status_code == 201, r.json
        swap, fix, made, accepted, gone = r.json["events"]
        assert fix["data"]["target_event_id"] == swap["id"]
        assert (fix["stream"], fix["stream_version"]) == ("swap/2026-02-05", 2)
        assert accepted["stream"] == made["stream"] == "proposal/2025-06-02"
        assert gone["data"]["target_event_id"] == made["id"]
        facts = client.get("/v1/swaps/2026-02-05").json
        assert facts["data"]["notes"] == "revised"

    def test_a_reference_to_a_later_item_is_a_422_naming_the_item(self, client, auth):
        items = [
            item("/v1/events/{items.1.id}/retractions", retraction_body()),
            item("/v1/swaps", swap_body()),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        invalid(r, "items.0.path", "a reference must name an earlier item of the batch")
        assert head(client)["position"] == 0


class TestResourcesAskedOnce:
    """The resources a batch's items must find live are asked about at once, before the
    first item is placed (``store/batch_log.py``); what the batch's own items create or
    retract counts from the item on, as it would for single writes one after another."""

    def _asked(self, monkeypatch) -> list[str]:
        asked: list[str] = []
        for name in ("creation_id", "is_retracted", "stream_version"):
            real = getattr(event_reads, name)
            monkeypatch.setattr(
                event_reads,
                name,
                lambda conn, key, real=real, name=name: (
                    asked.append(f"{name} {key}") or real(conn, key)
                ),
            )
        return asked

    def test_children_of_many_resources_ask_the_log_nothing_one_by_one(
        self, client, auth, monkeypatch
    ):
        proposals = [item("/v1/proposals", proposal_body(id=f"p{n}")) for n in range(150)]
        assert client.post(BATCHES, json={"items": proposals}, headers=auth).status_code == 201
        asked = self._asked(monkeypatch)
        # PostgreSQL: the streams' versions come with the resources' lookup (SQLite, which
        # has no such statement, asks event_reads.stream_versions once)
        versions: list[list[str]] = []
        real = pg_writes.stream_versions
        monkeypatch.setattr(
            pg_writes, "stream_versions", lambda conn, s: versions.append(s) or real(conn, s)
        )
        refusals = [item(f"/v1/proposals/p{n}/refusals", refusal_body()) for n in range(150)]
        swaps = [item("/v1/swaps", swap_body(id=f"s{n}", proposal_id=f"p{n}")) for n in range(3)]
        r = client.post(BATCHES, json={"items": refusals + swaps}, headers=auth)
        assert r.status_code == 201, r.json
        assert [(e["stream"], e["stream_version"]) for e in r.json["events"][:150]] == [
            (f"proposal/p{n}", 2) for n in range(150)
        ]
        assert [(e["stream"], e["stream_version"]) for e in r.json["events"][150:]] == [
            (f"swap/s{n}", 1) for n in range(3)
        ]
        assert asked == []
        assert versions == []

    def test_a_resource_retracted_before_the_batch_is_refused(self, client, auth):
        made = client.post("/v1/proposals", json=proposal_body(id="p1"), headers=auth).json
        path = f"/v1/events/{made['id']}/retractions"
        assert client.post(path, json=retraction_body(), headers=auth).status_code == 201
        items = [
            item("/v1/statements", statement_body()),
            item("/v1/proposals/p1/refusals", refusal_body()),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        invalid(r, "items.1.path", "proposal 'p1' was retracted")
        assert head(client)["position"] == 2

    def test_a_resource_retracted_earlier_in_the_batch_is_refused(self, client, auth):
        made = client.post("/v1/proposals", json=proposal_body(id="p1"), headers=auth).json
        items = [
            item("/v1/proposals/p1/refusals", refusal_body()),
            item(f"/v1/events/{made['id']}/retractions", retraction_body()),
            item("/v1/swaps", swap_body(proposal_id="p1")),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        invalid(r, "items.2.body.proposal_id", "proposal 'p1' was retracted")
        items[2] = item("/v1/proposals/p1/refusals", refusal_body())
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        invalid(r, "items.2.path", "proposal 'p1' was retracted")
        assert head(client)["position"] == 1

    def test_a_resource_created_earlier_in_the_batch_by_its_id_is_found(self, client, auth):
        items = [
            item("/v1/proposals/p1/refusals", refusal_body()),
            item("/v1/proposals", proposal_body(id="p1")),
            item("/v1/proposals/p1/refusals", refusal_body()),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        invalid(r, "items.0.path", "there is no proposal 'p1'")
        r = client.post(BATCHES, json={"items": items[1:]}, headers=auth)
        assert r.status_code == 201, r.json
        assert [e["stream_version"] for e in r.json["events"]] == [1, 2]


class TestAllOrNone:
    def test_an_item_refused_by_a_log_rule_writes_nothing_and_is_named(self, client, auth):
        items = [
            item("/v1/swaps", swap_body(id="feb")),
            item("/v1/proposals", proposal_body(id="p1")),
            item("/v1/proposals/p1/refusals", refusal_body()),
            item("/v1/proposals/nope/refusals", refusal_body()),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        invalid(r, "items.3.path", "there is no proposal 'nope'")
        assert head(client) == {"position": 0, "hash": None}
        assert client.get("/v1/swaps/feb").status_code == 404

    def test_a_body_field_is_named_with_the_item_index(self, client, auth):
        items = [*statements(3), item("/v1/swaps", swap_body(occurred_on="2026-02-30"))]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        invalid(r, "items.3.body.occurred_on", "Not a valid date.")
        assert head(client)["position"] == 0

    def test_every_item_with_an_invalid_body_is_named_in_one_answer(self, client, auth):
        items = [
            item("/v1/swaps", swap_body(mediators=["XX"])),
            item("/v1/statements", statement_body()),
            item("/v1/swaps", swap_body(sources=[])),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        assert problem(r, 422)["errors"] == {
            "items.0.body.mediators.0": [f"Unknown party code 'XX'. {PARTY_MESSAGE}"],
            "items.2.body.sources": ["Give 1 to 50 sources."],
        }

    def test_every_item_breaking_a_rule_is_named_in_one_answer(self, client, auth):
        bad_side = {"party": "UA", "received": 5, "medical": 6}
        items = [
            item("/v1/swaps", swap_body(sides=[bad_side])),
            item("/v1/statements", statement_body()),
            item("/v1/swaps", swap_body(occurred_on="2013-12-31")),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        assert problem(r, 422)["errors"] == {
            "items.0.body.sides.0.medical": ["medical (6) exceeds received (5)"],
            "items.2.body.occurred_on": ["must not be before 2014-01-01"],
        }
        assert head(client)["position"] == 0

    def test_a_correction_item_that_breaks_its_target_names_the_changed_field(self, client, auth):
        items = [
            item("/v1/swaps", swap_body(id="feb")),
            item(
                "/v1/events/{items.0.id}/corrections",
                correction_body({"sides": [{"party": "UA", "received": 1, "civilians": 2}]}),
            ),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        invalid(r, "items.1.body.changes.sides.0.civilians", "civilians (2) exceeds received (1)")
        assert head(client)["position"] == 0

    def test_an_item_whose_id_is_taken_is_a_409_naming_it(self, client, auth):
        client.post("/v1/swaps", json=swap_body(id="feb"), headers=auth)
        items = [item("/v1/statements", statement_body()), item("/v1/swaps", swap_body(id="feb"))]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        problem(r, 409, "items.1: swap/feb already exists; choose another id")
        assert head(client)["position"] == 1

    def test_an_item_expecting_another_version_is_a_409_naming_it(self, client, auth):
        items = [
            item("/v1/proposals", proposal_body(id="p1")),
            item("/v1/proposals/p1/refusals", refusal_body(expected_version=2)),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        problem(r, 409, "items.1: proposal/p1 is at version 1, not 2")
        assert head(client)["position"] == 0


class TestBatchIdempotency:
    def test_the_same_key_and_body_replay_the_same_events(self, client, auth):
        headers = {**auth, "Idempotency-Key": "batch-1"}
        body = {"items": [item("/v1/swaps", swap_body()), *statements(2)]}
        first = client.post(BATCHES, json=body, headers=headers)
        second = client.post(BATCHES, json=body, headers=headers)
        assert (first.status_code, second.status_code) == (201, 201)
        assert second.json == first.json
        assert "Idempotent-Replayed" not in first.headers
        assert second.headers["Idempotent-Replayed"] == "true"
        assert head(client)["position"] == 3

    def test_the_same_key_with_another_batch_is_a_422(self, client, auth):
        headers = {**auth, "Idempotency-Key": "batch-1"}
        client.post(BATCHES, json={"items": statements(2)}, headers=headers)
        r = client.post(BATCHES, json={"items": statements(3)}, headers=headers)
        problem(r, 422, "this Idempotency-Key was already used with a different request body")
        assert head(client)["position"] == 2

    def test_a_failed_batch_leaves_its_key_free(self, client, auth):
        headers = {**auth, "Idempotency-Key": "batch-1"}
        bad = {"items": [item("/v1/proposals/nope/refusals", refusal_body())]}
        assert client.post(BATCHES, json=bad, headers=headers).status_code == 422
        good = client.post(BATCHES, json={"items": statements(1)}, headers=headers)
        assert good.status_code == 201
        assert "Idempotent-Replayed" not in good.headers


class TestBatchLimits:
    @pytest.mark.parametrize("count", [0, 1001])
    def test_a_batch_of_no_or_too_many_items_is_a_422(self, client, auth, count):
        r = client.post(BATCHES, json={"items": statements(count)}, headers=auth)
        invalid(r, "items", "Give 1 to 1000 items.")
        assert head(client)["position"] == 0

    def test_a_batch_of_1000_items_is_written(self, client, auth):
        r = client.post(BATCHES, json={"items": statements(1000)}, headers=auth)
        assert r.status_code == 201, r.json
        assert [e["position"] for e in r.json["events"]] == list(range(1, 1001))
        assert head(client)["position"] == 1000

    def test_an_unknown_path_is_a_422_naming_the_item(self, client, auth):
        items = [*statements(1), item("/v1/nothing", {})]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        invalid(r, "items.1.path", "No write endpoint takes POST /v1/nothing.")

    def test_a_read_or_admin_endpoint_is_not_a_batch_item(self, client, auth):
        for path in ("/v1/log/head", "/v1/releases", "/v1/batches"):
            r = client.post(BATCHES, json={"items": [item(path, {})]}, headers=auth)
            invalid(r, "items.0.path", f"No write endpoint takes POST {path}.")

    def test_a_method_other_than_post_is_a_422_naming_the_item(self, client, auth):
        items = [*statements(2), item("/v1/swaps", swap_body(), method="GET")]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        invalid(r, "items.2.method", "Must be one of: POST.")

    def test_an_item_needs_a_method_a_path_and_a_body_and_nothing_else(self, client, auth):
        r = client.post(BATCHES, json={"items": [{"path": "/v1/swaps", "x": 1}]}, headers=auth)
        assert problem(r, 422)["errors"] == {
            "items.0.method": ["Missing data for required field."],
            "items.0.body": ["Missing data for required field."],
            "items.0.x": ["Unknown field."],
        }


class TestBatchAccess:
    def test_without_a_token_it_is_a_401(self, client):
        r = client.post(BATCHES, json={"items": statements(1)})
        problem(r, 401, "send Authorization: Bearer <token>")

    def test_a_read_token_is_a_403(self, client, engine):
        secret = tokens.create_token(engine, "reader", "read")
        r = client.post(
            BATCHES, json={"items": statements(1)}, headers={"Authorization": f"Bearer {secret}"}
        )
        problem(r, 403, "this action needs a token with scope 'write'")
        assert head(client)["position"] == 0

    def test_a_revoked_token_is_a_401_even_for_its_replay(self, client, auth, engine):
        headers = {**auth, "Idempotency-Key": "batch-1"}
        assert (
            client.post(BATCHES, json={"items": statements(1)}, headers=headers).status_code == 201
        )
        tokens.revoke_token(engine, "newsroom")
        r = client.post(BATCHES, json={"items": statements(1)}, headers=headers)
        problem(r, 401, "the bearer token was revoked")


class TestBatchRateLimit:
    @pytest.fixture
    def tight_app(self, database_url):
        limits = {**DEFAULT_RATE_LIMITS, "write": "5/minute"}
        app = create_app(Settings(database_url=database_url, rate_limits=limits))
        yield app
        app.extensions["engine"].dispose()

    def test_a_batch_counts_one_request_per_ten_items(self, tight_app):
        client = tight_app.test_client()
        secret = tokens.create_token(tight_app.extensions["engine"], "newsroom", "write")
        auth = {"Authorization": f"Bearer {secret}"}
        first = client.post(BATCHES, json={"items": statements(31)}, headers=auth)  # counts 4
        assert first.status_code == 201
        single = client.post("/v1/swaps", json=swap_body(), headers=auth)  # 5
        assert single.status_code == 201
        r = client.post(BATCHES, json={"items": statements(1)}, headers=auth)
        assert r.status_code == 429
        assert head(client)["position"] == 32


class TestBatchProjections:
    def test_the_stored_projections_after_a_batch_equal_a_rebuild(self, client, auth, engine):
        items = [
            item("/v1/proposals", proposal_body(id="p1")),
            item("/v1/proposals/p1/refusals", refusal_body()),
            item("/v1/swaps", swap_body(id="feb", proposal_id="p1")),
            item("/v1/events/{items.2.id}/corrections", correction_body({"notes": "n"})),
            item("/v1/swaps", swap_body(id="mar", occurred_on="2026-03-01")),
            item("/v1/events/{items.4.id}/retractions", retraction_body()),
        ]
        assert client.post(BATCHES, json={"items": items}, headers=auth).status_code == 201
        with engine.connect() as conn:
            assert differing_projections(conn) == []
        summary = client.get("/v1/metrics/summary").json["swaps"]
        assert (summary["total"], summary["per_year"]) == (1, [{"swaps": 1, "year": 2026}])


class TestBatchTransaction:
    """A batch none of whose items reads the log writes nothing before its last item is
    checked, so it needs no SAVEPOINT of its own; PostgreSQL copies a large batch's events in
    from a thread while its projections are folded (store/append.py ``_insert``)."""

    @pytest.fixture
    def savepoints(self, engine):
        found: list[str] = []

        def seen(conn, name):
            found.append(name)

        sa.event.listen(engine, "savepoint", seen)
        yield found
        sa.event.remove(engine, "savepoint", seen)

    def test_items_that_read_nothing_of_the_log_run_without_a_savepoint(
        self, client, auth, savepoints
    ):
        items = [item("/v1/swaps", swap_body(id="feb")), *statements(2)]
        assert client.post(BATCHES, json={"items": items}, headers=auth).status_code == 201
        assert savepoints == []
        items = [
            item("/v1/proposals", proposal_body(id="p1")),
            item("/v1/proposals/p1/refusals", refusal_body()),  # reads the log
        ]
        assert client.post(BATCHES, json={"items": items}, headers=auth).status_code == 201
        assert len(savepoints) == 1
        assert head(client)["position"] == 5

    def test_a_large_batch_has_its_events_copied_by_a_thread(
        self, client, auth, engine, backend, monkeypatch
    ):
        if backend != "postgresql":
            pytest.skip("COPY and the sending thread are PostgreSQL's")
        sent: list = []
        observe_sends(monkeypatch, sent)
        r = client.post(BATCHES, json={"items": statements(150)}, headers=auth)
        assert r.status_code == 201, r.json
        assert [s for s in sent if s[1][1]] == [("send", (SENDING_THREAD, ["events"]))]
        assert [e["position"] for e in r.json["events"]] == list(range(1, 151))
        with engine.connect() as conn:
            assert differing_projections(conn) == []

    def test_a_failed_copy_from_the_thread_runs_the_batch_again_and_writes_it_once(
        self, client, auth, engine, backend, monkeypatch
    ):
        if backend != "postgresql":
            pytest.skip("COPY and the sending thread are PostgreSQL's")
        sent: list = []
        observe_sends(monkeypatch, sent, fail_at=1)
        r = client.post(BATCHES, json={"items": statements(120)}, headers=auth)
        assert r.status_code == 201, r.json
        # The one COPY, which failed; the rerun (unstaged) appended item by item, in the
        # deferred INSERTs of the transaction's end
        assert [s for s in sent if s[1][1]] == [("send", (SENDING_THREAD, ["events"]))]
        assert head(client) == {"position": 120, "hash": r.json["events"][-1]["hash"]}
        with engine.connect() as conn:
            assert differing_projections(conn) == []


class TestHostileResourceIds:
    @pytest.mark.parametrize("rid", ["a\x00b", "a%00b", "A B", "x" * 70, "é"])
    def test_a_parent_id_no_resource_can_have_is_a_422_naming_the_item(self, client, auth, rid):
        """Refused (NUL by the items' schema, the others by the log rules, which never ask
        the log about an id no resource can have), never a 500."""
        client.post("/v1/proposals", json=proposal_body(id="p1"), headers=auth)
        items = [
            item("/v1/proposals/p1/refusals", refusal_body()),
            item(f"/v1/proposals/{rid}/refusals", refusal_body()),
        ]
        r = client.post(BATCHES, json={"items": items}, headers=auth)
        assert list(problem(r, 422)["errors"]) == ["items.1.path"]
        assert head(client)["position"] == 1
