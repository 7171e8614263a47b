from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.date_precision import DatePrecision
from ..models.event_type import EventType

if TYPE_CHECKING:
    from ..models.envelope_data import EnvelopeData
    from ..models.source import Source


T = TypeVar("T", bound="Envelope")


@_attrs_define
class Envelope:
    """
    Attributes:
        data (EnvelopeData):
        date_precision (DatePrecision): How much of occurred_on is known: day, or only the month or year
        hash_ (str):
        id (UUID):
        occurred_on (datetime.date):
        position (int):
        prev_hash (str):
        recorded_at (datetime.datetime):  Example: 2026-02-05T14:03:11.123456Z.
        recorded_by (str):
        schema_version (int):
        sources (list[Source]):
        stream (str):  Example: swap/2026-02-05.
        stream_version (int):
        type_ (EventType): Type of a stored event
    """

    data: EnvelopeData
    date_precision: DatePrecision
    hash_: str
    id: UUID
    occurred_on: datetime.date
    position: int
    prev_hash: str
    recorded_at: datetime.datetime
    recorded_by: str
    schema_version: int
    sources: list[Source]
    stream: str
    stream_version: int
    type_: EventType

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        date_precision = self.date_precision.value

        hash_ = self.hash_

        id = str(self.id)

        occurred_on = self.occurred_on.isoformat()

        position = self.position

        prev_hash = self.prev_hash

        recorded_at = self.recorded_at.isoformat()

        recorded_by = self.recorded_by

        schema_version = self.schema_version

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        stream = self.stream

        stream_version = self.stream_version

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "date_precision": date_precision,
                "hash": hash_,
                "id": id,
                "occurred_on": occurred_on,
                "position": position,
                "prev_hash": prev_hash,
                "recorded_at": recorded_at,
                "recorded_by": recorded_by,
                "schema_version": schema_version,
                "sources": sources,
                "stream": stream,
                "stream_version": stream_version,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.envelope_data import EnvelopeData  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        data = EnvelopeData.from_dict(d.pop("data"))

        date_precision = DatePrecision(d.pop("date_precision"))

        hash_ = d.pop("hash")

        id = UUID(d.pop("id"))

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        position = d.pop("position")

        prev_hash = d.pop("prev_hash")

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        recorded_by = d.pop("recorded_by")

        schema_version = d.pop("schema_version")

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        stream = d.pop("stream")

        stream_version = d.pop("stream_version")

        type_ = EventType(d.pop("type"))

        envelope = cls(
            data=data,
            date_precision=date_precision,
            hash_=hash_,
            id=id,
            occurred_on=occurred_on,
            position=position,
            prev_hash=prev_hash,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            schema_version=schema_version,
            sources=sources,
            stream=stream,
            stream_version=stream_version,
            type_=type_,
        )

        return envelope
