from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.swap_view import SwapView


T = TypeVar("T", bound="SwapPage")


@_attrs_define
class SwapPage:
    """
    Attributes:
        as_of_position (int): The log position this answer reflects
        next_after (int | None): null on the last page
        swaps (list[SwapView]):
    """

    as_of_position: int
    next_after: int | None
    swaps: list[SwapView]

    def to_dict(self) -> dict[str, Any]:
        as_of_position = self.as_of_position

        next_after: int | None
        next_after = self.next_after

        swaps = []
        for swaps_item_data in self.swaps:
            swaps_item = swaps_item_data.to_dict()
            swaps.append(swaps_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "as_of_position": as_of_position,
                "next_after": next_after,
                "swaps": swaps,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.swap_view import SwapView  # noqa: PLC0415

        d = dict(src_dict)
        as_of_position = d.pop("as_of_position")

        def _parse_next_after(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_after = _parse_next_after(d.pop("next_after"))

        swaps = []
        _swaps = d.pop("swaps")
        for swaps_item_data in _swaps:
            swaps_item = SwapView.from_dict(swaps_item_data)

            swaps.append(swaps_item)

        swap_page = cls(
            as_of_position=as_of_position,
            next_after=next_after,
            swaps=swaps,
        )

        return swap_page
