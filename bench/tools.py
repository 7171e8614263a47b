"""Whole-log tools benchmark: fill, export, import, rebuild, verify on PostgreSQL and SQLite.

    .venv/bin/python -m bench.tools                 # 50,000 events (~1-2 min on 2 cores)
    .venv/bin/python -m bench.tools --events 200000 --backends postgresql

Fills a throwaway PostgreSQL store with N mixed events through ``append()`` in batches of
1,000 (bench/read.py's Generator: the bulk append path, projections maintained as in
production), exports it, and for each backend imports the export into an empty store, then
exports, rebuilds and verifies that store, timing the library functions the commands run
(process start-up left out). In the same run it measures a raw baseline per backend: the
exported lines inserted as (position, JSON) rows, 100 rows per transaction, with the bare
driver (psycopg / sqlite3), so the ratios mean something on a machine whose speed varies.
The heap is settled first, as the ``exchange-log`` console script does (service/gc_tuning.py).
Prints one table (events/s, ratio to the baseline, the issue's targets and its figures
before), then where each tool's CPU went (``bench/cpu.py``: this process, the import's check
process, the server's backends; the machine's idle share) beside the CPU the machine's cores
give in the time the target allows. Not a test: nothing asserts times. Figures: bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cpu import Spent, backend_pids, measured
from bench.read import Generator, fill
from service.gc_tuning import settle_heap
from service.readmodel.update import rebuild
from service.store.backup import export_to, import_from
from service.store.chain import verify_chain
from service.store.engine import append_transaction
from service.store.migrate import upgrade
from service.wiring import open_log

ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# (target events/s, the figure before: two runs at ~12,000 events, PostgreSQL)
TARGETS = {
    "export": (50_000, "4,951 / 4,630"),
    "import": (20_000, "2,082 / 1,941"),
    "rebuild": (20_000, "2,487 / 2,181"),
    "verify": (20_000, "1,309 / 1,225"),
}
# The raw 100 rows/tx figures on its machine: a target of T events/s there is a
# ratio of T / raw, which is what this run's ratio is held against.
REFERENCE = {"postgresql": 58_012, "sqlite": 91_759}
RAW_BATCH = 100


def scaled_target(target: float, store: str) -> float:
    """The issue's target in events/s as a ratio to the raw insert it was set against."""
    return target / REFERENCE[store]


class Stores:
    """Throwaway stores, dropped at the end (PostgreSQL databases, SQLite files)."""

    def __init__(self) -> None:
        self.admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        self.databases: list[str] = []
        self.folder = tempfile.TemporaryDirectory(prefix="bench_tools_")

    def new(self, backend: str) -> str:
        name = f"bench_tools_{uuid.uuid4().hex[:8]}"
        if backend == "sqlite":
            url = f"sqlite:///{self.folder.name}/{name}.db"
        else:
            with self.admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            self.databases.append(name)
            url = self.admin.url.set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        return url

    def server_pids(self, url: str) -> Callable[[], list[int]] | None:
        """The server processes serving the store at ``url`` (None for SQLite), for
        ``bench.cpu.measured``."""
        if url.startswith("sqlite"):
            return None
        database = sa.engine.make_url(url).database
        return lambda: backend_pids(self.admin, database or "")

    def close(self) -> None:
        with self.admin.connect() as conn:
            for name in self.databases:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()
        self.folder.cleanup()


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def raw_baseline(backend: str, url: str, lines: list[str]) -> float:
    """Seconds to insert the lines as (position, JSON) rows, RAW_BATCH rows per transaction."""
    rows = [(n, line) for n, line in enumerate(lines, start=1)]
    if backend == "sqlite":
        path = sa.engine.make_url(url).database
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # as the store runs
        conn.execute("CREATE TABLE raw_events (position INTEGER PRIMARY KEY, envelope TEXT)")
        started = time.perf_counter()
        for i in range(0, len(rows), RAW_BATCH):
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO raw_events VALUES (?, ?)", rows[i : i + RAW_BATCH])
            conn.execute("COMMIT")
        seconds = time.perf_counter() - started
        conn.close()
        return seconds
    dsn = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TABLE raw_events (position bigint PRIMARY KEY, envelope jsonb)")
        conn.commit()
        started = time.perf_counter()
        for i in range(0, len(rows), RAW_BATCH):
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO raw_events VALUES (%s, %s)", rows[i : i + RAW_BATCH]
                )
            conn.commit()
        return time.perf_counter() - started


def tools_on(
    backend: str,
    url: str,
    export_path: Path,
    events: int,
    server_pids: Callable[[], list[int]] | None = None,
) -> dict[str, Spent]:
    """Import (into the empty store at url), export, rebuild, verify there: what each spent."""
    engine = open_log(url)
    spent: dict[str, Spent] = {}
    try:
        with export_path.open(encoding="utf-8") as lines:
            spent["import"] = measured(lambda: import_from(engine, lines), server_pids)
        out = Path(f"{export_path}.{backend}")
        with out.open("w", encoding="utf-8") as handle:
            spent["export"] = measured(lambda: export_to(engine, handle), server_pids)
        if out.read_bytes() != export_path.read_bytes():
            raise SystemExit(f"{backend}: the export of the restored store differs")

        def rebuild_all() -> None:
            with append_transaction(engine) as conn:
                rebuild(conn)

        spent["rebuild"] = measured(rebuild_all, server_pids)
        report = verify_chain(engine)
        spent["verify"] = measured(lambda: verify_chain(engine), server_pids)
        if report.broken_at is not None or report.position != events:
            raise SystemExit(f"{backend}: verify found {report}")
    finally:
        engine.dispose()
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    backends = args.backends.split(",")
    settle_heap()  # as the console script does before a command
    stores = Stores()
    rows: list[tuple] = []
    try:
        source_url = stores.new("postgresql")
        source = open_log(source_url)
        fill_seconds = fill(source, Generator(), args.events, 1000, 0)
        rows.append(("fill (append, 1,000/batch)", "postgresql", fill_seconds, None, None))
        export_path = Path(stores.folder.name) / "export.ndjson"
        with export_path.open("w", encoding="utf-8") as out:
            seconds = timed(lambda: export_to(source, out))
            rows.append(("export (filled store)", "postgresql", seconds, None, None))
        source.dispose()
        lines = export_path.read_text(encoding="utf-8").splitlines()
        for backend in backends:
            raw = raw_baseline(backend, stores.new(backend), lines)
            rows.append((f"raw insert, {RAW_BATCH} rows/tx", backend, raw, None, None))
            url = stores.new(backend)
            for name, spent in tools_on(
                backend, url, export_path, args.events, stores.server_pids(url)
            ).items():
                rows.append((name, backend, spent.seconds, raw, spent))
    finally:
        stores.close()
    print(table(rows, args.events))
    print(cpu_table(rows, args.events))
    if args.json is not None:
        figures = [
            {
                "what": name,
                "store": backend,
                "seconds": seconds,
                "raw_seconds": raw,
                "cpu": spent.as_dict() if spent is not None else None,
            }
            for name, backend, seconds, raw, spent in rows
        ]
        args.json.write_text(json.dumps({"events": args.events, "rows": figures}))


def table(rows: list[tuple], events: int) -> str:
    out = [
        f"{events:,} events. x raw: events/s over this run's raw insert events/s; target x raw:"
        " the issue's target over the issue's raw figure (PostgreSQL 58,012/s, SQLite 91,759/s)",
        "",
        "| what | store | seconds | events/s | x raw | target | target x raw | met | before |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, backend, seconds, raw, _spent in rows:
        rate = events / seconds
        target, before = TARGETS.get(name.split(" ")[0], (None, "—"))
        if name.startswith("raw"):
            before = f"{REFERENCE[backend]:,} (issue's machine)"
        if raw and target:
            ratio, wanted = raw / seconds, scaled_target(target, backend)
            cells = (
                f"{ratio:.2f} | ≥ {target:,} | {wanted:.2f} | {'yes' if ratio >= wanted else 'no'}"
            )
        else:
            cells = "— | — | — | —"
        out.append(f"| {name} | {backend} | {seconds:.1f} | {rate:,.0f} | {cells} | {before} |")
    return "\n".join(out) + "\n"


def within_reach(spent: Spent, allowed: float, cores: int) -> bool:
    """Whether a step's CPU would fit in ``allowed`` seconds: the cores' CPU in that time in
    all, and one core's to each process (``cpu_table``)."""
    busiest = max(spent.own, spent.children, spent.server)
    return spent.cpu <= cores * allowed and busiest <= allowed


def cpu_table(rows: list[tuple], events: int) -> str:
    """Where each tool's CPU went, against what the time its target allows (events / target
    seconds) gives: the machine's cores that many seconds each, and one core to each process
    (the importing one folds on one thread, the check and the server backend are one thread
    each). A tool that needs more than either cannot meet the target on this machine today,
    however its work is spread ("within reach": no). "yes" says only that it would fit, were
    no core ever idle and no process ever waiting on another."""
    cores = os.cpu_count() or 1
    out = [
        f"CPU seconds per tool ({cores} CPUs): this process, its child (the import's line"
        " check), the server's backends (PostgreSQL), all; the machine's idle share meanwhile;"
        f" the seconds the target allows for {events:,} events, and {cores} cores' CPU in them",
        "",
        "| tool | store | wall s | this process | child | server | all | idle |"
        " target's s | cores' CPU | within reach |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, backend, _seconds, _raw, spent in rows:
        if spent is None:
            continue
        allowed = events / TARGETS[name][0]
        reach = within_reach(spent, allowed, cores)
        out.append(
            f"| {name} | {backend} | {spent.seconds:.2f} | {spent.own:.2f} | {spent.children:.2f}"
            f" | {spent.server:.2f} | {spent.cpu:.2f} | {spent.idle:.0%} | {allowed:.2f}"
            f" | {cores * allowed:.2f} | {'yes' if reach else 'no'} |"
        )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
