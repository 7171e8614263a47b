from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.party_count import PartyCount


T = TypeVar("T", bound="AttemptTotals")


@_attrs_define
class AttemptTotals:
    """
    Attributes:
        by_blamed_party (list[PartyCount]):
        total (int):
    """

    by_blamed_party: list[PartyCount]
    total: int

    def to_dict(self) -> dict[str, Any]:
        by_blamed_party = []
        for by_blamed_party_item_data in self.by_blamed_party:
            by_blamed_party_item = by_blamed_party_item_data.to_dict()
            by_blamed_party.append(by_blamed_party_item)

        total = self.total

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "by_blamed_party": by_blamed_party,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.party_count import PartyCount  # noqa: PLC0415

        d = dict(src_dict)
        by_blamed_party = []
        _by_blamed_party = d.pop("by_blamed_party")
        for by_blamed_party_item_data in _by_blamed_party:
            by_blamed_party_item = PartyCount.from_dict(by_blamed_party_item_data)

            by_blamed_party.append(by_blamed_party_item)

        total = d.pop("total")

        attempt_totals = cls(
            by_blamed_party=by_blamed_party,
            total=total,
        )

        return attempt_totals
