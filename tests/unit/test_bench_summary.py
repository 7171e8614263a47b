"""bench/writes_and_tools.py's table: each figure held against its target, the issue's
targets scaled by the run's own baseline, and the count of targets met."""

from __future__ import annotations

import argparse
import os
import re
import sqlite3

from bench.write import Run, figures
from bench.writes_and_tools import Row, fill_rows, machine, table, tools_rows, write_rows


def _write_figures(
    store: str = "postgresql",
    *,
    raw: float = 50_000.0,
    service_non_2xx: int = 0,
    service_many: int = 9_100,
) -> dict:
    """bench.write's figures (``--json``) from the totals of its rounds: 10 s at 16
    connections, 10 s at one, one second of batches of 500."""
    many = {
        "service": Run(requests=service_many, non_2xx=service_non_2xx, seconds=10.0),
        "bare": Run(requests=18_000, seconds=10.0),
    }
    one = {"service": Run(requests=3_000, seconds=10.0), "bare": Run(requests=9_000, seconds=10.0)}
    args = argparse.Namespace(store=store, connections=16, batch_items=500)
    return figures(args, many, one, Run(requests=24, seconds=1.0), raw)


def test_http_ratios_are_held_against_their_targets() -> None:
    many, one, batches = write_rows(_write_figures())
    assert (many.measured, many.met) == ("0.506", True)
    assert (one.measured, one.met) == ("0.333", False)
    assert "910 / 1,800 req/s" in many.what
    assert (batches.measured, batches.met) == ("12,000", True)
    # 10,000 events/s where the raw insert ran 58,012 rows/s: 0.172 of this run's raw insert.
    assert batches.scaled.startswith("0.240 x raw (50,000 rows/s); ≥ 0.172")
    assert batches.scaled_met is True


def test_a_non_2xx_answer_fails_a_ratio_however_fast() -> None:
    figures = _write_figures(service_many=18_000, service_non_2xx=3)
    assert write_rows(figures)[0].measured == "1.000"
    assert write_rows(figures)[0].met is False


def test_sqlite_batches_scale_by_the_issues_sqlite_figure() -> None:
    batches = write_rows(_write_figures("sqlite", raw=160_000.0))[2]
    assert batches.met is True
    assert batches.scaled.startswith("0.075 x raw (160,000 rows/s); ≥ 0.109")
    assert batches.scaled_met is False


def test_batches_without_a_baseline_are_judged_on_events_alone() -> None:
    batches = write_rows(_write_figures(raw=0.0))[2]
    assert (batches.scaled, batches.scaled_met) == ("no baseline", None)


def test_tools_rows_hold_each_tool_against_its_target() -> None:
    figures = {
        "events": 50_000,
        "rows": [
            {
                "what": "fill (append, 1,000/batch)",
                "store": "postgresql",
                "seconds": 5.0,
                "raw_seconds": None,
            },
            {
                "what": "raw insert, 100 rows/tx",
                "store": "postgresql",
                "seconds": 1.0,
                "raw_seconds": None,
            },
            {"what": "import", "store": "postgresql", "seconds": 2.0, "raw_seconds": 1.0},
            {"what": "rebuild", "store": "sqlite", "seconds": 2.0, "raw_seconds": 0.25},
            {"what": "export", "store": "sqlite", "seconds": 0.5, "raw_seconds": 0.25},
        ],
    }
    fill, raw, imported, rebuilt, exported = tools_rows(figures)
    assert (fill.met, fill.measured) == (None, "10,000 events/s")
    assert (raw.met, raw.measured) == (None, "50,000 rows/s")
    assert (imported.measured, imported.met) == ("25,000", True)
    assert imported.scaled.startswith("0.500 x raw (50,000 rows/s); ≥ 0.345")
    assert imported.scaled_met is True
    assert (rebuilt.measured, rebuilt.met, rebuilt.scaled_met) == ("25,000", True, False)
    assert (exported.measured, exported.met) == ("100,000", True)
    assert exported.scaled.endswith("≥ 0.545")  # 50,000 / 91,759
    assert exported.scaled_met is False


def test_a_missed_tool_target_says_whether_its_cpu_was_within_reach() -> None:
    """50,000 events at 20,000/s allow 2.5 s: the cores' CPU then, one core per process."""
    cores = os.cpu_count() or 1
    over = {"seconds": 3.5, "own": 3.1, "children": 1.5, "server": 0.0, "idle": 0.25}
    under = {"seconds": 3.5, "own": 0.8, "children": 0.2, "server": 0.2, "idle": 0.6}
    met = {"seconds": 2.0, "own": 1.0, "children": 0.5, "server": 0.5, "idle": 0.1}
    figures = {
        "events": 50_000,
        "rows": [
            {"what": "import", "store": "sqlite", "seconds": 3.5, "raw_seconds": 1.0, "cpu": over},
            {
                "what": "import",
                "store": "postgresql",
                "seconds": 3.5,
                "raw_seconds": 1.0,
                "cpu": under,
            },
            {"what": "rebuild", "store": "sqlite", "seconds": 2.0, "raw_seconds": 1.0, "cpu": met},
        ],
    }
    out_of_reach, in_reach, met_row = tools_rows(figures)
    assert out_of_reach.measured == (
        "14,286 (CPU 4.60 s in all, 3.10 s the busiest process; at the target"
        f" {cores * 2.5:.2f} and 2.50: out of reach on this machine)"
    )
    assert out_of_reach.met is False
    assert in_reach.measured.endswith(": in reach)")
    assert met_row.measured == "25,000"  # met: nothing to explain


def test_fill_rows_compare_the_rate_at_a_hundred_thousand_with_the_last() -> None:
    def side(at: int, seconds: float) -> dict:
        return {"at": at, "rate": round(5000 / seconds), "seconds": seconds, "cpu_us": 80}

    figures = {
        "windows": [
            {"upto": 50_000, "rate": 12_000},
            {"upto": 100_000, "rate": 10_000},
            {"upto": 1_000_000, "rate": 7_000},
        ],
        "paired": [
            {"round": 1, "small": side(105_000, 0.5), "big": side(1_005_000, 0.6)},
            {"round": 2, "small": side(110_000, 0.5), "big": side(1_010_000, 0.5)},
        ],
    }
    windows, alternation = fill_rows(figures)
    assert (windows.measured, windows.met) == ("1.429", False)
    assert "10,000 / 7,000 events/s" in windows.what
    assert (alternation.measured, alternation.met) == ("1.100", True)
    assert "at 110,000 / at 1,010,000" in alternation.what


def test_the_table_counts_the_targets_met() -> None:
    rows = [
        Row("a", "postgresql", "1", "≥ 1", True, "0.5 x raw", False),
        Row("b", "sqlite", "2", "≥ 1", True),
        Row("baseline", "sqlite", "3 rows/s", "—", None),
    ]
    text = table(rows)
    assert "| a | postgresql | 1 | ≥ 1 | yes | 0.5 x raw | **no** | — |" in text
    assert "| baseline | sqlite | 3 rows/s | — | — | — | — | — |" in text
    assert text.rstrip().endswith("2 of 3 targets met in this run.")


def test_the_machine_line_says_when_on_what_and_how_fast() -> None:
    line = machine("15.19", 0.671)
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC · ", line)
    assert f"{os.cpu_count()} CPUs" in line
    assert "PostgreSQL 15.19" in line
    assert f"SQLite {sqlite3.sqlite_version}" in line
    assert "10⁷ Python additions in 0.67 s" in line


def test_a_failed_step_is_said_under_the_count() -> None:
    rows = [
        Row("a", "postgresql", "1", "≥ 1", True),
        Row("python -m bench.fill", "—", "failed: exit status 1", "—", None, failed=True),
    ]
    text = table(rows)
    assert "| python -m bench.fill | — | failed: exit status 1 |" in text
    assert text.rstrip().endswith(
        "1 of 1 targets met in this run. 1 step(s) failed; the targets they measure are not"
        " counted."
    )
