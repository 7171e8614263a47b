from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.date_precision import DatePrecision

if TYPE_CHECKING:
    from ..models.breach_data import BreachData
    from ..models.correction_link import CorrectionLink
    from ..models.source import Source


T = TypeVar("T", bound="BreachItem")


@_attrs_define
class BreachItem:
    """
    Attributes:
        corrected (bool): Changed by a correction
        corrections (list[CorrectionLink]):
        data (BreachData):
        date_precision (DatePrecision): How much of occurred_on is known: day, or only the month or year
        event_id (UUID):
        href (str): The event in the raw log
        occurred_on (datetime.date):
        position (int):
        sources (list[Source]):
    """

    corrected: bool
    corrections: list[CorrectionLink]
    data: BreachData
    date_precision: DatePrecision
    event_id: UUID
    href: str
    occurred_on: datetime.date
    position: int
    sources: list[Source]

    def to_dict(self) -> dict[str, Any]:
        corrected = self.corrected

        corrections = []
        for corrections_item_data in self.corrections:
            corrections_item = corrections_item_data.to_dict()
            corrections.append(corrections_item)

        data = self.data.to_dict()

        date_precision = self.date_precision.value

        event_id = str(self.event_id)

        href = self.href

        occurred_on = self.occurred_on.isoformat()

        position = self.position

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "corrected": corrected,
                "corrections": corrections,
                "data": data,
                "date_precision": date_precision,
                "event_id": event_id,
                "href": href,
                "occurred_on": occurred_on,
                "position": position,
                "sources": sources,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breach_data import BreachData  # noqa: PLC0415
        from ..models.correction_link import CorrectionLink  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        corrected = d.pop("corrected")

        corrections = []
        _corrections = d.pop("corrections")
        for corrections_item_data in _corrections:
            corrections_item = CorrectionLink.from_dict(corrections_item_data)

            corrections.append(corrections_item)

        data = BreachData.from_dict(d.pop("data"))

        date_precision = DatePrecision(d.pop("date_precision"))

        event_id = UUID(d.pop("event_id"))

        href = d.pop("href")

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        position = d.pop("position")

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        breach_item = cls(
            corrected=corrected,
            corrections=corrections,
            data=data,
            date_precision=date_precision,
            event_id=event_id,
            href=href,
            occurred_on=occurred_on,
            position=position,
            sources=sources,
        )

        return breach_item
