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
    from ..models.source import Source


T = TypeVar("T", bound="RefusalWrite")


@_attrs_define
class RefusalWrite:
    """
    Attributes:
        occurred_on (datetime.date): When it happened (not in the future, not before 2014-01-01) Example: 2026-02-05.
        reason (str):
        refused_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        sources (list[Source]):
        actor (str | Unset):
        date_precision (DatePrecision | Unset): How much of occurred_on is known: day, or only the month or year
            Default: DatePrecision.DAY.
        demanded_categories (list[Category] | Unset): What the refusing side asked for instead
        expected_version (int | Unset): Current stream_version you expect; 409 when it differs
    """

    occurred_on: datetime.date
    reason: str
    refused_by: Party
    sources: list[Source]
    actor: str | Unset = UNSET
    date_precision: DatePrecision | Unset = DatePrecision.DAY
    demanded_categories: list[Category] | Unset = UNSET
    expected_version: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        occurred_on = self.occurred_on.isoformat()

        reason = self.reason

        refused_by = self.refused_by.value

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        actor = self.actor

        date_precision: str | Unset = UNSET
        if not isinstance(self.date_precision, Unset):
            date_precision = self.date_precision.value

        demanded_categories: list[str] | Unset = UNSET
        if not isinstance(self.demanded_categories, Unset):
            demanded_categories = []
            for demanded_categories_item_data in self.demanded_categories:
                demanded_categories_item = demanded_categories_item_data.value
                demanded_categories.append(demanded_categories_item)

        expected_version = self.expected_version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "occurred_on": occurred_on,
                "reason": reason,
                "refused_by": refused_by,
                "sources": sources,
            }
        )
        if actor is not UNSET:
            field_dict["actor"] = actor
        if date_precision is not UNSET:
            field_dict["date_precision"] = date_precision
        if demanded_categories is not UNSET:
            field_dict["demanded_categories"] = demanded_categories
        if expected_version is not UNSET:
            field_dict["expected_version"] = expected_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        reason = d.pop("reason")

        refused_by = Party(d.pop("refused_by"))

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        actor = d.pop("actor", UNSET)

        _date_precision = d.pop("date_precision", UNSET)
        date_precision: DatePrecision | Unset
        if isinstance(_date_precision, Unset):
            date_precision = UNSET
        else:
            date_precision = DatePrecision(_date_precision)

        _demanded_categories = d.pop("demanded_categories", UNSET)
        demanded_categories: list[Category] | Unset = UNSET
        if _demanded_categories is not UNSET:
            demanded_categories = []
            for demanded_categories_item_data in _demanded_categories:
                demanded_categories_item = Category(demanded_categories_item_data)

                demanded_categories.append(demanded_categories_item)

        expected_version = d.pop("expected_version", UNSET)

        refusal_write = cls(
            occurred_on=occurred_on,
            reason=reason,
            refused_by=refused_by,
            sources=sources,
            actor=actor,
            date_precision=date_precision,
            demanded_categories=demanded_categories,
            expected_version=expected_version,
        )

        return refusal_write
