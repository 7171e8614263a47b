"""Write-time rules of PRODUCT §3, on payloads alone."""

from __future__ import annotations

from datetime import date

import pytest

from service.domain.errors import RuleViolation
from service.domain.rules import check_occurred_on, check_payload

TODAY = date(2026, 2, 5)


def _swap(*sides, breakdowns=()):
    return {"sides": list(sides), "breakdowns": list(breakdowns)}


def _shares(*shares, side="UA", dimension="nationality"):
    values = [{"label": str(i), "share": s} for i, s in enumerate(shares)]
    return {"side": side, "dimension": dimension, "values": values}


def _violation(event_type, data) -> tuple[str, str]:
    with pytest.raises(RuleViolation) as caught:
        check_payload(event_type, data)
    return caught.value.field, caught.value.field_message


class TestOccurredOn:
    def test_today_and_the_first_day_of_2014_are_allowed(self):
        check_occurred_on(TODAY, TODAY)
        check_occurred_on(date(2014, 1, 1), TODAY)

    def test_tomorrow_is_in_the_future(self):
        with pytest.raises(RuleViolation) as caught:
            check_occurred_on(date(2026, 2, 6), TODAY)
        assert (caught.value.field, caught.value.field_message) == (
            "occurred_on",
            "must not be in the future (today is 2026-02-05)",
        )

    def test_the_last_day_of_2013_is_too_early_and_the_field_name_is_passed_on(self):
        with pytest.raises(RuleViolation) as caught:
            check_occurred_on(date(2013, 12, 31), TODAY, field="changes.occurred_on")
        assert str(caught.value) == "changes.occurred_on: must not be before 2014-01-01"


class TestSwapFigures:
    def test_sub_counts_up_to_received_are_allowed(self):
        check_payload(
            "swap.completed",
            _swap({"party": "UA", "received": 10, "military": 5, "civilians": 3, "medical": 2}),
        )

    def test_the_medically_exchanged_are_counted_among_the_military(self):
        # Ukrainska Pravda, 5 Feb 2026: Russia received 157, five of them under a medical
        # exchange; the five are among the 157 servicemen, not a group apart.
        check_payload(
            "swap.completed", _swap({"party": "RU", "received": 157, "military": 157, "medical": 5})
        )

    def test_medical_with_military_and_civilians_filling_received_is_allowed(self):
        check_payload(
            "swap.completed",
            _swap({"party": "RU", "received": 160, "military": 157, "civilians": 3, "medical": 5}),
        )

    def test_medical_up_to_received_is_allowed_alone(self):
        check_payload("swap.completed", _swap({"party": "UA", "received": 10, "medical": 10}))

    def test_unknown_received_leaves_sub_counts_unchecked(self):
        check_payload("swap.completed", _swap({"party": "UA", "military": 7, "civilians": 9}))

    @pytest.mark.parametrize("name", ["military", "civilians", "medical"])
    def test_a_sub_count_above_received_names_itself(self, name):
        data = _swap({"party": "RU"}, {"party": "UA", "received": 10, name: 11})
        assert _violation("swap.completed", data) == (
            f"sides.1.{name}",
            f"{name} (11) exceeds received (10)",
        )

    def test_military_plus_civilians_above_received_is_refused(self):
        data = _swap({"party": "UA", "received": 10, "military": 6, "civilians": 5})
        assert _violation("swap.completed", data) == (
            "sides.0.civilians",
            "military + civilians (11) exceeds received (10)",
        )

    def test_a_party_on_two_sides_is_named_at_its_second_place(self):
        data = _swap({"party": "UA"}, {"party": "UA"})
        assert _violation("swap.completed", data) == (
            "sides.1.party",
            "UA already has a side; each party appears only once",
        )


class TestSwapBreakdowns:
    @pytest.mark.parametrize(
        "shares", [(0.8, 0.13, 0.07), (0.6, 0.404), (0.6, 0.405), (0.5,), (0.0, 1.0)]
    )
    def test_shares_up_to_1_005_are_allowed(self, shares):
        check_payload("swap.completed", _swap({"party": "UA"}, breakdowns=[_shares(*shares)]))

    def test_shares_over_1_005_are_refused_with_their_sum(self):
        data = _swap({"party": "UA"}, breakdowns=[_shares(0.6, 0.406)])
        assert _violation("swap.completed", data) == (
            "breakdowns.0.values",
            "shares of dimension 'nationality' sum to 1.006;"
            " they may sum to at most 1 (up to 1.005 for rounding)",
        )

    def test_the_same_dimension_twice_for_one_side_is_refused(self):
        data = _swap({"party": "UA"}, breakdowns=[_shares(0.6), _shares(0.6)])
        assert _violation("swap.completed", data) == (
            "breakdowns.1.dimension",
            "UA already has a 'nationality' breakdown; put all its values in one",
        )

    def test_one_dimension_may_be_given_for_each_side(self):
        data = _swap(
            {"party": "UA"}, {"party": "RU"}, breakdowns=[_shares(0.6), _shares(0.6, side="RU")]
        )
        check_payload("swap.completed", data)

    def test_a_breakdown_must_describe_one_of_the_sides(self):
        data = _swap({"party": "UA"}, breakdowns=[_shares(0.5, side="RU")])
        assert _violation("swap.completed", data) == (
            "breakdowns.0.side",
            "RU is not one of the swap's sides (UA)",
        )

    @pytest.mark.parametrize("value", [{"label": "a"}, {"label": "a", "count": 1, "share": 0.1}])
    def test_a_value_gives_exactly_one_of_count_or_share(self, value):
        data = _swap(
            {"party": "UA"}, breakdowns=[{"side": "UA", "dimension": "n", "values": [value]}]
        )
        assert _violation("swap.completed", data) == (
            "breakdowns.0.values.0",
            "give exactly one of count or share",
        )


class TestAgreementsBreachesAndOthers:
    def test_an_agreement_needs_two_distinct_parties(self):
        assert _violation("agreement.reached", {"parties": ["UA", "UA"]}) == (
            "parties",
            "an agreement needs at least two distinct parties",
        )

    def test_a_breach_is_alleged_against_another_party(self):
        assert _violation("agreement.breached", {"alleged_by": "RU", "breached_by": "RU"}) == (
            "breached_by",
            "a party does not allege a breach against itself",
        )

    def test_types_without_cross_field_rules_pass(self):
        check_payload("statement.made", {"speaker": "x", "party": "UA", "summary": "y"})
        check_payload("proposal.made", {})
