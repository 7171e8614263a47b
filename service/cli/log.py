"""Commands on the log itself: verify the chain (and the read model), migrate, write the spec."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..api.openapi import spec_yaml
from ..domain.hashing import first_bad_position
from ..store import event_reads
from ..store.migrate import upgrade
from .context import log_engine
from .readmodel import projection_problems


@click.command("verify")
@with_appcontext
def verify() -> None:
    """Walk the hash chain and compare stored projections with a rebuild; exit 1 on a fault."""
    with log_engine().connect() as conn:
        bad = first_bad_position(event_reads.raw_rows(conn))
        position, hash_ = event_reads.head(conn)
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
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(spec_yaml(current_app.extensions["api"]))
    click.echo(f"wrote {path}")
