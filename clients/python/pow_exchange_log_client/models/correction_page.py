from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.correction_entry import CorrectionEntry


T = TypeVar("T", bound="CorrectionPage")


@_attrs_define
class CorrectionPage:
    """
    Attributes:
        as_of_position (int): The log position this answer reflects
        corrections (list[CorrectionEntry]):
        next_before (int | None):
    """

    as_of_position: int
    corrections: list[CorrectionEntry]
    next_before: int | None

    def to_dict(self) -> dict[str, Any]:
        as_of_position = self.as_of_position

        corrections = []
        for corrections_item_data in self.corrections:
            corrections_item = corrections_item_data.to_dict()
            corrections.append(corrections_item)

        next_before: int | None
        next_before = self.next_before

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "as_of_position": as_of_position,
                "corrections": corrections,
                "next_before": next_before,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.correction_entry import CorrectionEntry  # noqa: PLC0415

        d = dict(src_dict)
        as_of_position = d.pop("as_of_position")

        corrections = []
        _corrections = d.pop("corrections")
        for corrections_item_data in _corrections:
            corrections_item = CorrectionEntry.from_dict(corrections_item_data)

            corrections.append(corrections_item)

        def _parse_next_before(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_before = _parse_next_before(d.pop("next_before"))

        correction_page = cls(
            as_of_position=as_of_position,
            corrections=corrections,
            next_before=next_before,
        )

        return correction_page
