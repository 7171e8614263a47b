"""Writers under load for the fault tests, and the check that the log lost nothing.

Every write is a swap with an Idempotency-Key and a `received` figure of its own, so each
event in the log can be traced back to the one key that wrote it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from service.app import create_app
from service.config import Settings
from service.domain.hashing import first_bad_position
from service.store import event_reads, tokens
from service.wiring import open_log
from tests.builders import swap_body

PROBLEM = "application/problem+json"


@dataclass
class Write:
    """One keyed write and what became of it (``status`` None: no answer yet)."""

    key: str
    received: int
    status: int | None = None
    envelope: dict[str, Any] | None = None
    replayed: bool = False
    attempts: list[int | str] = field(default_factory=list)  # each answer's status or error

    @property
    def body(self) -> dict[str, Any]:
        return swap_body(sides=[{"party": "UA", "received": self.received}])

    def post(self, client: httpx.Client, url: str, token: str) -> httpx.Response:
        """Send it once; record the answer (or the transport error, then re-raised)."""
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": self.key}
        try:
            response = client.post(url + "/v1/swaps", json=self.body, headers=headers)
        except httpx.TransportError as exc:
            self.attempts.append(type(exc).__name__)
            raise
        self.attempts.append(response.status_code)
        if response.status_code == 201:
            self.status, self.envelope = 201, response.json()
            self.replayed = response.headers.get("Idempotent-Replayed") == "true"
        return response


def store_of(database_url: str) -> str:
    """The store's name ("sqlite" or "postgresql"), for the figures a fault test reports."""
    return database_url.split(":")[0].split("+")[0]


def server_errors(output: str, limit: int = 8000) -> str:
    """A server's output without its access log: the errors and warnings, for a failure."""
    lines = [line for line in output.splitlines() if not line.startswith("127.0.0.1 - -")]
    return "\n".join(lines)[-limit:]


def write_token(database_url: str, name: str = "newsroom") -> str:
    engine = open_log(database_url)
    try:
        return tokens.create_token(engine, name, "write")
    finally:
        engine.dispose()


def assert_unavailable(response: httpx.Response) -> None:
    """A 503 problem that says when to retry: the answer while the database is away."""
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"].endswith("/database-unavailable")
    assert int(response.headers["Retry-After"]) > 0


class Writers:
    """``n`` threads, each sending keyed writes one after another until ``stop()``.

    ``on_error(write, error_or_response)`` decides what a writer does when an answer is not
    a 201: return True to send the same write again, False to stop that writer.
    """

    def __init__(
        self,
        n: int,
        url: Callable[[], str],
        token: str,
        on_error: Callable[[Write, Any], bool],
    ) -> None:
        self.url, self.token, self.on_error = url, token, on_error
        self.writes: list[list[Write]] = [[] for _ in range(n)]
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(n)]

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)

    def answered(self) -> int:
        return sum(w.status == 201 for mine in self.writes for w in mine)

    def wait_for(self, answered: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.answered() < answered:
            assert time.monotonic() < deadline, f"only {self.answered()} writes answered"
            time.sleep(0.02)

    def all(self) -> list[Write]:
        return [w for mine in self.writes for w in mine]

    def _run(self, i: int) -> None:
        with httpx.Client(timeout=60) as client:
            n = 0
            while not self._stop.is_set():
                write = Write(key=f"w{i}-{n}", received=i * 10_000 + n)
                self.writes[i].append(write)
                n += 1
                while write.status != 201:
                    try:
                        response = write.post(client, self.url(), self.token)
                    except httpx.TransportError as exc:
                        if not self.on_error(write, exc):
                            return
                        continue
                    if response.status_code != 201 and not self.on_error(write, response):
                        return


def check_log(database_url: str, writes: list[Write]) -> dict[str, Any]:
    """The log holds every acknowledged write at its position, each key's event exactly once,
    nothing else; positions are 1..N; the chain and the stored projections verify."""
    engine = open_log(database_url)
    try:
        with engine.connect() as conn:
            rows = list(event_reads.raw_rows(conn))
    finally:
        engine.dispose()
    assert [row["position"] for row in rows] == list(range(1, len(rows) + 1))
    assert first_bad_position(rows) is None
    by_position = {row["position"]: row for row in rows}
    acknowledged = [w for w in writes if w.status == 201]
    for write in acknowledged:
        row = by_position[write.envelope["position"]]
        assert (row["id"], row["hash"]) == (write.envelope["id"], write.envelope["hash"])
    per_figure = Counter(row["data"]["sides"][0]["received"] for row in rows)
    assert per_figure == Counter(w.received for w in acknowledged)  # one each, nothing else
    app = create_app(Settings(database_url=database_url))
    try:
        verify = app.test_cli_runner().invoke(args=["verify", "--projections"])
    finally:
        app.extensions["engine"].dispose()
    assert verify.exit_code == 0, verify.output
    return {"events": len(rows), "acknowledged": len(acknowledged)}
