"""The write use case: one request becomes one appended event, inside one append transaction.

The rules live in ``domain`` (``rules`` for one payload, ``log_rules`` for what needs the
log); this module only orders them: shape the event, check what needs no log, then — in the
group-committed append transaction — confirm the token, replay a known Idempotency-Key,
check against the log, append, record the key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.engine import Connection, Engine

from .domain.clock import today
from .domain.errors import PayloadInvalid, Unauthorized
from .domain.events import EVENT_TYPES, META_TYPES, NewEvent, RecordedEvent, stream_name
from .domain.log_rules import LogLookup, check_against_log, reads_log
from .domain.rules import check_occurred_on, check_payload
from .schemas.loaded import jsonable
from .schemas.registry import PAYLOAD_SCHEMAS
from .store import idempotency, lock_probe, token_cache
from .store.append import append_in, flush_staged
from .store.event_reads import LogReader
from .store.group_commit import run_in_shared_transaction
from .store.idempotency import IdempotencyKey

ENVELOPE_FIELDS = ("occurred_on", "date_precision", "sources", "id", "expected_version")


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
    # The caller's token, confirmed inside the append transaction (store/token_cache.py).
    token_hash: str | None = None


def fingerprint(method: str, path: str, raw_body: Any) -> str:
    """Identity of a request for Idempotency-Key comparison; digests any JSON Python parsed
    (ASCII escapes for lone surrogates, NaN allowed: validation, run later, rejects both)."""
    text = json.dumps([method, path, raw_body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def record(engine: Engine, request: WriteRequest) -> tuple[RecordedEvent, bool]:
    """Validate and append one event; returns it and whether it was written now."""
    new = new_event(request)
    key = idempotency_key(request.recorded_by, request.idempotency_key, request.request_fingerprint)

    def write(conn: Connection) -> tuple[RecordedEvent, bool]:
        replay = confirmed_or_replayed(conn, request.token_hash, key)
        if replay is not None:
            return replay[0], False
        written = append_checked(conn, new, request.parent_id, request.recorded_by)
        if key is not None:
            idempotency.remember(conn, key, [written])
        return written, True

    # write raises only before it writes (append_in stages; remember is its last statement):
    # no SAVEPOINT needed. A generated stream id is looked up with the lock (one round trip).
    probe = lock_probe.candidates(engine, [new])
    return run_in_shared_transaction(engine, write, isolated=False, probe=probe)


def idempotency_key(recorded_by: str, key: str | None, request_hash: str) -> IdempotencyKey | None:
    """The key of a write (single or batch) that sent an Idempotency-Key, else None."""
    if not key:
        return None
    return IdempotencyKey(token_name=recorded_by, key=key, request_hash=request_hash)


def confirmed_or_replayed(
    conn: Connection, token_hash: str | None, key: IdempotencyKey | None
) -> list[RecordedEvent] | None:
    """In the append transaction, before anything is appended: the token is still valid
    (else Unauthorized), and the events of an Idempotency-Key already used (else None)."""
    # The token first: a revoked token gets nothing, not even the replay of its key.
    refused = token_cache.refusal(conn, token_hash) if token_hash else None
    if refused is not None:
        raise Unauthorized(refused)
    if key is not None:
        return idempotency.replayed(conn, key)
    return None


def append_checked(
    conn: Connection,
    new: NewEvent,
    parent_id: str | None,
    recorded_by: str,
    log: LogLookup | None = None,
) -> RecordedEvent:
    """In the append transaction: check the event against the log, then append (staged).
    ``log``: what a batch's items ask of the log (``store.batch_log``), else the log itself."""
    if log is None:
        if reads_log(new):
            flush_staged(conn)  # appends staged earlier in this transaction must be visible
        log = LogReader(conn)
    checked = check_against_log(log, new, parent_id or "", load_corrected_payload, today())
    return append_in(conn, [checked], recorded_by=recorded_by)[0]


def load_corrected_payload(event_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A corrected payload loaded by its type's schema, as JSON values (PayloadInvalid
    naming ``changes`` if it no longer loads)."""
    try:
        return jsonable(PAYLOAD_SCHEMAS[event_type]().load(data))
    except ValidationError as exc:
        raise PayloadInvalid({"changes": exc.messages}) from exc


def new_event(request: WriteRequest) -> NewEvent:
    """The event a request asks for, checked by every rule that needs no log."""
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
