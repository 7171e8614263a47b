from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.date_precision import DatePrecision

if TYPE_CHECKING:
    from ..models.fact_values_data import FactValuesData


T = TypeVar("T", bound="FactValues")


@_attrs_define
class FactValues:
    """
    Attributes:
        data (FactValuesData):
        date_precision (DatePrecision): How much of occurred_on is known: day, or only the month or year
        occurred_on (datetime.date):
    """

    data: FactValuesData
    date_precision: DatePrecision
    occurred_on: datetime.date

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        date_precision = self.date_precision.value

        occurred_on = self.occurred_on.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "date_precision": date_precision,
                "occurred_on": occurred_on,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fact_values_data import FactValuesData  # noqa: PLC0415

        d = dict(src_dict)
        data = FactValuesData.from_dict(d.pop("data"))

        date_precision = DatePrecision(d.pop("date_precision"))

        occurred_on = datetime.date.fromisoformat(d.pop("occurred_on"))

        fact_values = cls(
            data=data,
            date_precision=date_precision,
            occurred_on=occurred_on,
        )

        return fact_values
