"""Schemathesis fuzzes the service holding the real exchange history, as a partner would meet it.

Every phase (examples, coverage, fuzzing, stateful) and every check schemathesis has except
``positive_data_acceptance``, plus two of ours (problem documents, live events carrying
envelopes): see ``schemathesis.toml``, ``fuzz_hooks.py`` and ``fuzz_run.py`` beside this file.
The service holds the shipped history (``import-history``) and a release, and the stateful
run writes on top of it. On SQLite the app runs in this process (on a server thread); on
PostgreSQL it runs under gunicorn. Rate limits are off. The run must report no failure, no
error, and none of the warnings that mean it did not reach the service's logic ("missing test
data", "missing auth", "rate limited").

Sized for the suite (about three and a half minutes a backend on 2 shared vCPUs):
``FUZZ_EXAMPLES=500 FUZZ_STATEFUL_STEPS=50 FUZZ_EVERY_PARTY=1`` for a deeper run, ``FUZZ_SEED``
for another sequence. The coverage phase does not depend on the size: it tries every boundary
and enum value of the document (of Party's 249 codes a sample, unless FUZZ_EVERY_PARTY=1).

Why ``positive_data_acceptance`` stays off: the document states every constraint OpenAPI can
state, and these rules it cannot (each is in the description of the field it concerns), so a
request valid by the document is refused (422, or 412) when it breaks one:

- ``occurred_on`` not in the future (the pattern bounds the year: 2014-2099);
- ``as_of`` not beyond the head, a timestamp not in the future, 29 February only in a leap
  year (the patterns know every other month's length); a timeline JSON page holds at most
  1000 (``limit`` allows 10000 for CSV and TimelineJS);
- swaps: each party one side; military, civilians and medical within received (and military
  + civilians, medical + either); each breakdown on one of the sides, once per dimension, its
  values with exactly one of count or share, shares summing to at most 1.005;
- a breach is not alleged by the party accused;
- a correction's ``changes`` name fields of the target's own type, and the result must be a
  valid payload of it; a retracted event is neither corrected nor retracted again; a
  correction or retraction is not itself corrected or retracted;
- ``proposal_id`` / ``agreement_id`` (in a body or a child write's path) name a live
  resource; ``If-Match`` names the stream's current version (the hooks give valid cases real
  ids and versions, except the stateful phase's first steps, which keep what was generated).

Measured with ``positive_data_acceptance`` on (``st`` with this configuration, gunicorn on
PostgreSQL, seed 1, after the merge with issue 10's hardening): 12 failures, each one of the
rules above — an ``as_of`` beyond the head or in the future on seven reads, the JSON page
limit, a self-alleged breach, an unknown ``changes`` field, a second retraction, and a
breakdown value with neither count nor share.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from werkzeug.serving import WSGIRequestHandler, make_server

from service.app import create_app
from service.config import Settings
from service.history.importer import import_history
from service.store import releases, tokens
from tests.contract import fuzz_hooks, fuzz_run
from tests.servers import running_gunicorn

pytestmark = pytest.mark.slow

COMMITTED = fuzz_run.CONFIG_FILE.parents[2] / "openapi.yaml"
# A stream ends after this long, so the fuzzer's reads of GET /v1/events/live finish.
LIVE = {"live_max_seconds": 0.5, "live_heartbeat_seconds": 0.2, "live_poll_seconds": 0.1}


@pytest.fixture
def service_with_history(database_url: str) -> Iterator[tuple[Any, dict[str, str]]]:
    """The app on a database holding the shipped history and a release; an admin's headers."""
    app = create_app(Settings(database_url=database_url, rate_limit_enabled=False, **LIVE))
    engine = app.extensions["engine"]
    import_history(engine)
    secret = tokens.create_token(engine, "fuzzer", "admin")
    releases.create_release(engine, "history", "The shipped history", "fuzzer")
    yield app, {"Authorization": f"Bearer {secret}"}
    engine.dispose()


def _real_data(app: Any) -> fuzz_hooks.RealData:
    client = app.test_client()
    return fuzz_hooks.read_real_data(lambda path: client.get(path).get_json())


class _QuietHandler(WSGIRequestHandler):
    """No line per request: a run sends thousands."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serving_in_process(app: Any) -> Iterator[str]:
    """The app on a werkzeug server thread of this process; its base URL.

    Schemathesis' WSGI transport cannot send the probes of its ``ignored_auth`` check (4.32.5
    passes them ``max_redirects``, which werkzeug's test client refuses), so the in-process
    run talks HTTP to a thread instead.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def _run_in_process(app: Any, headers: dict[str, str]) -> fuzz_run.FuzzReport:
    with serving_in_process(app) as base_url:
        config = fuzz_run.fuzz_config(headers=headers, base_url=base_url)
        schema = schemathesis.openapi.from_path(COMMITTED, config=config)
        return fuzz_run.run(schema, f"{COMMITTED} (in process)")


def _run_over_gunicorn(database_url: str, headers: dict[str, str]) -> fuzz_run.FuzzReport:
    env = {
        "RATE_LIMIT_ENABLED": "false",
        "ACCESS_LOG": "",
        **{key.upper(): str(value) for key, value in LIVE.items()},
    }
    with running_gunicorn(database_url, workers=2, env=env) as server:
        config = fuzz_run.fuzz_config(headers=headers, base_url=server.base_url)
        schema = schemathesis.openapi.from_path(COMMITTED, config=config)
        return fuzz_run.run(schema, str(COMMITTED))


class TestContractOnRealData:
    # Minutes, not the suite's default five: the coverage phase alone sends thousands of requests.
    @pytest.mark.timeout(int(os.environ.get("FUZZ_TIMEOUT") or 1800))
    def test_the_service_holding_the_history_answers_every_request_as_documented(
        self, backend, database_url, service_with_history
    ):
        app, headers = service_with_history
        fuzz_hooks.use(_real_data(app))
        try:
            if backend == "sqlite":
                report = _run_in_process(app, headers)
            else:
                app.extensions["engine"].dispose()  # gunicorn's workers open their own
                report = _run_over_gunicorn(database_url, headers)
        finally:
            fuzz_hooks.use(None)
        print(report.summary())
        print(report.rejected())
        assert report.failures == []
        assert report.errors == []
        assert report.warned(*fuzz_run.BLOCKING_WARNINGS) == {}
        assert set(report.phases.values()) == {"success"}, report.phases
