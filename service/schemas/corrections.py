"""Corrections and retractions of earlier events."""

from __future__ import annotations

from marshmallow import fields

from .common import ChildSchema, StrictSchema
from .fields import Text


class CorrectionPayload(StrictSchema):
    changes = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={
            "description": "New values for top-level fields of the target's data"
            " (and occurred_on / date_precision), validated against the target's type"
        },
    )
    reason = Text(required=True)


class RetractionPayload(StrictSchema):
    reason = Text(required=True)


class CorrectionWrite(ChildSchema, CorrectionPayload):
    pass


class RetractionWrite(ChildSchema, RetractionPayload):
    pass
