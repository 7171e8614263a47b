"""A batch of writes (POST /v1/batches) and its answer."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..domain.batches import MAX_ITEMS
from .common import EnvelopeSchema, StrictSchema
from .fields import Text


class BatchItemSchema(StrictSchema):
    """One write, as it would be sent to its own endpoint."""

    method = fields.String(
        required=True,
        validate=validate.OneOf(["POST"]),
        metadata={"description": "The write's HTTP method (every write is a POST)"},
    )
    path = Text(
        required=True,
        max_length=2000,
        metadata={
            "description": "The write endpoint's path, e.g. /v1/swaps or"
            " /v1/proposals/p1/refusals. A resource or event written by an earlier item can"
            " be named by a reference segment: {items.N.id} (item N's event id, e.g."
            " /v1/events/{items.0.id}/corrections) or {items.N.resource_id} (the id of the"
            " resource item N created, e.g. /v1/proposals/{items.0.resource_id}/refusals)",
            "example": "/v1/swaps",
        },
    )
    body = fields.Dict(
        required=True,
        metadata={"description": "The JSON body that endpoint takes, validated by its schema"},
    )


class BatchWrite(StrictSchema):
    items = fields.List(
        fields.Nested(BatchItemSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_ITEMS, error=f"Give 1 to {MAX_ITEMS} items."),
    )


class BatchResult(Schema):
    """The stored events, one per item, in the items' order."""

    events = fields.List(fields.Nested(EnvelopeSchema), required=True)
