from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.date_precision import DatePrecision
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.correction_write_changes import CorrectionWriteChanges
    from ..models.source import Source


T = TypeVar("T", bound="CorrectionWrite")


@_attrs_define
class CorrectionWrite:
    """
    Attributes:
        changes (CorrectionWriteChanges): New values for top-level fields of the target's data (and occurred_on /
            date_precision): at least one, each a field of the target's type, and the result is validated as the target's
            type would be
        occurred_on (datetime.date): When it happened (not in the future, not before 2014-01-01) Example: 2026-02-05.
        reason (str):
        sources (list[Source]):
        date_precision (DatePrecision | Unset): How much of occurred_on is known: day, or only the month or year
            Default: DatePrecision.DAY.
        expected_version (int | Unset): Current stream_version you expect; 409 when it differs
    """

    changes: CorrectionWriteChanges
    occurred_on: datetime.date
    reason: str
    sources: list[Source]
    date_precision: DatePrecision | Unset = DatePrecision.DAY
    expected_version: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        changes = self.changes.to_dict()

        occurred_on = self.occurred_on.isoformat()

        reason = self.reason

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        date_precision: str | Unset = UNSET
        if not isinstance(self.date_precision, Unset):
            date_precision = self.date_precision.value

        expected_version = self.expected_version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "changes": changes,
                "occurred_on": occurred_on,
                "reason": reason,
                "sources": sources,
            }
        )
        if date_precision is not UNSET:
            field_dict["date_precision"] = date_precision
        if expected_version is not UNSET:
            field_dict["expected_version"] = expected_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.correction_write_changes import CorrectionWriteChanges  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        changes = CorrectionWriteChanges.from_dict(d.pop("changes"))

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        reason = d.pop("reason")

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        _date_precision = d.pop("date_precision", UNSET)
        date_precision: DatePrecision | Unset
        if isinstance(_date_precision, Unset):
            date_precision = UNSET
        else:
            date_precision = DatePrecision(_date_precision)

        expected_version = d.pop("expected_version", UNSET)

        correction_write = cls(
            changes=changes,
            occurred_on=occurred_on,
            reason=reason,
            sources=sources,
            date_precision=date_precision,
            expected_version=expected_version,
        )

        return correction_write
