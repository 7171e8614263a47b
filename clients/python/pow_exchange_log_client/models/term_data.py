from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.term_basis import TermBasis
from ..types import UNSET, Unset

T = TypeVar("T", bound="TermData")


@_attrs_define
class TermData:
    """
    Attributes:
        basis (TermBasis):
        category (Category): Who is exchanged: the one vocabulary of proposals, terms and swaps
        open_ended (bool):
        count (int | Unset):
    """

    basis: TermBasis
    category: Category
    open_ended: bool
    count: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        basis = self.basis.value

        category = self.category.value

        open_ended = self.open_ended

        count = self.count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "basis": basis,
                "category": category,
                "open_ended": open_ended,
            }
        )
        if count is not UNSET:
            field_dict["count"] = count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        basis = TermBasis(d.pop("basis"))

        category = Category(d.pop("category"))

        open_ended = d.pop("open_ended")

        count = d.pop("count", UNSET)

        term_data = cls(
            basis=basis,
            category=category,
            open_ended=open_ended,
            count=count,
        )

        return term_data
