"""The ``exchange-log`` command: tokens, verify, migrations (a Flask CLI group)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from .data_commands import register_data_commands
from .domain.errors import DomainError
from .domain.hashing import first_bad_position
from .projection_cli import projection_problems, rebuild_command
from .store import queries, tokens
from .store.migrate import upgrade


def register_cli(app: Flask) -> None:
    app.cli.add_command(tokens_group)
    app.cli.add_command(verify)
    app.cli.add_command(migrate)
    app.cli.add_command(write_spec)
    register_data_commands(app)
    app.cli.add_command(rebuild_command)


def _engine():
    return current_app.extensions["engine"]


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
        secret = tokens.create_token(_engine(), name, scope)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(secret)


@tokens_group.command("list")
def list_tokens() -> None:
    """List tokens: name, scope, created, last used, revoked (never the secret)."""
    click.echo("name\tscope\tcreated_at\tlast_used_at\trevoked_at")
    for t in tokens.list_tokens(_engine()):
        click.echo(
            f"{t.name}\t{t.scope}\t{t.created_at}\t{t.last_used_at or '-'}\t{t.revoked_at or '-'}"
        )


@tokens_group.command("revoke")
@click.argument("name")
def revoke_token(name: str) -> None:
    """Revoke a token; it is refused from the next request on."""
    try:
        tokens.revoke_token(_engine(), name)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"revoked {name}")


@click.command("verify")
@with_appcontext
def verify() -> None:
    """Walk the hash chain and compare stored projections with a rebuild; exit 1 on a fault."""
    with _engine().connect() as conn:
        bad = first_bad_position(queries.raw_rows(conn))
        position, hash_ = queries.head(conn)
    if bad is not None:
        click.echo(f"hash chain broken at position {bad}", err=True)
        sys.exit(1)
    click.echo(f"ok: hash chain intact, head position {position} hash {hash_ or '-'}")
    differing = projection_problems()
    for name in differing:
        click.echo(f"stored projection differs from a fresh rebuild: {name}", err=True)
    if differing:
        sys.exit(1)
    click.echo("ok: stored projections equal a fresh rebuild")


@click.command("migrate")
@with_appcontext
def migrate() -> None:
    """Apply database migrations (alembic upgrade head)."""
    upgrade(current_app.config["SETTINGS"].database_url)
    click.echo("database is at the newest revision")


@click.command("write-spec")
@with_appcontext
@click.argument("path", default="openapi.yaml")
def write_spec(path: str) -> None:
    """Write the OpenAPI document generated from the code (the committed openapi.yaml)."""
    from .api.openapi import spec_yaml

    with open(path, "w", encoding="utf-8") as handle:
        handle.write(spec_yaml(current_app.extensions["api"]))
    click.echo(f"wrote {path}")


def main() -> None:
    """Entry point of the ``exchange-log`` console script."""
    from .app import create_app

    cli = FlaskGroup(create_app=create_app, add_default_commands=True, add_version_option=False)
    cli.main(prog_name="exchange-log")
