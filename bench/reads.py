"""Projection reads under wrk, each beside a bare Flask ``GET /hello`` run right before it.

    .venv/bin/python -m bench.reads [--seconds 10] [--connections 16] [--rounds 1]
    .venv/bin/python -m bench.reads --events 1000000     # on a big generated log instead
    .venv/bin/python -m bench.reads --database-url URL    # on a log filled earlier (kept)

Creates (and drops) a PostgreSQL database on BENCH_POSTGRES_URL's server, loads the real
history (or fills ``--events`` with bench/read.py's generator), starts the service and
bench/bare_app.py under gunicorn as shipped (access log and rate limits off), and for each
read runs wrk on ``/hello`` then on the read. Prints req/s, the ratio read/hello, p50/p99
and non-2xx answers for every run. A benchmark: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os

from tests.servers import GunicornServer

from .database import bench_database, existing_database, service_settings
from .wrk import WrkResult, run_wrk

READS = (
    "/healthz",
    "/v1/metrics/summary",
    "/v1/metrics/gaps",
    "/v1/timeline",
)


def _row(label: str, result: WrkResult, bare: WrkResult | None = None) -> str:
    ratio = f"{result.rate / bare.rate:5.2f}" if bare else "    -"
    return (
        f"{label:<26} {result.rate:9.1f} req/s  ratio {ratio}  p50 {result.p50_ms:7.2f} ms"
        f"  p99 {result.p99_ms:7.2f} ms  non-2xx {result.non_2xx + result.socket_errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=1, help="runs of the whole table")
    parser.add_argument("--events", type=int, default=0, help="generated log size (0: history)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--database-url", help="an existing migrated store (left as it is)")
    args = parser.parse_args()
    source = (
        existing_database(args.database_url)
        if args.database_url
        else bench_database(events=args.events)
    )
    with source as (url, bare_dsn):
        settings = service_settings(args.threads)
        service = GunicornServer(
            "service.wsgi:app", {**settings, "DATABASE_URL": url}, workers=args.workers
        )
        bare = GunicornServer(
            "bench.bare_app:app", {**settings, "BARE_DSN": bare_dsn}, workers=args.workers
        )
        try:
            service.start()
            bare.start()
            print(
                f"gunicorn gthread {args.workers} x {args.threads}; wrk {args.connections}"
                f" connections, {args.seconds:g} s per run; {os.cpu_count()} CPUs;"
                f" log: {args.database_url or args.events or 'history'}"
            )
            for round_ in range(args.rounds):
                print(f"round {round_ + 1}")
                for path in READS:
                    run_wrk(service.url(path), connections=args.connections, seconds=1)
                    hello = run_wrk(
                        bare.url("/hello"), connections=args.connections, seconds=args.seconds
                    )
                    read = run_wrk(
                        service.url(path), connections=args.connections, seconds=args.seconds
                    )
                    print("  " + _row("bare /hello", hello), flush=True)
                    print("  " + _row(path, read, hello), flush=True)
        finally:
            service.close()
            bare.close()


if __name__ == "__main__":
    main()
