from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BreakdownValue")


@_attrs_define
class BreakdownValue:
    """
    Attributes:
        label (str):
        count (int | Unset): People with this value (give this or share)
        share (float | Unset): Their share of received (or give count)
    """

    label: str
    count: int | Unset = UNSET
    share: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        count = self.count

        share = self.share

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "label": label,
            }
        )
        if count is not UNSET:
            field_dict["count"] = count
        if share is not UNSET:
            field_dict["share"] = share

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        label = d.pop("label")

        count = d.pop("count", UNSET)

        share = d.pop("share", UNSET)

        breakdown_value = cls(
            label=label,
            count=count,
            share=share,
        )

        return breakdown_value
