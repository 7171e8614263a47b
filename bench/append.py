"""Append throughput of the service against a bare INSERT … RETURNING endpoint, on PostgreSQL.

    .venv/bin/python -m bench.append [--seconds 10] [--rounds 4] [--clients 16] [--workers 2]

Creates (and at the end drops) the database ``pel_bench_<pid>`` on the server of BENCH_POSTGRES_URL
(default TEST_POSTGRES_URL or the local test server), migrates it, starts the service and
bench/bare_app.py under gunicorn with the same settings, drives each with the same JSON body
from concurrent clients for a fixed time, then from one client — in alternating rounds, so
both meet the same machine — and prints appends/s and the ratio service/bare. A benchmark,
not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import threading
import time
from dataclasses import dataclass

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from service.store import tokens
from service.store.migrate import upgrade
from service.wiring import open_log
from tests.servers import GunicornServer

from .bare_app import TABLE_DDL

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# One database per run: two runs at once must not drop each other's.
DATABASE = f"pel_bench_{os.getpid()}"
# The same JSON to both: a swap without an id, so the service generates the stream id.
BODY = {
    "occurred_on": "2026-02-05",
    "sources": [{"url": "https://www.reuters.com/world/europe/swap-2026-02-05/"}],
    "mediators": ["AE", "US"],
    "sides": [
        {"party": "UA", "received": 157, "civilians": 7},
        {"party": "RU", "received": 157},
    ],
    "categories": ["military", "civilians"],
}


@dataclass
class Result:
    appends: int
    errors: int
    seconds: float
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.appends / self.seconds if self.seconds else 0.0


def _client_threads(base_url: str, headers: dict, threads: int, start: float, stop: float, out):
    """One client process: ``threads`` keep-alive clients posting until ``stop``."""
    counts = [[0, 0, ""] for _ in range(threads)]

    def run(slot: list) -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=30.0) as http:
            while time.time() < start:
                time.sleep(0.001)
            while time.time() < stop:
                response = http.post("/v1/swaps", json=BODY)
                if response.status_code == 201:
                    slot[0] += 1
                else:
                    slot[1] += 1
                    slot[2] = slot[2] or f"{response.status_code} {response.text[:200]}"

    workers = [threading.Thread(target=run, args=(slot,)) for slot in counts]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put(
        (
            sum(c[0] for c in counts),
            sum(c[1] for c in counts),
            next((c[2] for c in counts if c[2]), ""),
        )
    )


def drive(base_url: str, headers: dict, clients: int, seconds: float, processes: int) -> Result:
    """``clients`` concurrent clients, spread over up to ``processes`` processes (the GIL)."""
    processes = max(1, min(processes, clients))
    per_process = [clients // processes + (i < clients % processes) for i in range(processes)]
    start = time.time() + 1.0  # every client connected and waiting before the clock starts
    stop = start + seconds
    out = mp.get_context("fork").Queue()
    procs = [
        mp.get_context("fork").Process(
            target=_client_threads, args=(base_url, headers, n, start, stop, out)
        )
        for n in per_process
    ]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    return Result(
        appends=sum(r[0] for r in results),
        errors=sum(r[1] for r in results),
        seconds=seconds,
        first_error=next((r[2] for r in results if r[2]), ""),
    )


def _prepare(admin_url: str) -> str:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {DATABASE}")
    admin.dispose()
    url = make_url(admin_url).set(database=DATABASE).render_as_string(hide_password=False)
    upgrade(url)
    engine = open_log(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(TABLE_DDL)
    engine.dispose()
    return url


def _drop(admin_url: str) -> None:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    admin.dispose()


def _warm(server: GunicornServer, headers: dict, n: int = 40) -> None:
    with httpx.Client(base_url=server.base_url, headers=headers) as http:
        for _ in range(n):
            response = http.post("/v1/swaps", json=BODY)
            if response.status_code != 201:
                raise SystemExit(f"warm-up failed: {response.status_code} {response.text}")


def _line(label: str, result: Result) -> str:
    errors = f", {result.errors} errors (first: {result.first_error})" if result.errors else ""
    count = f"{result.appends} in {result.seconds:.0f} s"
    return f"{label:<28} {result.rate:8.1f} appends/s  ({count}{errors})"


def _rounds(servers: dict, rounds: int, run, label: str) -> dict[str, Result]:
    """Drive each server ``rounds`` times, alternating which goes first, so a change in the
    machine's load during the run falls on both alike; totals per server."""
    totals = {name: Result(0, 0, 0.0) for name in servers}
    for i in range(rounds):
        order = list(servers) if i % 2 == 0 else list(reversed(servers))
        for name in order:
            result = run(servers[name])
            total = totals[name]
            total.appends += result.appends
            total.errors += result.errors
            total.seconds += result.seconds
            total.first_error = total.first_error or result.first_error
            print(_line(f"  {name} ({label}), round {i + 1}", result), flush=True)
    for name, total in totals.items():
        print(_line(f"{name} ({label})", total), flush=True)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per concurrent round")
    parser.add_argument("--single-seconds", type=float, default=5.0, help="per 1-client round")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per app")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--client-processes", type=int, default=2)
    # Defaults: the shipped gunicorn.conf.py's (WEB_CONCURRENCY=2, GUNICORN_THREADS=8).
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, both apps")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker")
    args = parser.parse_args()

    admin_url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get(
        "TEST_POSTGRES_URL", DEFAULT_URL
    )
    url = _prepare(admin_url)
    settings = {
        "ACCESS_LOG": "",
        "RATE_LIMIT_ENABLED": "false",
        "GUNICORN_THREADS": str(args.threads),
        "LOG_LEVEL": "WARNING",
    }
    bare_dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    service = GunicornServer(
        "service.wsgi:app", {**settings, "DATABASE_URL": url}, workers=args.workers
    )
    bare = GunicornServer(
        "bench.bare_app:app", {**settings, "BARE_DSN": bare_dsn}, workers=args.workers
    )
    try:
        engine = open_log(url)
        secret = tokens.create_token(engine, "bench", "write")
        engine.dispose()
        headers = {"Authorization": f"Bearer {secret}"}
        service.start()
        bare.start()
        _warm(service, headers)
        _warm(bare, headers)
        print(
            f"PostgreSQL {make_url(url).render_as_string()}; gunicorn gthread "
            f"{args.workers} workers x {args.threads} threads; {args.clients} clients "
            f"in {args.client_processes} processes; {os.cpu_count()} CPUs"
        )
        servers = {"service": service, "bare": bare}
        many = _rounds(
            servers,
            args.rounds,
            lambda s: drive(s.base_url, headers, args.clients, args.seconds, args.client_processes),
            f"{args.clients} clients",
        )
        one = _rounds(
            servers,
            args.rounds,
            lambda s: drive(s.base_url, headers, 1, args.single_seconds, 1),
            "1 client",
        )
        ratio = many["service"].rate / many["bare"].rate
        print(f"ratio service/bare, {args.clients} clients: {ratio:.2f}")
        print(f"ratio service/bare, 1 client:   {one['service'].rate / one['bare'].rate:.2f}")
    finally:
        service.close()
        bare.close()
        _drop(admin_url)


if __name__ == "__main__":
    main()
