"""Concurrent duplicates over gunicorn: one Idempotency-Key sent at once by many clients, to
two worker processes, is written once; every other copy waits for it and gets it back."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.faults.load import Write, check_log, store_of, write_token
from tests.servers import running_gunicorn

pytestmark = [pytest.mark.faults, pytest.mark.slow]

COPIES = 8
ROUNDS = 5


class TestConcurrentDuplicates:
    def test_each_key_sent_by_eight_clients_at_once_is_written_once(self, database_url, report):
        token = write_token(database_url)
        barrier = threading.Barrier(COPIES)

        def send(copy: int) -> list[Write]:
            sent = []
            with httpx.Client(timeout=60) as client:
                for rnd in range(ROUNDS):
                    write = Write(key=f"round-{rnd}", received=rnd)
                    barrier.wait(timeout=60)
                    write.post(client, url, token)
                    sent.append(write)
            return sent

        with running_gunicorn(database_url, workers=2, env={"RATE_LIMIT_ENABLED": "false"}) as s:
            url = s.base_url
            with ThreadPoolExecutor(COPIES) as pool:
                copies = list(pool.map(send, range(COPIES)))

        for rnd in range(ROUNDS):
            answers = [sent[rnd] for sent in copies]
            assert [w.attempts for w in answers] == [[201]] * COPIES  # never a 409
            assert len({w.envelope["id"] for w in answers}) == 1
            assert Counter(w.replayed for w in answers) == Counter({True: COPIES - 1, False: 1})
        check_log(database_url, [w for sent in copies for w in sent if not w.replayed])
        report(
            f"duplicates ({store_of(database_url)}): {ROUNDS} keys, each sent by {COPIES}"
            " clients at once to 2 workers: one 201 written and 7 replays each, no 409"
        )
