"""The progress bar: drawn on a terminal's standard error only, never with --quiet."""

from __future__ import annotations

import io
import sys

from service.cli.progress import metered, shows_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_with_the_count(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert shows_bar(quiet=False)
    with metered("export", total=20_000) as meter:
        meter.update(10_000)
        meter.update(20_000)
    assert "export" in terminal.getvalue()
    assert "20000/20000" in terminal.getvalue()
    assert meter.events == 20_000


def test_quiet_or_not_a_terminal_draws_nothing(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with metered("export", total=10, quiet=True) as meter:
        meter.update(10)
    assert terminal.getvalue() == ""
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not shows_bar(quiet=False)


def test_the_summary_line_names_events_seconds_and_rate():
    with metered("rebuild", quiet=True) as meter:
        meter.update(1234)
    line = meter.summary("head hash -")
    assert line.startswith("rebuild: 1234 events in ")
    assert line.endswith(" events/s), head hash -")


def test_an_exports_lines_are_the_bars_total(tmp_path):
    from service.cli.progress import lines_in

    ended = tmp_path / "ended.ndjson"
    ended.write_text('{"a": 1}\n{"a": 2}\n{"a": 3}\n')
    unended = tmp_path / "unended.ndjson"
    unended.write_text('{"a": 1}\n{"a": 2}')
    empty = tmp_path / "empty.ndjson"
    empty.write_text("")
    large = tmp_path / "large.ndjson"
    large.write_bytes(b"x" * 700_000 + b"\n" + b"y" * 700_000 + b"\n")  # across 1 MiB blocks
    assert [lines_in(str(p)) for p in (ended, unended, empty, large)] == [3, 2, 0, 2]


def test_no_total_where_the_file_cannot_be_read_twice(tmp_path):
    import os

    from service.cli.progress import lines_in

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert lines_in("-") is None  # standard input
    assert lines_in(str(fifo)) is None  # opening it would block: not even opened
    assert lines_in(str(tmp_path)) is None  # a folder
    assert lines_in(str(tmp_path / "missing.ndjson")) is None  # the import names the error


def test_a_total_told_later_without_a_bar_changes_nothing_counted():
    from service.cli.progress import metered

    with metered("import-history", quiet=True) as meter:
        meter.set_total(119)  # no bar to tell: the count and the summary are the events seen
        meter.update(5)
    assert meter.events == 5
    assert meter.summary().startswith("import-history: 5 events in ")
