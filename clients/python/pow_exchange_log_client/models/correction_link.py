from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="CorrectionLink")


@_attrs_define
class CorrectionLink:
    """
    Attributes:
        event_id (UUID):
        href (str):  Example: /v1/events/….
    """

    event_id: UUID
    href: str

    def to_dict(self) -> dict[str, Any]:
        event_id = str(self.event_id)

        href = self.href

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event_id": event_id,
                "href": href,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_id = UUID(d.pop("event_id"))

        href = d.pop("href")

        correction_link = cls(
            event_id=event_id,
            href=href,
        )

        return correction_link
