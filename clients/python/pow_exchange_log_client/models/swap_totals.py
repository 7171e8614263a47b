from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.party_count import PartyCount
    from ..models.year_count import YearCount


T = TypeVar("T", bound="SwapTotals")


@_attrs_define
class SwapTotals:
    """
    Attributes:
        mediators (list[PartyCount]):
        per_year (list[YearCount]):
        total (int):
    """

    mediators: list[PartyCount]
    per_year: list[YearCount]
    total: int

    def to_dict(self) -> dict[str, Any]:
        mediators = []
        for mediators_item_data in self.mediators:
            mediators_item = mediators_item_data.to_dict()
            mediators.append(mediators_item)

        per_year = []
        for per_year_item_data in self.per_year:
            per_year_item = per_year_item_data.to_dict()
            per_year.append(per_year_item)

        total = self.total

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mediators": mediators,
                "per_year": per_year,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party_count import PartyCount  # noqa: PLC0415
        from ..models.year_count import YearCount  # noqa: PLC0415

        d = dict(src_dict)
        mediators = []
        _mediators = d.pop("mediators")
        for mediators_item_data in _mediators:
            mediators_item = PartyCount.from_dict(mediators_item_data)

            mediators.append(mediators_item)

        per_year = []
        _per_year = d.pop("per_year")
        for per_year_item_data in _per_year:
            per_year_item = YearCount.from_dict(per_year_item_data)

            per_year.append(per_year_item)

        total = d.pop("total")

        swap_totals = cls(
            mediators=mediators,
            per_year=per_year,
            total=total,
        )

        return swap_totals
