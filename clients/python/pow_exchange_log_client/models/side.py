from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.party import Party
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.alternative_figure import AlternativeFigure


T = TypeVar("T", bound="Side")


@_attrs_define
class Side:
    """
    Attributes:
        party (Party): ISO 3166-1 alpha-2 code of a party or mediator (the assigned codes)
        alternative_figures (list[AlternativeFigure] | Unset):
        bodies (int | Unset): Bodies handed over in the same operation
        civilians (int | Unset): Civilians among received
        medical (int | Unset): Returned under a medical (severely wounded or sick) exchange; they are counted among
            military or civilians too, so medical never exceeds received (only military + civilians are disjoint parts of
            it)
        military (int | Unset): Servicemen among received
        received (int | Unset): People this party received (POWs and civilians); military, civilians and medical are
            parts of it: military + civilians never exceed it
    """

    party: Party
    alternative_figures: list[AlternativeFigure] | Unset = UNSET
    bodies: int | Unset = UNSET
    civilians: int | Unset = UNSET
    medical: int | Unset = UNSET
    military: int | Unset = UNSET
    received: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        party = self.party.value

        alternative_figures: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.alternative_figures, Unset):
            alternative_figures = []
            for alternative_figures_item_data in self.alternative_figures:
                alternative_figures_item = alternative_figures_item_data.to_dict()
                alternative_figures.append(alternative_figures_item)

        bodies = self.bodies

        civilians = self.civilians

        medical = self.medical

        military = self.military

        received = self.received

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "party": party,
            }
        )
        if alternative_figures is not UNSET:
            field_dict["alternative_figures"] = alternative_figures
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
        party = Party(d.pop("party"))

        _alternative_figures = d.pop("alternative_figures", UNSET)
        alternative_figures: list[AlternativeFigure] | Unset = UNSET
        if _alternative_figures is not UNSET:
            alternative_figures = []
            for alternative_figures_item_data in _alternative_figures:
                alternative_figures_item = AlternativeFigure.from_dict(alternative_figures_item_data)

                alternative_figures.append(alternative_figures_item)

        bodies = d.pop("bodies", UNSET)

        civilians = d.pop("civilians", UNSET)

        medical = d.pop("medical", UNSET)

        military = d.pop("military", UNSET)

        received = d.pop("received", UNSET)

        side = cls(
            party=party,
            alternative_figures=alternative_figures,
            bodies=bodies,
            civilians=civilians,
            medical=medical,
            military=military,
            received=received,
        )

        return side
