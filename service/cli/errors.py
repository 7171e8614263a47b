"""A command that meets a database it cannot use says so in one line (exit status 1), not
with a traceback: the database cannot be reached or cannot write, or it is not migrated.
Which errors those are is ``store.faults``' rule, as for the API's 503s."""

from __future__ import annotations

import functools
from typing import Any

import click
import sqlalchemy as sa

from ..store.faults import not_migrated, unavailable

_TOLD = "_database_errors_told"


def told_database_errors(command: click.Command) -> click.Command:
    """Make ``command`` (and a group's subcommands) answer a database it cannot use with a
    one-line error. Wraps each callback once."""
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            told_database_errors(subcommand)
    callback = command.callback
    if callback is None or getattr(callback, _TOLD, False):
        return command

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except Exception as error:
            message = database_problem(error)
            if message is None:
                raise
            raise click.ClickException(message) from None

    setattr(run, _TOLD, True)
    command.callback = run
    return command


def database_problem(error: BaseException) -> str | None:
    """The line a command ends with for ``error``, or None when it is not about the
    database being away or unmigrated."""
    cause = _first_line(error.orig if isinstance(error, sa.exc.DBAPIError) else error)
    if not_migrated(error):
        return f"the database is not migrated (run `exchange-log migrate` first): {cause}"
    if unavailable(error):
        return f"the database cannot be reached or cannot write right now: {cause}"
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
