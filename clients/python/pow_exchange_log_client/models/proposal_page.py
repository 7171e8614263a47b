from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.proposal_view import ProposalView


T = TypeVar("T", bound="ProposalPage")


@_attrs_define
class ProposalPage:
    """
    Attributes:
        as_of_position (int): The log position this answer reflects
        next_after (int | None): null on the last page
        proposals (list[ProposalView]):
    """

    as_of_position: int
    next_after: int | None
    proposals: list[ProposalView]

    def to_dict(self) -> dict[str, Any]:
        as_of_position = self.as_of_position

        next_after: int | None
        next_after = self.next_after

        proposals = []
        for proposals_item_data in self.proposals:
            proposals_item = proposals_item_data.to_dict()
            proposals.append(proposals_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "as_of_position": as_of_position,
                "next_after": next_after,
                "proposals": proposals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.proposal_view import ProposalView  # noqa: PLC0415

        d = dict(src_dict)
        as_of_position = d.pop("as_of_position")

        def _parse_next_after(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_after = _parse_next_after(d.pop("next_after"))

        proposals = []
        _proposals = d.pop("proposals")
        for proposals_item_data in _proposals:
            proposals_item = ProposalView.from_dict(proposals_item_data)

            proposals.append(proposals_item)

        proposal_page = cls(
            as_of_position=as_of_position,
            next_after=next_after,
            proposals=proposals,
        )

        return proposal_page
