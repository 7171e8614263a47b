"""The one place corrections and retractions are resolved."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from service.projections.state import fold

from ..projection_events import Log


class TestFacts:
    def test_corrections_apply_in_order_and_are_listed(self):
        log = Log()
        swap = log.swap("2025-01-01", ua=10)
        first = log.correct(swap, notes="first")
        second = log.correct(swap, notes="second", occurred_on="2025-01-03", date_precision="month")
        fact = fold(log.events).facts.fact(swap.id)
        assert fact.data["notes"] == "second"
        assert (fact.occurred_on, fact.date_precision) == (date(2025, 1, 3), "month")
        assert fact.corrected_by == (first.id, second.id)
        assert fact.live

    def test_a_corrections_sources_join_the_facts_once_each(self):
        log = Log()
        swap = log.swap("2026-02-05", ua=157)
        log.events[-1] = swap = replace(swap, sources=({"url": "https://a.example/1"},))
        log.correct(swap, notes="five under a medical exchange")
        article = {"url": "https://up.example/8019588", "publisher": "Ukrainska Pravda"}
        cited = ({"url": "https://a.example/1", "quote": "again"}, article, dict(article))
        log.events[-1] = replace(log.events[-1], sources=cited)
        fact = fold(log.events).facts.fact(swap.id)
        assert fact.sources == ({"url": "https://a.example/1"}, article)

    def test_retracting_a_resource_retracts_its_children_but_not_other_resources(self):
        log = Log()
        made = log.proposal("2025-01-01", "p1")
        refusal = log.refusal("2025-01-02", "p1")
        other = log.proposal("2025-01-03", "p2")
        log.retract(made)
        facts = fold(log.events).facts
        assert facts.fact(made.id).retracted
        assert facts.fact(refusal.id).resource_retracted and not facts.fact(refusal.id).retracted
        assert facts.fact(other.id).live

    def test_a_correction_of_an_unknown_event_changes_nothing(self):
        log = Log()
        log.swap("2025-01-01")
        log.add(
            "event.corrected",
            "swap/x",
            "2025-01-02",
            {"changes": {"notes": "n"}, "reason": "r", "target_event_id": "missing"},
        )
        state = fold(log.events)
        assert len(state.facts.by_id) == 1 and state.position == 2
