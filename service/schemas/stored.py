"""A stored envelope checked as the API checks a write (``exchange-log import``).

The hash chain proves a backup line was not altered after export, not that it is sound:
anyone can recompute the chain over invented content. So each line's ``data`` and
``sources`` are loaded by the same schemas as an API write (PAYLOAD_SCHEMAS, SourceSchema)
and the same payload rules; a correction's ``changes`` by its target's schema.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import ValidationError, fields

from ..domain.clock import today
from ..domain.corrections import date_changes, payload_changes
from ..domain.errors import DomainError, RuleViolation
from ..domain.events import EVENT_CORRECTED, EVENT_TYPES, META_TYPES
from ..domain.rules import check_payload
from ..domain.upcasting import upcast
from ..domain.vocab import DatePrecision
from .common import SourceSchema
from .fast_load import with_fast_load
from .fields import slug
from .loaded import jsonable
from .registry import PAYLOAD_SCHEMAS

# The type of an earlier event of the same restore, by id (None: no such event before it).
TypeOf = Callable[[str], str | None]
MAX_SOURCES = 50
DATE_PRECISIONS = frozenset(p.value for p in DatePrecision)
_SOURCE = with_fast_load(SourceSchema())
_PARENT_ID = slug()
_EVENT_ID = fields.UUID()
# One instance per payload schema: building a marshmallow schema deep-copies its fields,
# which cost more than the load itself once per restored line. Each loads through the same
# compiled fast path as an API write (marshmallow decides anything doubtful).
_PAYLOADS = {event_type: with_fast_load(schema()) for event_type, schema in PAYLOAD_SCHEMAS.items()}


def envelope_problem(envelope: Mapping[str, Any], type_of: TypeOf) -> str | None:
    """What is wrong with a stored envelope's content (``field: message``), or None."""
    try:
        _check_sources(envelope["sources"])
        if envelope["date_precision"] not in DATE_PRECISIONS:
            raise RuleViolation("date_precision", "is not day, month or year")
        _check_data(envelope["type"], envelope["schema_version"], envelope["data"], type_of)
    except ValidationError as exc:
        return "; ".join(_flatten(exc.messages))
    except DomainError as exc:  # a RuleViolation reads "field: message"
        return str(exc)
    return None


def _check_sources(sources: list[Any]) -> None:
    if not 1 <= len(sources) <= MAX_SOURCES:
        raise RuleViolation("sources", f"give 1 to {MAX_SOURCES} sources")
    for index, source in enumerate(sources):
        try:
            _SOURCE.load(source)
        except ValidationError as exc:
            raise ValidationError({f"sources.{index}": exc.messages}) from None


def _check_data(event_type: str, version: int, data: dict[str, Any], type_of: TypeOf) -> None:
    current = EVENT_TYPES[event_type].schema_version
    if not 1 <= version <= current:
        raise RuleViolation("schema_version", f"{event_type} has versions 1 to {current}")
    _version, payload = upcast(event_type, version, data)
    payload = dict(payload)
    target_type: str | None = None
    parent_field = EVENT_TYPES[event_type].parent_field
    if parent_field:
        _load_field(_PARENT_ID, payload.pop(parent_field, None), f"data.{parent_field}")
    if event_type in META_TYPES:
        target = payload.pop("target_event_id", None)
        _load_field(_EVENT_ID, target, "data.target_event_id")
        target_type = type_of(str(target))
        if target_type is None:
            raise RuleViolation("data.target_event_id", "names no event before this one")
    try:
        loaded = _PAYLOADS[event_type].load(payload)
    except ValidationError as exc:
        raise ValidationError({"data": exc.messages}) from None
    try:
        check_payload(event_type, jsonable(loaded))
    except RuleViolation as exc:
        raise RuleViolation(f"data.{exc.field}", exc.field_message) from None
    if event_type == EVENT_CORRECTED and target_type is not None:
        _check_changes(payload["changes"], target_type)


def _check_changes(changes: Mapping[str, Any], target_type: str) -> None:
    """A correction's changes, field by field, by its target's schema."""
    date_changes(changes, today())
    try:
        _PAYLOADS[target_type].load(payload_changes(changes), partial=True)
    except ValidationError as exc:
        raise ValidationError({"data.changes": exc.messages}) from None


def _load_field(field: fields.Field, value: Any, name: str) -> None:
    if value is None:
        raise RuleViolation(name, "is missing")
    try:
        field.deserialize(value)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None


def _flatten(messages: Any, prefix: str = "") -> list[str]:
    """``{"data": {"speaker": ["…"]}}`` as ``["data.speaker: …"]``."""
    if isinstance(messages, Mapping):
        found: list[str] = []
        for key, value in messages.items():
            found += _flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return found
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [f"{prefix}: {' '.join(messages)}" if prefix else " ".join(messages)]
    if isinstance(messages, list):
        return [line for item in messages for line in _flatten(item, prefix)]
    return [f"{prefix}: {messages}" if prefix else str(messages)]
