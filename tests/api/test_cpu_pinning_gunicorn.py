"""gunicorn as shipped puts each worker, every thread of it included, on a CPU of its own
(service/cpu_pinning.py), a replacement worker on the CPU its predecessor left, and with
PIN_WORKERS=0 leaves them where the kernel puts them. Read from /proc."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from service.cpu_pinning import allowed_cpus
from tests.servers import running_gunicorn, worker_pids

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux's /proc"),
    pytest.mark.skipif(len(allowed_cpus()) < 2, reason="needs two CPUs to choose from"),
]


def _cpus(pid: int) -> set[frozenset[int]]:
    """The CPUs each thread of ``pid`` may run on, one set per distinct answer."""
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.add(frozenset(os.sched_getaffinity(int(task.name))))
        except ProcessLookupError:  # a thread that ended since the listing
            continue
    return found


def _serve_some(server) -> None:
    """Request threads started in both workers: a few requests over new connections (the
    workers take new connections in turn)."""
    for _ in range(6):
        httpx.get(server.url("/readyz"), timeout=10)


def _two_workers(master: int) -> list[int]:
    deadline = time.monotonic() + 30
    while len(pids := worker_pids(master)) != 2:
        assert time.monotonic() < deadline, f"workers: {pids}"
        time.sleep(0.1)
    return pids


def test_each_worker_and_its_threads_keep_to_a_cpu_of_their_own(database_url):
    with running_gunicorn(database_url) as server:
        _serve_some(server)
        master = server.process.pid
        first, second = _two_workers(master)
        on_first, on_second = _cpus(first), _cpus(second)
        assert len(on_first) == 1 and len(on_second) == 1  # every thread alike
        (cpus_first,), (cpus_second,) = on_first, on_second
        assert len(cpus_first) == 1 and len(cpus_second) == 1
        assert cpus_first != cpus_second
        assert cpus_first | cpus_second <= set(allowed_cpus())

        os.kill(first, signal.SIGKILL)  # its replacement takes the CPU it left
        deadline = time.monotonic() + 30
        while first in (pids := worker_pids(master)) or len(pids) != 2:
            assert time.monotonic() < deadline, f"no replacement: {pids}"
            time.sleep(0.1)
        (replacement,) = set(pids) - {second}
        assert _cpus(replacement) == {cpus_first}
        assert _cpus(second) == {cpus_second}


def test_pin_workers_0_leaves_them_to_the_kernel(database_url):
    with running_gunicorn(database_url, env={"PIN_WORKERS": "0"}) as server:
        _serve_some(server)
        for worker in _two_workers(server.process.pid):
            assert _cpus(worker) == {frozenset(allowed_cpus())}
