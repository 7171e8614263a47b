"""Write rules that need the log's current state, as pure functions over ``LogLookup``.

The use case hands in a lookup backed by the append transaction (``store.event_reads
.LogReader``); unit tests hand in an in-memory fake. ``load_payload`` validates a merged
payload against its type's schema (the HTTP contract's, supplied by the use case).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any, Protocol

from . import events as ev
from .corrections import date_changes, merged, payload_changes
from .errors import NotFound, RuleViolation
from .events import EVENT_TYPES, META_TYPES, REFERENCE_FIELDS, NewEvent, RecordedEvent
from .rules import check_payload
from .vocab import SLUG_PATTERN

PayloadLoader = Callable[[str, Mapping[str, Any]], dict[str, Any]]


class LogLookup(Protocol):
    """What the rules ask of the log."""

    def creation_id(self, stream: str) -> str | None: ...

    def event_by_id(self, event_id: str) -> RecordedEvent | None: ...

    def is_retracted(self, event_id: str) -> bool: ...

    def corrections_of(self, event_id: str) -> list[RecordedEvent]: ...


def reads_log(new: NewEvent) -> bool:
    """Whether ``check_against_log`` will ask the log anything about this event."""
    event_type = EVENT_TYPES[new.type]
    return bool(
        event_type.parent_field
        or new.type in META_TYPES
        or any(new.data.get(field) for field in REFERENCE_FIELDS)
    )


def live_resources(new: NewEvent) -> list[str]:
    """The streams of the resources ``check_against_log`` requires live for this event,
    besides a correction's or retraction's target (and the references its changes name): a
    child's parent, else those its payload names. Only ids a resource can have: no other is
    asked about (``require_live_resource``)."""
    event_type = EVENT_TYPES[new.type]
    if event_type.parent_field:
        named = [new.stream] if new.stream else []
    elif new.type in META_TYPES:
        named = []
    else:
        named = [
            ev.stream_name(kind, new.data[field])
            for field, kind in REFERENCE_FIELDS.items()
            if new.data.get(field)
        ]
    return [stream for stream in named if _can_exist(stream)]


def check_against_log(
    log: LogLookup, new: NewEvent, parent_id: str, load_payload: PayloadLoader, today: date
) -> NewEvent:
    """Referenced resources exist and are not retracted; a correction or retraction targets
    a live fact and (a correction) leaves it valid. Returns the event as it will be stored."""
    event_type = EVENT_TYPES[new.type]
    if event_type.parent_field and new.stream:
        require_live_resource(log, new.stream, event_type.parent_field)
    if new.type in META_TYPES:
        return _checked_meta(log, new, parent_id, load_payload, today)
    if not event_type.parent_field:
        check_references(log, new.data)
    return new


def require_live_resource(log: LogLookup, stream: str, field: str) -> str:
    """The id of the event that created the resource; a RuleViolation on ``field`` if none
    is live."""
    kind, rid = stream.split("/", 1)
    creation = log.creation_id(stream) if _can_exist(stream) else None
    if creation is None:
        raise RuleViolation(field, f"there is no {kind} {rid!r}")
    if log.is_retracted(creation):
        raise RuleViolation(field, f"{kind} {rid!r} was retracted")
    return creation


def _can_exist(stream: str) -> bool:
    """Whether a resource could have this stream: an id from the URL may hold anything (even
    NUL, which PostgreSQL refuses to compare), and is not asked about unless well formed."""
    return re.fullmatch(SLUG_PATTERN, stream.split("/", 1)[1]) is not None


def check_references(log: LogLookup, data: Mapping[str, Any], prefix: str = "") -> None:
    """Every resource the payload names (proposal_id, agreement_id) is live."""
    for field, kind in REFERENCE_FIELDS.items():
        if data.get(field):
            require_live_resource(log, ev.stream_name(kind, data[field]), prefix + field)


def _checked_meta(
    log: LogLookup, new: NewEvent, target_id: str, load_payload: PayloadLoader, today: date
) -> NewEvent:
    target = log.event_by_id(target_id)
    if target is None:
        raise NotFound(f"there is no event {target_id}")
    if target.type in META_TYPES:
        raise RuleViolation(
            "target_event_id", "corrections and retractions cannot be corrected or retracted"
        )
    if log.is_retracted(target.id):
        verb = "corrected" if new.type == ev.EVENT_CORRECTED else "retracted again"
        raise RuleViolation(
            "target_event_id", f"event {target.id} was retracted; it cannot be {verb}"
        )
    data = dict(new.data)
    if new.type == ev.EVENT_CORRECTED:
        data["changes"] = checked_correction(log, target, new.data["changes"], load_payload, today)
    return replace(new, stream=target.stream, data=data)


def checked_correction(
    log: LogLookup,
    target: RecordedEvent,
    changes: Mapping[str, Any],
    load_payload: PayloadLoader,
    today: date,
) -> dict[str, Any]:
    """The target's current payload with the changes applied must still be a valid payload.

    Returns the changes as they will be stored: each changed field as its schema loads it
    (defaults filled in, dates as ISO text), so a correction carries data of the same shape
    as the event it corrects.
    """
    if not changes:
        raise RuleViolation("changes", "name at least one field to change")
    current = merged(target.data, [c.data["changes"] for c in log.corrections_of(target.id)])
    new_values = payload_changes(changes)
    parent_field = EVENT_TYPES[target.type].parent_field
    if parent_field and parent_field in new_values:
        raise RuleViolation(f"changes.{parent_field}", "the resource an event belongs to is fixed")
    if parent_field:
        current.pop(parent_field, None)
    loaded = load_payload(target.type, merged(current, [new_values]))
    with _within("changes."):
        check_payload(target.type, loaded)
    # Only references the correction sets are checked: a later retraction of a referenced
    # resource must not block unrelated corrections.
    check_references(log, {k: loaded.get(k) for k in new_values}, prefix="changes.")
    stored = {k: loaded[k] for k in new_values if k in loaded}
    stored.update(date_changes(changes, today))
    return stored


@contextmanager
def _within(prefix: str) -> Iterator[None]:
    """Re-name rule violations raised inside as fields of a nested object."""
    try:
        yield
    except RuleViolation as exc:
        raise RuleViolation(prefix + exc.field, exc.field_message) from exc
