from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.date_precision import DatePrecision
from ..models.party import Party
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source import Source


T = TypeVar("T", bound="BreachWrite")


@_attrs_define
class BreachWrite:
    """
    Attributes:
        alleged_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        breached_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        description (str):
        occurred_on (datetime.date): When it happened (not in the future, not before 2014-01-01) Example: 2026-02-05.
        sources (list[Source]):
        attributed_to (str | Unset): Person or office accused
        date_precision (DatePrecision | Unset): How much of occurred_on is known: day, or only the month or year
            Default: DatePrecision.DAY.
        expected_version (int | Unset): Current stream_version you expect; 409 when it differs
    """

    alleged_by: Party
    breached_by: Party
    description: str
    occurred_on: datetime.date
    sources: list[Source]
    attributed_to: str | Unset = UNSET
    date_precision: DatePrecision | Unset = DatePrecision.DAY
    expected_version: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        alleged_by = self.alleged_by.value

        breached_by = self.breached_by.value

        description = self.description

        occurred_on = self.occurred_on.isoformat()

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        attributed_to = self.attributed_to

        date_precision: str | Unset = UNSET
        if not isinstance(self.date_precision, Unset):
            date_precision = self.date_precision.value

        expected_version = self.expected_version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "alleged_by": alleged_by,
                "breached_by": breached_by,
                "description": description,
                "occurred_on": occurred_on,
                "sources": sources,
            }
        )
        if attributed_to is not UNSET:
            field_dict["attributed_to"] = attributed_to
        if date_precision is not UNSET:
            field_dict["date_precision"] = date_precision
        if expected_version is not UNSET:
            field_dict["expected_version"] = expected_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        alleged_by = Party(d.pop("alleged_by"))

        breached_by = Party(d.pop("breached_by"))

        description = d.pop("description")

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        attributed_to = d.pop("attributed_to", UNSET)

        _date_precision = d.pop("date_precision", UNSET)
        date_precision: DatePrecision | Unset
        if isinstance(_date_precision, Unset):
            date_precision = UNSET
        else:
            date_precision = DatePrecision(_date_precision)

        expected_version = d.pop("expected_version", UNSET)

        breach_write = cls(
            alleged_by=alleged_by,
            breached_by=breached_by,
            description=description,
            occurred_on=occurred_on,
            sources=sources,
            attributed_to=attributed_to,
            date_precision=date_precision,
            expected_version=expected_version,
        )

        return breach_write
