from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.agreement_count import AgreementCount
    from ..models.party_count import PartyCount


T = TypeVar("T", bound="BreachTotals")


@_attrs_define
class BreachTotals:
    """
    Attributes:
        by_agreement (list[AgreementCount]):
        by_alleging_party (list[PartyCount]):
        total (int):
    """

    by_agreement: list[AgreementCount]
    by_alleging_party: list[PartyCount]
    total: int

    def to_dict(self) -> dict[str, Any]:
        by_agreement = []
        for by_agreement_item_data in self.by_agreement:
            by_agreement_item = by_agreement_item_data.to_dict()
            by_agreement.append(by_agreement_item)

        by_alleging_party = []
        for by_alleging_party_item_data in self.by_alleging_party:
            by_alleging_party_item = by_alleging_party_item_data.to_dict()
            by_alleging_party.append(by_alleging_party_item)

        total = self.total

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "by_agreement": by_agreement,
                "by_alleging_party": by_alleging_party,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agreement_count import AgreementCount  # noqa: PLC0415
        from ..models.party_count import PartyCount  # noqa: PLC0415

        d = dict(src_dict)
        by_agreement = []
        _by_agreement = d.pop("by_agreement")
        for by_agreement_item_data in _by_agreement:
            by_agreement_item = AgreementCount.from_dict(by_agreement_item_data)

            by_agreement.append(by_agreement_item)

        by_alleging_party = []
        _by_alleging_party = d.pop("by_alleging_party")
        for by_alleging_party_item_data in _by_alleging_party:
            by_alleging_party_item = PartyCount.from_dict(by_alleging_party_item_data)

            by_alleging_party.append(by_alleging_party_item)

        total = d.pop("total")

        breach_totals = cls(
            by_agreement=by_agreement,
            by_alleging_party=by_alleging_party,
            total=total,
        )

        return breach_totals
