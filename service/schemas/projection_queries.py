"""Query arguments of the projection reads (all take ``as_of``)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..domain.events import FACT_TYPES
from ..domain.vocab import SLUG_PATTERN
from .fields import (
    COMPONENT,
    MAX_POSITION_CURSOR,
    MONTH_DAY,
    POSITION_DIGITS,
    FullMatch,
    IsoDate,
    Text,
    party,
    slug,
)

AS_OF_HELP = (
    "Answer as the service did when the log ended there: a position (120), an RFC 3339"
    " timestamp of recorded_at with a UTC offset (2026-02-05T12:00:00Z: the last position"
    " recorded at or before it) or release:<name>. A position beyond the head, a timestamp in"
    " the future or an impossible date (2026-02-30) is a 422; an unknown release a 404."
)
_DATE = rf"[1-9][0-9]{{3}}-{MONTH_DAY}"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?"
# An unencoded "+" in a query string arrives as a space: " 01:00" is read as "+01:00".
_OFFSET = r"(?:[Zz]|[+ -](?:[01][0-9]|2[0-3]):[0-5][0-9])"
_POSITION = rf"[0-9]{{1,{POSITION_DIGITS}}}"
AS_OF_PATTERN = rf"^(?:{_POSITION}|{_DATE}[Tt]{_TIME}{_OFFSET}|release:{SLUG_PATTERN[1:-1]})$"
# The timeline's next_after: the day and the position of the last fact of the page.
TIMELINE_CURSOR = rf"^{_DATE}\.{_POSITION}$"
TIMELINE_FORMATS = ("json", "csv", "timelinejs")


class AsOfQuery(Schema):
    class Meta:
        unknown = RAISE

    as_of = fields.String(
        validate=[
            validate.Length(max=100),
            FullMatch(
                AS_OF_PATTERN,
                error="Must be a position (e.g. 120), an RFC 3339 timestamp with a UTC offset"
                " (e.g. 2026-02-05T12:00:00Z) or release:<name>.",
            ),
        ],
        metadata={"description": AS_OF_HELP, "example": "100"},
    )


class GapsQuery(AsOfQuery):
    since = IsoDate(data_key="from", metadata={"description": "Only swaps on or after this date"})
    until = IsoDate(data_key="to", metadata={"description": "Only swaps on or before this date"})


class PageQuery(AsOfQuery):
    after = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_POSITION_CURSOR),
        metadata={"description": "Cursor: the next_after of the previous page"},
    )
    limit = fields.Integer(
        load_default=100,
        validate=validate.Range(min=1, max=1000),
        metadata={"description": "1-1000"},
    )


class TimelineQuery(AsOfQuery):
    since = IsoDate(data_key="from", metadata={"description": "Facts on or after this date"})
    until = IsoDate(data_key="to", metadata={"description": "Facts on or before this date"})
    type = fields.List(
        fields.String(
            validate=validate.OneOf(sorted(FACT_TYPES)), metadata={COMPONENT: "FactType"}
        ),
        metadata={"description": "Only these fact types (repeat for several)"},
    )
    party = fields.List(
        party(), metadata={"description": "Only facts naming one of these parties (repeat)"}
    )
    after = fields.String(
        validate=FullMatch(TIMELINE_CURSOR, error="Must be a next_after cursor."),
        metadata={"description": "Cursor: the next_after of the previous page"},
    )
    limit = fields.Integer(
        validate=validate.Range(min=1, max=10000),
        metadata={
            "description": "Page size: JSON default 100 (max 1000); CSV and TimelineJS"
            " default 1000 (max 10000); the next page is in the Link header"
        },
    )
    format = fields.String(
        validate=validate.OneOf(TIMELINE_FORMATS),
        metadata={"description": "json (default), csv or timelinejs; or use the Accept header"},
    )


class CorrectionsQuery(AsOfQuery):
    before = fields.Integer(
        validate=validate.Range(min=1, max=MAX_POSITION_CURSOR),
        metadata={"description": "Cursor: the next_before of the previous page"},
    )
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class ReleaseCreate(Schema):
    class Meta:
        unknown = RAISE

    name = slug(required=True, metadata={"example": "2026-02-monthly"})
    description = Text(max_length=2000)
