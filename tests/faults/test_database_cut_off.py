"""PostgreSQL cuts the service off under load: its connections terminated, the database
briefly refusing connections (a restart), or dropped and created again. Answers are 201 or
503 with Retry-After, never 500; the service recovers by itself; nothing acknowledged is
lost; a token the new database does not hold writes nothing there.

A real ``pg_ctlcluster 15 main restart`` would cut off every other test run sharing the
server, so the restart is simulated on this test's own database: every backend terminated
and new connections refused (ALLOW_CONNECTIONS false) for a moment, then allowed again.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from service.readmodel.position import head_with_hash
from service.store import event_reads
from service.store.migrate import upgrade
from service.wiring import open_log
from tests.builders import swap_body
from tests.faults.load import (
    Write,
    Writers,
    assert_unavailable,
    check_log,
    server_errors,
    write_token,
)
from tests.servers import running_gunicorn

pytestmark = [pytest.mark.faults, pytest.mark.slow]

WRITERS = 8
TERMINATIONS = 5
NO_LIMITS = {"RATE_LIMIT_ENABLED": "false"}


@pytest.fixture
def pg(backend, database_url, postgresql_factory) -> Iterator[PostgresAdmin]:
    if backend != "postgresql":
        pytest.skip("the database server cutting connections off is a PostgreSQL test")
    admin = PostgresAdmin(postgresql_factory.admin, make_url(database_url).database)
    yield admin
    admin.create()  # never leave the database dropped
    admin.allow_connections(True)  # nor closed


class PostgresAdmin:
    """What the server's administrator does to the test's own database."""

    def __init__(self, engine: sa.Engine, database: str) -> None:
        self.engine, self.database = engine, database

    def terminate_backends(self) -> int:
        with self.engine.connect() as conn:
            return len(
                conn.execute(
                    sa.text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = :db AND pid <> pg_backend_pid()"
                    ),
                    {"db": self.database},
                ).all()
            )

    def allow_connections(self, allowed: bool) -> None:
        allow = "true" if allowed else "false"
        with self.engine.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS {allow}'))

    def drop(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{self.database}" WITH (FORCE)'))

    def create(self) -> None:
        """The database again, empty: no tables until it is migrated."""
        with self.engine.connect() as conn:
            if not conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :db"), {"db": self.database}
            ).first():
                conn.execute(sa.text(f'CREATE DATABASE "{self.database}"'))

    @contextmanager
    def down(self) -> Iterator[None]:
        """The database is unreachable inside the block (like a server restarting)."""
        self.allow_connections(False)
        try:
            self.terminate_backends()
            yield
        finally:
            self.allow_connections(True)


class Outcomes:
    """Every answer the clients got, by status (a transport error is a failure too)."""

    def __init__(self) -> None:
        self.seen: Counter[int | str] = Counter()
        self._lock = threading.Lock()

    def retry_after_503(self, _write: Write, answer: object) -> bool:
        status = answer.status_code if isinstance(answer, httpx.Response) else type(answer).__name__
        with self._lock:
            self.seen[status] += 1
        if status != 503:
            return False  # anything but a 503 ends the writer, and the test fails below
        assert_unavailable(answer)
        time.sleep(0.1)  # a real client waits Retry-After; the test need not
        return True


class TestConnectionsTerminatedUnderLoad:
    def test_writes_and_reads_get_201_or_503_and_every_write_lands_once(
        self, database_url, pg, report
    ):
        token = write_token(database_url)
        outcomes = Outcomes()
        reads: Counter[int] = Counter()
        with running_gunicorn(database_url, workers=2, env=NO_LIMITS) as server:
            stop = threading.Event()

            def reader() -> None:
                with httpx.Client(timeout=30) as client:
                    while not stop.is_set():
                        for path in ("/v1/events?limit=5", "/v1/metrics/gaps", "/v1/log/head"):
                            r = client.get(server.url(path))
                            reads[r.status_code] += 1
                            if r.status_code == 503:
                                assert_unavailable(r)

            readers = [threading.Thread(target=reader) for _ in range(2)]
            for thread in readers:
                thread.start()
            try:
                with Writers(
                    WRITERS, lambda: server.base_url, token, outcomes.retry_after_503
                ) as writers:
                    writers.wait_for(20)
                    for _ in range(TERMINATIONS):
                        pg.terminate_backends()
                        writers.wait_for(writers.answered() + 10)  # it recovers by itself
            finally:
                stop.set()
                for thread in readers:
                    thread.join(timeout=60)
            output = server_errors(server.output())

        assert set(outcomes.seen) <= {503}, (outcomes.seen, output)
        assert set(reads) <= {200, 503}, (reads, output)
        writes = writers.all()
        assert all(w.status == 201 for w in writes)
        numbers = check_log(database_url, writes)
        report(
            f"terminated under load: {TERMINATIONS} x every backend of the service;"
            f" {len(writes)} writes all 201 in the end, {outcomes.seen[503]} answers 503 on the"
            f" way; reads {dict(reads)}; log {numbers['events']} events, gapless, verified"
        )


class TestDatabaseRestart:
    def test_while_down_every_call_is_503_and_afterwards_it_serves_again_unrestarted(
        self, database_url, pg, report
    ):
        token = write_token(database_url)
        auth = {"Authorization": f"Bearer {token}"}
        with (
            running_gunicorn(database_url, workers=2, env=NO_LIMITS) as server,
            httpx.Client(timeout=30) as client,
        ):
            first = Write(key="before", received=1)
            assert first.post(client, server.base_url, token).status_code == 201
            during = Write(key="during", received=2)
            with pg.down():
                for _ in range(4):  # both workers, their pools and committers
                    assert_unavailable(during.post(client, server.base_url, token))
                    assert_unavailable(client.get(server.url("/v1/events"), headers=auth))
                    ready = client.get(server.url("/readyz"))
                    assert (ready.status_code, ready.headers["Retry-After"]) == (503, "2")
            # Up again: the same key goes through, within a few Retry-After periods.
            for _ in range(5):
                if during.post(client, server.base_url, token).status_code == 201:
                    break
                time.sleep(0.2)
            assert (during.status, during.replayed) == (201, False)
            after = Write(key="after", received=3)
            assert after.post(client, server.base_url, token).status_code == 201
            assert client.get(server.url("/v1/events")).status_code == 200
        check_log(database_url, [first, during, after])
        report(
            f"database down and up (simulated restart): write answers {during.attempts};"
            " served again without a restart of the service"
        )


class TestDatabaseDroppedAndCreatedAgain:
    def test_never_a_500_and_a_token_of_the_old_database_writes_nothing_in_the_new(
        self, database_url, pg, report
    ):
        token = write_token(database_url)
        auth = {"Authorization": f"Bearer {token}"}
        seen: Counter[tuple[str, int | str]] = Counter()
        details: Counter[str] = Counter()
        wrong: list[str] = []  # 503s that were not the problem document they should be
        counting = threading.Lock()
        stop = threading.Event()

        def client_loop(server, method: str) -> None:
            with httpx.Client(timeout=30) as client:
                n = 0
                while not stop.is_set():
                    n += 1
                    try:
                        if method == "POST":
                            body = swap_body(sides=[{"party": "UA", "received": n}])
                            r = client.post(server.url("/v1/swaps"), json=body, headers=auth)
                        else:
                            r = client.get(server.url("/v1/metrics/gaps"))
                    except httpx.TransportError as exc:
                        with counting:
                            seen[method, type(exc).__name__] += 1
                        continue
                    detail = None
                    if r.status_code == 503:
                        try:
                            assert_unavailable(r)
                        except AssertionError as exc:  # told to the test, not lost in a thread
                            wrong.append(f"{method}: {exc}")
                        detail = r.json()["detail"].split(" Retry in")[0]
                    elif r.status_code >= 400:
                        detail = r.json()["detail"]
                    with counting:
                        seen[method, r.status_code] += 1
                        if detail is not None:
                            details[detail] += 1

        def wait_for(method: str, status: int, more: int) -> None:
            target = seen[method, status] + more
            deadline = time.monotonic() + 60
            while seen[method, status] < target:
                assert time.monotonic() < deadline, (seen, details)
                time.sleep(0.02)

        with running_gunicorn(database_url, workers=2, env=NO_LIMITS) as server:
            threads = [
                threading.Thread(target=client_loop, args=(server, method))
                for method in ("POST",) * 4 + ("GET",) * 2
            ]
            for thread in threads:
                thread.start()
            try:
                wait_for("POST", 201, 20)
                pg.drop()
                wait_for("POST", 503, 10)  # no database at all
                pg.create()
                wait_for("POST", 503, 10)  # a database without tables
                upgrade(database_url)
                wait_for("POST", 401, 10)  # migrated: the old token is not in it
                wait_for("GET", 200, 10)
            finally:
                stop.set()
                for thread in threads:
                    thread.join(timeout=60)
            output = server_errors(server.output())

        statuses = {status for _method, status in seen}
        assert statuses <= {200, 201, 401, 503}, (seen, output)
        assert not wrong, wrong
        assert "unhandled error" not in output and "Traceback" not in output, output
        assert details["The database is missing the service's tables (it is not migrated)."]
        assert details["the bearer token is not valid"]
        engine = open_log(database_url)
        try:
            with engine.connect() as conn:
                assert not list(event_reads.raw_rows(conn))  # nothing written with it
        finally:
            engine.dispose()
        report(
            f"database dropped, created again and migrated under load: answers {dict(seen)};"
            " no 500; the old token refused in the new database, which holds no event"
        )


class TestHeadReadOnACutConnection:
    def test_the_connection_is_dropped_not_handed_back_and_the_next_read_works(
        self, engine, pg, caplog
    ):
        """The head's read runs on the driver (``readmodel.position``): a connection cut
        under it is invalidated, not returned to the pool, whose ROLLBACK would fail and log
        an ERROR with a stack trace."""
        assert head_with_hash(engine) == (0, None)  # a connection, pooled
        pg.terminate_backends()
        with pytest.raises(psycopg.OperationalError):
            head_with_hash(engine)
        assert not [r for r in caplog.records if r.name.startswith("sqlalchemy.pool")]
        assert head_with_hash(engine) == (0, None)
