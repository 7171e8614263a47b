from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="PartyCount")


@_attrs_define
class PartyCount:
    """
    Attributes:
        count (int):
        party (None | str):
    """

    count: int
    party: None | str

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        party: None | str
        party = self.party

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
                "party": party,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        def _parse_party(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        party = _parse_party(d.pop("party"))

        party_count = cls(
            count=count,
            party=party,
        )

        return party_count
