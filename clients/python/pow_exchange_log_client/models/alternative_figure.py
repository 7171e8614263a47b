from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.party import Party
from ..types import UNSET, Unset

T = TypeVar("T", bound="AlternativeFigure")


@_attrs_define
class AlternativeFigure:
    """
    Attributes:
        claimed_by (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        received (int):
        note (str | Unset):
    """

    claimed_by: Party
    received: int
    note: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        claimed_by = self.claimed_by.value

        received = self.received

        note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "claimed_by": claimed_by,
                "received": received,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        claimed_by = Party(d.pop("claimed_by"))

        received = d.pop("received")

        note = d.pop("note", UNSET)

        alternative_figure = cls(
            claimed_by=claimed_by,
            received=received,
            note=note,
        )

        return alternative_figure
