from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.party import Party
from ..types import UNSET, Unset

T = TypeVar("T", bound="AcceptanceData")


@_attrs_define
class AcceptanceData:
    """
    Attributes:
        accepted_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        proposal_id (str): The proposal it belongs to
        actor (str | Unset):
    """

    accepted_by: Party
    proposal_id: str
    actor: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        accepted_by = self.accepted_by.value

        proposal_id = self.proposal_id

        actor = self.actor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "accepted_by": accepted_by,
                "proposal_id": proposal_id,
            }
        )
        if actor is not UNSET:
            field_dict["actor"] = actor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accepted_by = Party(d.pop("accepted_by"))

        proposal_id = d.pop("proposal_id")

        actor = d.pop("actor", UNSET)

        acceptance_data = cls(
            accepted_by=accepted_by,
            proposal_id=proposal_id,
            actor=actor,
        )

        return acceptance_data
