from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.agreement_view import AgreementView


T = TypeVar("T", bound="AgreementPage")


@_attrs_define
class AgreementPage:
    """
    Attributes:
        agreements (list[AgreementView]):
        as_of_position (int): The log position this answer reflects
        next_after (int | None): null on the last page
    """

    agreements: list[AgreementView]
    as_of_position: int
    next_after: int | None

    def to_dict(self) -> dict[str, Any]:
        agreements = []
        for agreements_item_data in self.agreements:
            agreements_item = agreements_item_data.to_dict()
            agreements.append(agreements_item)

        as_of_position = self.as_of_position

        next_after: int | None
        next_after = self.next_after

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agreements": agreements,
                "as_of_position": as_of_position,
                "next_after": next_after,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agreement_view import AgreementView  # noqa: PLC0415

        d = dict(src_dict)
        agreements = []
        _agreements = d.pop("agreements")
        for agreements_item_data in _agreements:
            agreements_item = AgreementView.from_dict(agreements_item_data)

            agreements.append(agreements_item)

        as_of_position = d.pop("as_of_position")

        def _parse_next_after(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_after = _parse_next_after(d.pop("next_after"))

        agreement_page = cls(
            agreements=agreements,
            as_of_position=as_of_position,
            next_after=next_after,
        )

        return agreement_page
