from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="GapBounds")


@_attrs_define
class GapBounds:
    """
    Attributes:
        from_swap (datetime.date):
        to_swap (datetime.date):
    """

    from_swap: datetime.date
    to_swap: datetime.date

    def to_dict(self) -> dict[str, Any]:
        from_swap = self.from_swap.isoformat()

        to_swap = self.to_swap.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from_swap": from_swap,
                "to_swap": to_swap,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_swap = datetime.date.fromisoformat(d.pop("from_swap"))

        to_swap = datetime.date.fromisoformat(d.pop("to_swap"))

        gap_bounds = cls(
            from_swap=from_swap,
            to_swap=to_swap,
        )

        return gap_bounds
