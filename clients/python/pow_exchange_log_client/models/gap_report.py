from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.gap import Gap
    from ..models.gap_summary import GapSummary


T = TypeVar("T", bound="GapReport")


@_attrs_define
class GapReport:
    """
    Attributes:
        as_of_position (int): The log position this answer reflects
        gaps (list[Gap]):
        summary (GapSummary):
    """

    as_of_position: int
    gaps: list[Gap]
    summary: GapSummary

    def to_dict(self) -> dict[str, Any]:
        as_of_position = self.as_of_position

        gaps = []
        for gaps_item_data in self.gaps:
            gaps_item = gaps_item_data.to_dict()
            gaps.append(gaps_item)

        summary = self.summary.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "as_of_position": as_of_position,
                "gaps": gaps,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gap import Gap  # noqa: PLC0415
        from ..models.gap_summary import GapSummary  # noqa: PLC0415

        d = dict(src_dict)
        as_of_position = d.pop("as_of_position")

        gaps = []
        _gaps = d.pop("gaps")
        for gaps_item_data in _gaps:
            gaps_item = Gap.from_dict(gaps_item_data)

            gaps.append(gaps_item)

        summary = GapSummary.from_dict(d.pop("summary"))

        gap_report = cls(
            as_of_position=as_of_position,
            gaps=gaps,
            summary=summary,
        )

        return gap_report
