from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.party import Party
from ..types import UNSET, Unset

T = TypeVar("T", bound="RefusalData")


@_attrs_define
class RefusalData:
    """
    Attributes:
        demanded_categories (list[Category]): What the refusing side asked for instead
        proposal_id (str): The proposal it belongs to
        reason (str):
        refused_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        actor (str | Unset):
    """

    demanded_categories: list[Category]
    proposal_id: str
    reason: str
    refused_by: Party
    actor: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        demanded_categories = []
        for demanded_categories_item_data in self.demanded_categories:
            demanded_categories_item = demanded_categories_item_data.value
            demanded_categories.append(demanded_categories_item)

        proposal_id = self.proposal_id

        reason = self.reason

        refused_by = self.refused_by.value

        actor = self.actor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "demanded_categories": demanded_categories,
                "proposal_id": proposal_id,
                "reason": reason,
                "refused_by": refused_by,
            }
        )
        if actor is not UNSET:
            field_dict["actor"] = actor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        demanded_categories = []
        _demanded_categories = d.pop("demanded_categories")
        for demanded_categories_item_data in _demanded_categories:
            demanded_categories_item = Category(demanded_categories_item_data)

            demanded_categories.append(demanded_categories_item)

        proposal_id = d.pop("proposal_id")

        reason = d.pop("reason")

        refused_by = Party(d.pop("refused_by"))

        actor = d.pop("actor", UNSET)

        refusal_data = cls(
            demanded_categories=demanded_categories,
            proposal_id=proposal_id,
            reason=reason,
            refused_by=refused_by,
            actor=actor,
        )

        return refusal_data
