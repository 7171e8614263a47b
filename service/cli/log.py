"""Commands on the log itself: verify the chain (and the read model), migrate, write the spec."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..api.openapi import spec_yaml
from ..store.chain import verify_chain
from ..store.migrate import upgrade
from .context import head_position, log_engine
from .progress import metered, quiet_option, say_summary
from .readmodel import projection_problems


@click.command("verify")
@click.option(
    "--projections",
    is_flag=True,
    help="Also compare the stored projections with a fresh rebuild (holds the append lock).",
)
@quiet_option
@with_appcontext
def verify(projections: bool, quiet: bool) -> None:
    """Walk the hash chain up to the head at the start, while writes go on; exit 1 on a fault.

    With --projections, also compare the stored projections with a fresh rebuild (that part
    holds the append lock: writes wait until it ends).
    """
    engine = log_engine()
    with metered("verify", total=head_position(engine), quiet=quiet) as meter:
        report = verify_chain(engine, progress=meter.update)
    say_summary(meter, quiet=quiet)
    if report.broken_at is not None:
        click.echo(f"hash chain broken at position {report.broken_at}", err=True)
        sys.exit(1)
    click.echo(f"ok: hash chain intact, head position {report.position} hash {report.hash or '-'}")
    if not projections:
        return
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
