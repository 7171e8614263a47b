from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.date_precision import DatePrecision

if TYPE_CHECKING:
    from ..models.acceptance_item import AcceptanceItem
    from ..models.correction_link import CorrectionLink
    from ..models.proposal_data import ProposalData
    from ..models.refusal_item import RefusalItem
    from ..models.source import Source


T = TypeVar("T", bound="ProposalView")


@_attrs_define
class ProposalView:
    """
    Attributes:
        acceptances (list[AcceptanceItem]):
        corrected (bool): Changed by a correction
        corrections (list[CorrectionLink]):
        data (ProposalData):
        date_precision (DatePrecision): How much of occurred_on is known: day, or only the month or year
        event_id (UUID):
        headline (str):
        href (str): The event in the raw log
        id (str):
        occurred_on (datetime.date):
        position (int):
        refusals (list[RefusalItem]):
        sources (list[Source]):
        stream (str):
        stream_version (int): For If-Match on writes to this resource
    """

    acceptances: list[AcceptanceItem]
    corrected: bool
    corrections: list[CorrectionLink]
    data: ProposalData
    date_precision: DatePrecision
    event_id: UUID
    headline: str
    href: str
    id: str
    occurred_on: datetime.date
    position: int
    refusals: list[RefusalItem]
    sources: list[Source]
    stream: str
    stream_version: int

    def to_dict(self) -> dict[str, Any]:
        acceptances = []
        for acceptances_item_data in self.acceptances:
            acceptances_item = acceptances_item_data.to_dict()
            acceptances.append(acceptances_item)

        corrected = self.corrected

        corrections = []
        for corrections_item_data in self.corrections:
            corrections_item = corrections_item_data.to_dict()
            corrections.append(corrections_item)

        data = self.data.to_dict()

        date_precision = self.date_precision.value

        event_id = str(self.event_id)

        headline = self.headline

        href = self.href

        id = self.id

        occurred_on = self.occurred_on.isoformat()

        position = self.position

        refusals = []
        for refusals_item_data in self.refusals:
            refusals_item = refusals_item_data.to_dict()
            refusals.append(refusals_item)

        sources = []
        for sources_item_data in self.sources:
            sources_item = sources_item_data.to_dict()
            sources.append(sources_item)

        stream = self.stream

        stream_version = self.stream_version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "acceptances": acceptances,
                "corrected": corrected,
                "corrections": corrections,
                "data": data,
                "date_precision": date_precision,
                "event_id": event_id,
                "headline": headline,
                "href": href,
                "id": id,
                "occurred_on": occurred_on,
                "position": position,
                "refusals": refusals,
                "sources": sources,
                "stream": stream,
                "stream_version": stream_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.acceptance_item import AcceptanceItem  # noqa: PLC0415
        from ..models.correction_link import CorrectionLink  # noqa: PLC0415
        from ..models.proposal_data import ProposalData  # noqa: PLC0415
        from ..models.refusal_item import RefusalItem  # noqa: PLC0415
        from ..models.source import Source  # noqa: PLC0415

        d = dict(src_dict)
        acceptances = []
        _acceptances = d.pop("acceptances")
        for acceptances_item_data in _acceptances:
            acceptances_item = AcceptanceItem.from_dict(acceptances_item_data)

            acceptances.append(acceptances_item)

        corrected = d.pop("corrected")

        corrections = []
        _corrections = d.pop("corrections")
        for corrections_item_data in _corrections:
            corrections_item = CorrectionLink.from_dict(corrections_item_data)

            corrections.append(corrections_item)

        data = ProposalData.from_dict(d.pop("data"))

        date_precision = DatePrecision(d.pop("date_precision"))

        event_id = UUID(d.pop("event_id"))

        headline = d.pop("headline")

        href = d.pop("href")

        id = d.pop("id")

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        position = d.pop("position")

        refusals = []
        _refusals = d.pop("refusals")
        for refusals_item_data in _refusals:
            refusals_item = RefusalItem.from_dict(refusals_item_data)

            refusals.append(refusals_item)

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = Source.from_dict(sources_item_data)

            sources.append(sources_item)

        stream = d.pop("stream")

        stream_version = d.pop("stream_version")

        proposal_view = cls(
            acceptances=acceptances,
            corrected=corrected,
            corrections=corrections,
            data=data,
            date_precision=date_precision,
            event_id=event_id,
            headline=headline,
            href=href,
            id=id,
            occurred_on=occurred_on,
            position=position,
            refusals=refusals,
            sources=sources,
            stream=stream,
            stream_version=stream_version,
        )

        return proposal_view
