from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AgreementCount")


@_attrs_define
class AgreementCount:
    """
    Attributes:
        agreement_id (str):
        count (int):
    """

    agreement_id: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        agreement_id = self.agreement_id

        count = self.count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agreement_id": agreement_id,
                "count": count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agreement_id = d.pop("agreement_id")

        count = d.pop("count")

        agreement_count = cls(
            agreement_id=agreement_id,
            count=count,
        )

        return agreement_count
