from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.party_count import PartyCount


T = TypeVar("T", bound="PartyTotals")


@_attrs_define
class PartyTotals:
    """
    Attributes:
        by_party (list[PartyCount]):
        total (int):
    """

    by_party: list[PartyCount]
    total: int

    def to_dict(self) -> dict[str, Any]:
        by_party = []
        for by_party_item_data in self.by_party:
            by_party_item = by_party_item_data.to_dict()
            by_party.append(by_party_item)

        total = self.total

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "by_party": by_party,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party_count import PartyCount  # noqa: PLC0415

        d = dict(src_dict)
        by_party = []
        _by_party = d.pop("by_party")
        for by_party_item_data in _by_party:
            by_party_item = PartyCount.from_dict(by_party_item_data)

            by_party.append(by_party_item)

        total = d.pop("total")

        party_totals = cls(
            by_party=by_party,
            total=total,
        )

        return party_totals
