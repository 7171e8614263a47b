"""A mixed workload with live followers connected: 90 % reads, 10 % writes, fixed time.

    .venv/bin/python -m bench.load [--followers 1000] [--seconds 30] [--connections 16]

On a fresh PostgreSQL database holding the real history, the service under gunicorn as
shipped (access log and rate limits off); ``--followers`` SSE clients stay connected while
wrk (bench/load.lua, one connection per thread) sends, on every connection, 9 reads —
the gap and summary metrics, the timeline, the swaps, a page of events and the Atom feed,
in turn — for every write (``POST /v1/swaps``). Prints throughput, p50/p99 per endpoint
and non-2xx answers, and how many followers received every event written. A benchmark:
nothing asserts a time.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import subprocess
import time
from pathlib import Path

import httpx

from service.store import tokens
from service.wiring import open_log
from tests.servers import GunicornServer

from .database import bench_database, service_settings
from .followers import run_followers
from .wrk import ensure_wrk, parse

SCRIPT = Path(__file__).with_name("load.lua")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with bench_database() as (url, _dsn):
        engine = open_log(url)
        secret = tokens.create_token(engine, "bench", "write")
        engine.dispose()
        cap = str(args.followers + 10)  # not what this measures: see bench/followers.py
        env = {**service_settings(), "DATABASE_URL": url, "LIVE_MAX_FOLLOWERS": cap}
        server = GunicornServer("service.wsgi:app", env, workers=args.workers)
        server.start()
        ctx = mp.get_context("spawn")
        stop = ctx.Event()
        ready, out = ctx.Queue(), ctx.Queue()
        child = None
        try:
            head = int(httpx.get(server.url("/v1/log/head")).json()["position"])
            if args.followers:
                child = ctx.Process(
                    target=run_followers, args=(server.port, args.followers, head, ready, stop, out)
                )
                child.start()
                accepted, refused = ready.get(timeout=300)
                print(f"followers connected: {accepted} (refused {refused})")
            command = [
                ensure_wrk(),
                f"-t{args.connections}",
                f"-c{args.connections}",
                f"-d{args.seconds:g}s",
                "--latency",
                "-s",
                str(SCRIPT),
                server.base_url,
            ]
            started = time.time()
            run = subprocess.run(
                command,
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "BENCH_TOKEN": secret},
            )
            overall = parse(run.stdout)
            print(
                f"{args.connections} connections, {args.seconds:g} s, {os.cpu_count()} CPUs,"
                f" gunicorn {args.workers} workers: {overall.rate:.1f} req/s overall,"
                f" p50 {overall.p50_ms:.2f} ms, p99 {overall.p99_ms:.2f} ms,"
                f" non-2xx {overall.non_2xx + overall.socket_errors}"
            )
            for line in sorted(run.stdout.splitlines()):
                if line.startswith("ENDPOINT "):
                    name, count, p50, p99, failed = line[len("ENDPOINT ") :].split("\t")
                    print(
                        f"  {name:<28} {int(count) / args.seconds:8.1f} req/s"
                        f"  p50 {float(p50):7.2f} ms  p99 {float(p99):7.2f} ms  non-2xx {failed}"
                    )
            if child is not None:
                time.sleep(3)
                stop.set()
                seen = out.get(timeout=120)
                child.join(30)
                end = int(httpx.get(server.url("/v1/log/head")).json()["position"])
                written = set(range(head + 1, end + 1))
                complete = sum(1 for arrivals in seen if written <= arrivals.keys())
                print(
                    f"  {len(written)} events written in {time.time() - started:.0f} s;"
                    f" {complete} of {len(seen)} followers received every one"
                )
        finally:
            stop.set()
            server.close()


if __name__ == "__main__":
    main()
