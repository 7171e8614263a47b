"""The long commands end with one summary line on standard error (events, seconds,
events/s) and say nothing more with --quiet; off a terminal (CliRunner) there is no bar."""

from __future__ import annotations

import re

import pytest

from tests.builders import fill
from tests.databases import empty_store

SUMMARY = r"{label}: {events} events in \d+\.\d s \([\d,]+ events/s\)"


@pytest.fixture
def filled(app, client, auth):
    fill(client, auth)  # 7 events
    return app


def _run(app, *args: str):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def _summary(label: str, events: int, extra: str = "") -> re.Pattern:
    return re.compile(SUMMARY.format(label=label, events=events) + re.escape(extra) + "\n")


@pytest.mark.parametrize(
    ("args", "label"),
    [(["verify"], "verify"), (["rebuild"], "rebuild"), (["export", "-"], "export")],
)
def test_a_whole_log_command_ends_with_one_summary_line(filled, args, label):
    result = _run(filled, *args)
    line = result.stderr.split(", head hash")[0].rstrip("\n") + "\n"  # export names it
    assert _summary(label, 7).fullmatch(line)
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("args", [["verify"], ["rebuild"], ["export", "-"]])
def test_quiet_says_nothing_on_standard_error(filled, args):
    result = _run(filled, *args, "--quiet")
    assert result.stderr == ""
    assert result.stdout  # what the command answers is still there


def test_export_names_the_head_hash_in_its_summary_and_keeps_stdout_pure(filled, engine):
    from service.store import event_reads

    with engine.connect() as conn:
        _, head_hash = event_reads.head(conn)
    result = _run(filled, "export")
    assert result.stderr.endswith(f", head hash {head_hash}\n")
    assert len(result.stdout.splitlines()) == 7


def test_import_summary_then_its_answer(filled, engine, tmp_path, request, backend):
    path = tmp_path / "log.ndjson"
    _run(filled, "export", str(path), "-q")
    target = empty_store(request.getfixturevalue(f"{backend}_factory"))
    empty = next(target)
    try:
        filled.extensions["engine"] = empty
        result = _run(filled, "import", str(path))
        assert _summary("import", 7).fullmatch(result.stderr)
        assert result.stdout.startswith("imported 7 events, head hash ")
        again = _run_quiet_failure(filled, "import", str(path), "--quiet")
        assert "not empty" in again.stderr and "events/s" not in again.stderr
    finally:
        filled.extensions["engine"] = engine
        next(target, None)


def _run_quiet_failure(app, *args: str):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 1
    return result


def test_import_history_counts_its_records(app):
    result = _run(app, "import-history")
    events = int(re.match(r"import-history: (\d+) events", result.stderr).group(1))
    assert events > 0
    assert _summary("import-history", events).fullmatch(result.stderr)
    assert _run(app, "import-history", "--quiet").stderr == ""
