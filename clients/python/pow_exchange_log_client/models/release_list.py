from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.release import Release


T = TypeVar("T", bound="ReleaseList")


@_attrs_define
class ReleaseList:
    """
    Attributes:
        releases (list[Release]):
    """

    releases: list[Release]

    def to_dict(self) -> dict[str, Any]:
        releases = []
        for releases_item_data in self.releases:
            releases_item = releases_item_data.to_dict()
            releases.append(releases_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "releases": releases,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.release import Release  # noqa: PLC0415

        d = dict(src_dict)
        releases = []
        _releases = d.pop("releases")
        for releases_item_data in _releases:
            releases_item = Release.from_dict(releases_item_data)

            releases.append(releases_item)

        release_list = cls(
            releases=releases,
        )

        return release_list
