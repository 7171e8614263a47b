from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.breakdown_value_total import BreakdownValueTotal


T = TypeVar("T", bound="BreakdownTotal")


@_attrs_define
class BreakdownTotal:
    """
    Attributes:
        dimension (str):
        side (str):
        values (list[BreakdownValueTotal]):
    """

    dimension: str
    side: str
    values: list[BreakdownValueTotal]

    def to_dict(self) -> dict[str, Any]:
        dimension = self.dimension

        side = self.side

        values = []
        for values_item_data in self.values:
            values_item = values_item_data.to_dict()
            values.append(values_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "dimension": dimension,
                "side": side,
                "values": values,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breakdown_value_total import BreakdownValueTotal  # noqa: PLC0415

        d = dict(src_dict)
        dimension = d.pop("dimension")

        side = d.pop("side")

        values = []
        _values = d.pop("values")
        for values_item_data in _values:
            values_item = BreakdownValueTotal.from_dict(values_item_data)

            values.append(values_item)

        breakdown_total = cls(
            dimension=dimension,
            side=side,
            values=values,
        )

        return breakdown_total
