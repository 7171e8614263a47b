"""CLI commands that move whole logs: the shipped history, backup export and restore."""

from __future__ import annotations

import click

from ..history.convert import DATA_DIR
from ..history.importer import HistoryRejected, import_history
from ..store.backup import BackupRejected, export_to, import_from
from .context import head_position, log_engine
from .progress import lines_in, metered, quiet_option, say_summary, shows_bar


@click.command("import-history")
@click.option(
    "--data-dir",
    type=click.Path(exists=True, file_okay=False),
    default=str(DATA_DIR),
    show_default=True,
)
@quiet_option
def import_history_command(data_dir: str, quiet: bool) -> None:
    """Append the shipped exchange history through the write path; a rerun appends nothing."""
    with metered("import-history", quiet=quiet) as meter:
        try:
            summary = import_history(
                log_engine(), data_dir, progress=meter.update, total=meter.set_total
            )
        except HistoryRejected as exc:
            raise click.ClickException(str(exc)) from exc
    say_summary(meter, quiet=quiet)
    click.echo(str(summary))


@click.command("export")
@click.argument("path", default="-")
@quiet_option
def export_command(path: str, quiet: bool) -> None:
    """Write the whole log as NDJSON stored envelopes to PATH ('-': standard output)."""
    engine = log_engine()
    with (
        metered("export", total=head_position(engine), quiet=quiet) as meter,
        click.open_file(path, "w", encoding="utf-8") as out,
    ):
        head = export_to(engine, out, progress=meter.update)
    say_summary(meter, quiet=quiet, extra=f"head hash {head.hash or '-'}")


@click.command("import")
@click.argument("path")
@quiet_option
def import_command(path: str, quiet: bool) -> None:
    """Restore an NDJSON export into an empty store (same positions, ids and hashes).

    Every line is checked as the API checks a write (data and sources by the same schemas).
    """
    total = lines_in(path) if shows_bar(quiet) else None
    with metered("import", total=total, quiet=quiet) as meter:
        try:
            with click.open_file(path, "r", encoding="utf-8") as lines:
                head = import_from(log_engine(), lines, progress=meter.update)
        except BackupRejected as exc:
            raise click.ClickException(f"{path}: {exc}") from exc
    say_summary(meter, quiet=quiet)
    click.echo(f"imported {head.events} events, head hash {head.hash or '-'}")
