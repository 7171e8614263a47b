"""CLI commands that move whole logs: the shipped history, backup export and restore."""

from __future__ import annotations

import click

from ..history.convert import DATA_DIR
from ..history.importer import HistoryRejected, import_history
from ..store.backup import BackupRejected, export_to, import_from
from .context import log_engine


@click.command("import-history")
@click.option(
    "--data-dir",
    type=click.Path(exists=True, file_okay=False),
    default=str(DATA_DIR),
    show_default=True,
)
def import_history_command(data_dir: str) -> None:
    """Append the shipped exchange history through the write path; a rerun appends nothing."""
    try:
        summary = import_history(log_engine(), data_dir)
    except HistoryRejected as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(str(summary))


@click.command("export")
@click.argument("path", default="-")
def export_command(path: str) -> None:
    """Write the whole log as NDJSON stored envelopes to PATH ('-': standard output)."""
    with click.open_file(path, "w", encoding="utf-8") as out:
        head = export_to(log_engine(), out)
    click.echo(f"exported {head.events} events, head hash {head.hash or '-'}", err=True)


@click.command("import")
@click.argument("path")
def import_command(path: str) -> None:
    """Restore an NDJSON export into an empty store (same positions, ids and hashes).

    Every line is checked as the API checks a write (data and sources by the same schemas).
    """
    try:
        with click.open_file(path, "r", encoding="utf-8") as lines:
            head = import_from(log_engine(), lines)
    except BackupRejected as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    click.echo(f"imported {head.events} events, head hash {head.hash or '-'}")
