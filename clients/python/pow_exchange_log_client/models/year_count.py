from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="YearCount")


@_attrs_define
class YearCount:
    """
    Attributes:
        swaps (int):
        year (int):
    """

    swaps: int
    year: int

    def to_dict(self) -> dict[str, Any]:
        swaps = self.swaps

        year = self.year

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "swaps": swaps,
                "year": year,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        swaps = d.pop("swaps")

        year = d.pop("year")

        year_count = cls(
            swaps=swaps,
            year=year,
        )

        return year_count
