"""``exchange-log tokens``: create, list and revoke API tokens (only hashes are stored)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..domain.errors import DomainError
from ..store import tokens
from .context import log_engine


# AppGroup and with_appcontext push the app context themselves, so the commands also work when
# invoked on app.cli directly (app.test_cli_runner()), not only through FlaskGroup.
@click.group("tokens", cls=AppGroup)
def tokens_group() -> None:
    """Create, list and revoke API tokens."""


@tokens_group.command("create")
@click.argument("name")
@click.option("--scope", type=click.Choice(tokens.SCOPES), default="write", show_default=True)
def create_token(name: str, scope: str) -> None:
    """Create a token; prints only the secret (it is shown once and stored as a hash)."""
    try:
        secret = tokens.create_token(log_engine(), name, scope)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(secret)


@tokens_group.command("list")
def list_tokens() -> None:
    """List tokens: name, scope, created, last used, revoked (never the secret)."""
    click.echo("name\tscope\tcreated_at\tlast_used_at\trevoked_at")
    for t in tokens.list_tokens(log_engine()):
        click.echo(
            f"{t.name}\t{t.scope}\t{t.created_at}\t{t.last_used_at or '-'}\t{t.revoked_at or '-'}"
        )


@tokens_group.command("revoke")
@click.argument("name")
def revoke_token(name: str) -> None:
    """Revoke a token; it is refused from the next request on."""
    try:
        tokens.revoke_token(log_engine(), name)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"revoked {name}")
