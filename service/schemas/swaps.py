"""Completed swaps: who received how many, with breakdowns where a source gives them."""

from __future__ import annotations

from marshmallow import fields, validate

from ..domain.vocab import DIMENSION_PATTERN
from .common import CreateSchema, StrictSchema
from .fields import FullMatch, Text, categories, count, parties, party, reference, share


class AlternativeFigureSchema(StrictSchema):
    claimed_by = party(required=True)
    received = count(required=True)
    note = Text()


class SideSchema(StrictSchema):
    """What one receiving party got back; a figure no source gives is left out."""

    party = party(required=True)
    received = count(
        metadata={
            "description": "People this party received (POWs and civilians); military,"
            " civilians and medical are parts of it: military + civilians never exceed it"
        }
    )
    military = count(metadata={"description": "Servicemen among received"})
    civilians = count(metadata={"description": "Civilians among received"})
    medical = count(
        metadata={
            "description": "Returned under a medical (severely wounded or sick) exchange;"
            " they are counted among military or civilians too, so medical never exceeds"
            " received (only military + civilians are disjoint parts of it)"
        }
    )
    bodies = count(metadata={"description": "Bodies handed over in the same operation"})
    alternative_figures = fields.List(
        fields.Nested(AlternativeFigureSchema), load_default=list, validate=validate.Length(max=10)
    )


class BreakdownValueSchema(StrictSchema):
    """A value of a breakdown: exactly one of ``count`` and ``share``."""

    label = Text(required=True, max_length=200)
    count = count(metadata={"description": "People with this value (give this or share)"})
    share = share(metadata={"description": "Their share of received (or give count)"})


class BreakdownSchema(StrictSchema):
    side = party(required=True, metadata={"description": "The receiving party it describes"})
    dimension = fields.String(
        required=True,
        validate=FullMatch(DIMENSION_PATTERN, error="Must be a lower_snake_case word."),
        metadata={"example": "nationality"},
    )
    values = fields.List(
        fields.Nested(BreakdownValueSchema), required=True, validate=validate.Length(min=1, max=50)
    )


class SwapPayload(StrictSchema):
    mediators = parties(load_default=list)
    sides = fields.List(
        fields.Nested(SideSchema),
        required=True,
        validate=validate.Length(min=1, max=2),
        metadata={
            "description": "One per receiving party (each party once)",
            "example": [{"party": "UA", "received": 157}, {"party": "RU", "received": 157}],
        },
    )
    breakdowns = fields.List(
        fields.Nested(BreakdownSchema),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={
            "description": "Each describes one of the swap's sides, at most one per side and"
            " dimension; a dimension's shares sum to at most 1 (1.005 for rounding)",
            "example": [
                {
                    "side": "RU",
                    "dimension": "nationality",
                    "values": [
                        {"label": "Russians", "share": 0.8},
                        {"label": "other", "share": 0.2},
                    ],
                }
            ],
        },
    )
    categories = categories(load_default=list)
    proposal_id = reference("proposal")
    agreement_id = reference("agreement")
    notes = Text(max_length=8000)


class SwapWrite(CreateSchema, SwapPayload):
    pass
