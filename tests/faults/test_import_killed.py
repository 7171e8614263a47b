"""``kill -9`` of an import while its second process checks the lines (``store/line_check``):
nothing is restored, the check process ends with it (it holds copies of the importer's
sockets, the database's among them: were it to live on, so would the import's transaction
and the append lock), and the store takes a restore again at once. Both stores."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from service.store import event_reads
from service.store.backup import export_to, import_from
from tests.builders import fill

ROOT = Path(__file__).resolve().parents[2]
# The import in batches of two, each checked slowly, so that it is still running when killed;
# it prints the check process's pid once forked.
IMPORTER = """
import sys, time
from service.store import backup, line_check
from service.wiring import open_log

backup.IMPORT_BATCH = 2
check_batch = line_check.LineCheck.batch

def slow(self, numbered, types):
    time.sleep(0.5)
    check_batch(self, numbered, types)

line_check.LineCheck.batch = slow
make_checker = line_check.checker

def announced(lines, *, more):
    made = make_checker(lines, more=more)
    print("check process", made.process.pid, flush=True)
    return made

backup.checker = announced
with open(sys.argv[2], encoding="utf-8") as lines:
    backup.import_from(open_log(sys.argv[1]), lines)
print("imported", flush=True)
"""


def _gone(pid: int) -> bool:
    """No such process, or only its zombie (nothing here reaps an orphan's)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def test_a_killed_import_restores_nothing_and_its_check_process_ends(
    engine, client, auth, empty_engine, tmp_path, report
):
    fill(client, auth)
    backup_file = tmp_path / "backup.ndjson"
    out = io.StringIO()
    export_to(engine, out)
    backup_file.write_text(out.getvalue(), encoding="utf-8")
    url = empty_engine.url.render_as_string(hide_password=False)
    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, url, str(backup_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        announced = importer.stdout.readline().split()
        assert announced[:2] == ["check", "process"], announced
        child = int(announced[2])
        time.sleep(0.7)  # mid-way: two of the four batches checked
        assert importer.poll() is None, "the import ended before it was killed"
        os.kill(importer.pid, signal.SIGKILL)
        importer.wait(timeout=10)
    finally:
        if importer.poll() is None:
            importer.kill()
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child), "the check process outlived the killed import"
    with empty_engine.connect() as conn:
        assert event_reads.head(conn) == (0, None)
    # The killed import's transaction is over: a restore takes the append lock and completes.
    done: list[object] = []
    again = threading.Thread(
        target=lambda: done.append(import_from(empty_engine, io.StringIO(out.getvalue()))),
        daemon=True,
    )
    again.start()
    again.join(timeout=30)
    assert done and done[0].events == 7, "the store was still locked by the killed import"
    report(f"import killed mid-check ({empty_engine.dialect.name}): nothing restored, check gone")
