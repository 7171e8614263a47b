"""Token commands: create, list (never the secret), revoke (refused on the next request)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from service.store import token_cache, tokens
from service.store.engine import append_transaction
from tests.api.expect import head, problem
from tests.builders import swap_body


def replaced(engine: sa.Engine, name: str) -> None:
    """The database now holds as many tokens as before, none revoked, but not ``name``: as
    one dropped and created again, or restored from a backup, under the running service."""
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM tokens WHERE name = :n"), {"n": name})
    tokens.create_token(engine, f"{name}-after", "write")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


class TestTokenCommands:
    def test_create_prints_only_the_secret(self, cli):
        result = cli("tokens", "create", "desk", "--scope", "admin")
        assert result.exit_code == 0
        assert re.fullmatch(r"pel_[A-Za-z0-9_-]{43}\n", result.output)

    def test_list_shows_name_scope_dates_and_revocation_but_never_a_secret(self, cli, client):
        secret = cli("tokens", "create", "desk", "--scope", "write").output.strip()
        cli("tokens", "create", "reader", "--scope", "read")
        client.get("/v1/log/head", headers={"Authorization": f"Bearer {secret}"})
        cli("tokens", "revoke", "reader")
        result = cli("tokens", "list")
        assert result.exit_code == 0
        lines = [line.split("\t") for line in result.output.splitlines()]
        assert lines[0] == ["name", "scope", "created_at", "last_used_at", "revoked_at"]
        rows = {row[0]: row for row in lines[1:]}
        assert rows["desk"][1] == "write" and rows["desk"][3] != "-" and rows["desk"][4] == "-"
        assert rows["reader"][1] == "read" and rows["reader"][3] == "-"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", rows["reader"][4])
        assert secret not in result.output and "pel_" not in result.output

    def test_a_revoked_token_is_refused_on_the_very_next_request(self, cli, client, engine):
        secret = tokens.create_token(engine, "desk", "write")
        auth = {"Authorization": f"Bearer {secret}"}
        assert client.post("/v1/swaps", json=swap_body(), headers=auth).status_code == 201
        assert cli("tokens", "revoke", "desk").output == "revoked desk\n"
        r = client.post("/v1/swaps", json=swap_body(occurred_on="2025-01-01"), headers=auth)
        assert r.status_code == 401
        assert r.json["detail"] == "the bearer token was revoked"

    def test_revoking_an_unknown_or_revoked_token_fails_naming_it(self, cli):
        result = cli("tokens", "revoke", "ghost")
        assert result.exit_code == 1
        assert "no active token named 'ghost'" in result.output

    def test_a_duplicate_name_is_refused(self, cli):
        cli("tokens", "create", "desk")
        result = cli("tokens", "create", "desk")
        assert result.exit_code == 1
        assert "a token named 'desk' already exists" in result.output


class TestRememberedWriteTokens:
    """Write views take a valid token from process memory; the append confirms it."""

    def _remembered(self, client, engine, name="desk"):
        secret = tokens.create_token(engine, name, "write")
        auth = {"Authorization": f"Bearer {secret}"}
        assert client.post("/v1/swaps", json=swap_body(), headers=auth).status_code == 201
        token, from_memory = token_cache.remembered(engine, tokens.hash_secret(secret))
        assert token is not None and from_memory  # the next write will not look it up
        return auth

    @pytest.mark.parametrize(
        "path, body, headers",
        [
            ("/v1/swaps", swap_body(occurred_on="2025-01-01"), {}),
            ("/v1/swaps", swap_body(occurred_on="2025-01-01"), {"Idempotency-Key": "k-1"}),
            ("/v1/swaps", swap_body(sides=[]), {}),  # would be a 422
            ("/v1/swaps", {"occurred_on": "not a date"}, {}),  # would be a 422
            ("/v1/proposals/nope/refusals", {}, {}),  # would be a 404 or a 422
            ("/v1/swaps", swap_body(), {"If-Match": "three"}),  # would be a 400
        ],
    )
    @pytest.mark.parametrize(
        "lose, told",
        [
            (lambda engine: tokens.revoke_token(engine, "desk"), "the bearer token was revoked"),
            (lambda engine: replaced(engine, "desk"), "the bearer token is not valid"),
        ],
        ids=["revoked", "not in a replaced database"],
    )
    def test_a_remembered_token_no_longer_valid_is_told_401_whatever_its_request(
        self, client, engine, path, body, headers, lose, told
    ):
        auth = self._remembered(client, engine)
        before = head(client)
        lose(engine)
        r = client.post(path, json=body, headers={**auth, **headers})
        problem(r, 401, told)
        assert head(client) == before

    def test_a_revocation_of_another_token_does_not_refuse_this_one(self, client, engine):
        auth = self._remembered(client, engine)
        tokens.create_token(engine, "other", "write")
        tokens.revoke_token(engine, "other")
        r = client.post("/v1/swaps", json=swap_body(occurred_on="2025-01-01"), headers=auth)
        assert r.status_code == 201

    def test_the_append_reads_the_token_again_only_once_the_tokens_table_changed(
        self, client, engine
    ):
        auth = self._remembered(client, engine)
        token_hash = tokens.hash_secret(auth["Authorization"].split()[1])
        statements: list[str] = []
        sa.event.listen(
            engine, "before_cursor_execute", lambda *a: statements.append(" ".join(a[2].split()))
        )
        looked_up = "SELECT tokens.revoked_at FROM tokens WHERE tokens.token_hash"

        def refusal() -> str | None:
            statements.clear()
            with append_transaction(engine) as conn:
                return token_cache.refusal(conn, token_hash)

        assert refusal() is None
        assert not any(looked_up in s for s in statements)
        tokens.create_token(engine, "other", "write")
        assert refusal() is None
        assert any(looked_up in s for s in statements)
        assert refusal() is None  # the new state is remembered
        assert not any(looked_up in s for s in statements)
        tokens.revoke_token(engine, "other")
        assert refusal() is None
        assert any(looked_up in s for s in statements)
        tokens.revoke_token(engine, "desk")
        assert refusal() == "the bearer token was revoked"
        assert token_cache.remembered(engine, token_hash)[1] is False  # forgotten
