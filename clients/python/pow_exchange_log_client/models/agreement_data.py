from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.party import Party
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.term_data import TermData


T = TypeVar("T", bound="AgreementData")


@_attrs_define
class AgreementData:
    """
    Attributes:
        name (str):  Example: Istanbul arrangements.
        parties (list[Party]):  Example: ['UA', 'RU'].
        terms (list[TermData]):
        summary (str | Unset):
        venue (str | Unset):
    """

    name: str
    parties: list[Party]
    terms: list[TermData]
    summary: str | Unset = UNSET
    venue: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        parties = []
        for parties_item_data in self.parties:
            parties_item = parties_item_data.value
            parties.append(parties_item)

        terms = []
        for terms_item_data in self.terms:
            terms_item = terms_item_data.to_dict()
            terms.append(terms_item)

        summary = self.summary

        venue = self.venue

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "parties": parties,
                "terms": terms,
            }
        )
        if summary is not UNSET:
            field_dict["summary"] = summary
        if venue is not UNSET:
            field_dict["venue"] = venue

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.term_data import TermData  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        parties = []
        _parties = d.pop("parties")
        for parties_item_data in _parties:
            parties_item = Party(parties_item_data)

            parties.append(parties_item)

        terms = []
        _terms = d.pop("terms")
        for terms_item_data in _terms:
            terms_item = TermData.from_dict(terms_item_data)

            terms.append(terms_item)

        summary = d.pop("summary", UNSET)

        venue = d.pop("venue", UNSET)

        agreement_data = cls(
            name=name,
            parties=parties,
            terms=terms,
            summary=summary,
            venue=venue,
        )

        return agreement_data
