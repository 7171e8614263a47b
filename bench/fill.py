"""Bulk append from 0 to 10⁶ events: does an append cost more as the log grows?

    .venv/bin/python -m bench.fill                          # 10⁶ events, a private server
    .venv/bin/python -m bench.fill --server shared          # the test server (BENCH_POSTGRES_URL)
    .venv/bin/python -m bench.fill --events 200000 --window 20000

Fills a new PostgreSQL database through ``append()`` in batches of 1,000 mixed events
(bench/read.py's Generator: the bulk append path, projections maintained as in production)
and prints, per window of 50,000 events, the append rate (time inside ``append()`` only; the
generator's own time is left out) and what each event cost: blocks the server found in and
read past ``shared_buffers``, dirty buffers a backend had to write itself, checkpoints, WAL,
the CPU of the server processes serving the database (from /proc: a local server only) and
this process's CPU inside ``append()``.
It reports the rate of the window ending at 10⁵ over that of the last window (the issue's
target: within 1.25 x). Those windows run minutes apart, and this shared VM's speed swings
more than that ratio within minutes; so the run ends by measuring the two sizes in
alternation: a second log is filled to ``--baseline`` events (10⁵), then ``--rounds`` rounds
each append ``--round-events`` to both logs, the order swapped every round, and the ratio of
their rates over all rounds is the baseline measured in the same run.

``--server private`` (the default) starts a PostgreSQL of its own, in a temporary directory
on port 5499, with bench/postgresql.conf: the production settings README gives (buffers sized
to the log, fsync and synchronous commit on as always). ``--server shared`` uses the server the
tests use, as it is configured (128 MB of buffers on a stock install). Not a test: nothing
asserts times. Figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cpu import backend_pids, process_cpu
from bench.database import admin_url
from bench.read import Generator
from service.gc_tuning import settle_heap
from service.store.append import append
from service.store.migrate import upgrade
from service.wiring import open_log

HERE = Path(__file__).resolve().parent
PRIVATE_PORT = 5499
STATS = """
SELECT (SELECT buffers_backend FROM pg_stat_bgwriter),
       (SELECT checkpoints_req + checkpoints_timed FROM pg_stat_bgwriter),
       (SELECT sum(blks_read) FROM pg_stat_database), (SELECT sum(blks_hit) FROM pg_stat_database),
       pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')
"""


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    if shutil.which(name):
        return name
    raise SystemExit(f"{name} not found: install PostgreSQL's server, or use --server shared")


def _as_server_user(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the distribution's postgres user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def private_server() -> Iterator[str]:
    """A PostgreSQL of this run's own with bench/postgresql.conf; removed on exit."""
    root = Path(tempfile.mkdtemp(prefix="pel_fill_"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    subprocess.run(
        _as_server_user([_pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
    )
    settings = (HERE / "postgresql.conf").read_text()
    local = (
        f"port = {PRIVATE_PORT}\nlisten_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{root}'\n"
    )
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(settings + local)
    ctl = [_pg_bin("pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w"]
    subprocess.run(_as_server_user([*ctl, "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{PRIVATE_PORT}/postgres"
    finally:
        subprocess.run(_as_server_user([*ctl, "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def new_database(server_url: str) -> Iterator[tuple[Engine, str]]:
    """(admin engine, URL) of a new, migrated database on the server; dropped on exit."""
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"pel_fill_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield admin, url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def backend_cpu(admin: Engine, database: str) -> float:
    """CPU seconds used so far by the server processes serving ``database`` (0 when the
    server is on another machine: /proc shows only local processes)."""
    pids = backend_pids(admin, database)
    return sum(cpu for pid in pids if (cpu := process_cpu(pid)) is not None)


def server_counters(admin: Engine, engine: Engine) -> list[float]:
    """Cumulative server statistics, after the log's connection has reported its own (a
    backend otherwise reports at most once a second, and later when idle)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT pg_stat_force_next_flush()")
        conn.commit()
    with admin.connect() as conn:
        return [float(v or 0) for v in conn.exec_driver_sql(STATS).one()] + [
            backend_cpu(admin, engine.url.database or "")
        ]


class Filler:
    """One log being filled through ``append()`` in batches of 1,000 generated events."""

    def __init__(self, url: str) -> None:
        self.engine = open_log(url)
        self.gen = Generator()
        self.position = 0

    def append(self, events: int) -> tuple[float, float]:
        """Append ``events`` more; (seconds inside ``append()``, this process's CPU in it)."""
        inside = cpu = 0.0
        goal = self.position + events
        while self.position < goal:
            page = self.gen.batch(min(1000, goal - self.position))
            t, c = time.perf_counter(), time.process_time()
            stored = append(self.engine, page, recorded_by="bench")
            inside += time.perf_counter() - t
            cpu += time.process_time() - c
            self.gen.remember(stored)
            self.position = stored[-1].position
        return inside, cpu

    def close(self) -> None:
        self.engine.dispose()


def fill(admin: Engine, log: Filler, events: int, window: int) -> list[dict]:
    windows: list[dict] = []
    started = time.perf_counter()
    before = server_counters(admin, log.engine)
    while log.position < events:
        upto = log.position
        inside, cpu = log.append(min(window, events - log.position))
        now = server_counters(admin, log.engine)
        count = log.position - upto
        d = [b - a for a, b in zip(before, now, strict=True)]
        windows.append(
            {
                "upto": log.position,
                "rate": round(count / inside),
                "wall_rate": round(count / (time.perf_counter() - started)),
                "blocks_hit": round(d[3] / count, 1),
                "blocks_read": round(d[2] / count, 2),
                "backend_writes": round(d[0] / count, 2),
                "checkpoints": int(d[1]),
                "wal_kb": round(d[4] / count / 1024, 2),
                "server_cpu_us": round(d[5] / count * 1e6),
                "client_cpu_us": round(cpu / count * 1e6),
            }
        )
        print(json.dumps(windows[-1]), file=sys.stderr, flush=True)
        started, before = time.perf_counter(), server_counters(admin, log.engine)
    return windows


def paired(big: Filler, small: Filler, rounds: int, events: int) -> list[dict]:
    """The big log's append rate against a small log's, measured in alternation.

    Each round appends ``events`` to each log, the order swapped every round, so that the
    machine's own swing (minutes-long on a shared VM) falls on both sides alike; the small
    log is the baseline measured in the same run."""
    out: list[dict] = []
    for n in range(rounds):
        sides = (("small", small), ("big", big)) if n % 2 == 0 else (("big", big), ("small", small))
        row: dict = {"round": n + 1}
        for name, log in sides:
            inside, cpu = log.append(events)
            row[name] = {
                "at": log.position,
                "rate": round(events / inside),
                "seconds": inside,
                "cpu_us": round(cpu / events * 1e6),
            }
        row["ratio"] = round(row["small"]["rate"] / row["big"]["rate"], 3)
        print(json.dumps(row), file=sys.stderr, flush=True)
        out.append(row)
    return out


def windowed_ratio(windows: list[dict]) -> tuple[dict, float] | None:
    """(the last window, the rate at 10⁵ over its rate); None without a window at 10⁵."""
    at = {w["upto"]: w["rate"] for w in windows}
    if 100_000 not in at or len(windows) <= 2:
        return None
    return windows[-1], at[100_000] / windows[-1]["rate"]


def paired_ratio(rows: list[dict]) -> float:
    """The small log's rate over the big log's, over all rounds in alternation."""
    seconds = {side: sum(r[side]["seconds"] for r in rows) for side in ("small", "big")}
    return seconds["big"] / seconds["small"]


def report(windows: list[dict], server: str, buffers: str) -> str:
    head = f"bulk append, {server} server (shared_buffers {buffers}); per window, per event:"
    lines = [
        head,
        "| events | events/s in append() | wall events/s | blocks hit | read | backend writes"
        " | checkpoints | WAL kB | server CPU µs | CPU µs in append() |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for w in windows:
        lines.append(
            f"| {w['upto']:,} | {w['rate']:,} | {w['wall_rate']:,} | {w['blocks_hit']} |"
            f" {w['blocks_read']} | {w['backend_writes']} | {w['checkpoints']} | {w['wal_kb']} |"
            f" {w['server_cpu_us']} | {w['client_cpu_us']} |"
        )
    found = windowed_ratio(windows)
    if found is not None:
        last, ratio = found
        lines.append(
            f"rate at 10⁵ / rate at {last['upto']:,}: {ratio:.3f} x (target: within 1.25 x)"
        )
    return "\n".join(lines)


def report_paired(rows: list[dict]) -> str:
    lines = [
        "in alternation, the same number of events appended to each log per round:",
        "| round | small log at | events/s | CPU µs in append() | big log at | events/s"
        " | CPU µs in append() | small / big |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['round']} | {r['small']['at']:,} | {r['small']['rate']:,} |"
            f" {r['small']['cpu_us']} | {r['big']['at']:,} | {r['big']['rate']:,} |"
            f" {r['big']['cpu_us']} | {r['ratio']:.3f} |"
        )
    lines.append(
        "all rounds: rate of the small log / rate of the big log"
        f" {paired_ratio(rows):.3f} x (target: within 1.25 x)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--window", type=int, default=50_000)
    parser.add_argument("--server", choices=("private", "shared"), default="private")
    parser.add_argument(
        "--baseline", type=int, default=100_000, help="events in the small log (0: no pairs)"
    )
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--round-events", type=int, default=5_000)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.window % 1000 or args.baseline % 1000 or args.round_events % 1000:
        raise SystemExit("--window, --baseline and --round-events: multiples of 1,000 events")
    settle_heap()
    server = private_server() if args.server == "private" else nullcontext(admin_url())
    with ExitStack() as stack:
        server_url = stack.enter_context(server)
        admin, url = stack.enter_context(new_database(server_url))
        with admin.connect() as conn:
            buffers = conn.exec_driver_sql("SHOW shared_buffers").scalar()
        big = Filler(url)
        stack.callback(big.close)
        windows = fill(admin, big, args.events, args.window)
        print(report(windows, args.server, str(buffers)), flush=True)
        rows: list[dict] = []
        if args.baseline:
            _, small_url = stack.enter_context(new_database(server_url))
            small = Filler(small_url)
            stack.callback(small.close)
            small.append(args.baseline)
            rows = paired(big, small, args.rounds, args.round_events)
            print(report_paired(rows))
        if args.json is not None:
            args.json.write_text(json.dumps({"windows": windows, "paired": rows}))


if __name__ == "__main__":
    main()
