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
    from ..models.term import Term


T = TypeVar("T", bound="AgreementWrite")


@_attrs_define
class AgreementWrite:
    """
    Attributes:
        name (str):  Example: Istanbul arrangements.
        occurred_on (datetime.date): When it happened (not in the future, not before 2014-01-01) Example: 2026-02-05.
        parties (list[Party]):  Example: ['UA', 'RU'].
        sources (list[Source]):
        date_precision (DatePrecision | Unset): How much of occurred_on is known: day, or only the month or year
            Default: DatePrecision.DAY.
        id (str | Unset): Resource id; generated from occurred_on when absent
        summary (str | Unset):
        terms (list[Term] | Unset):
        venue (str | Unset):
    """

    name: str
    occurred_on: datetime.date
    parties: list[Party]
    sources: list[Source]
    date_precision: DatePrecision | Unset = DatePrecision.DAY
    id: str | Unset = UNSET
    summary: str | Unset = UNSET
    terms: list[Term] | Unset = UNSET
    venue: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        occurred_on = self.occurred_on.isoformat()

        parties = []
        for parties_item_data in self.parties:
            parties_item = parties_item_data.value
            parties.append(parties_item)

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        date_precision: str | Unset = UNSET
        if not isinstance(self.date_precision, Unset):
            date_precision = self.date_precision.value

        id = self.id

        summary = self.summary

        terms: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.terms, Unset):
            terms = []
            for terms_item_data in self.terms:
                terms_item = terms_item_data.to_dict()
                terms.append(terms_item)

        venue = self.venue

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "occurred_on": occurred_on,
                "parties": parties,
                "sources": sources,
            }
        )
        if date_precision is not UNSET:
            field_dict["date_precision"] = date_precision
        if id is not UNSET:
            field_dict["id"] = id
        if summary is not UNSET:
            field_dict["summary"] = summary
        if terms is not UNSET:
            field_dict["terms"] = terms
        if venue is not UNSET:
            field_dict["venue"] = venue

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.source import Source  # noqa: PLC0415
        from ..models.term import Term  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        parties = []
        _parties = d.pop("parties")
        for parties_item_data in _parties:
            parties_item = Party(parties_item_data)

            parties.append(parties_item)

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

        id = d.pop("id", UNSET)

        summary = d.pop("summary", UNSET)

        _terms = d.pop("terms", UNSET)
        terms: list[Term] | Unset = UNSET
        if _terms is not UNSET:
            terms = []
            for terms_item_data in _terms:
                terms_item = Term.from_dict(terms_item_data)

                terms.append(terms_item)

        venue = d.pop("venue", UNSET)

        agreement_write = cls(
            name=name,
            occurred_on=occurred_on,
            parties=parties,
            sources=sources,
            date_precision=date_precision,
            id=id,
            summary=summary,
            terms=terms,
            venue=venue,
        )

        return agreement_write
