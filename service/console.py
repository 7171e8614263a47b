"""The ``exchange-log`` console script: the CLI group on an app built from the environment."""

from __future__ import annotations

from flask.cli import FlaskGroup

from .app import create_app


def main() -> None:
    """Entry point of the ``exchange-log`` console script."""
    cli = FlaskGroup(create_app=create_app, add_default_commands=True, add_version_option=False)
    cli.main(prog_name="exchange-log")
