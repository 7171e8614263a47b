from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.date_precision import DatePrecision
from ..models.party import Party
from ..models.proposal_format import ProposalFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source import Source


T = TypeVar("T", bound="ProposalWrite")


@_attrs_define
class ProposalWrite:
    """
    Attributes:
        addressed_to (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        format_ (ProposalFormat):
        occurred_on (datetime.date): When it happened (not in the future, not before 2014-01-01) Example: 2026-02-05.
        proposed_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        sources (list[Source]):
        summary (str):
        actor (str | Unset): Person or office who made it
        categories (list[Category] | Unset):
        date_precision (DatePrecision | Unset): How much of occurred_on is known: day, or only the month or year
            Default: DatePrecision.DAY.
        id (str | Unset): Resource id; generated from occurred_on when absent
        proposed_count (int | Unset):
    """

    addressed_to: Party
    format_: ProposalFormat
    occurred_on: datetime.date
    proposed_by: Party
    sources: list[Source]
    summary: str
    actor: str | Unset = UNSET
    categories: list[Category] | Unset = UNSET
    date_precision: DatePrecision | Unset = DatePrecision.DAY
    id: str | Unset = UNSET
    proposed_count: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        addressed_to = self.addressed_to.value

        format_ = self.format_.value

        occurred_on = self.occurred_on.isoformat()

        proposed_by = self.proposed_by.value

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        summary = self.summary

        actor = self.actor

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

        proposed_count = self.proposed_count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "addressed_to": addressed_to,
                "format": format_,
                "occurred_on": occurred_on,
                "proposed_by": proposed_by,
                "sources": sources,
                "summary": summary,
            }
        )
        if actor is not UNSET:
            field_dict["actor"] = actor
        if categories is not UNSET:
            field_dict["categories"] = categories
        if date_precision is not UNSET:
            field_dict["date_precision"] = date_precision
        if id is not UNSET:
            field_dict["id"] = id
        if proposed_count is not UNSET:
            field_dict["proposed_count"] = proposed_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        addressed_to = Party(d.pop("addressed_to"))

        format_ = ProposalFormat(d.pop("format"))

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        proposed_by = Party(d.pop("proposed_by"))

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        summary = d.pop("summary")

        actor = d.pop("actor", UNSET)

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

        proposed_count = d.pop("proposed_count", UNSET)

        proposal_write = cls(
            addressed_to=addressed_to,
            format_=format_,
            occurred_on=occurred_on,
            proposed_by=proposed_by,
            sources=sources,
            summary=summary,
            actor=actor,
            categories=categories,
            date_precision=date_precision,
            id=id,
            proposed_count=proposed_count,
        )

        return proposal_write
