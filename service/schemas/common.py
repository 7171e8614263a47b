"""Fields every write carries, the stored envelope, problems and log pages."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..domain.events import EVENT_TYPES
from ..domain.vocab import DatePrecision
from .fields import COMPONENT, OCCURRED_ON_PATTERN, HttpUrl, IsoDate, Text, slug


class StrictSchema(Schema):
    """Unknown fields are rejected on load."""

    error_messages = {"type": "Must be a JSON object.", "unknown": "Unknown field."}

    class Meta:
        unknown = RAISE


class StoredDate(IsoDate):
    """A date loaded from the request; dumped from either a date or the stored ISO text."""

    def _serialize(self, value, attr, obj, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


class SourceSchema(StrictSchema):
    url = HttpUrl(
        required=True,
        validate=validate.Length(max=2000),
        metadata={"example": "https://www.reuters.com/world/europe/swap-2026-02-05/"},
    )
    publisher = Text(max_length=200)
    title = Text(max_length=500)
    # Stored events keep it as ISO text (JSON); the envelope dump must accept that.
    published_on = StoredDate()
    quote = Text(max_length=4000)


class WriteSchema(StrictSchema):
    """Fields common to every write."""

    occurred_on = IsoDate(
        required=True,
        metadata={
            "description": "When it happened (not in the future, not before 2014-01-01)",
            "pattern": OCCURRED_ON_PATTERN,
            "example": "2026-02-05",
        },
    )
    date_precision = fields.Enum(
        DatePrecision,
        by_value=True,
        load_default=DatePrecision.DAY,
        metadata={COMPONENT: "DatePrecision"},
    )
    sources = fields.List(
        fields.Nested(SourceSchema),
        required=True,
        validate=validate.Length(min=1, max=50, error="Give 1 to 50 sources."),
    )


class CreateSchema(WriteSchema):
    """A write that creates a resource; ``id`` is chosen by the client or by the server."""

    id = slug(metadata={"description": "Resource id; generated from occurred_on when absent"})


class ChildSchema(WriteSchema):
    """A write appended to an existing resource's stream."""

    expected_version = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=999_999_999),  # as If-Match: at most 9 digits
        metadata={"description": "Current stream_version you expect; 409 when it differs"},
    )


class EnvelopeSchema(Schema):
    """A stored event: the payload in ``data`` plus its place in the log."""

    id = fields.UUID(required=True)
    position = fields.Integer(required=True)
    stream = fields.String(required=True, metadata={"example": "swap/2026-02-05"})
    stream_version = fields.Integer(required=True)
    type = fields.String(
        required=True,
        validate=validate.OneOf(sorted(EVENT_TYPES)),
        metadata={COMPONENT: "EventType"},
    )
    schema_version = fields.Integer(required=True)
    occurred_on = fields.Date(required=True)
    date_precision = fields.String(
        required=True,
        validate=validate.OneOf([p.value for p in DatePrecision]),
        metadata={COMPONENT: "DatePrecision"},
    )
    recorded_at = fields.String(
        required=True, metadata={"format": "date-time", "example": "2026-02-05T14:03:11.123456Z"}
    )
    recorded_by = fields.String(required=True)
    data = fields.Dict(keys=fields.String(), required=True)
    sources = fields.List(fields.Nested(SourceSchema), required=True)
    prev_hash = fields.String(required=True)
    hash = fields.String(required=True)


class EventPageSchema(Schema):
    events = fields.List(fields.Nested(EnvelopeSchema), required=True)
    next_after = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "Pass as `after` for the next page; null on the last page"},
    )


class LogHeadSchema(Schema):
    position = fields.Integer(required=True, metadata={"description": "0 for an empty log"})
    hash = fields.String(required=True, allow_none=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Per-field messages, keyed by dotted field path"},
    )
