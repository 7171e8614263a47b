"""``exchange-log rebuild`` and the projection half of ``exchange-log verify --projections``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..readmodel.check import differing_projections
from ..readmodel.update import rebuild
from ..store.engine import append_transaction
from .context import head_position, log_engine
from .progress import metered, quiet_option, say_summary


@click.command("rebuild")
@quiet_option
@with_appcontext
def rebuild_command(quiet: bool) -> None:
    """Drop every stored projection and rebuild it from the log (holds the append lock)."""
    engine = log_engine()
    with (
        metered("rebuild", total=head_position(engine), quiet=quiet) as meter,
        append_transaction(engine) as conn,
    ):
        position = rebuild(conn, progress=meter.update)
    say_summary(meter, quiet=quiet)
    click.echo(f"rebuilt projections to position {position}")


def projection_problems() -> list[str]:
    """Stored projections that differ from a fresh rebuild (empty when all match)."""
    with append_transaction(log_engine()) as conn:
        return differing_projections(conn)
