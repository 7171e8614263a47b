from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.category import Category
from ..models.term_basis import TermBasis
from ..types import UNSET, Unset

T = TypeVar("T", bound="Term")


@_attrs_define
class Term:
    """
    Attributes:
        basis (TermBasis):
        category (Category): Who is exchanged: the one vocabulary of proposals, terms and swaps
        count (int | Unset):
        open_ended (bool | Unset):  Default: False.
    """

    basis: TermBasis
    category: Category
    count: int | Unset = UNSET
    open_ended: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        basis = self.basis.value

        category = self.category.value

        count = self.count

        open_ended = self.open_ended

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "basis": basis,
                "category": category,
            }
        )
        if count is not UNSET:
            field_dict["count"] = count
        if open_ended is not UNSET:
            field_dict["open_ended"] = open_ended

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        basis = TermBasis(d.pop("basis"))

        category = Category(d.pop("category"))

        count = d.pop("count", UNSET)

        open_ended = d.pop("open_ended", UNSET)

        term = cls(
            basis=basis,
            category=category,
            count=count,
            open_ended=open_ended,
        )

        return term
