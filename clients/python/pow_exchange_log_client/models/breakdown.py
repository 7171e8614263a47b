from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.party import Party

if TYPE_CHECKING:
    from ..models.breakdown_value import BreakdownValue


T = TypeVar("T", bound="Breakdown")


@_attrs_define
class Breakdown:
    """
    Attributes:
        dimension (str):  Example: nationality.
        side (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        values (list[BreakdownValue]):
    """

    dimension: str
    side: Party
    values: list[BreakdownValue]

    def to_dict(self) -> dict[str, Any]:
        dimension = self.dimension

        side = self.side.value

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
        from ..models.breakdown_value import BreakdownValue  # noqa: PLC0415

        d = dict(src_dict)
        dimension = d.pop("dimension")

        side = Party(d.pop("side"))

        values = []
        _values = d.pop("values")
        for values_item_data in _values:
            values_item = BreakdownValue.from_dict(values_item_data)

            values.append(values_item)

        breakdown = cls(
            dimension=dimension,
            side=side,
            values=values,
        )

        return breakdown
