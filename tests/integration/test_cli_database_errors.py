"""The console script on a database it cannot use: one line naming what is wrong and exit
status 1, never a traceback; ``migrate`` then makes the same database usable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.databases import unreachable_url

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOT_MIGRATED = "Error: the database is not migrated (run `exchange-log migrate` first): "
UNREACHABLE = "Error: the database cannot be reached or cannot write right now: "
COMMANDS = [
    ("export", "-"),
    ("verify",),
    ("rebuild", "--quiet"),
    ("tokens", "create", "desk", "--scope", "write"),
    ("tokens", "revoke", "desk"),
]


def _exchange_log(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from service.console import main; main()", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args))
def test_a_database_without_tables_is_named_in_one_line(unmigrated_url, args):
    done = _exchange_log(unmigrated_url, *args)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(NOT_MIGRATED), done.stderr
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr


def test_migrate_then_makes_it_usable(unmigrated_url):
    assert _exchange_log(unmigrated_url, "verify").returncode == 1
    assert _exchange_log(unmigrated_url, "migrate").returncode == 0
    done = _exchange_log(unmigrated_url, "verify")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("args", [*COMMANDS, ("migrate",)], ids=lambda args: " ".join(args))
def test_a_database_that_cannot_be_reached_is_named_in_one_line(backend, tmp_path, args):
    done = _exchange_log(unreachable_url(backend, tmp_path), *args)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(UNREACHABLE), done.stderr
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
