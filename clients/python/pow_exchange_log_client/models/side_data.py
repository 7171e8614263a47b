from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.party import Party
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.alternative_figure import AlternativeFigure


T = TypeVar("T", bound="SideData")


@_attrs_define
class SideData:
    """
    Attributes:
        alternative_figures (list[AlternativeFigure]):
        party (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        bodies (int | Unset): Bodies handed over in the same operation
        civilians (int | Unset): Civilians among received
        medical (int | Unset): Returned under a medical (severely wounded or sick) exchange; they are counted among
            military or civilians too, so medical never exceeds received (only military + civilians are disjoint parts of
            it)
        military (int | Unset): Servicemen among received
        received (int | Unset): People this party received (POWs and civilians); military, civilians and medical are
            parts of it: military + civilians never exceed it
    """

    alternative_figures: list[AlternativeFigure]
    party: Party
    bodies: int | Unset = UNSET
    civilians: int | Unset = UNSET
    medical: int | Unset = UNSET
    military: int | Unset = UNSET
    received: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        alternative_figures = []
        for alternative_figures_item_data in self.alternative_figures:
            alternative_figures_item = alternative_figures_item_data.to_dict()
            alternative_figures.append(alternative_figures_item)

        party = self.party.value

        bodies = self.bodies

        civilians = self.civilians

        medical = self.medical

        military = self.military

        received = self.received

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "alternative_figures": alternative_figures,
                "party": party,
            }
        )
        if bodies is not UNSET:
            field_dict["bodies"] = bodies
        if civilians is not UNSET:
            field_dict["civilians"] = civilians
        if medical is not UNSET:
            field_dict["medical"] = medical
        if military is not UNSET:
            field_dict["military"] = military
        if received is not UNSET:
            field_dict["received"] = received

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alternative_figure import AlternativeFigure  # noqa: PLC0415

        d = dict(src_dict)
        alternative_figures = []
        _alternative_figures = d.pop("alternative_figures")
        for alternative_figures_item_data in _alternative_figures:
            alternative_figures_item = AlternativeFigure.from_dict(alternative_figures_item_data)

            alternative_figures.append(alternative_figures_item)

        party = Party(d.pop("party"))

        bodies = d.pop("bodies", UNSET)

        civilians = d.pop("civilians", UNSET)

        medical = d.pop("medical", UNSET)

        military = d.pop("military", UNSET)

        received = d.pop("received", UNSET)

        side_data = cls(
            alternative_figures=alternative_figures,
            party=party,
            bodies=bodies,
            civilians=civilians,
            medical=medical,
            military=military,
            received=received,
        )

        return side_data
