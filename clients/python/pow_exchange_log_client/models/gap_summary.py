from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.gap_bounds import GapBounds


T = TypeVar("T", bound="GapSummary")


@_attrs_define
class GapSummary:
    """
    Attributes:
        current_gap_days (int | None):
        current_gap_since (datetime.date | None):
        gaps (int):
        longest (GapBounds | None):
        max_days (int | None):
        mean_days (float | None):
        median_days (float | None):
        swaps (int):
    """

    current_gap_days: int | None
    current_gap_since: datetime.date | None
    gaps: int
    longest: GapBounds | None
    max_days: int | None
    mean_days: float | None
    median_days: float | None
    swaps: int

    def to_dict(self) -> dict[str, Any]:
        from ..models.gap_bounds import GapBounds  # noqa: PLC0415

        current_gap_days: int | None
        current_gap_days = self.current_gap_days

        current_gap_since: None | str
        if isinstance(self.current_gap_since, datetime.date):
            current_gap_since = self.current_gap_since.isoformat()
        else:
            current_gap_since = self.current_gap_since

        gaps = self.gaps

        longest: dict[str, Any] | None
        if isinstance(self.longest, GapBounds):
            longest = self.longest.to_dict()
        else:
            longest = self.longest

        max_days: int | None
        max_days = self.max_days

        mean_days: float | None
        mean_days = self.mean_days

        median_days: float | None
        median_days = self.median_days

        swaps = self.swaps

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "current_gap_days": current_gap_days,
                "current_gap_since": current_gap_since,
                "gaps": gaps,
                "longest": longest,
                "max_days": max_days,
                "mean_days": mean_days,
                "median_days": median_days,
                "swaps": swaps,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gap_bounds import GapBounds  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_current_gap_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        current_gap_days = _parse_current_gap_days(d.pop("current_gap_days"))

        def _parse_current_gap_since(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                current_gap_since_type_0 = datetime.date.fromisoformat(data)

                return current_gap_since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        current_gap_since = _parse_current_gap_since(d.pop("current_gap_since"))

        gaps = d.pop("gaps")

        def _parse_longest(data: object) -> GapBounds | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                longest_type_1 = GapBounds.from_dict(data)

                return longest_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GapBounds | None, data)

        longest = _parse_longest(d.pop("longest"))

        def _parse_max_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_days = _parse_max_days(d.pop("max_days"))

        def _parse_mean_days(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean_days = _parse_mean_days(d.pop("mean_days"))

        def _parse_median_days(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        median_days = _parse_median_days(d.pop("median_days"))

        swaps = d.pop("swaps")

        gap_summary = cls(
            current_gap_days=current_gap_days,
            current_gap_since=current_gap_since,
            gaps=gaps,
            longest=longest,
            max_days=max_days,
            mean_days=mean_days,
            median_days=median_days,
            swaps=swaps,
        )

        return gap_summary
