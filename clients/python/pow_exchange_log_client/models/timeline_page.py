from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.timeline_entry import TimelineEntry


T = TypeVar("T", bound="TimelinePage")


@_attrs_define
class TimelinePage:
    """
    Attributes:
        as_of_position (int): The log position this answer reflects
        entries (list[TimelineEntry]):
        next_after (None | str): Cursor; null on the last page
    """

    as_of_position: int
    entries: list[TimelineEntry]
    next_after: None | str

    def to_dict(self) -> dict[str, Any]:
        as_of_position = self.as_of_position

        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        next_after: None | str
        next_after = self.next_after

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "as_of_position": as_of_position,
                "entries": entries,
                "next_after": next_after,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timeline_entry import TimelineEntry  # noqa: PLC0415

        d = dict(src_dict)
        as_of_position = d.pop("as_of_position")

        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = TimelineEntry.from_dict(entries_item_data)

            entries.append(entries_item)

        def _parse_next_after(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_after = _parse_next_after(d.pop("next_after"))

        timeline_page = cls(
            as_of_position=as_of_position,
            entries=entries,
            next_after=next_after,
        )

        return timeline_page
