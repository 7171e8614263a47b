"""Query arguments of the log reads."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..domain.events import EVENT_TYPES
from .fields import COMPONENT, MAX_POSITION_CURSOR


class EventQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    after = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_POSITION_CURSOR),  # more is a 422
        metadata={"description": "Return events with position greater than this"},
    )
    limit = fields.Integer(
        validate=validate.Range(min=1, max=1000),
        metadata={"description": "Page size, 1 to 1000 (default 100; NDJSON: no limit)"},
    )
    type = fields.List(
        fields.String(
            validate=validate.OneOf(sorted(EVENT_TYPES)), metadata={COMPONENT: "EventType"}
        ),
        metadata={"description": "Only these event types (repeat the parameter for several)"},
    )
    format = fields.String(
        validate=validate.OneOf(("json", "ndjson")),
        metadata={
            "description": "json (default) or ndjson: every matching event, one per line, as"
            " with Accept: application/x-ndjson (for a plain download link)"
        },
    )
    stream = fields.String(
        # No NUL: PostgreSQL cannot even compare text holding one (it was a 500).
        validate=[
            validate.Length(max=80),
            validate.Regexp(r"^[^\x00]*$", error="Must not contain NUL characters."),
        ],
        metadata={"example": "swap/2026-02-05"},
    )
