"""Gaps between swaps, computed by hand on small logs."""

from __future__ import annotations

from datetime import date

from service.projections.gaps import gaps
from service.projections.state import fold

from ..projection_events import Log

TODAY = date(2026, 3, 1)


def report(log: Log, **kw):
    return gaps(fold(log.events).counters, reference=TODAY, **kw)


class TestGapsBetweenSwaps:
    def test_an_empty_log_has_no_swaps_and_nulls_where_undefined(self):
        assert report(Log()) == {
            "gaps": [],
            "summary": {
                "swaps": 0,
                "gaps": 0,
                "mean_days": None,
                "median_days": None,
                "max_days": None,
                "longest": None,
                "current_gap_days": None,
                "current_gap_since": None,
            },
        }

    def test_one_swap_has_a_current_gap_but_no_gaps(self):
        log = Log()
        log.swap("2026-02-05")
        summary = report(log)["summary"]
        assert (summary["swaps"], summary["gaps"], summary["mean_days"]) == (1, 0, None)
        assert (summary["current_gap_days"], summary["current_gap_since"]) == (24, "2026-02-05")

    def test_each_gap_counts_events_strictly_after_the_first_swap_and_on_or_before_the_second(
        self,
    ):
        log = Log()
        log.proposal("2025-01-01", "early")  # before the first swap: in no gap
        log.swap("2025-01-10")
        log.refusal("2025-01-10", "early")  # the day of the first swap: not after it
        log.proposal("2025-01-11", "p2")
        log.attempt("2025-01-20")
        log.agreement("2025-01-05")
        log.breach("2025-01-31")
        log.swap("2025-01-31")
        log.refusal("2025-02-01", "p2")
        log.swap("2025-03-02")
        result = report(log)
        assert result["gaps"] == [
            {
                "from_swap": "2025-01-10",
                "to_swap": "2025-01-31",
                "days": 21,
                "proposals": 1,
                "refusals": 0,
                "failed_attempts": 1,
                "breaches": 1,
            },
            {
                "from_swap": "2025-01-31",
                "to_swap": "2025-03-02",
                "days": 30,
                "proposals": 0,
                "refusals": 1,
                "failed_attempts": 0,
                "breaches": 0,
            },
        ]
        assert result["summary"] == {
            "swaps": 3,
            "gaps": 2,
            "mean_days": 25.5,
            "median_days": 25.5,
            "max_days": 30,
            "longest": {"from_swap": "2025-01-31", "to_swap": "2025-03-02"},
            "current_gap_days": 364,
            "current_gap_since": "2025-03-02",
        }

    def test_two_swaps_on_one_day_make_a_zero_day_gap(self):
        log = Log()
        log.swap("2025-05-23")
        log.swap("2025-05-23")
        log.proposal("2025-05-24")
        log.swap("2025-05-25")
        days = [(g["days"], g["proposals"]) for g in report(log)["gaps"]]
        assert days == [(0, 0), (2, 1)]
        assert report(log)["summary"]["median_days"] == 1

    def test_a_corrected_swap_date_moves_the_gap(self):
        log = Log()
        log.swap("2025-01-01")
        moved = log.swap("2025-02-01")
        log.attempt("2025-02-10")
        log.swap("2025-03-01")
        log.correct(moved, occurred_on="2025-02-15")
        assert [(g["to_swap"], g["days"], g["failed_attempts"]) for g in report(log)["gaps"]] == [
            ("2025-02-15", 45, 1),
            ("2025-03-01", 14, 0),
        ]

    def test_a_retracted_swap_merges_two_gaps(self):
        log = Log()
        log.swap("2025-01-01")
        log.proposal("2025-01-15")
        wrong = log.swap("2025-02-01")
        log.attempt("2025-02-10")
        log.swap("2025-03-01")
        log.retract(wrong)
        assert report(log)["gaps"] == [
            {
                "from_swap": "2025-01-01",
                "to_swap": "2025-03-01",
                "days": 59,
                "proposals": 1,
                "refusals": 0,
                "failed_attempts": 1,
                "breaches": 0,
            }
        ]

    def test_month_precision_dates_count_on_the_first_of_their_month(self):
        log = Log()
        log.swap("2024-05-01")
        log.add(
            "swap.completed",
            "swap/m",
            "2024-06-01",
            {"sides": [{"party": "UA"}], "mediators": []},
            precision="month",
        )
        log.attempt("2024-06-01")
        assert [(g["to_swap"], g["days"], g["failed_attempts"]) for g in report(log)["gaps"]] == [
            ("2024-06-01", 31, 1)
        ]

    def test_from_and_to_restrict_the_swaps_considered(self):
        log = Log()
        for on in ("2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"):
            log.swap(on)
        result = report(log, since=date(2025, 1, 15), until=date(2025, 3, 1))
        assert [(g["from_swap"], g["to_swap"]) for g in result["gaps"]] == [
            ("2025-02-01", "2025-03-01")
        ]
        assert result["summary"]["current_gap_since"] == "2025-04-01"

    def test_a_retracted_proposal_takes_its_refusals_with_it(self):
        log = Log()
        log.swap("2025-01-01")
        made = log.proposal("2025-01-02")
        log.refusal("2025-01-03")
        log.swap("2025-01-04")
        log.retract(made)
        gap = report(log)["gaps"][0]
        assert (gap["proposals"], gap["refusals"]) == (0, 0)

    def test_a_retracted_refusal_removes_only_itself(self):
        log = Log()
        log.swap("2025-01-01")
        log.proposal("2025-01-02")
        refusal = log.refusal("2025-01-03")
        log.swap("2025-01-04")
        log.retract(refusal)
        gap = report(log)["gaps"][0]
        assert (gap["proposals"], gap["refusals"]) == (1, 0)
