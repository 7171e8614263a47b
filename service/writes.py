"""Write use cases: each owns its append transaction and checks rules against the log."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.engine import Connection, Engine

from .domain import events as ev
from .domain.errors import NotFound, RuleViolation, Unauthorized
from .domain.events import EVENT_TYPES, META_TYPES, NewEvent, RecordedEvent, stream_name
from .domain.rules import check_occurred_on, check_payload
from .domain.vocab import SLUG_PATTERN, DatePrecision
from .schemas.registry import PAYLOAD_SCHEMAS
from .store import queries, token_memory
from .store.append import append_in, flush_staged
from .store.group_commit import committed
from .store.idempotency import IdempotencyKey, run_once

ENVELOPE_FIELDS = ("occurred_on", "date_precision", "sources", "id", "expected_version")
DATE_CHANGES = ("occurred_on", "date_precision")
REFERENCE_FIELDS = {"proposal_id": "proposal", "agreement_id": "agreement"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PayloadInvalid(Exception):
    """Marshmallow messages for a payload that fails its schema (a correction's merge)."""

    def __init__(self, messages: Mapping[str, Any]) -> None:
        super().__init__("invalid payload")
        self.messages = messages


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteRequest:
    """One write as the API received it, already loaded by its schema."""

    event_type: str
    body: Mapping[str, Any]
    recorded_by: str
    parent_id: str | None = None
    if_match: int | None = None
    idempotency_key: str | None = None
    request_fingerprint: str = ""
    # The caller's token, confirmed inside the append transaction (store/token_memory.py).
    token_hash: str | None = None


def fingerprint(method: str, path: str, raw_body: Any) -> str:
    """Identity of a request for Idempotency-Key comparison; digests any JSON Python parsed
    (ASCII escapes for lone surrogates, NaN allowed: validation, run later, rejects both)."""
    text = json.dumps([method, path, raw_body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def record(engine: Engine, request: WriteRequest) -> tuple[RecordedEvent, bool]:
    """Validate and append one event; returns it and whether it was written now."""
    new = _new_event(request)

    def write(conn: Connection) -> list[RecordedEvent]:
        if request.token_hash and not token_memory.confirm(conn, request.token_hash):
            raise Unauthorized("the bearer token was revoked")
        if _reads_log(new):
            flush_staged(conn)  # appends staged earlier in this batch must be visible
        checked = _check_against_log(conn, new, request)
        return append_in(conn, [checked], recorded_by=request.recorded_by)

    if request.idempotency_key:
        key = IdempotencyKey(
            token_name=request.recorded_by,
            key=request.idempotency_key,
            request_hash=request.request_fingerprint,
        )
        written, fresh = run_once(engine, key, write)
        return written[0], fresh
    # write raises only before it writes (append_in stages): no SAVEPOINT needed.
    return committed(engine, write, isolated=False)[0], True


def _reads_log(new: NewEvent) -> bool:
    """Whether ``_check_against_log`` will query the events table for this event."""
    event_type = EVENT_TYPES[new.type]
    return bool(
        event_type.parent_field
        or new.type in META_TYPES
        or any(new.data.get(field) for field in REFERENCE_FIELDS)
    )


def today() -> date:
    return datetime.now(UTC).date()


def jsonable(value: Any) -> Any:
    """Loaded schema values (dates, enums) as plain JSON values."""
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _new_event(request: WriteRequest) -> NewEvent:
    body = request.body
    event_type = EVENT_TYPES[request.event_type]
    data = jsonable({k: v for k, v in body.items() if k not in ENVELOPE_FIELDS})
    check_occurred_on(body["occurred_on"], today())
    check_payload(request.event_type, data)
    if event_type.parent_field:
        data[event_type.parent_field] = request.parent_id
    if request.event_type in META_TYPES:
        data["target_event_id"] = request.parent_id
    if event_type.creates_stream:
        stream = stream_name(event_type.stream_kind, body["id"]) if body.get("id") else None
    elif event_type.parent_field:
        stream = stream_name(event_type.stream_kind, request.parent_id or "")
    else:
        stream = None  # corrections and retractions join the target's stream, found in the log
    expected, source = request.if_match, "header"
    if expected is None and body.get("expected_version") is not None:
        expected, source = body["expected_version"], "body"
    return NewEvent(
        type=request.event_type,
        stream=stream,
        data=data,
        occurred_on=body["occurred_on"],
        date_precision=jsonable(body.get("date_precision", "day")),
        sources=tuple(jsonable(body["sources"])),
        expected_version=expected,
        expected_from=source,
    )


def _check_against_log(conn: Connection, new: NewEvent, request: WriteRequest) -> NewEvent:
    """Rules that need the log: referenced resources exist and are not retracted."""
    event_type = EVENT_TYPES[new.type]
    if event_type.parent_field and new.stream:
        _require_live_resource(conn, new.stream, event_type.parent_field)
    if new.type in META_TYPES:
        return _check_meta(conn, new, request.parent_id or "")
    if not event_type.parent_field:
        _check_references(conn, new.data)
    return new


def _require_live_resource(conn: Connection, stream: str, field: str) -> RecordedEvent:
    kind, rid = stream.split("/", 1)
    # An id from the URL may hold anything (even NUL, which PostgreSQL refuses to compare).
    creation = queries.stream_creation(conn, stream) if re.fullmatch(SLUG_PATTERN, rid) else None
    if creation is None:
        raise RuleViolation(field, f"there is no {kind} {rid!r}")
    if queries.is_retracted(conn, creation.id):
        raise RuleViolation(field, f"{kind} {rid!r} was retracted")
    return creation


def _check_references(conn: Connection, data: Mapping[str, Any], prefix: str = "") -> None:
    for field, kind in REFERENCE_FIELDS.items():
        if data.get(field):
            _require_live_resource(conn, stream_name(kind, data[field]), prefix + field)


def _check_meta(conn: Connection, new: NewEvent, target_id: str) -> NewEvent:
    target = queries.event_by_id(conn, target_id)
    if target is None:
        raise NotFound(f"there is no event {target_id}")
    if target.type in META_TYPES:
        raise RuleViolation(
            "target_event_id", "corrections and retractions cannot be corrected or retracted"
        )
    if queries.is_retracted(conn, target.id):
        verb = "corrected" if new.type == ev.EVENT_CORRECTED else "retracted again"
        raise RuleViolation(
            "target_event_id", f"event {target.id} was retracted; it cannot be {verb}"
        )
    data = dict(new.data)
    if new.type == ev.EVENT_CORRECTED:
        data["changes"] = _check_correction(conn, target, new.data["changes"])
    return NewEvent(
        type=new.type,
        stream=target.stream,
        data=data,
        occurred_on=new.occurred_on,
        date_precision=new.date_precision,
        sources=new.sources,
        expected_version=new.expected_version,
        expected_from=new.expected_from,
    )


def _check_correction(
    conn: Connection, target: RecordedEvent, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """The target's current payload with the changes applied must still be a valid payload.

    Returns the changes as they will be stored: each changed field as its schema loads it
    (defaults filled in, dates as ISO text), so a correction carries data of the same shape
    as the event it corrects.
    """
    if not changes:
        raise RuleViolation("changes", "name at least one field to change")
    current = dict(target.data)
    for earlier in queries.corrections_of(conn, target.id):
        current.update({k: v for k, v in earlier.data["changes"].items() if k not in DATE_CHANGES})
    payload_changes = {k: v for k, v in changes.items() if k not in DATE_CHANGES}
    parent_field = EVENT_TYPES[target.type].parent_field
    if parent_field and parent_field in payload_changes:
        raise RuleViolation(f"changes.{parent_field}", "the resource an event belongs to is fixed")
    if parent_field:
        current.pop(parent_field, None)
    current.update(payload_changes)
    try:
        merged = jsonable(PAYLOAD_SCHEMAS[target.type]().load(current))
    except ValidationError as exc:
        raise PayloadInvalid({"changes": exc.messages}) from exc
    with _within("changes."):
        check_payload(target.type, merged)
    # Only references the correction sets are checked: a later retraction of a referenced
    # resource must not block unrelated corrections.
    _check_references(conn, {k: merged.get(k) for k in payload_changes}, prefix="changes.")
    stored = {k: merged[k] for k in payload_changes if k in merged}
    stored.update(_date_changes(changes))
    return stored


@contextmanager
def _within(prefix: str) -> Iterator[None]:
    """Re-name rule violations raised inside as fields of a nested object."""
    try:
        yield
    except RuleViolation as exc:
        raise RuleViolation(prefix + exc.field, exc.field_message) from exc


def _date_changes(changes: Mapping[str, Any]) -> dict[str, str]:
    dates: dict[str, str] = {}
    if "occurred_on" in changes:
        value = changes["occurred_on"]
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
            raise RuleViolation("changes.occurred_on", "must be a date as YYYY-MM-DD")
        try:
            new_date = date.fromisoformat(value)
        except ValueError as exc:
            raise RuleViolation("changes.occurred_on", "must be a date as YYYY-MM-DD") from exc
        check_occurred_on(new_date, today(), field="changes.occurred_on")
        dates["occurred_on"] = new_date.isoformat()
    if "date_precision" in changes:
        allowed = [p.value for p in DatePrecision]
        if changes["date_precision"] not in allowed:
            raise RuleViolation("changes.date_precision", f"must be one of: {', '.join(allowed)}")
        dates["date_precision"] = changes["date_precision"]
    return dates
