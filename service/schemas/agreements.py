"""Agreements and the breaches one side alleges against the other."""

from __future__ import annotations

from marshmallow import fields, validate

from ..domain.vocab import TermBasis
from .common import ChildSchema, CreateSchema, StrictSchema
from .fields import COMPONENT, Text, count, parties, party
from .fields import category as one_category


class TermSchema(StrictSchema):
    category = one_category(required=True)
    basis = fields.Enum(TermBasis, by_value=True, required=True, metadata={COMPONENT: "TermBasis"})
    count = count()
    open_ended = fields.Boolean(load_default=False)


class AgreementPayload(StrictSchema):
    name = Text(required=True, max_length=200, metadata={"example": "Istanbul arrangements"})
    parties = parties(
        required=True,
        unique=True,
        validate=validate.Length(min=2, max=20),
        metadata={"example": ["UA", "RU"]},
    )
    venue = Text(max_length=200)
    terms = fields.List(
        fields.Nested(TermSchema), load_default=list, validate=validate.Length(max=50)
    )
    summary = Text()


class BreachPayload(StrictSchema):
    alleged_by = party(
        required=True, metadata={"description": "The party making the claim", "example": "UA"}
    )
    breached_by = party(
        required=True,
        metadata={"description": "The party accused (not the one alleging)", "example": "RU"},
    )
    attributed_to = Text(max_length=200, metadata={"description": "Person or office accused"})
    description = Text(required=True)


class AgreementWrite(CreateSchema, AgreementPayload):
    pass


class BreachWrite(ChildSchema, BreachPayload):
    pass
