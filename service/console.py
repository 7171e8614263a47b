"""The ``exchange-log`` console script: the CLI group on an app built from the environment."""

from __future__ import annotations

from flask.cli import FlaskGroup

from .app import create_app
from .gc_tuning import settle_heap


def main() -> None:
    """Entry point of the ``exchange-log`` console script. Long runs (import, rebuild...)
    allocate in bursts of thousands of events: the heap is settled first (gc_tuning)."""
    settle_heap()
    cli = FlaskGroup(create_app=create_app, add_default_commands=True, add_version_option=False)
    cli.main(prog_name="exchange-log")
