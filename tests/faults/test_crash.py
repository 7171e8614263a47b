"""kill -9 of gunicorn (master and workers) under load, a restart, and the clients' retries."""

from __future__ import annotations

import httpx
import pytest

from tests.faults.load import Writers, check_log, store_of, write_token
from tests.servers import running_gunicorn

pytestmark = [pytest.mark.faults, pytest.mark.slow]

WRITERS = 8
# Kill once this many writes were answered: the server is busy with every writer by then.
ANSWERED_BEFORE_KILL = 40
NO_LIMITS = {"RATE_LIMIT_ENABLED": "false"}


class TestKilledMidLoad:
    def test_acknowledged_writes_survive_and_each_unanswered_retry_ends_with_one_event(
        self, database_url, report
    ):
        token = write_token(database_url)
        with running_gunicorn(database_url, workers=2, env=NO_LIMITS) as server:
            url = server.base_url
            # A writer stops at its first write that gets no answer (the server is gone).
            with Writers(WRITERS, lambda: url, token, on_error=lambda *_: False) as writers:
                writers.wait_for(ANSWERED_BEFORE_KILL)
                server.kill()  # SIGKILL to master and workers at once, mid-request
                assert server.process.returncode == -9
        writes = writers.all()
        unanswered = [w for w in writes if w.status is None]
        acknowledged_before = len(writes) - len(unanswered)
        assert unanswered  # every writer was cut off mid-run

        with (
            running_gunicorn(database_url, workers=2, env=NO_LIMITS) as server,
            httpx.Client(timeout=30) as client,
        ):
            # Right after the restart, never a 409: a dead request holds no key.
            answers = [w.post(client, server.base_url, token).status_code for w in unanswered]
        assert answers == [201] * len(unanswered)

        numbers = check_log(database_url, writes)
        replayed = sum(w.replayed for w in unanswered)
        report(
            f"crash ({store_of(database_url)}): {acknowledged_before} writes acknowledged"
            f" before kill -9, {len(unanswered)} unanswered and retried after the restart"
            f" ({replayed} had committed and were replayed, {len(unanswered) - replayed} were"
            f" written by the retry); log {numbers['events']} events, gapless, verified"
        )
