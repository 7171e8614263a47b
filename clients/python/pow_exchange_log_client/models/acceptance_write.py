from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.date_precision import DatePrecision
from ..models.party import Party
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.source import Source


T = TypeVar("T", bound="AcceptanceWrite")


@_attrs_define
class AcceptanceWrite:
    """
    Attributes:
        accepted_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        occurred_on (datetime.date): When it happened (not in the future, not before 2014-01-01) Example: 2026-02-05.
        sources (list[Source]):
        actor (str | Unset):
        date_precision (DatePrecision | Unset): How much of occurred_on is known: day, or only the month or year
            Default: DatePrecision.DAY.
        expected_version (int | Unset): Current stream_version you expect; 409 when it differs
    """

    accepted_by: Party
    occurred_on: datetime.date
    sources: list[Source]
    actor: str | Unset = UNSET
    date_precision: DatePrecision | Unset = DatePrecision.DAY
    expected_version: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        accepted_by = self.accepted_by.value

        occurred_on = self.occurred_on.isoformat()

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        actor = self.actor

        date_precision: str | Unset = UNSET
        if not isinstance(self.date_precision, Unset):
            date_precision = self.date_precision.value

        expected_version = self.expected_version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "accepted_by": accepted_by,
                "occurred_on": occurred_on,
                "sources": sources,
            }
        )
        if actor is not UNSET:
            field_dict["actor"] = actor
        if date_precision is not UNSET:
            field_dict["date_precision"] = date_precision
        if expected_version is not UNSET:
            field_dict["expected_version"] = expected_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        accepted_by = Party(d.pop("accepted_by"))

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        actor = d.pop("actor", UNSET)

        _date_precision = d.pop("date_precision", UNSET)
        date_precision: DatePrecision | Unset
        if isinstance(_date_precision, Unset):
            date_precision = UNSET
        else:
            date_precision = DatePrecision(_date_precision)

        expected_version = d.pop("expected_version", UNSET)

        acceptance_write = cls(
            accepted_by=accepted_by,
            occurred_on=occurred_on,
            sources=sources,
            actor=actor,
            date_precision=date_precision,
            expected_version=expected_version,
        )

        return acceptance_write
