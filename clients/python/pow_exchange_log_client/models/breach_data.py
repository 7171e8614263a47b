from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.party import Party
from ..types import UNSET, Unset

T = TypeVar("T", bound="BreachData")


@_attrs_define
class BreachData:
    """
    Attributes:
        agreement_id (str): The agreement it belongs to
        alleged_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        breached_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        description (str):
        attributed_to (str | Unset): Person or office accused
    """

    agreement_id: str
    alleged_by: Party
    breached_by: Party
    description: str
    attributed_to: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        agreement_id = self.agreement_id

        alleged_by = self.alleged_by.value

        breached_by = self.breached_by.value

        description = self.description

        attributed_to = self.attributed_to

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agreement_id": agreement_id,
                "alleged_by": alleged_by,
                "breached_by": breached_by,
                "description": description,
            }
        )
        if attributed_to is not UNSET:
            field_dict["attributed_to"] = attributed_to

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agreement_id = d.pop("agreement_id")

        alleged_by = Party(d.pop("alleged_by"))

        breached_by = Party(d.pop("breached_by"))

        description = d.pop("description")

        attributed_to = d.pop("attributed_to", UNSET)

        breach_data = cls(
            agreement_id=agreement_id,
            alleged_by=alleged_by,
            breached_by=breached_by,
            description=description,
            attributed_to=attributed_to,
        )

        return breach_data
