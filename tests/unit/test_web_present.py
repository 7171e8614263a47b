"""What the page shows people: dates, claims, corrections, gap contents (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from service.projections.facts import Fact
from service.web.present import (
    Change,
    SourceLink,
    changed_values,
    claims,
    counts_text,
    date_attr,
    date_text,
    facts_in_gaps,
    facts_since,
    gap_keys,
    source_links,
)

SOURCE = {"url": "https://www.reuters.com/world/swap/", "publisher": "Reuters"}


def fact(type_: str, day: str, position: int = 1, **data: Any) -> Fact:
    return Fact(
        event_id=f"e{position}",
        position=position,
        type=type_,
        stream=f"x/{position}",
        occurred_on=date.fromisoformat(day),
        date_precision="day",
        data=data,
        sources=(SOURCE,),
    )


def gap(first: str, second: str) -> dict[str, Any]:
    return {"from_swap": first, "to_swap": second}


class TestDates:
    def test_a_date_is_shown_as_precisely_as_it_was_recorded(self):
        d = date(2023, 8, 7)
        assert [date_text(d, p) for p in ("day", "month", "year")] == [
            "7 Aug 2023",
            "Aug 2023",
            "2023",
        ]
        assert [date_attr(d, p) for p in ("day", "month", "year")] == [
            "2023-08-07",
            "2023-08",
            "2023",
        ]


class TestGapContents:
    def test_a_fact_belongs_to_the_gap_it_falls_after_the_first_swap_and_by_the_second(self):
        gaps = [gap("2023-01-01", "2023-02-01"), gap("2023-02-01", "2023-03-01")]
        on_first = fact("proposal.made", "2023-01-01", 1)
        inside = fact("proposal.refused", "2023-01-15", 2)
        on_second = fact("agreement.breached", "2023-02-01", 3)
        later = fact("exchange.failed", "2023-02-02", 4)
        after_all = fact("proposal.made", "2023-03-02", 5)
        buckets = facts_in_gaps(gaps, [later, on_second, inside, on_first, after_all])
        assert buckets == [[inside, on_second], [later]]

    def test_only_proposals_refusals_failed_attempts_and_breaches_are_listed(self):
        gaps = [gap("2023-01-01", "2023-02-01")]
        listed = [
            fact("statement.made", "2023-01-10", 1),
            fact("agreement.reached", "2023-01-11", 2),
            fact("proposal.accepted", "2023-01-12", 3),
        ]
        assert facts_in_gaps(gaps, listed) == [[]]

    def test_a_zero_day_gap_holds_nothing_and_the_day_belongs_to_the_gap_before(self):
        gaps = [
            gap("2023-01-01", "2023-02-01"),
            gap("2023-02-01", "2023-02-01"),
            gap("2023-02-01", "2023-03-01"),
        ]
        same_day = fact("proposal.made", "2023-02-01", 1)
        next_day = fact("proposal.made", "2023-02-02", 2)
        assert facts_in_gaps(gaps, [same_day, next_day]) == [[same_day], [], [next_day]]

    def test_the_open_gap_holds_what_happened_after_the_last_swap(self):
        before = fact("proposal.made", "2023-02-01", 1)
        after = fact("proposal.made", "2023-02-02", 2)
        assert facts_since(date(2023, 2, 1), [after, before]) == [after]
        assert facts_since(None, [after]) == []

    def test_counts_read_as_words(self):
        counts = {"proposals": 1, "refusals": 0, "failed_attempts": 2, "breaches": 3}
        assert counts_text(counts) == "1 proposal, 2 failed attempts, 3 breach claims"
        assert counts_text(dict.fromkeys(counts, 0)) == "nothing recorded"

    def test_each_gap_has_its_own_anchor_even_when_swaps_share_a_day(self):
        gaps = [gap("2023-02-01", "2023-02-01"), gap("2023-02-01", "2023-02-01")]
        assert gap_keys([gap("2023-01-01", "2023-02-01"), *gaps]) == [
            "gap-2023-01-01-2023-02-01",
            "gap-2023-02-01-2023-02-01",
            "gap-2023-02-01-2023-02-01-2",
        ]


class TestClaims:
    def test_a_breach_is_a_claim_by_the_side_that_alleges_it(self):
        breach = fact("agreement.breached", "2025-06-07", alleged_by="RU", breached_by="UA")
        assert claims(breach) == ["alleged by RU against UA"]

    def test_blame_for_a_failed_exchange_is_reported_not_established(self):
        failed = fact("exchange.failed", "2024-01-24", blamed_party="RU", reason="…")
        assert claims(failed) == ["RU blamed, as reported"]
        assert claims(replace(failed, data={"reason": "…"})) == []

    def test_a_figure_the_other_side_disputes_is_shown_as_its_claim(self):
        sides = [
            {
                "party": "UA",
                "received": 157,
                "alternative_figures": [{"claimed_by": "RU", "received": 160, "note": "TASS"}],
            },
            {"party": "RU", "received": 157, "alternative_figures": []},
        ]
        assert claims(fact("swap.completed", "2026-02-05", sides=sides)) == [
            "RU says UA received 160 (TASS)"
        ]


class TestCorrections:
    def test_a_correction_shows_each_changed_value_before_and_after(self):
        before = fact(
            "swap.completed",
            "2026-02-05",
            sides=[{"party": "UA", "received": 157}, {"party": "RU", "received": 157}],
            mediators=["AE"],
        )
        after = replace(
            before,
            occurred_on=date(2026, 2, 6),
            data={
                "sides": [{"party": "UA", "received": 150}, {"party": "RU", "received": 157}],
                "mediators": ["AE", "US"],
            },
        )
        assert changed_values(before, after) == [
            Change("date", "5 Feb 2026", "6 Feb 2026"),
            Change("mediators", "AE", "AE, US"),
            Change("sides UA received", "157", "150"),
        ]

    def test_an_added_or_removed_value_has_no_before_or_no_after(self):
        before = fact("proposal.made", "2025-06-02", summary="x")
        after = replace(before, data={"proposed_count": 1000})
        assert changed_values(before, after) == [
            Change("proposed_count", None, "1000"),
            Change("summary", "x", None),
        ]


class TestSources:
    def test_sources_are_links_named_by_publisher_or_host(self):
        links = source_links(
            [
                SOURCE,
                {"url": "https://www.kyivindependent.com/a", "title": "A swap"},
                {"url": "javascript:alert(1)"},
            ]
        )
        assert links == [
            SourceLink("https://www.reuters.com/world/swap/", "Reuters", None),
            SourceLink("https://www.kyivindependent.com/a", "kyivindependent.com", "A swap"),
            SourceLink(None, "javascript:alert(1)", None),
        ]
