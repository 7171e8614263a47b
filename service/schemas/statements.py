"""On-record statements about exchanges that are none of the other facts."""

from __future__ import annotations

from .common import CreateSchema, StrictSchema
from .fields import Text, party


class StatementPayload(StrictSchema):
    speaker = Text(required=True, max_length=200, metadata={"description": "Person or office"})
    party = party(required=True)
    summary = Text(required=True)
    quote = Text()


class StatementWrite(CreateSchema, StatementPayload):
    pass
