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


T = TypeVar("T", bound="AttemptWrite")


@_attrs_define
class AttemptWrite:
    """
    Attributes:
        occurred_on (datetime.date): When it happened (not in the future, not before 2014-01-01) Example: 2026-02-05.
        reason (str):
        sources (list[Source]):
        agreement_id (str | Unset): An existing agreement, not retracted (422 otherwise)
        blamed_party (Party | Unset): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        date_precision (DatePrecision | Unset): How much of occurred_on is known: day, or only the month or year
            Default: DatePrecision.DAY.
        id (str | Unset): Resource id; generated from occurred_on when absent
        proposal_id (str | Unset): An existing proposal, not retracted (422 otherwise)
    """

    occurred_on: datetime.date
    reason: str
    sources: list[Source]
    agreement_id: str | Unset = UNSET
    blamed_party: Party | Unset = UNSET
    date_precision: DatePrecision | Unset = DatePrecision.DAY
    id: str | Unset = UNSET
    proposal_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        occurred_on = self.occurred_on.isoformat()

        reason = self.reason

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        agreement_id = self.agreement_id

        blamed_party: str | Unset = UNSET
        if not isinstance(self.blamed_party, Unset):
            blamed_party = self.blamed_party.value

        date_precision: str | Unset = UNSET
        if not isinstance(self.date_precision, Unset):
            date_precision = self.date_precision.value

        id = self.id

        proposal_id = self.proposal_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "occurred_on": occurred_on,
                "reason": reason,
                "sources": sources,
            }
        )
        if agreement_id is not UNSET:
            field_dict["agreement_id"] = agreement_id
        if blamed_party is not UNSET:
            field_dict["blamed_party"] = blamed_party
        if date_precision is not UNSET:
            field_dict["date_precision"] = date_precision
        if id is not UNSET:
            field_dict["id"] = id
        if proposal_id is not UNSET:
            field_dict["proposal_id"] = proposal_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        reason = d.pop("reason")

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        agreement_id = d.pop("agreement_id", UNSET)

        _blamed_party = d.pop("blamed_party", UNSET)
        blamed_party: Party | Unset
        if isinstance(_blamed_party, Unset):
            blamed_party = UNSET
        else:
            blamed_party = Party(_blamed_party)

        _date_precision = d.pop("date_precision", UNSET)
        date_precision: DatePrecision | Unset
        if isinstance(_date_precision, Unset):
            date_precision = UNSET
        else:
            date_precision = DatePrecision(_date_precision)

        id = d.pop("id", UNSET)

        proposal_id = d.pop("proposal_id", UNSET)

        attempt_write = cls(
            occurred_on=occurred_on,
            reason=reason,
            sources=sources,
            agreement_id=agreement_id,
            blamed_party=blamed_party,
            date_precision=date_precision,
            id=id,
            proposal_id=proposal_id,
        )

        return attempt_write
