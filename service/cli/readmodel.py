"""``exchange-log rebuild`` and the projection half of ``exchange-log verify``."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from ..readmodel.check import differing_projections
from ..readmodel.update import rebuild
from ..store.engine import append_transaction
from .context import log_engine


@click.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Drop every stored projection and rebuild it from the log (holds the append lock)."""
    started = time.perf_counter()
    with append_transaction(log_engine()) as conn:
        position = rebuild(conn)
    seconds = time.perf_counter() - started
    rate = position / seconds if seconds else 0.0
    click.echo(
        f"rebuilt projections to position {position} in {seconds:.1f}s ({rate:.0f} events/s)"
    )


def projection_problems() -> list[str]:
    """Stored projections that differ from a fresh rebuild (empty when all match)."""
    with append_transaction(log_engine()) as conn:
        return differing_projections(conn)
