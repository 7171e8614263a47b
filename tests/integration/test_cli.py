"""The exchange-log command: verify catches a tampered row, tokens keep their secret."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from service.store import event_reads, tokens
from service.store.append import append
from tests.builders import new_swap, swap_body

LOG_SIZE = 5


def _fill(engine, n: int = LOG_SIZE) -> None:
    swaps = [new_swap(None, occurred_on=date(2025, 1, i + 1), received=i) for i in range(n)]
    append(engine, swaps, recorded_by="newsroom")


def _tamper(engine, backend: str, position: int) -> None:
    """What an attacker with database access does: switch the guard off, rewrite a payload."""
    with engine.begin() as conn:
        if backend == "postgresql":
            conn.exec_driver_sql("ALTER TABLE events DISABLE TRIGGER events_no_update_delete")
        else:
            conn.exec_driver_sql("DROP TRIGGER events_no_update")
        conn.execute(
            sa.text("UPDATE events SET data = :data WHERE position = :p").bindparams(
                sa.bindparam("data", type_=sa.JSON)
            ),
            {
                "data": {"mediators": ["AE"], "sides": [{"party": "UA", "received": 999}]},
                "p": position,
            },
        )


class TestVerify:
    def test_an_intact_log_verifies_and_names_the_head(self, app, engine):
        _fill(engine)
        with engine.connect() as conn:
            head_hash = event_reads.head(conn)[1]
        result = app.test_cli_runner().invoke(args=["verify"])
        assert result.exit_code == 0
        assert result.stdout == f"ok: hash chain intact, head position 5 hash {head_hash}\n"

    def test_projections_are_compared_on_request(self, app, engine):
        _fill(engine)
        result = app.test_cli_runner().invoke(args=["verify", "--projections", "--quiet"])
        assert result.exit_code == 0
        assert result.stdout.splitlines()[1] == "ok: stored projections equal a fresh rebuild"

    def test_an_empty_log_verifies_at_position_0(self, app):
        result = app.test_cli_runner().invoke(args=["verify", "--projections"])
        assert result.exit_code == 0
        assert result.stdout == (
            "ok: hash chain intact, head position 0 hash -\n"
            "ok: stored projections equal a fresh rebuild\n"
        )

    @pytest.mark.parametrize("position", [1, 3, LOG_SIZE])
    def test_an_edited_row_fails_verify_at_exactly_its_position(
        self, app, engine, backend, position
    ):
        _fill(engine)
        _tamper(engine, backend, position)
        with engine.connect() as conn:
            stored = conn.execute(
                sa.text("SELECT data FROM events WHERE position = :p"), {"p": position}
            ).scalar_one()
        assert "999" in str(stored)  # the edit really landed

        result = app.test_cli_runner().invoke(args=["verify", "--quiet"])
        assert result.exit_code == 1
        assert result.output == f"hash chain broken at position {position}\n"


class TestTokenCommands:
    def test_create_prints_only_the_secret_on_one_line(self, app):
        result = app.test_cli_runner().invoke(args=["tokens", "create", "newsroom"])
        assert result.exit_code == 0
        lines = result.output.splitlines()
        assert len(lines) == 1
        assert lines[0].startswith("pel_")
        assert len(lines[0]) > 40

    def test_the_printed_secret_authenticates_with_the_chosen_scope(self, app, engine):
        runner = app.test_cli_runner()
        secret = runner.invoke(args=["tokens", "create", "desk", "--scope", "read"]).output.strip()
        token = tokens.authenticate(engine, secret)
        assert (token.name, token.scope, token.revoked_at) == ("desk", "read", None)

    def test_list_shows_names_and_scopes_but_never_the_secret(self, app):
        runner = app.test_cli_runner()
        secret = runner.invoke(args=["tokens", "create", "newsroom"]).output.strip()
        result = runner.invoke(args=["tokens", "list"])
        assert result.exit_code == 0
        assert secret not in result.output
        assert secret[len("pel_") :] not in result.output
        header, row = result.output.splitlines()
        assert header == "name\tscope\tcreated_at\tlast_used_at\trevoked_at"
        assert row.split("\t")[:2] == ["newsroom", "write"]
        assert row.split("\t")[3:] == ["-", "-"]

    def test_a_revoked_token_no_longer_authenticates_a_write(self, app, client):
        runner = app.test_cli_runner()
        secret = runner.invoke(args=["tokens", "create", "newsroom"]).output.strip()
        headers = {"Authorization": f"Bearer {secret}"}
        assert client.post("/v1/swaps", json=swap_body(), headers=headers).status_code == 201

        result = runner.invoke(args=["tokens", "revoke", "newsroom"])
        assert (result.exit_code, result.output) == (0, "revoked newsroom\n")

        refused = client.post("/v1/swaps", json=swap_body(id="later"), headers=headers)
        assert refused.status_code == 401
        assert refused.content_type == "application/problem+json"
        assert refused.json["detail"] == "the bearer token was revoked"

    def test_creating_a_duplicate_name_fails_without_printing_a_secret(self, app):
        runner = app.test_cli_runner()
        runner.invoke(args=["tokens", "create", "newsroom"])
        result = runner.invoke(args=["tokens", "create", "newsroom"])
        assert result.exit_code == 1
        assert "pel_" not in result.output
        assert "a token named 'newsroom' already exists" in result.output

    def test_revoking_an_unknown_token_fails(self, app):
        result = app.test_cli_runner().invoke(args=["tokens", "revoke", "nobody"])
        assert result.exit_code == 1
        assert "no active token named 'nobody'" in result.output
