from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.date_precision import DatePrecision
from ..models.fact_type import FactType

if TYPE_CHECKING:
    from ..models.correction_link import CorrectionLink
    from ..models.source import Source
    from ..models.timeline_entry_data import TimelineEntryData


T = TypeVar("T", bound="TimelineEntry")


@_attrs_define
class TimelineEntry:
    """
    Attributes:
        corrected (bool):
        corrections (list[CorrectionLink]):
        data (TimelineEntryData): Payload
        date_precision (DatePrecision): How much of occurred_on is known: day, or only the month or year
        event_id (UUID):
        headline (str):  Example: UA and RU swap 157 for 157.
        occurred_on (datetime.date):
        parties (list[str]):
        position (int):
        resource_id (str):
        sources (list[Source]):
        type_ (FactType): Type of an event that states a fact (not a correction or retraction)
    """

    corrected: bool
    corrections: list[CorrectionLink]
    data: TimelineEntryData
    date_precision: DatePrecision
    event_id: UUID
    headline: str
    occurred_on: datetime.date
    parties: list[str]
    position: int
    resource_id: str
    sources: list[Source]
    type_: FactType

    def to_dict(self) -> dict[str, Any]:
        corrected = self.corrected

        corrections = []
        for corrections_item_data in self.corrections:
            corrections_item = corrections_item_data.to_dict()
            corrections.append(corrections_item)

        data = self.data.to_dict()

        date_precision = self.date_precision.value

        event_id = str(self.event_id)

        headline = self.headline

        occurred_on = self.occurred_on.isoformat()

        parties = self.parties

        position = self.position

        resource_id = self.resource_id

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "corrected": corrected,
                "corrections": corrections,
                "data": data,
                "date_precision": date_precision,
                "event_id": event_id,
                "headline": headline,
                "occurred_on": occurred_on,
                "parties": parties,
                "position": position,
                "resource_id": resource_id,
                "sources": sources,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.correction_link import CorrectionLink  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415
        from ..models.timeline_entry_data import TimelineEntryData  # noqa: PLC0415

        d = dict(src_dict)
        corrected = d.pop("corrected")

        corrections = []
        _corrections = d.pop("corrections")
        for corrections_item_data in _corrections:
            corrections_item = CorrectionLink.from_dict(corrections_item_data)

            corrections.append(corrections_item)

        data = TimelineEntryData.from_dict(d.pop("data"))

        date_precision = DatePrecision(d.pop("date_precision"))

        event_id = UUID(d.pop("event_id"))

        headline = d.pop("headline")

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        parties = cast(list[str], d.pop("parties"))

        position = d.pop("position")

        resource_id = d.pop("resource_id")

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        type_ = FactType(d.pop("type"))

        timeline_entry = cls(
            corrected=corrected,
            corrections=corrections,
            data=data,
            date_precision=date_precision,
            event_id=event_id,
            headline=headline,
            occurred_on=occurred_on,
            parties=parties,
            position=position,
            resource_id=resource_id,
            sources=sources,
            type_=type_,
        )

        return timeline_entry
