from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Release")


@_attrs_define
class Release:
    """
    Attributes:
        created_at (str):
        created_by (str):
        hash_ (None | str):
        name (str):
        position (int): Head position when cut
        description (None | str | Unset):
    """

    created_at: str
    created_by: str
    hash_: None | str
    name: str
    position: int
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        created_by = self.created_by

        hash_: None | str
        hash_ = self.hash_

        name = self.name

        position = self.position

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "hash": hash_,
                "name": name,
                "position": position,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        created_by = d.pop("created_by")

        def _parse_hash_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        hash_ = _parse_hash_(d.pop("hash"))

        name = d.pop("name")

        position = d.pop("position")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        release = cls(
            created_at=created_at,
            created_by=created_by,
            hash_=hash_,
            name=name,
            position=position,
            description=description,
        )

        return release
