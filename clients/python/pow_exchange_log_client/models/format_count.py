from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FormatCount")


@_attrs_define
class FormatCount:
    """
    Attributes:
        count (int):
        format_ (str):
    """

    count: int
    format_: str

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        format_ = self.format_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
                "format": format_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        format_ = d.pop("format")

        format_count = cls(
            count=count,
            format_=format_,
        )

        return format_count
