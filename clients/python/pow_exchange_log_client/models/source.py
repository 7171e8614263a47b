from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Source")


@_attrs_define
class Source:
    """
    Attributes:
        url (str):  Example: https://www.reuters.com/world/europe/swap-2026-02-05/.
        published_on (datetime.date | Unset):
        publisher (str | Unset):
        quote (str | Unset):
        title (str | Unset):
    """

    url: str
    published_on: datetime.date | Unset = UNSET
    publisher: str | Unset = UNSET
    quote: str | Unset = UNSET
    title: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        published_on: str | Unset = UNSET
        if not isinstance(self.published_on, Unset):
            published_on = self.published_on.isoformat()

        publisher = self.publisher

        quote = self.quote

        title = self.title

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if published_on is not UNSET:
            field_dict["published_on"] = published_on
        if publisher is not UNSET:
            field_dict["publisher"] = publisher
        if quote is not UNSET:
            field_dict["quote"] = quote
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        _published_on = d.pop("published_on", UNSET)
        published_on: datetime.date | Unset
        if isinstance(_published_on, Unset):
            published_on = UNSET
        else:
            published_on = datetime.date.fromisoformat(_published_on)

        publisher = d.pop("publisher", UNSET)

        quote = d.pop("quote", UNSET)

        title = d.pop("title", UNSET)

        source = cls(
            url=url,
            published_on=published_on,
            publisher=publisher,
            quote=quote,
            title=title,
        )

        return source
