from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.party import Party
from ..models.proposal_format import ProposalFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="ProposalData")


@_attrs_define
class ProposalData:
    """
    Attributes:
        addressed_to (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        categories (list[Category]):
        format_ (ProposalFormat):
        proposed_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        summary (str):
        actor (str | Unset): Person or office who made it
        proposed_count (int | Unset):
    """

    addressed_to: Party
    categories: list[Category]
    format_: ProposalFormat
    proposed_by: Party
    summary: str
    actor: str | Unset = UNSET
    proposed_count: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        addressed_to = self.addressed_to.value

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.value
            categories.append(categories_item)

        format_ = self.format_.value

        proposed_by = self.proposed_by.value

        summary = self.summary

        actor = self.actor

        proposed_count = self.proposed_count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "addressed_to": addressed_to,
                "categories": categories,
                "format": format_,
                "proposed_by": proposed_by,
                "summary": summary,
            }
        )
        if actor is not UNSET:
            field_dict["actor"] = actor
        if proposed_count is not UNSET:
            field_dict["proposed_count"] = proposed_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        addressed_to = Party(d.pop("addressed_to"))

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = Category(categories_item_data)

            categories.append(categories_item)

        format_ = ProposalFormat(d.pop("format"))

        proposed_by = Party(d.pop("proposed_by"))

        summary = d.pop("summary")

        actor = d.pop("actor", UNSET)

        proposed_count = d.pop("proposed_count", UNSET)

        proposal_data = cls(
            addressed_to=addressed_to,
            categories=categories,
            format_=format_,
            proposed_by=proposed_by,
            summary=summary,
            actor=actor,
            proposed_count=proposed_count,
        )

        return proposal_data
