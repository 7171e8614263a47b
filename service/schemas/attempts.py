"""Failed exchange attempts: planned or negotiated exchanges that did not happen."""

from __future__ import annotations

from .common import CreateSchema, StrictSchema
from .fields import Text, party, reference


class AttemptPayload(StrictSchema):
    blamed_party = party()
    reason = Text(required=True)
    proposal_id = reference("proposal")
    agreement_id = reference("agreement")


class AttemptWrite(CreateSchema, AttemptPayload):
    pass
