from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.party import Party
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.breakdown import Breakdown
    from ..models.side_data import SideData


T = TypeVar("T", bound="SwapData")


@_attrs_define
class SwapData:
    """
    Attributes:
        breakdowns (list[Breakdown]): Each describes one of the swap's sides, at most one per side and dimension; a
            dimension's shares sum to at most 1 (1.005 for rounding) Example: [{'dimension': 'nationality', 'side': 'RU',
            'values': [{'label': 'Russians', 'share': 0.8}, {'label': 'other', 'share': 0.2}]}].
        categories (list[Category]):
        mediators (list[Party]):
        sides (list[SideData]): One per receiving party (each party once) Example: [{'party': 'UA', 'received': 157},
            {'party': 'RU', 'received': 157}].
        agreement_id (str | Unset): An existing agreement, not retracted (422 otherwise)
        notes (str | Unset):
        proposal_id (str | Unset): An existing proposal, not retracted (422 otherwise)
    """

    breakdowns: list[Breakdown]
    categories: list[Category]
    mediators: list[Party]
    sides: list[SideData]
    agreement_id: str | Unset = UNSET
    notes: str | Unset = UNSET
    proposal_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        breakdowns = []
        for breakdowns_item_data in self.breakdowns:
            breakdowns_item = breakdowns_item_data.to_dict()
            breakdowns.append(breakdowns_item)

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.value
            categories.append(categories_item)

        mediators = []
        for mediators_item_data in self.mediators:
            mediators_item = mediators_item_data.value
            mediators.append(mediators_item)

        sides = []
        for sides_item_data in self.sides:
            sides_item = sides_item_data.to_dict()
            sides.append(sides_item)

        agreement_id = self.agreement_id

        notes = self.notes

        proposal_id = self.proposal_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "breakdowns": breakdowns,
                "categories": categories,
                "mediators": mediators,
                "sides": sides,
            }
        )
        if agreement_id is not UNSET:
            field_dict["agreement_id"] = agreement_id
        if notes is not UNSET:
            field_dict["notes"] = notes
        if proposal_id is not UNSET:
            field_dict["proposal_id"] = proposal_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breakdown import Breakdown  # noqa: PLC0415
        from ..models.side_data import SideData  # noqa: PLC0415

        d = dict(src_dict)
        breakdowns = []
        _breakdowns = d.pop("breakdowns")
        for breakdowns_item_data in _breakdowns:
            breakdowns_item = Breakdown.from_dict(breakdowns_item_data)

            breakdowns.append(breakdowns_item)

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = Category(categories_item_data)

            categories.append(categories_item)

        mediators = []
        _mediators = d.pop("mediators")
        for mediators_item_data in _mediators:
            mediators_item = Party(mediators_item_data)

            mediators.append(mediators_item)

        sides = []
        _sides = d.pop("sides")
        for sides_item_data in _sides:
            sides_item = SideData.from_dict(sides_item_data)

            sides.append(sides_item)

        agreement_id = d.pop("agreement_id", UNSET)

        notes = d.pop("notes", UNSET)

        proposal_id = d.pop("proposal_id", UNSET)

        swap_data = cls(
            breakdowns=breakdowns,
            categories=categories,
            mediators=mediators,
            sides=sides,
            agreement_id=agreement_id,
            notes=notes,
            proposal_id=proposal_id,
        )

        return swap_data
