from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="LogHead")


@_attrs_define
class LogHead:
    """
    Attributes:
        hash_ (None | str):
        position (int): 0 for an empty log
    """

    hash_: None | str
    position: int

    def to_dict(self) -> dict[str, Any]:
        hash_: None | str
        hash_ = self.hash_

        position = self.position

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "hash": hash_,
                "position": position,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_hash_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        hash_ = _parse_hash_(d.pop("hash"))

        position = d.pop("position")

        log_head = cls(
            hash_=hash_,
            position=position,
        )

        return log_head
