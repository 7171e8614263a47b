"""Corrections and retractions of earlier events."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from .common import ChildSchema, StrictSchema
from .fields import Text

# Deeper than any payload (changes → sides → alternative_figures → figure is 5 levels).
MAX_CHANGES_DEPTH = 8


def _shallow(changes: dict[str, Any]) -> None:
    """Refuse absurdly nested values before anything walks them recursively."""
    stack: list[tuple[Any, int]] = [(changes, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_CHANGES_DEPTH:
            raise ValidationError(f"Must not be nested more than {MAX_CHANGES_DEPTH} levels deep.")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


class CorrectionPayload(StrictSchema):
    changes = fields.Dict(
        keys=fields.String(),
        required=True,
        validate=_shallow,
        metadata={
            "description": "New values for top-level fields of the target's data (and"
            " occurred_on / date_precision): at least one, each a field of the target's type,"
            " and the result is validated as the target's type would be",
            "minProperties": 1,
        },
    )
    reason = Text(required=True)


class RetractionPayload(StrictSchema):
    reason = Text(required=True)


class CorrectionWrite(ChildSchema, CorrectionPayload):
    pass


class RetractionWrite(ChildSchema, RetractionPayload):
    pass
