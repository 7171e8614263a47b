"""Real gunicorn servers for tests: free port, readiness wait, captured output, always stopped.

    with running_gunicorn(database_url, workers=2) as server:
        httpx.get(server.url("/readyz"))

The server runs in its own process group, so ``kill()`` (SIGKILL, like a power cut) and
``stop()`` (SIGTERM, then SIGKILL after a grace period) reach the master and every worker.
Its stdout and stderr go to a temporary file, not a pipe (a full pipe would block the server),
and are attached to any failure of the readiness wait.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_pids(master: int) -> list[int]:
    """The worker processes of the gunicorn master ``master`` (Linux: read from /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


class GunicornServer:
    """One gunicorn master (and its workers) serving an app on 127.0.0.1."""

    def __init__(
        self,
        app: str,
        env: Mapping[str, str],
        *,
        workers: int = 2,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.env = {**os.environ, **env}
        self.workers = workers
        self.extra_args = extra_args
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        handle, path = tempfile.mkstemp(prefix="gunicorn-", suffix=".log")
        os.close(handle)
        self.log_path = Path(path)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def output(self) -> str:
        """Everything the server wrote to stdout and stderr so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def start(self, timeout: float = READY_TIMEOUT_S) -> None:
        """Start on a free port; return once /readyz answers 200 (retried if the port was taken)."""
        for _attempt in range(3):
            self.port = free_port()
            with self.log_path.open("ab") as log:  # the child keeps its own descriptor
                self.process = self._spawn(log)
            if self._wait_ready(timeout):
                return
            exited = self.process.poll() is not None
            self.stop()
            if not (exited and "Address already in use" in self.output()):
                break
        raise RuntimeError(
            f"gunicorn did not become ready on {self.base_url} within {timeout:.0f}s;"
            f" output:\n{self.output()}"
        )

    def _spawn(self, log: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                *self.extra_args,
                self.app,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: signals reach every worker
        )

    def _wait_ready(self, timeout: float) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if httpx.get(self.url("/readyz"), timeout=2.0).status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        return False

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> int | None:
        """SIGTERM to the whole group (a graceful gunicorn shutdown), SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self._signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.process.returncode

    def kill(self) -> None:
        """SIGKILL master and workers at once: nothing gets to flush or clean up."""
        if self.process is None:
            return
        self._signal(signal.SIGKILL)
        self.process.wait(STOP_TIMEOUT_S)

    def _signal(self, signum: int) -> None:
        assert self.process is not None
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def close(self) -> None:
        self.stop()
        self.log_path.unlink(missing_ok=True)


@contextmanager
def running_gunicorn(
    database_url: str,
    *,
    workers: int = 2,
    app: str = "service.wsgi:app",
    env: Mapping[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
    ready_timeout: float = READY_TIMEOUT_S,
) -> Iterator[GunicornServer]:
    """The service under gunicorn (``-c gunicorn.conf.py``) on the given database, ready."""
    server = GunicornServer(
        app,
        {"DATABASE_URL": database_url, "ACCESS_LOG": "-", **(env or {})},
        workers=workers,
        extra_args=extra_args,
    )
    try:
        server.start(ready_timeout)
        yield server
    finally:
        server.close()
