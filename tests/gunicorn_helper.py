"""Start the real service under gunicorn on a free port (a stand-in until tests/servers.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_gunicorn(
    database_url: str, workers: int = 2, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Serve service.wsgi:app with gunicorn.conf.py; yields the base URL, stops it after."""
    port = free_port()
    environ = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": "4",
        "PROMETHEUS_MULTIPROC_DIR": "",
        **(env or {}),
    }
    if not environ["PROMETHEUS_MULTIPROC_DIR"]:
        del environ["PROMETHEUS_MULTIPROC_DIR"]  # gunicorn.conf.py makes a fresh one
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "service.wsgi:app"],
        cwd=ROOT,
        env=environ,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base
    finally:
        log.close()
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process: subprocess.Popen, log, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited: {log.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer /healthz in time")
