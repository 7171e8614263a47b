from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.batch_item_method import BatchItemMethod

if TYPE_CHECKING:
    from ..models.batch_item_body import BatchItemBody


T = TypeVar("T", bound="BatchItem")


@_attrs_define
class BatchItem:
    """
    Attributes:
        body (BatchItemBody): The JSON body that endpoint takes, validated by its schema
        method (BatchItemMethod): The write's HTTP method (every write is a POST)
        path (str): The write endpoint's path, e.g. /v1/swaps or /v1/proposals/p1/refusals. A resource or event written
            by an earlier item can be named by a reference segment: {items.N.id} (item N's event id, e.g.
            /v1/events/{items.0.id}/corrections) or {items.N.resource_id} (the id of the resource item N created, e.g.
            /v1/proposals/{items.0.resource_id}/refusals) Example: /v1/swaps.
    """

    body: BatchItemBody
    method: BatchItemMethod
    path: str

    def to_dict(self) -> dict[str, Any]:
        body = self.body.to_dict()

        method = self.method.value

        path = self.path

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "body": body,
                "method": method,
                "path": path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_item_body import BatchItemBody  # noqa: PLC0415

        d = dict(src_dict)
        body = BatchItemBody.from_dict(d.pop("body"))

        method = BatchItemMethod(d.pop("method"))

        path = d.pop("path")

        batch_item = cls(
            body=body,
            method=method,
            path=path,
        )

        return batch_item
