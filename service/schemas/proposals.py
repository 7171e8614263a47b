"""Proposals, their refusals and acceptances."""

from __future__ import annotations

from marshmallow import fields

from ..domain.vocab import ProposalFormat
from .common import ChildSchema, CreateSchema, StrictSchema
from .fields import COMPONENT, Text, categories, count, party


class ProposalPayload(StrictSchema):
    proposed_by = party(required=True)
    addressed_to = party(required=True)
    format = fields.Enum(
        ProposalFormat, by_value=True, required=True, metadata={COMPONENT: "ProposalFormat"}
    )
    categories = categories(load_default=list)
    proposed_count = count()
    summary = Text(required=True)
    actor = Text(max_length=200, metadata={"description": "Person or office who made it"})


class RefusalPayload(StrictSchema):
    refused_by = party(required=True)
    reason = Text(required=True)
    demanded_categories = categories(
        load_default=list, metadata={"description": "What the refusing side asked for instead"}
    )
    actor = Text(max_length=200)


class AcceptancePayload(StrictSchema):
    accepted_by = party(required=True)
    actor = Text(max_length=200)


class ProposalWrite(CreateSchema, ProposalPayload):
    pass


class RefusalWrite(ChildSchema, RefusalPayload):
    pass


class AcceptanceWrite(ChildSchema, AcceptancePayload):
    pass
