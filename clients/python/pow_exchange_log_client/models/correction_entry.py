from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.correction_entry_type import CorrectionEntryType

if TYPE_CHECKING:
    from ..models.correction_entry_changes_type_0 import CorrectionEntryChangesType0
    from ..models.fact_values import FactValues


T = TypeVar("T", bound="CorrectionEntry")


@_attrs_define
class CorrectionEntry:
    """
    Attributes:
        after (FactValues | None): null: retracted
        before (FactValues | None):
        changes (CorrectionEntryChangesType0 | None):
        event_id (UUID):
        href (str):
        occurred_on (datetime.date):
        position (int):
        reason (str):
        recorded_at (str):
        recorded_by (str):
        target_event_id (UUID):
        target_stream (str):
        target_type (None | str):
        type_ (CorrectionEntryType):
    """

    after: FactValues | None
    before: FactValues | None
    changes: CorrectionEntryChangesType0 | None
    event_id: UUID
    href: str
    occurred_on: datetime.date
    position: int
    reason: str
    recorded_at: str
    recorded_by: str
    target_event_id: UUID
    target_stream: str
    target_type: None | str
    type_: CorrectionEntryType

    def to_dict(self) -> dict[str, Any]:
        from ..models.correction_entry_changes_type_0 import CorrectionEntryChangesType0  # noqa: PLC0415
        from ..models.fact_values import FactValues  # noqa: PLC0415

        after: dict[str, Any] | None
        if isinstance(self.after, FactValues):
            after = self.after.to_dict()
        else:
            after = self.after

        before: dict[str, Any] | None
        if isinstance(self.before, FactValues):
            before = self.before.to_dict()
        else:
            before = self.before

        changes: dict[str, Any] | None
        if isinstance(self.changes, CorrectionEntryChangesType0):
            changes = self.changes.to_dict()
        else:
            changes = self.changes

        event_id = str(self.event_id)

        href = self.href

        occurred_on = self.occurred_on.isoformat()

        position = self.position

        reason = self.reason

        recorded_at = self.recorded_at

        recorded_by = self.recorded_by

        target_event_id = str(self.target_event_id)

        target_stream = self.target_stream

        target_type: None | str
        target_type = self.target_type

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "after": after,
                "before": before,
                "changes": changes,
                "event_id": event_id,
                "href": href,
                "occurred_on": occurred_on,
                "position": position,
                "reason": reason,
                "recorded_at": recorded_at,
                "recorded_by": recorded_by,
                "target_event_id": target_event_id,
                "target_stream": target_stream,
                "target_type": target_type,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.correction_entry_changes_type_0 import CorrectionEntryChangesType0  # noqa: PLC0415
        from ..models.fact_values import FactValues  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_after(data: object) -> FactValues | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                after_type_1 = FactValues.from_dict(data)

                return after_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FactValues | None, data)

        after = _parse_after(d.pop("after"))

        def _parse_before(data: object) -> FactValues | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                before_type_1 = FactValues.from_dict(data)

                return before_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FactValues | None, data)

        before = _parse_before(d.pop("before"))

        def _parse_changes(data: object) -> CorrectionEntryChangesType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                changes_type_0 = CorrectionEntryChangesType0.from_dict(data)

                return changes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CorrectionEntryChangesType0 | None, data)

        changes = _parse_changes(d.pop("changes"))

        event_id = UUID(d.pop("event_id"))

        href = d.pop("href")

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        position = d.pop("position")

        reason = d.pop("reason")

        recorded_at = d.pop("recorded_at")

        recorded_by = d.pop("recorded_by")

        target_event_id = UUID(d.pop("target_event_id"))

        target_stream = d.pop("target_stream")

        def _parse_target_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_type = _parse_target_type(d.pop("target_type"))

        type_ = CorrectionEntryType(d.pop("type"))

        correction_entry = cls(
            after=after,
            before=before,
            changes=changes,
            event_id=event_id,
            href=href,
            occurred_on=occurred_on,
            position=position,
            reason=reason,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            target_event_id=target_event_id,
            target_stream=target_stream,
            target_type=target_type,
            type_=type_,
        )

        return correction_entry
