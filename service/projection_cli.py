"""``exchange-log rebuild`` and the projection half of ``exchange-log verify``."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from .store.engine import append_transaction
from .store.projection_check import differing_projections
from .store.projections import rebuild


@click.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Drop every stored projection and rebuild it from the log (holds the append lock)."""
    started = time.perf_counter()
    with append_transaction(current_app.extensions["engine"]) as conn:
        position = rebuild(conn)
    seconds = time.perf_counter() - started
    rate = position / seconds if seconds else 0.0
    click.echo(
        f"rebuilt projections to position {position} in {seconds:.1f}s ({rate:.0f} events/s)"
    )


def projection_problems() -> list[str]:
    """Stored projections that differ from a fresh rebuild (empty when all match)."""
    with append_transaction(current_app.extensions["engine"]) as conn:
        return differing_projections(conn)
