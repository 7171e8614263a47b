from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Figure")


@_attrs_define
class Figure:
    """
    Attributes:
        total (int):
        unknown (int): Swaps where this party received but no source gives the figure
    """

    total: int
    unknown: int

    def to_dict(self) -> dict[str, Any]:
        total = self.total

        unknown = self.unknown

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "total": total,
                "unknown": unknown,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total = d.pop("total")

        unknown = d.pop("unknown")

        figure = cls(
            total=total,
            unknown=unknown,
        )

        return figure
