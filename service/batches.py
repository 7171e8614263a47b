"""The batch write use case: many writes, one append transaction, one Idempotency-Key.

Each item is the write its own endpoint would make (``recording``: the same event shaping,
the same rules, the same append); the batch only runs them in order inside one group-
committed transaction, so they are all written or none, and names the item of any error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.engine import Connection, Engine

from .domain.batches import Reference, item_error, resolve
from .domain.errors import DomainError, PayloadInvalid, RuleViolation
from .domain.events import EVENT_TYPES, NewEvent, RecordedEvent
from .domain.log_rules import reads_log
from .recording import (
    WriteRequest,
    append_checked,
    confirmed_or_replayed,
    idempotency_key,
    new_event,
)
from .store import idempotency, lock_probe
from .store.append import know_versions
from .store.batch_log import BatchLog, named_resources
from .store.group_commit import run_in_shared_transaction


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchItem:
    """One item: its write (body loaded by its endpoint's schema) and, when its path named
    an earlier item, that reference (``request.parent_id`` is then filled in at append)."""

    request: WriteRequest
    body_fields: frozenset[str]
    reference: Reference | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchRequest:
    items: Sequence[BatchItem]
    recorded_by: str
    idempotency_key: str | None = None
    request_fingerprint: str = ""
    token_hash: str | None = None


def record_batch(engine: Engine, batch: BatchRequest) -> tuple[list[RecordedEvent], bool]:
    """Validate and append every item atomically; returns the events in the items' order and
    whether they were written now (False: an Idempotency-Key replay)."""
    news = checked_items(batch.items)
    key = idempotency_key(batch.recorded_by, batch.idempotency_key, batch.request_fingerprint)
    # What the items ask of the log, asked at once with the lock held: the resources they
    # must find live, and the streams they create under a name given (its schema checked
    # it) or must find. An item that names an earlier one of the batch finds it among the
    # batch's own.
    settled = [new for item, new in zip(batch.items, news, strict=True) if item.reference is None]
    resources = named_resources(settled)
    given = (n.stream for n in settled if n.stream and EVENT_TYPES[n.type].creates_stream)
    streams = list(dict.fromkeys([*given, *resources]))

    def write(conn: Connection) -> tuple[list[RecordedEvent], bool]:
        replay = confirmed_or_replayed(conn, batch.token_hash, key)
        if replay is not None:
            return replay, False
        written: list[RecordedEvent] = []
        log = BatchLog(conn, resources) if resources else None
        know_versions(conn, streams, log.versions if log is not None else None)
        for index, (item, new) in enumerate(zip(batch.items, news, strict=True)):
            parent = item.request.parent_id
            try:
                if item.reference is not None:
                    parent = resolve(item.reference, written)
                    new = new_event(replace(item.request, parent_id=parent))
                written.append(append_checked(conn, new, parent, batch.recorded_by, log))
            except DomainError as exc:
                raise item_error(index, item.body_fields, exc) from exc
            if log is not None:
                log.placed(written[-1])
        if key is not None:
            idempotency.remember(conn, key, written)
        return written, True

    # Items that read the log flush the earlier items' rows inside this piece of work: a
    # failing item must take them back, so such a batch runs in its own SAVEPOINT. Without
    # them, nothing of the batch is written before its last item is checked (the appends are
    # staged, the key's record comes last), so, like a single write, it needs none (two
    # round trips fewer inside the append lock). The names every generated id will ask
    # about are looked up with the lock.
    probe = lock_probe.candidates(engine, news)
    isolated = any(reads_log(new) for new in news)
    return run_in_shared_transaction(engine, write, isolated=isolated, probe=probe)


def checked_items(items: Sequence[BatchItem]) -> list[NewEvent]:
    """Every item's event, checked by the rules that need no log; a 422 naming every
    failing item's field (each item's first rule) before anything is locked."""
    news: list[NewEvent] = []
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        try:
            news.append(new_event(item.request))
        except RuleViolation as exc:
            renamed = item_error(index, item.body_fields, exc)
            assert isinstance(renamed, RuleViolation)
            errors[renamed.field] = [renamed.field_message]
    if errors:
        raise PayloadInvalid(errors)
    return news
