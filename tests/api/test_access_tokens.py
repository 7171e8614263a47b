"""Token commands: create, list (never the secret), revoke (refused on the next request)."""

from __future__ import annotations

import re

import pytest

from service.store import tokens
from tests.builders import swap_body


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
