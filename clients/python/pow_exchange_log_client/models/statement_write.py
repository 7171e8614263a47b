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


T = TypeVar("T", bound="StatementWrite")


@_attrs_define
class StatementWrite:
    """
    Attributes:
        occurred_on (datetime.date): When it happened (not in the future, not before 2014-01-01) Example: 2026-02-05.
        party (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        sources (list[Source]):
        speaker (str): Person or office
        summary (str):
        date_precision (DatePrecision | Unset): How much of occurred_on is known: day, or only the month or year
            Default: DatePrecision.DAY.
        id (str | Unset): Resource id; generated from occurred_on when absent
        quote (str | Unset):
    """

    occurred_on: datetime.date
    party: Party
    sources: list[Source]
    speaker: str
    summary: str
    date_precision: DatePrecision | Unset = DatePrecision.DAY
    id: str | Unset = UNSET
    quote: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        occurred_on = self.occurred_on.isoformat()

        party = self.party.value

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        speaker = self.speaker

        summary = self.summary

        date_precision: str | Unset = UNSET
        if not isinstance(self.date_precision, Unset):
            date_precision = self.date_precision.value

        id = self.id

        quote = self.quote

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "occurred_on": occurred_on,
                "party": party,
                "sources": sources,
                "speaker": speaker,
                "summary": summary,
            }
        )
        if date_precision is not UNSET:
            field_dict["date_precision"] = date_precision
        if id is not UNSET:
            field_dict["id"] = id
        if quote is not UNSET:
            field_dict["quote"] = quote

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        party = Party(d.pop("party"))

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        speaker = d.pop("speaker")

        summary = d.pop("summary")

        _date_precision = d.pop("date_precision", UNSET)
        date_precision: DatePrecision | Unset
        if isinstance(_date_precision, Unset):
            date_precision = UNSET
        else:
            date_precision = DatePrecision(_date_precision)

        id = d.pop("id", UNSET)

        quote = d.pop("quote", UNSET)

        statement_write = cls(
            occurred_on=occurred_on,
            party=party,
            sources=sources,
            speaker=speaker,
            summary=summary,
            date_precision=date_precision,
            id=id,
            quote=quote,
        )

        return statement_write
