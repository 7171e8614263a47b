"""Agreements and the breaches one side alleges against the other."""

from __future__ import annotations

from marshmallow import fields, validate

from ..domain.vocab import Category, TermBasis
from .common import ChildSchema, CreateSchema, StrictSchema
from .fields import Text, count, parties, party


class TermSchema(StrictSchema):
    category = fields.Enum(Category, by_value=True, required=True)
    basis = fields.Enum(TermBasis, by_value=True, required=True)
    count = count()
    open_ended = fields.Boolean(load_default=False)


class AgreementPayload(StrictSchema):
    name = Text(required=True, max_length=200, metadata={"example": "Istanbul arrangements"})
    parties = parties(required=True, validate=validate.Length(min=2, max=20))
    venue = Text(max_length=200)
    terms = fields.List(
        fields.Nested(TermSchema), load_default=list, validate=validate.Length(max=50)
    )
    summary = Text()


class BreachPayload(StrictSchema):
    alleged_by = party(required=True, metadata={"description": "The party making the claim"})
    breached_by = party(required=True, metadata={"description": "The party accused"})
    attributed_to = Text(max_length=200, metadata={"description": "Person or office accused"})
    description = Text(required=True)


class AgreementWrite(CreateSchema, AgreementPayload):
    pass


class BreachWrite(ChildSchema, BreachPayload):
    pass
