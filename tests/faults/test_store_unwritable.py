"""A store that cannot be reached or cannot write: 503 with Retry-After, never 500; reads
go on where they can; nothing partial is written; the service recovers by itself."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service.app import create_app
from service.config import Settings
from service.store import event_reads, tokens
from service.store.migrate import upgrade
from tests.builders import swap_body
from tests.databases import unreachable_url
from tests.faults.load import PROBLEM

pytestmark = pytest.mark.faults

QUOTE = "«" + "The exchange took place on the border with Belarus. " * 70 + "»"  # ~3.7 kB


UNREACHABLE = "The database cannot be reached right now."
NOT_MIGRATED = "The database is missing the service's tables (it is not migrated)."


def unavailable(response, reason: str = UNREACHABLE) -> dict:
    assert response.status_code == 503, response.json
    assert response.content_type == PROBLEM
    assert int(response.headers["Retry-After"]) > 0
    body = response.json
    assert body["type"].endswith("/database-unavailable")
    assert body["detail"].startswith(f"{reason} Retry in "), body["detail"]
    return body


# Reads and writes of the API, each sent with a token and an Idempotency-Key.
API_CALLS = [
    ("GET", "/v1/events"),
    ("GET", "/v1/metrics/gaps"),
    ("GET", "/v1/log/head"),
    ("GET", "/v1/timeline"),
    ("POST", "/v1/swaps"),
    ("POST", "/v1/batches"),
]


def api_call(client, method: str, path: str):
    headers = {"Authorization": "Bearer pel_any", "Idempotency-Key": "k1"}
    body = {"items": []} if path == "/v1/batches" else swap_body()
    return client.open(
        path, method=method, json=body if method == "POST" else None, headers=headers
    )


class TestDatabaseUnreachable:
    @pytest.fixture
    def client(self, backend, tmp_path):
        app = create_app(Settings(database_url=unreachable_url(backend, tmp_path)))
        yield app.test_client()
        app.extensions["engine"].dispose()

    @pytest.mark.parametrize("method, path", API_CALLS)
    def test_every_api_call_is_a_503_problem_with_retry_after(self, client, method, path):
        unavailable(api_call(client, method, path))

    def test_readiness_fails_with_retry_after_while_liveness_holds(self, client):
        ready = client.get("/readyz")
        assert (ready.status_code, ready.headers["Retry-After"]) == (503, "2")
        assert client.get("/healthz").status_code == 200


class TestDatabaseNotMigrated:
    """A database without the service's tables (created but not migrated yet, or dropped and
    created again under the running service): a 503 that says so, never a 500; it serves
    once migrated, without a restart."""

    @pytest.fixture
    def app(self, unmigrated_url):
        app = create_app(Settings(database_url=unmigrated_url))
        yield app
        app.extensions["engine"].dispose()

    @pytest.mark.parametrize("method, path", API_CALLS)
    def test_every_api_call_is_a_503_naming_it(self, app, method, path):
        unavailable(api_call(app.test_client(), method, path), NOT_MIGRATED)

    def test_once_migrated_it_serves_without_a_restart(self, app, unmigrated_url):
        client = app.test_client()
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200
        unavailable(client.get("/v1/events"), NOT_MIGRATED)
        upgrade(unmigrated_url)
        assert client.get("/readyz").status_code == 200
        secret = tokens.create_token(app.extensions["engine"], "desk", "write")
        auth = {"Authorization": f"Bearer {secret}"}
        assert client.post("/v1/swaps", json=swap_body(), headers=auth).status_code == 201
        assert len(client.get("/v1/events").json["events"]) == 1


class TestSqliteStoreUnwritable:
    """The store refuses writes the way a read-only file or a full disk does (SQLITE_READONLY,
    SQLITE_FULL): here SQLite itself is told so on each transaction, because the tests may
    run as root, whom a chmod does not stop."""

    @pytest.fixture
    def fault(self, backend, engine):
        if backend != "sqlite":
            pytest.skip("SQLite store faults")
        state = {"on": ""}
        pragmas = {
            "": ("PRAGMA query_only = 0", "PRAGMA max_page_count = 4294967294"),
            "read-only": ("PRAGMA query_only = 1",),
            "disk full": ("PRAGMA max_page_count = 1",),  # no page beyond the current size
        }

        # Set on the driver connection just before each BEGIN (IMMEDIATE) goes out.
        @sa.event.listens_for(engine, "before_cursor_execute")
        def _apply(_conn, cursor, statement, *_args):
            if statement.startswith("BEGIN"):
                for pragma in pragmas[""] + pragmas[state["on"]]:
                    cursor.connection.execute(pragma)

        yield state
        sa.event.remove(engine, "before_cursor_execute", _apply)

    @pytest.mark.parametrize("kind", ["read-only", "disk full"])
    def test_writes_are_503_reads_go_on_nothing_partial_and_it_recovers(
        self, client, auth, engine, fault, kind
    ):
        for day in ("2026-01-05", "2026-02-05"):
            written = client.post("/v1/swaps", json=swap_body(occurred_on=day), headers=auth)
            assert written.status_code == 201
        before = {p: client.get(p).json for p in ("/v1/log/head", "/v1/events", "/v1/metrics/gaps")}
        # Rows larger than a page: the store must grow to take them.
        sources = [{"url": f"https://example.org/{i}", "quote": QUOTE} for i in range(4)]
        big = swap_body(sources=sources)
        other = swap_body(sources=sources, occurred_on="2026-03-05")
        keyed = {**auth, "Idempotency-Key": "k1"}

        fault["on"] = kind
        unavailable(client.post("/v1/swaps", json=big, headers=keyed))
        unavailable(client.post("/v1/swaps", json=other, headers=auth))
        for path, answer in before.items():  # reads go on, and nothing changed
            assert client.get(path).json == answer
        with engine.connect() as conn:
            assert [r["position"] for r in event_reads.raw_rows(conn)] == [1, 2]

        fault["on"] = ""
        again = client.post("/v1/swaps", json=big, headers=keyed)
        assert again.status_code == 201, again.json
        assert (again.json["position"], "Idempotent-Replayed" in again.headers) == (3, False)
        result = client.application.test_cli_runner().invoke(args=["verify", "--projections"])
        assert result.exit_code == 0, result.output
