"""A thousand live followers: delivery time, what they cost other requests, memory, the cap.

    .venv/bin/python -m bench.followers [--followers 1000] [--events 20] [--seconds 10]

On a fresh PostgreSQL database holding the real history, the service runs under gunicorn
as shipped (access log and rate limits off). In this order, in one run:

1. wrk (16 connections) on ``GET /v1/metrics/gaps`` and ``GET /healthz`` without followers;
2. ``--followers`` SSE clients (asyncio, in their own process) connect to
   ``GET /v1/events/live``; the workers' memory is read before and after;
3. the same wrk runs with every follower connected;
4. ``--events`` swaps are posted one at a time; each follower notes when each event's
   frame arrived; the delay is measured from the moment the POST was sent, so it bounds
   the time from commit to delivery from above;
5. followers beyond the cap (``LIVE_MAX_FOLLOWERS`` per worker, set here so the cap sits
   just above ``--followers``) are answered 503 with Retry-After.

A benchmark: it prints figures and asserts no time.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import re
import time

import httpx

from service.store import tokens
from service.wiring import open_log
from tests.servers import GunicornServer

from .database import bench_database, service_settings
from .write import BODY
from .wrk import WrkResult, run_wrk

_ID = re.compile(rb"\nid: (\d+)\n")


async def _follow(port: int, after: int, seen: dict[int, float], status: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    writer.write(f"GET /v1/events/live?after={after} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status.append(int(head.split(b" ", 2)[1]))
    tail = b""
    while data := await reader.read(65536):
        now = time.time()
        text = tail + data
        for match in _ID.finditer(text):
            seen.setdefault(int(match.group(1)), now)
        tail = text[-64:]


def run_followers(port: int, count: int, after: int, ready, stop, out) -> None:
    """Child process: ``count`` followers; report when connected, then each one's arrivals."""

    async def main() -> None:
        seen = [dict() for _ in range(count)]
        status: list[int] = []
        tasks = []
        for i in range(count):
            tasks.append(asyncio.create_task(_follow(port, after, seen[i], status)))
            if i % 50 == 49:
                await asyncio.sleep(0.05)  # no thundering herd on the listen backlog
        while len(status) < count and not all(t.done() for t in tasks):
            await asyncio.sleep(0.1)
        ready.put((status.count(200), len(status) - status.count(200)))
        while not stop.is_set():
            await asyncio.sleep(0.1)
        out.put(seen)
        for task in tasks:
            task.cancel()

    asyncio.run(main())


async def _probe(port: int, count: int) -> list[int]:
    """Open ``count`` more streams at once; the status each one got (503s need Retry-After)."""

    async def one() -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /v1/events/live HTTP/1.1\r\nHost: bench\r\n\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        if status == 503 and b"\r\nretry-after:" not in head.lower():
            status = -503
        return status, writer

    results = await asyncio.gather(*(one() for _ in range(count)))
    for _, writer in results:
        writer.close()
    return [status for status, _ in results]


def _worker_rss_kb(server: GunicornServer) -> int:
    """Resident memory of the server's worker processes (its master's children)."""
    master = server.process.pid
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            with open(f"/proc/{pid}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
        except (OSError, StopIteration):
            continue
    return total


def _row(label: str, result: WrkResult) -> str:
    return (
        f"  {label:<44} {result.rate:8.1f} req/s  p50 {result.p50_ms:7.2f} ms"
        f"  p99 {result.p99_ms:7.2f} ms  non-2xx {result.non_2xx + result.socket_errors}"
    )


def _ordinary(server: GunicornServer, seconds: float, label: str) -> dict[str, WrkResult]:
    results = {}
    for path in ("/v1/metrics/gaps", "/healthz"):
        run_wrk(server.url(path), seconds=1)
        results[path] = run_wrk(server.url(path), seconds=seconds)
        print(_row(f"{path} ({label})", results[path]), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    per_worker_cap = args.followers // args.workers + args.followers // 10
    with bench_database() as (url, _dsn):
        engine = open_log(url)
        secret = tokens.create_token(engine, "bench", "write")
        engine.dispose()
        env = {**service_settings(), "DATABASE_URL": url, "LIVE_MAX_FOLLOWERS": str(per_worker_cap)}
        server = GunicornServer("service.wsgi:app", env, workers=args.workers)
        server.start()
        ctx = mp.get_context("spawn")
        stop = ctx.Event()
        ready, out = ctx.Queue(), ctx.Queue()
        try:
            head = int(httpx.get(server.url("/v1/log/head")).json()["position"])
            print(f"{args.followers} followers, cap {per_worker_cap} per worker x {args.workers}")
            before = _ordinary(server, args.seconds, "no followers")
            rss_before = _worker_rss_kb(server)
            child = ctx.Process(
                target=run_followers, args=(server.port, args.followers, head, ready, stop, out)
            )
            child.start()
            accepted, refused = ready.get(timeout=300)
            time.sleep(2)
            rss_after = _worker_rss_kb(server)
            print(f"  followers connected: {accepted} (refused {refused})")
            print(
                f"  workers' memory: {rss_before / 1024:.1f} MiB -> {rss_after / 1024:.1f} MiB,"
                f" {(rss_after - rss_before) / max(accepted, 1):.1f} KiB per follower"
            )
            during = _ordinary(server, args.seconds, f"{accepted} followers")
            for path in before:
                ratio = during[path].p99_ms / before[path].p99_ms
                print(f"  p99 {path} with/without followers: {ratio:.2f}")
            sent: dict[int, float] = {}
            headers = {"Authorization": f"Bearer {secret}"}
            with httpx.Client(base_url=server.base_url, headers=headers) as http:
                for _ in range(args.events):
                    started = time.time()
                    response = http.post("/v1/swaps", json=BODY)
                    response.raise_for_status()
                    sent[int(response.json()["position"])] = started
                    time.sleep(0.5)
                time.sleep(2)
            extra = args.followers // 2
            codes = asyncio.run(_probe(server.port, extra))
            print(
                f"  {extra} more followers beyond the cap: {codes.count(200)} accepted,"
                f" {codes.count(503)} answered 503 with Retry-After,"
                f" others {len(codes) - codes.count(200) - codes.count(503)}"
            )
            stop.set()
            seen = out.get(timeout=120)
            child.join(30)
            worst, missing = 0.0, 0
            for position, started in sent.items():
                for arrivals in seen:
                    if position in arrivals:
                        worst = max(worst, arrivals[position] - started)
                    else:
                        missing += 1
            print(
                f"  {len(sent)} events x {len(seen)} followers: worst delivery"
                f" {worst * 1000:.0f} ms after the POST was sent; {missing} deliveries missing"
            )
        finally:
            stop.set()
            server.close()


if __name__ == "__main__":
    main()
