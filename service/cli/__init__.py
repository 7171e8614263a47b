"""The ``exchange-log`` commands (a Flask CLI group): tokens, log, data, read model."""

from __future__ import annotations

from flask import Flask

from .data import export_command, import_command, import_history_command
from .errors import told_database_errors
from .log import migrate, verify, write_spec
from .readmodel import rebuild_command
from .tokens import tokens_group

COMMANDS = tuple(
    told_database_errors(command)
    for command in (
        tokens_group,
        verify,
        migrate,
        write_spec,
        import_history_command,
        export_command,
        import_command,
        rebuild_command,
    )
)


def register_cli(app: Flask) -> None:
    """Add every command to the app's CLI."""
    for command in COMMANDS:
        app.cli.add_command(command)
