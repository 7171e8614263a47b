from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.figure import Figure


T = TypeVar("T", bound="Received")


@_attrs_define
class Received:
    """
    Attributes:
        bodies (Figure):
        civilians (Figure):
        medical (Figure):
        military (Figure):
        party (str):
        received (Figure):
        swaps (int):
    """

    bodies: Figure
    civilians: Figure
    medical: Figure
    military: Figure
    party: str
    received: Figure
    swaps: int

    def to_dict(self) -> dict[str, Any]:
        bodies = self.bodies.to_dict()

        civilians = self.civilians.to_dict()

        medical = self.medical.to_dict()

        military = self.military.to_dict()

        party = self.party

        received = self.received.to_dict()

        swaps = self.swaps

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "bodies": bodies,
                "civilians": civilians,
                "medical": medical,
                "military": military,
                "party": party,
                "received": received,
                "swaps": swaps,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.figure import Figure  # noqa: PLC0415

        d = dict(src_dict)
        bodies = Figure.from_dict(d.pop("bodies"))

        civilians = Figure.from_dict(d.pop("civilians"))

        medical = Figure.from_dict(d.pop("medical"))

        military = Figure.from_dict(d.pop("military"))

        party = d.pop("party")

        received = Figure.from_dict(d.pop("received"))

        swaps = d.pop("swaps")

        received = cls(
            bodies=bodies,
            civilians=civilians,
            medical=medical,
            military=military,
            party=party,
            received=received,
            swaps=swaps,
        )

        return received
