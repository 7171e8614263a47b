"""Response schemas of the projection reads (documentation for SDKs; dumped as built)."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from marshmallow import Schema, fields, missing, validate

from ..domain.events import FACT_TYPES
from ..domain.vocab import DatePrecision
from .agreements import AgreementPayload, BreachPayload
from .common import SourceSchema
from .fields import COMPONENT, slug
from .proposals import AcceptancePayload, ProposalPayload, RefusalPayload
from .swaps import SwapPayload


class DateText(fields.String):
    """An ISO date the projection already formatted (documented as format: date)."""

    def __init__(self, **kwargs):
        metadata = {"format": "date", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)


POSITION_HELP = "The log position this answer reflects"


class AsIs(fields.Nested):
    """Documented as the nested schema, dumped as the stored payload (already validated)."""

    def _serialize(self, nested_obj: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return None if nested_obj is None else dict(nested_obj)


def date_precision() -> fields.String:
    return fields.String(
        required=True,
        validate=validate.OneOf([p.value for p in DatePrecision]),
        metadata={COMPONENT: "DatePrecision"},
    )


def _as_stored(field: fields.Field) -> fields.Field:
    """A copy of a load field that documents what the log stores for it."""
    field = copy.copy(field)
    if field.load_default is not missing:  # the load fills it in: always stored
        field.required, field.load_default = True, missing
    if isinstance(field, fields.List):
        field.inner = _as_stored(field.inner)
    if isinstance(field, fields.Nested) and isinstance(field.nested, type):
        field.nested = stored(field.nested)
    return field


@cache
def stored(payload: type[Schema], **extra: fields.Field) -> type[Schema]:
    """The payload as the log stores it: the same fields, those the load fills in required,
    plus ``extra`` (the parent's id a write adds to a child's payload).

    Named ``<Name>Data`` (``RefusalPayload`` → ``RefusalData``, ``SideSchema`` → ``SideData``);
    a nested schema the load fills nothing into stays as it is.
    """
    declared = {name: _as_stored(f) for name, f in payload._declared_fields.items()}
    unchanged = all(
        declared[name].required == f.required
        and getattr(declared[name], "nested", None) == getattr(f, "nested", None)
        and getattr(getattr(declared[name], "inner", None), "nested", None)
        == getattr(getattr(f, "inner", None), "nested", None)
        for name, f in payload._declared_fields.items()
    )
    if unchanged and not extra:
        return payload
    base = payload.__name__.removesuffix("Payload").removesuffix("Schema")
    return Schema.from_dict({**declared, **extra}, name=f"{base}Data")


PROPOSAL_ID = slug(required=True, metadata={"description": "The proposal it belongs to"})
AGREEMENT_ID = slug(required=True, metadata={"description": "The agreement it belongs to"})


class CorrectionLink(Schema):
    event_id = fields.UUID(required=True)
    href = fields.String(required=True, metadata={"example": "/v1/events/…"})


class _Item(Schema):
    event_id = fields.UUID(required=True)
    position = fields.Integer(required=True)
    occurred_on = DateText(required=True)
    date_precision = date_precision()
    sources = fields.List(fields.Nested(SourceSchema), required=True)
    corrected = fields.Boolean(required=True, metadata={"description": "Changed by a correction"})
    corrections = fields.List(fields.Nested(CorrectionLink), required=True)
    href = fields.String(required=True, metadata={"description": "The event in the raw log"})


class _Resource(_Item):
    id = fields.String(required=True)
    stream = fields.String(required=True)
    stream_version = fields.Integer(
        required=True, metadata={"description": "For If-Match on writes to this resource"}
    )
    headline = fields.String(required=True)


class RefusalItem(_Item):
    data = AsIs(stored(RefusalPayload, proposal_id=PROPOSAL_ID), required=True)


class AcceptanceItem(_Item):
    data = AsIs(stored(AcceptancePayload, proposal_id=PROPOSAL_ID), required=True)


class BreachItem(_Item):
    data = AsIs(stored(BreachPayload, agreement_id=AGREEMENT_ID), required=True)


class SwapView(_Resource):
    data = AsIs(stored(SwapPayload), required=True)


class ProposalView(_Resource):
    data = AsIs(stored(ProposalPayload), required=True)
    refusals = fields.List(fields.Nested(RefusalItem), required=True)
    acceptances = fields.List(fields.Nested(AcceptanceItem), required=True)


class AgreementView(_Resource):
    data = AsIs(stored(AgreementPayload), required=True)
    breaches = fields.List(fields.Nested(BreachItem), required=True)


def _page(name: str, item: type[Schema]) -> type[Schema]:
    return Schema.from_dict(
        {
            "as_of_position": fields.Integer(
                required=True, metadata={"description": POSITION_HELP}
            ),
            name: fields.List(fields.Nested(item), required=True),
            "next_after": fields.Integer(
                required=True, allow_none=True, metadata={"description": "null on the last page"}
            ),
        },
        name=f"{item.__name__.removesuffix('View')}Page",
    )


SwapPage = _page("swaps", SwapView)
ProposalPage = _page("proposals", ProposalView)
AgreementPage = _page("agreements", AgreementView)


class TimelineEntry(Schema):
    event_id = fields.UUID(required=True)
    position = fields.Integer(required=True)
    type = fields.String(
        required=True, validate=validate.OneOf(sorted(FACT_TYPES)), metadata={COMPONENT: "FactType"}
    )
    resource_id = fields.String(required=True)
    occurred_on = DateText(required=True)
    date_precision = date_precision()
    headline = fields.String(required=True, metadata={"example": "UA and RU swap 157 for 157"})
    parties = fields.List(fields.String(), required=True)
    corrected = fields.Boolean(required=True)
    corrections = fields.List(fields.Nested(CorrectionLink), required=True)
    data = fields.Dict(keys=fields.String(), required=True, metadata={"description": "Payload"})
    sources = fields.List(fields.Nested(SourceSchema), required=True)


class TimelinePage(Schema):
    as_of_position = fields.Integer(required=True, metadata={"description": POSITION_HELP})
    entries = fields.List(fields.Nested(TimelineEntry), required=True)
    next_after = fields.String(
        required=True, allow_none=True, metadata={"description": "Cursor; null on the last page"}
    )


class FactValues(Schema):
    occurred_on = DateText(required=True)
    date_precision = date_precision()
    data = fields.Dict(keys=fields.String(), required=True)


class CorrectionEntry(Schema):
    event_id = fields.UUID(required=True)
    position = fields.Integer(required=True)
    type = fields.String(required=True, metadata={"enum": ["event.corrected", "event.retracted"]})
    recorded_at = fields.String(required=True)
    recorded_by = fields.String(required=True)
    occurred_on = DateText(required=True)
    reason = fields.String(required=True)
    changes = fields.Dict(keys=fields.String(), required=True, allow_none=True)
    target_event_id = fields.UUID(required=True)
    target_type = fields.String(required=True, allow_none=True)
    target_stream = fields.String(required=True)
    before = fields.Nested(FactValues, required=True, metadata={"nullable": True})
    after = fields.Nested(
        FactValues,
        required=True,
        metadata={"nullable": True, "description": "null: retracted"},
    )
    href = fields.String(required=True)


class CorrectionPage(Schema):
    as_of_position = fields.Integer(required=True, metadata={"description": POSITION_HELP})
    corrections = fields.List(fields.Nested(CorrectionEntry), required=True)
    next_before = fields.Integer(required=True, allow_none=True)


class Release(Schema):
    name = fields.String(required=True)
    description = fields.String(allow_none=True)
    position = fields.Integer(required=True, metadata={"description": "Head position when cut"})
    hash = fields.String(required=True, allow_none=True)
    created_at = fields.String(required=True)
    created_by = fields.String(required=True)


class ReleaseList(Schema):
    releases = fields.List(fields.Nested(Release), required=True)
