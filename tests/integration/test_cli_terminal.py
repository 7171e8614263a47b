"""The long commands as a user at a terminal meets them: the ``exchange-log`` console script
in a pseudo-terminal, its bar drawn on standard error, then the summary line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from tests.builders import fill

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _at_a_terminal(database_url: str, *args: str) -> tuple[int, str]:
    """Run ``exchange-log ARGS`` with standard error on a pseudo-terminal; its exit code and
    what the terminal showed (colours and cursor moves taken out)."""
    master, slave = os.openpty()
    env = {**os.environ, "DATABASE_URL": database_url, "COLUMNS": "120"}
    process = subprocess.Popen(
        [sys.executable, "-c", "from service.console import main; main()", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    shown = bytearray()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed: the process is done with the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    code = process.wait(timeout=60)
    return code, ANSI.sub("", shown.decode("utf-8", "replace"))


def test_import_from_a_file_shows_its_total_then_the_summary(
    client, auth, tmp_path, database_url, empty_engine
):
    fill(client, auth)  # 7 events
    path = tmp_path / "log.ndjson"
    code, shown = _at_a_terminal(database_url, "export", str(path))
    assert code == 0, shown
    assert "7/7" in shown  # export's bar knew its total too
    target = empty_engine.url.render_as_string(hide_password=False)
    code, shown = _at_a_terminal(target, "import", str(path))
    assert code == 0, shown
    assert "7/7" in shown, shown  # the file's lines: the bar's total
    assert re.search(r"import: 7 events in \d+\.\d s \([\d,]+ events/s\)", shown), shown
    code, quiet = _at_a_terminal(target, "verify", "--quiet")
    assert code == 0 and "events/s" not in quiet and "/7" not in quiet, quiet


def test_import_history_shows_its_records_as_the_total(database_url):
    from service.history.convert import history_records

    records = len(history_records())
    code, shown = _at_a_terminal(database_url, "import-history")
    assert code == 0, shown
    assert f"{records}/{records}" in shown, shown
    assert re.search(rf"import-history: {records} events in \d+\.\d s", shown), shown
