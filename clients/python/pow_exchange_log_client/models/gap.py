from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Gap")


@_attrs_define
class Gap:
    """
    Attributes:
        breaches (int):
        days (int):
        failed_attempts (int):
        from_swap (datetime.date):
        proposals (int):
        refusals (int):
        to_swap (datetime.date):
    """

    breaches: int
    days: int
    failed_attempts: int
    from_swap: datetime.date
    proposals: int
    refusals: int
    to_swap: datetime.date

    def to_dict(self) -> dict[str, Any]:
        breaches = self.breaches

        days = self.days

        failed_attempts = self.failed_attempts

        from_swap = self.from_swap.isoformat()

        proposals = self.proposals

        refusals = self.refusals

        to_swap = self.to_swap.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "breaches": breaches,
                "days": days,
                "failed_attempts": failed_attempts,
                "from_swap": from_swap,
                "proposals": proposals,
                "refusals": refusals,
                "to_swap": to_swap,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        breaches = d.pop("breaches")

        days = d.pop("days")

        failed_attempts = d.pop("failed_attempts")

        from_swap = datetime.date.fromisoformat(d.pop("from_swap"))

        proposals = d.pop("proposals")

        refusals = d.pop("refusals")

        to_swap = datetime.date.fromisoformat(d.pop("to_swap"))

        gap = cls(
            breaches=breaches,
            days=days,
            failed_attempts=failed_attempts,
            from_swap=from_swap,
            proposals=proposals,
            refusals=refusals,
            to_swap=to_swap,
        )

        return gap
