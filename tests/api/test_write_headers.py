"""If-Match / expected_version and Idempotency-Key on writes."""

from __future__ import annotations

from flask import url_for

from service.recording import fingerprint
from service.store import tokens
from service.store.engine import utc_now_text
from service.store.tables import idempotency_keys
from tests.api.expect import head, invalid, problem
from tests.builders import proposal_body, refusal_body, swap_body

REFUSALS = "/v1/proposals/p1/refusals"


def _proposal(client, auth) -> dict:
    return client.post("/v1/proposals", json=proposal_body(id="p1"), headers=auth).json


class TestOptimisticConcurrency:
    def test_if_match_of_the_current_version_appends_the_next_one(self, client, auth):
        _proposal(client, auth)
        r = client.post(REFUSALS, json=refusal_body(), headers={**auth, "If-Match": '"1"'})
        assert r.status_code == 201, r.json
        assert (r.json["stream"], r.json["stream_version"]) == ("proposal/p1", 2)

    def test_a_stale_if_match_is_a_412_and_writes_nothing(self, client, auth):
        made = _proposal(client, auth)
        client.post(REFUSALS, json=refusal_body(), headers=auth)
        before = head(client)
        r = client.post(REFUSALS, json=refusal_body(), headers={**auth, "If-Match": '"1"'})
        body = problem(r, 412, "proposal/p1 is at version 2, not 1")
        assert body["type"].endswith("/precondition-failed")
        assert head(client) == before
        assert before["position"] == 2 and made["position"] == 1

    def test_a_malformed_if_match_is_a_400(self, client, auth):
        _proposal(client, auth)
        r = client.post(REFUSALS, json=refusal_body(), headers={**auth, "If-Match": "version one"})
        problem(r, 400, 'If-Match must be the quoted stream version, e.g. If-Match: "3"')
        # Stream versions start at 1, as the document's pattern says.
        r = client.post(REFUSALS, json=refusal_body(), headers={**auth, "If-Match": '"0"'})
        problem(r, 400, 'If-Match must be the quoted stream version, e.g. If-Match: "3"')
        assert head(client)["position"] == 1

    def test_a_body_expected_version_mismatch_is_a_409(self, client, auth):
        _proposal(client, auth)
        r = client.post(REFUSALS, json=refusal_body(expected_version=2), headers=auth)
        problem(r, 409, "proposal/p1 is at version 1, not 2")
        assert head(client)["position"] == 1

    def test_a_matching_body_expected_version_appends(self, client, auth):
        _proposal(client, auth)
        r = client.post(REFUSALS, json=refusal_body(expected_version=1), headers=auth)
        assert r.status_code == 201
        assert "expected_version" not in r.json["data"]

    def test_expected_version_must_be_a_positive_whole_number(self, client, auth):
        _proposal(client, auth)
        r = client.post(REFUSALS, json=refusal_body(expected_version="1"), headers=auth)
        invalid(r, "expected_version", "Not a valid integer.")


class TestIdempotency:
    def test_the_same_key_and_body_twice_return_the_original_event(self, client, auth):
        headers = {**auth, "Idempotency-Key": "swap-2026-02-05"}
        first = client.post("/v1/swaps", json=swap_body(), headers=headers)
        second = client.post("/v1/swaps", json=swap_body(), headers=headers)
        assert (first.status_code, second.status_code) == (201, 201)
        assert second.json == first.json
        assert (second.json["id"], second.json["position"]) == (first.json["id"], 1)
        assert "Idempotent-Replayed" not in first.headers
        assert second.headers["Idempotent-Replayed"] == "true"
        assert second.headers["Location"] == first.headers["Location"]
        assert head(client) == {"position": 1, "hash": first.json["hash"]}

    def test_the_same_key_with_another_body_is_a_422(self, client, auth):
        headers = {**auth, "Idempotency-Key": "k1"}
        client.post("/v1/swaps", json=swap_body(), headers=headers)
        r = client.post("/v1/swaps", json=swap_body(notes="changed"), headers=headers)
        problem(r, 422, "this Idempotency-Key was already used with a different request body")
        assert head(client)["position"] == 1

    def test_different_tokens_use_the_same_key_independently(self, client, auth, engine):
        other = tokens.create_token(engine, "monitor", "write")
        key = {"Idempotency-Key": "k1"}
        a = client.post("/v1/swaps", json=swap_body(), headers={**auth, **key})
        b = client.post(
            "/v1/swaps", json=swap_body(), headers={"Authorization": f"Bearer {other}", **key}
        )
        assert (a.status_code, b.status_code) == (201, 201)
        assert (a.json["recorded_by"], b.json["recorded_by"]) == ("newsroom", "monitor")
        assert (a.json["position"], b.json["position"]) == (1, 2)
        assert "Idempotent-Replayed" not in b.headers

    def test_a_failed_write_releases_its_key_for_the_corrected_retry(self, client, auth):
        headers = {**auth, "Idempotency-Key": "k1"}
        r = client.post("/v1/swaps", json=swap_body(proposal_id="p1"), headers=headers)
        invalid(r, "proposal_id", "there is no proposal 'p1'")
        client.post("/v1/proposals", json=proposal_body(id="p1"), headers=auth)
        r = client.post("/v1/swaps", json=swap_body(proposal_id="p1"), headers=headers)
        assert r.status_code == 201, r.json
        assert "Idempotent-Replayed" not in r.headers
        assert head(client)["position"] == 2

    def test_a_claim_left_by_an_earlier_release_does_not_hold_the_key(self, client, auth, engine):
        # Before keys were recorded in the append transaction, a request first committed a
        # claim row without positions; one whose request died must not block the retry.
        body = swap_body()
        with engine.begin() as conn:
            conn.execute(
                idempotency_keys.insert().values(
                    token_name="newsroom",
                    key="k1",
                    request_hash=fingerprint("POST", "/v1/swaps", body),
                    claimed_at=utc_now_text(),
                    first_position=None,
                )
            )
        headers = {**auth, "Idempotency-Key": "k1"}
        first = client.post("/v1/swaps", json=body, headers=headers)
        assert first.status_code == 201, first.json
        assert "Idempotent-Replayed" not in first.headers
        again = client.post("/v1/swaps", json=body, headers=headers)
        assert (again.status_code, again.headers["Idempotent-Replayed"]) == (201, "true")
        assert again.json == first.json
        assert head(client)["position"] == 1

    def test_a_revoked_token_gets_a_401_not_the_replay_of_its_key(self, client, auth, engine):
        headers = {**auth, "Idempotency-Key": "k1"}
        assert client.post("/v1/swaps", json=swap_body(), headers=headers).status_code == 201
        tokens.revoke_token(engine, "newsroom")
        r = client.post("/v1/swaps", json=swap_body(), headers=headers)
        problem(r, 401, "the bearer token was revoked")
        assert "Idempotent-Replayed" not in r.headers

    def test_a_key_of_invisible_characters_is_a_400(self, client, auth):
        r = client.post("/v1/swaps", json=swap_body(), headers={**auth, "Idempotency-Key": "a b"})
        problem(r, 400, "Idempotency-Key must be 1 to 255 visible ASCII characters")


class TestAuthOnWrites:
    def test_no_token_is_a_401_with_a_bearer_challenge(self, client):
        r = client.post("/v1/swaps", json=swap_body())
        problem(r, 401, "send Authorization: Bearer <token>")
        assert r.headers["WWW-Authenticate"] == 'Bearer realm="pow-exchange-log"'
        assert head(client)["position"] == 0

    def test_an_unknown_token_is_a_401(self, client, write_token):
        r = client.post(
            "/v1/swaps", json=swap_body(), headers={"Authorization": "Bearer pel_not-a-token"}
        )
        problem(r, 401, "the bearer token is not valid")
        assert r.headers["WWW-Authenticate"] == 'Bearer realm="pow-exchange-log"'

    def test_a_read_token_is_a_403(self, client, engine):
        secret = tokens.create_token(engine, "reader", "read")
        r = client.post(
            "/v1/swaps", json=swap_body(), headers={"Authorization": f"Bearer {secret}"}
        )
        problem(r, 403, "this action needs a token with scope 'write'")
        assert head(client)["position"] == 0

    def test_a_revoked_token_stops_working_at_once(self, client, auth, engine):
        assert client.post("/v1/swaps", json=swap_body(), headers=auth).status_code == 201
        tokens.revoke_token(engine, "newsroom")
        r = client.post("/v1/swaps", json=swap_body(), headers=auth)
        problem(r, 401, "the bearer token was revoked")
        assert head(client)["position"] == 1

    def test_an_admin_token_may_write(self, client, engine):
        secret = tokens.create_token(engine, "newsroom", "admin")
        r = client.post(
            "/v1/swaps", json=swap_body(), headers={"Authorization": f"Bearer {secret}"}
        )
        assert r.status_code == 201
        assert r.json["recorded_by"] == "newsroom"


class TestLocation:
    def test_location_is_the_event_url_also_under_a_script_root(self, app, client, auth):
        mounted = "http://localhost/exchange-log/"
        response = client.post("/v1/swaps", json=swap_body(), headers=auth, base_url=mounted)
        assert response.status_code == 201
        event_id = response.json["id"]
        with app.test_request_context(base_url=mounted):
            assert response.headers["Location"] == url_for("events.get_event", event_id=event_id)
        assert response.headers["Location"] == f"/exchange-log/v1/events/{event_id}"
        assert client.get(f"/v1/events/{event_id}").json == response.json
