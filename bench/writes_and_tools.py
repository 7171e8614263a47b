"""Issue 12's benchmarks in one go, and one table of every figure beside its target.

    .venv/bin/python -m bench.writes_and_tools            # everything (~17 min here)
    .venv/bin/python -m bench.writes_and_tools --quick    # shorter rounds, smaller logs (~3 min)
    .venv/bin/python -m bench.writes_and_tools --only write,tools

Runs, each as a process of its own with its own defaults (their docstrings say how each one
measures), its output passed through to stderr as it goes:

- ``bench.write`` and ``bench.write --store sqlite``: ``POST /v1/swaps`` at 16 connections and
  at 1 against a bare ``INSERT`` endpoint under the same gunicorn, wrk driving both; then
  ``POST /v1/batches`` of 500 swaps, against the driver's raw insert of the same events;
- ``bench.tools``, at 50,000 events and at 10⁶: export, import, rebuild and verify on both
  stores, against the driver's raw insert of the same lines;
- ``bench.fill``: the bulk append from 0 to 10⁶ events (the rate at 10⁵ over the rate at 10⁶,
  by windows and in alternation).

Then prints, on stdout, a line saying when it started, on what machine and how fast that
machine ran then (10⁷ Python additions, timed before the first step), and one Markdown
table: each figure, the issue's target and whether this run met it; the issue's target
scaled by this run's baseline where the issue gave one (its 10,000 and 20,000 events/s were
set where the raw insert ran 58,012 rows/s on PostgreSQL and 91,759 on SQLite); and the
issue's figure before. A tool that misses its events/s target says beside its figure
whether its CPU (``bench/cpu.py``) would fit in the time the target allows on this machine
(``bench.tools.within_reach``). A step that fails is named in the table and the exit status
is 1. A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from .cpu import Spent
from .database import admin_url
from .fill import paired_ratio, windowed_ratio
from .tools import TARGETS, scaled_target, within_reach
from .write import TARGET_BATCH_EVENTS, TARGET_RATIO_MANY, TARGET_RATIO_ONE

# The figures before, beside each target.
BEFORE_MANY, BEFORE_ONE = "0.23 / 0.24", "0.25 / 0.20"
FILL_TARGET = 1.25  # the rate at 10⁵ over the rate at 10⁶, at most
BEFORE_FILL = "2.5 (1,090 events/s at 10⁵, 430-440 at 10⁶)"
STEPS = ("write", "write-sqlite", "tools", "tools-1m", "fill")
FULL = {
    "write": ["bench.write"],
    "write-sqlite": ["bench.write", "--store", "sqlite"],
    "tools": ["bench.tools", "--events", "50000"],
    "tools-1m": ["bench.tools", "--events", "1000000"],
    "fill": ["bench.fill"],
}
SHORT_WRITE = ["--rounds", "2", "--seconds", "5", "--single-seconds", "3", "--batch-rounds", "1"]
QUICK = {
    "write": ["bench.write", *SHORT_WRITE],
    "write-sqlite": ["bench.write", "--store", "sqlite", *SHORT_WRITE],
    "tools": ["bench.tools", "--events", "20000"],
    "tools-1m": [],  # left out
    "fill": ["bench.fill", "--events", "200000", "--window", "20000", "--rounds", "4"],
}


@dataclass(frozen=True)
class Row:
    what: str
    store: str
    measured: str
    target: str
    met: bool | None  # None: nothing to meet (a baseline, a failed step)
    scaled: str = "—"  # the figure against this run's baseline, and what the target scales to
    scaled_met: bool | None = None
    before: str = "—"
    failed: bool = False  # a step that did not run to its end: its targets are not counted


def write_rows(figures: dict) -> list[Row]:
    """bench.write's figures: the two ratios and the batches."""
    store = figures["store"]
    rows = []
    for key, label, target, before in (
        ("many", f"POST /v1/swaps, {figures['connections']} conn.", TARGET_RATIO_MANY, BEFORE_MANY),
        ("one", "POST /v1/swaps, 1 conn.", TARGET_RATIO_ONE, BEFORE_ONE),
    ):
        run = figures[key]
        ratio = run["ratio"]
        rows.append(
            Row(
                what=f"{label}: x bare ({run['service']:,.0f} / {run['bare']:,.0f} req/s)",
                store=store,
                measured=f"{ratio:.3f}",
                target=f"≥ {target}, 0 non-2xx",
                met=ratio >= target and run["non_2xx"] == 0,
                before=before,
            )
        )
    batches = figures["batches"]
    events, raw = batches["events_per_s"], batches["raw_rows_per_s"]
    wanted = scaled_target(TARGET_BATCH_EVENTS, store)
    rows.append(
        Row(
            what=f"POST /v1/batches x {batches['items']}: events/s",
            store=store,
            measured=f"{events:,.0f}",
            target=f"≥ {TARGET_BATCH_EVENTS:,}, 0 non-2xx",
            met=events >= TARGET_BATCH_EVENTS and batches["non_2xx"] == 0,
            **_scaled(events / raw if raw else None, wanted, raw),
        )
    )
    return rows


def tools_rows(figures: dict) -> list[Row]:
    """bench.tools' figures: each tool's events/s on each store, and its raw baseline."""
    events = figures["events"]
    rows = []
    for row in figures["rows"]:
        name, store, seconds, raw = row["what"], row["store"], row["seconds"], row["raw_seconds"]
        rate = events / seconds
        tool = name.split(" ")[0]
        if tool not in TARGETS or raw is None:  # the fill, the first export, the baseline
            unit = "rows/s" if name.startswith("raw") else "events/s"
            rows.append(Row(f"{name} at {events:,}", store, f"{rate:,.0f} {unit}", "—", None))
            continue
        target, before = TARGETS[tool]
        raw_rate = events / raw
        measured = f"{rate:,.0f}"
        if rate < target and row.get("cpu"):
            measured += _reach(Spent(**row["cpu"]), events / target)
        rows.append(
            Row(
                what=f"{tool} at {events:,}: events/s",
                store=store,
                measured=measured,
                target=f"≥ {target:,}",
                met=rate >= target,
                before=before,
                **_scaled(rate / raw_rate, scaled_target(target, store), raw_rate),
            )
        )
    return rows


def _reach(spent: Spent, allowed: float) -> str:
    """After a missed events/s target: the step's CPU against what the time the target allows
    gives (``bench.tools.within_reach``), all processes and the busiest one."""
    cores = os.cpu_count() or 1
    busiest = max(spent.own, spent.children, spent.server)
    verdict = "in reach" if within_reach(spent, allowed, cores) else "out of reach on this machine"
    return (
        f" (CPU {spent.cpu:.2f} s in all, {busiest:.2f} s the busiest process; at the target"
        f" {cores * allowed:.2f} and {allowed:.2f}: {verdict})"
    )


def fill_rows(figures: dict) -> list[Row]:
    """bench.fill's figures: the rate at 10⁵ over the last window's, and in alternation."""
    windows, paired = figures["windows"], figures["paired"]
    rows = []
    found = windowed_ratio(windows)
    if found is not None:
        last, ratio = found
        at = next(w["rate"] for w in windows if w["upto"] == 100_000)
        rows.append(
            _fill_row(
                f"rate at 10⁵ / at {last['upto']:,}, by windows"
                f" ({at:,} / {last['rate']:,} events/s)",
                ratio,
            )
        )
    if paired:
        small_at, big_at = paired[-1]["small"]["at"], paired[-1]["big"]["at"]
        rows.append(
            _fill_row(
                f"rate at {small_at:,} / at {big_at:,}, in alternation ({len(paired)} rounds)",
                paired_ratio(paired),
            )
        )
    return rows


def _fill_row(what: str, ratio: float) -> Row:
    return Row(
        what=f"bulk append: {what}",
        store="postgresql",
        measured=f"{ratio:.3f}",
        target=f"≤ {FILL_TARGET}",
        met=ratio <= FILL_TARGET,
        before=BEFORE_FILL,
    )


def _scaled(ratio: float | None, wanted: float, baseline: float) -> dict:
    if ratio is None:
        return {"scaled": "no baseline", "scaled_met": None}
    return {
        "scaled": f"{ratio:.3f} x raw ({baseline:,.0f} rows/s); ≥ {wanted:.3f}",
        "scaled_met": ratio >= wanted,
    }


ROWS_OF = {
    "write": write_rows,
    "write-sqlite": write_rows,
    "tools": tools_rows,
    "tools-1m": tools_rows,
    "fill": fill_rows,
}


def table(rows: list[Row]) -> str:
    """The Markdown table, and a count of the targets this run met."""
    mark = {True: "yes", False: "**no**", None: "—"}
    out = [
        "| what | store | measured | target | met | x this run's baseline; target scaled"
        " | met | issue's figure before |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r.what} | {r.store} | {r.measured} | {r.target} | {mark[r.met]} | {r.scaled}"
            f" | {mark[r.scaled_met]} | {r.before} |"
        )
    judged = [m for r in rows for m in (r.met, r.scaled_met) if m is not None]
    failed = sum(r.failed for r in rows)
    out.append("")
    out.append(f"{sum(judged)} of {len(judged)} targets met in this run.")
    if failed:
        out[-1] += f" {failed} step(s) failed; the targets they measure are not counted."
    return "\n".join(out) + "\n"


# 10⁷ additions at a module's top level (global names), as bench/README's figures were taken.
SPEED_PROBE = "total = 0\nfor i in range(10_000_000):\n    total += i\n"


def python_speed() -> float:
    """Seconds this Python takes for 10⁷ additions: how fast the machine runs today (this
    shared VM has taken 0.46 to 1.2 s)."""
    code = compile(SPEED_PROBE, "<speed probe>", "exec")
    started = time.perf_counter()
    exec(code, {})  # a constant of this module
    return time.perf_counter() - started


def machine(server_version: str, speed: float) -> str:
    """One line: when, on what, and how fast, for the figures below it."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.system()} {platform.machine()},"
        f" {os.cpu_count()} CPUs ({model}) · Python {platform.python_version()}, SQLite"
        f" {sqlite3.sqlite_version}, PostgreSQL {server_version} · 10⁷ Python additions in"
        f" {speed:.2f} s · load {load}"
    )


def server_version() -> str:
    """The benchmarks' PostgreSQL server's version (``SHOW server_version``)."""
    engine = sa.create_engine(admin_url())
    try:
        with engine.connect() as conn:
            return str(conn.exec_driver_sql("SHOW server_version").scalar())
    except sa.exc.SQLAlchemyError as exc:
        return f"unreachable ({type(exc).__name__})"
    finally:
        engine.dispose()


def run_step(argv: list[str], out: Path) -> dict:
    """Run one benchmark (``python -m …``) with ``--json out``; its figures."""
    subprocess.run(
        [sys.executable, "-m", *argv, "--json", str(out)],
        check=True,
        stdout=sys.stderr,
        cwd=Path(__file__).resolve().parents[1],
    )
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter rounds, smaller logs")
    parser.add_argument("--only", default=",".join(STEPS), help=f"some of {', '.join(STEPS)}")
    args = parser.parse_args()
    steps = args.only.split(",")
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        raise SystemExit(f"unknown steps: {', '.join(unknown)} (known: {', '.join(STEPS)})")
    plan = QUICK if args.quick else FULL
    header = machine(server_version(), python_speed())
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-issue12-") as folder:
        for step in (s for s in STEPS if s in steps and plan[s]):
            print(f"\n## {' '.join(plan[step])}\n", file=sys.stderr, flush=True)
            try:
                found = ROWS_OF[step](run_step(plan[step], Path(folder) / f"{step}.json"))
            except subprocess.CalledProcessError as exc:
                reason = f"exit status {exc.returncode} (its output is above, on stderr)"
            except (OSError, ValueError, LookupError, TypeError) as exc:  # no figures, or odd
                reason = f"{type(exc).__name__}: {exc}"
            else:
                rows.extend(found)
                continue
            name = f"python -m {' '.join(plan[step])}"
            rows.append(Row(name, "—", f"failed: {reason}", "—", None, failed=True))
    print(header)
    print()
    print(table(rows))
    if any(r.failed for r in rows):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
