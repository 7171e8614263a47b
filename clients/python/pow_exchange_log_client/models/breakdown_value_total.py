from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="BreakdownValueTotal")


@_attrs_define
class BreakdownValueTotal:
    """
    Attributes:
        count (int): Counted plus estimated
        estimated (bool): Part of count is round(share * received)
        estimated_count (int):
        label (str):
        swaps (int):
        unknown (int): Shares on a side whose received is unknown
    """

    count: int
    estimated: bool
    estimated_count: int
    label: str
    swaps: int
    unknown: int

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        estimated = self.estimated

        estimated_count = self.estimated_count

        label = self.label

        swaps = self.swaps

        unknown = self.unknown

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
                "estimated": estimated,
                "estimated_count": estimated_count,
                "label": label,
                "swaps": swaps,
                "unknown": unknown,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        estimated = d.pop("estimated")

        estimated_count = d.pop("estimated_count")

        label = d.pop("label")

        swaps = d.pop("swaps")

        unknown = d.pop("unknown")

        breakdown_value_total = cls(
            count=count,
            estimated=estimated,
            estimated_count=estimated_count,
            label=label,
            swaps=swaps,
            unknown=unknown,
        )

        return breakdown_value_total
