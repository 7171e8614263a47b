from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.date_precision import DatePrecision
from ..models.party import Party
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.breakdown import Breakdown
    from ..models.side import Side
    from ..models.source import Source


T = TypeVar("T", bound="SwapWrite")


@_attrs_define
class SwapWrite:
    """
    Attributes:
        occurred_on (datetime.date): When it happened (not in the future, not before 2014-01-01) Example: 2026-02-05.
        sides (list[Side]): One per receiving party (each party once) Example: [{'party': 'UA', 'received': 157},
            {'party': 'RU', 'received': 157}].
        sources (list[Source]):
        agreement_id (str | Unset): An existing agreement, not retracted (422 otherwise)
        breakdowns (list[Breakdown] | Unset): Each describes one of the swap's sides, at most one per side and
            dimension; a dimension's shares sum to at most 1 (1.005 for rounding) Example: [{'dimension': 'nationality',
            'side': 'RU', 'values': [{'label': 'Russians', 'share': 0.8}, {'label': 'other', 'share': 0.2}]}].
        categories (list[Category] | Unset):
        date_precision (DatePrecision | Unset): How much of occurred_on is known: day, or only the month or year
            Default: DatePrecision.DAY.
        id (str | Unset): Resource id; generated from occurred_on when absent
        mediators (list[Party] | Unset):
        notes (str | Unset):
        proposal_id (str | Unset): An existing proposal, not retracted (422 otherwise)
    """

    occurred_on: datetime.date
    sides: list[Side]
    sources: list[Source]
    agreement_id: str | Unset = UNSET
    breakdowns: list[Breakdown] | Unset = UNSET
    categories: list[Category] | Unset = UNSET
    date_precision: DatePrecision | Unset = DatePrecision.DAY
    id: str | Unset = UNSET
    mediators: list[Party] | Unset = UNSET
    notes: str | Unset = UNSET
    proposal_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        occurred_on = self.occurred_on.isoformat()

        sides = []
        for sides_item_data in self.sides:
            sides_item = sides_item_data.to_dict()
            sides.append(sides_item)

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        agreement_id = self.agreement_id

        breakdowns: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.breakdowns, Unset):
            breakdowns = []
            for breakdowns_item_data in self.breakdowns:
                breakdowns_item = breakdowns_item_data.to_dict()
                breakdowns.append(breakdowns_item)

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = []
            for categories_item_data in self.categories:
                categories_item = categories_item_data.value
                categories.append(categories_item)

        date_precision: str | Unset = UNSET
        if not isinstance(self.date_precision, Unset):
            date_precision = self.date_precision.value

        id = self.id

        mediators: list[str] | Unset = UNSET
        if not isinstance(self.mediators, Unset):
            mediators = []
            for mediators_item_data in self.mediators:
                mediators_item = mediators_item_data.value
                mediators.append(mediators_item)

        notes = self.notes

        proposal_id = self.proposal_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "occurred_on": occurred_on,
                "sides": sides,
                "sources": sources,
            }
        )
        if agreement_id is not UNSET:
            field_dict["agreement_id"] = agreement_id
        if breakdowns is not UNSET:
            field_dict["breakdowns"] = breakdowns
        if categories is not UNSET:
            field_dict["categories"] = categories
        if date_precision is not UNSET:
            field_dict["date_precision"] = date_precision
        if id is not UNSET:
            field_dict["id"] = id
        if mediators is not UNSET:
            field_dict["mediators"] = mediators
        if notes is not UNSET:
            field_dict["notes"] = notes
        if proposal_id is not UNSET:
            field_dict["proposal_id"] = proposal_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breakdown import Breakdown  # noqa: PLC0415
        from ..models.side import Side  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        sides = []
        _sides = d.pop("sides")
        for sides_item_data in _sides:
            sides_item = Side.from_dict(sides_item_data)

            sides.append(sides_item)

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        agreement_id = d.pop("agreement_id", UNSET)

        _breakdowns = d.pop("breakdowns", UNSET)
        breakdowns: list[Breakdown] | Unset = UNSET
        if _breakdowns is not UNSET:
            breakdowns = []
            for breakdowns_item_data in _breakdowns:
                breakdowns_item = Breakdown.from_dict(breakdowns_item_data)

                breakdowns.append(breakdowns_item)

        _categories = d.pop("categories", UNSET)
        categories: list[Category] | Unset = UNSET
        if _categories is not UNSET:
            categories = []
            for categories_item_data in _categories:
                categories_item = Category(categories_item_data)

                categories.append(categories_item)

        _date_precision = d.pop("date_precision", UNSET)
        date_precision: DatePrecision | Unset
        if isinstance(_date_precision, Unset):
            date_precision = UNSET
        else:
            date_precision = DatePrecision(_date_precision)

        id = d.pop("id", UNSET)

        _mediators = d.pop("mediators", UNSET)
        mediators: list[Party] | Unset = UNSET
        if _mediators is not UNSET:
            mediators = []
            for mediators_item_data in _mediators:
                mediators_item = Party(mediators_item_data)

                mediators.append(mediators_item)

        notes = d.pop("notes", UNSET)

        proposal_id = d.pop("proposal_id", UNSET)

        swap_write = cls(
            occurred_on=occurred_on,
            sides=sides,
            sources=sources,
            agreement_id=agreement_id,
            breakdowns=breakdowns,
            categories=categories,
            date_precision=date_precision,
            id=id,
            mediators=mediators,
            notes=notes,
            proposal_id=proposal_id,
        )

        return swap_write
