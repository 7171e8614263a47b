"""The summary metric and headlines, computed by hand."""

from __future__ import annotations

from service.projections.facts import new_fact
from service.projections.headlines import headline, parties
from service.projections.state import fold
from service.projections.summary import summary

from ..projection_events import Log


def figures(result, party):
    return next(r for r in result["received"] if r["party"] == party)


class TestSummary:
    def test_totals_per_party_say_how_many_swaps_had_the_figure_unknown(self):
        log = Log()
        log.swap("2025-01-01", ua=100, ru=90)
        log.swap("2025-06-01", ua=26, ru=None)
        log.swap("2026-01-01", ua=None, ru=None)
        result = summary(fold(log.events).counters)
        assert result["swaps"]["total"] == 3
        assert result["swaps"]["per_year"] == [
            {"year": 2025, "swaps": 2},
            {"year": 2026, "swaps": 1},
        ]
        assert figures(result, "UA")["received"] == {"total": 126, "unknown": 1}
        assert figures(result, "RU")["received"] == {"total": 90, "unknown": 2}
        assert figures(result, "UA")["military"] == {"total": 0, "unknown": 3}
        assert result["swaps"]["mediators"] == [{"party": "AE", "count": 3}]

    def test_shares_become_estimated_counts_rounded_half_up(self):
        log = Log()
        breakdown = {
            "side": "RU",
            "dimension": "nationality",
            "values": [{"label": "Russian", "share": 0.8}, {"label": "Chechen", "share": 0.13}],
        }
        log.swap("2025-01-01", ua=150, ru=150, breakdowns=[breakdown])
        counted = {**breakdown, "values": [{"label": "Russian", "count": 10}]}
        log.swap("2025-02-01", ua=20, ru=20, breakdowns=[counted])
        log.swap("2025-03-01", ua=20, ru=None, breakdowns=[breakdown])
        (nationality,) = summary(fold(log.events).counters)["breakdowns"]
        assert nationality == {
            "side": "RU",
            "dimension": "nationality",
            "values": [
                {
                    "label": "Chechen",
                    "count": 20,  # 0.13 * 150 = 19.5 -> 20
                    "estimated": True,
                    "estimated_count": 20,
                    "swaps": 2,
                    "unknown": 1,
                },
                {
                    "label": "Russian",
                    "count": 130,  # 0.8 * 150 + 10
                    "estimated": True,
                    "estimated_count": 120,
                    "swaps": 3,
                    "unknown": 1,
                },
            ],
        }

    def test_proposals_refusals_attempts_and_breaches_are_counted_per_party_and_agreement(self):
        log = Log()
        made = log.proposal("2025-01-01", "p1", by="UA")
        log.proposal("2025-01-02", "p2", by="RU", format="medical")
        log.refusal("2025-01-03", "p1", by="RU")
        log.attempt("2025-01-04", blamed=None)
        log.attempt("2025-01-05", blamed="RU")
        log.agreement("2025-01-06")
        log.breach("2025-01-07")
        log.correct(made, format="numbers")
        result = summary(fold(log.events).counters)
        assert result["proposals"] == {
            "total": 2,
            "by_party": [{"party": "RU", "count": 1}, {"party": "UA", "count": 1}],
            "by_format": [{"format": "medical", "count": 1}, {"format": "numbers", "count": 1}],
        }
        assert result["refusals"]["by_party"] == [{"party": "RU", "count": 1}]
        assert result["failed_attempts"] == {
            "total": 2,
            "by_blamed_party": [{"party": None, "count": 1}, {"party": "RU", "count": 1}],
        }
        assert result["breaches"]["by_agreement"] == [{"agreement_id": "ist", "count": 1}]

    def test_an_empty_log_sums_to_zero(self):
        result = summary({})
        assert result["swaps"] == {"total": 0, "per_year": [], "mediators": []}
        assert result["received"] == [] and result["breakdowns"] == []


class TestHeadlines:
    def test_a_swap_with_both_figures_says_who_swapped_how_many_and_who_mediated(self):
        log = Log()
        fact = new_fact(log.swap("2026-02-05", ua=157, ru=157))
        assert headline(fact) == "UA and RU swap 157 for 157, mediated by AE"
        assert parties(fact) == ["AE", "RU", "UA"]

    def test_an_unknown_figure_is_said_to_be_unknown(self):
        log = Log()
        assert headline(new_fact(log.swap("2026-02-05", ua=26, ru=None))) == (
            "UA receives 26; RU figure unknown, mediated by AE"
        )

    def test_a_proposal_names_its_format(self):
        log = Log()
        assert headline(new_fact(log.proposal("2025-06-02"))) == (
            "UA proposes an all-for-all exchange to RU"
        )


class TestCounterKeys:
    def test_a_label_with_separators_and_percent_signs_survives_the_round_trip(self):
        from service.projections.counters import key, parse

        parts = ["bd_count", "RU", "nationality", "50%\x1fother"]
        assert parse(key(*parts)) == parts
