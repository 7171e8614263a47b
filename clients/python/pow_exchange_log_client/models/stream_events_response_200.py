from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.event_type import EventType
from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamEventsResponse200")


@_attrs_define
class StreamEventsResponse200:
    """One event of the stream: an event appended to the log

    Attributes:
        data (str): The stored envelope as JSON on one line (an Envelope, as in GET /v1/events)
        event (EventType): Type of a stored event
        id (str): Its position: send it back as Last-Event-ID to resume after it
        retry (int | Unset): Reconnection delay in milliseconds
    """

    data: str
    event: EventType
    id: str
    retry: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        event = self.event.value

        id = self.id

        retry = self.retry

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "event": event,
                "id": id,
            }
        )
        if retry is not UNSET:
            field_dict["retry"] = retry

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data = d.pop("data")

        event = EventType(d.pop("event"))

        id = d.pop("id")

        retry = d.pop("retry", UNSET)

        stream_events_response_200 = cls(
            data=data,
            event=event,
            id=id,
            retry=retry,
        )

        return stream_events_response_200
