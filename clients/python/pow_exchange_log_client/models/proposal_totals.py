from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.format_count import FormatCount
    from ..models.party_count import PartyCount


T = TypeVar("T", bound="ProposalTotals")


@_attrs_define
class ProposalTotals:
    """
    Attributes:
        by_format (list[FormatCount]):
        by_party (list[PartyCount]):
        total (int):
    """

    by_format: list[FormatCount]
    by_party: list[PartyCount]
    total: int

    def to_dict(self) -> dict[str, Any]:
        by_format = []
        for by_format_item_data in self.by_format:
            by_format_item = by_format_item_data.to_dict()
            by_format.append(by_format_item)

        by_party = []
        for by_party_item_data in self.by_party:
            by_party_item = by_party_item_data.to_dict()
            by_party.append(by_party_item)

        total = self.total

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "by_format": by_format,
                "by_party": by_party,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.format_count import FormatCount  # noqa: PLC0415
        from ..models.party_count import PartyCount  # noqa: PLC0415

        d = dict(src_dict)
        by_format = []
        _by_format = d.pop("by_format")
        for by_format_item_data in _by_format:
            by_format_item = FormatCount.from_dict(by_format_item_data)

            by_format.append(by_format_item)

        by_party = []
        _by_party = d.pop("by_party")
        for by_party_item_data in _by_party:
            by_party_item = PartyCount.from_dict(by_party_item_data)

            by_party.append(by_party_item)

        total = d.pop("total")

        proposal_totals = cls(
            by_format=by_format,
            by_party=by_party,
            total=total,
        )

        return proposal_totals
