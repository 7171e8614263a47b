"""Pure helpers of the write use case: JSON values and request fingerprints."""

from __future__ import annotations

from datetime import date

from service.domain.vocab import Category, DatePrecision
from service.recording import fingerprint
from service.schemas.loaded import jsonable


class TestJsonable:
    def test_enums_and_dates_become_their_json_text(self):
        loaded = {
            "categories": [Category.MILITARY, Category.UNDER_25],
            "date_precision": DatePrecision.MONTH,
            "sources": ({"url": "https://a.org/", "published_on": date(2026, 2, 5)},),
        }
        assert jsonable(loaded) == {
            "categories": ["military", "under_25"],
            "date_precision": "month",
            "sources": [{"url": "https://a.org/", "published_on": "2026-02-05"}],
        }

    def test_mappings_sequences_datetimes_and_enums_of_any_type_convert(self):
        """How a type converts is decided once per type (then remembered): a mapping that is
        not a dict, a tuple, a datetime and an enum each convert as they did before."""
        from collections import OrderedDict
        from datetime import datetime
        from types import MappingProxyType

        for _ in range(2):  # the second time through the remembered decisions
            assert jsonable(
                OrderedDict(
                    when=datetime(2026, 2, 5, 13, 30),
                    proxy=MappingProxyType({"p": DatePrecision.YEAR}),
                    pair=(Category.MILITARY, 1),
                    other=b"x",
                )
            ) == {
                "when": "2026-02-05T13:30:00",
                "proxy": {"p": "year"},
                "pair": ["military", 1],
                "other": b"x",
            }

    def test_plain_json_values_pass_unchanged(self):
        value = {"a": [1, 0.5, None, True, "x"], "b": {}}
        assert jsonable(value) == value
        assert type(jsonable(Category.MILITARY)) is str


class TestFingerprint:
    def test_key_order_does_not_matter_but_method_path_and_body_do(self):
        base = fingerprint("POST", "/v1/swaps", {"a": 1, "b": 2})
        assert fingerprint("POST", "/v1/swaps", {"b": 2, "a": 1}) == base
        assert fingerprint("POST", "/v1/attempts", {"a": 1, "b": 2}) != base
        assert fingerprint("POST", "/v1/swaps", {"a": 1, "b": 3}) != base
        assert len(base) == 64

    def test_any_parsed_json_can_be_fingerprinted(self):
        assert fingerprint("POST", "/", {"x": float("nan"), "y": "\ud800"}) != fingerprint(
            "POST", "/", {"x": float("inf"), "y": "\ud800"}
        )
