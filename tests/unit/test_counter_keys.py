"""Counter keys (projections.counters.key) are remembered, and stay exact per type of part."""

from __future__ import annotations

from service.projections.counters import SEP, key, parse


def test_a_key_joins_its_escaped_parts():
    assert key("bd_count", "UA", "region", "50%") == SEP.join(["bd_count", "UA", "region", "50%25"])
    assert parse(key("bd_count", "UA", "a\x1fb")) == ["bd_count", "UA", "a\x1fb"]


def test_remembered_keys_keep_parts_of_equal_value_and_other_type_apart():
    assert key("swap_year", 1) == "swap_year" + SEP + "1"
    assert key("swap_year", True) == "swap_year" + SEP + "True"
    assert key("swap_year", 1.0) == "swap_year" + SEP + "1.0"
    assert key("swap_year", 1) == "swap_year" + SEP + "1"
