"""Response schemas of the gap and summary metrics."""

from __future__ import annotations

from marshmallow import Schema, fields

from .projection_views import DateText

POSITION_HELP = "The log position this answer reflects"


class PlainNumber(fields.Number):
    """A number dumped as computed: 14 stays 14, 20.5 stays 20.5."""

    num_type = float

    def _format_num(self, value):
        return value


class Gap(Schema):
    from_swap = DateText(required=True)
    to_swap = DateText(required=True)
    days = fields.Integer(required=True)
    proposals = fields.Integer(required=True)
    refusals = fields.Integer(required=True)
    failed_attempts = fields.Integer(required=True)
    breaches = fields.Integer(required=True)


class GapBounds(Schema):
    from_swap = DateText(required=True)
    to_swap = DateText(required=True)


class GapSummary(Schema):
    swaps = fields.Integer(required=True)
    gaps = fields.Integer(required=True)
    mean_days = PlainNumber(required=True, allow_none=True)
    median_days = PlainNumber(required=True, allow_none=True)
    max_days = fields.Integer(required=True, allow_none=True)
    longest = fields.Nested(GapBounds, required=True, metadata={"nullable": True})
    current_gap_days = fields.Integer(required=True, allow_none=True)
    current_gap_since = DateText(required=True, allow_none=True)


class GapReport(Schema):
    as_of_position = fields.Integer(required=True, metadata={"description": POSITION_HELP})
    gaps = fields.List(fields.Nested(Gap), required=True)
    summary = fields.Nested(GapSummary, required=True)


class PartyCount(Schema):
    party = fields.String(required=True, allow_none=True)
    count = fields.Integer(required=True)


class YearCount(Schema):
    year = fields.Integer(required=True)
    swaps = fields.Integer(required=True)


class SwapTotals(Schema):
    total = fields.Integer(required=True)
    per_year = fields.List(fields.Nested(YearCount), required=True)
    mediators = fields.List(fields.Nested(PartyCount), required=True)


class Figure(Schema):
    total = fields.Integer(required=True)
    unknown = fields.Integer(
        required=True,
        metadata={"description": "Swaps where this party received but no source gives the figure"},
    )


class Received(Schema):
    party = fields.String(required=True)
    swaps = fields.Integer(required=True)
    received = fields.Nested(Figure, required=True)
    military = fields.Nested(Figure, required=True)
    civilians = fields.Nested(Figure, required=True)
    medical = fields.Nested(Figure, required=True)
    bodies = fields.Nested(Figure, required=True)


class FormatCount(Schema):
    format = fields.String(required=True)
    count = fields.Integer(required=True)


class PartyTotals(Schema):
    total = fields.Integer(required=True)
    by_party = fields.List(fields.Nested(PartyCount), required=True)


class ProposalTotals(PartyTotals):
    by_format = fields.List(fields.Nested(FormatCount), required=True)


class AttemptTotals(Schema):
    total = fields.Integer(required=True)
    by_blamed_party = fields.List(fields.Nested(PartyCount), required=True)


class Total(Schema):
    total = fields.Integer(required=True)


class AgreementCount(Schema):
    agreement_id = fields.String(required=True)
    count = fields.Integer(required=True)


class BreachTotals(Schema):
    total = fields.Integer(required=True)
    by_agreement = fields.List(fields.Nested(AgreementCount), required=True)
    by_alleging_party = fields.List(fields.Nested(PartyCount), required=True)


class BreakdownValueTotal(Schema):
    label = fields.String(required=True)
    count = fields.Integer(required=True, metadata={"description": "Counted plus estimated"})
    estimated = fields.Boolean(
        required=True, metadata={"description": "Part of count is round(share * received)"}
    )
    estimated_count = fields.Integer(required=True)
    swaps = fields.Integer(required=True)
    unknown = fields.Integer(
        required=True, metadata={"description": "Shares on a side whose received is unknown"}
    )


class BreakdownTotal(Schema):
    side = fields.String(required=True)
    dimension = fields.String(required=True)
    values = fields.List(fields.Nested(BreakdownValueTotal), required=True)


class SummaryReport(Schema):
    as_of_position = fields.Integer(required=True, metadata={"description": POSITION_HELP})
    swaps = fields.Nested(SwapTotals, required=True)
    received = fields.List(fields.Nested(Received), required=True)
    proposals = fields.Nested(ProposalTotals, required=True)
    refusals = fields.Nested(PartyTotals, required=True)
    acceptances = fields.Nested(PartyTotals, required=True)
    failed_attempts = fields.Nested(AttemptTotals, required=True)
    agreements = fields.Nested(Total, required=True)
    breaches = fields.Nested(BreachTotals, required=True)
    statements = fields.Nested(Total, required=True)
    breakdowns = fields.List(fields.Nested(BreakdownTotal), required=True)
