"""Load the shipped history through the normal write path, idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from marshmallow import Schema, ValidationError
from sqlalchemy.engine import Engine

from ..api.problems import flatten_messages
from ..domain import events as ev
from ..domain.errors import DomainError, PayloadInvalid, StreamExists
from ..domain.events import EVENT_TYPES, stream_name
from ..recording import WriteRequest, fingerprint, record
from ..schemas.agreements import AgreementWrite, BreachWrite
from ..schemas.attempts import AttemptWrite
from ..schemas.proposals import AcceptanceWrite, ProposalWrite, RefusalWrite
from ..schemas.statements import StatementWrite
from ..schemas.swaps import SwapWrite
from ..store import event_reads
from .convert import DATA_DIR, PARENT_ENDPOINTS, HistoryRecord, history_records

# recorded_by of every imported event, and the namespace of its idempotency keys.
HISTORY_WRITER = "history-import"

# Endpoint of a record -> the event type and the write schema the API would use for it.
ENDPOINTS: dict[str, tuple[str, type[Schema]]] = {
    "proposals": (ev.PROPOSAL_MADE, ProposalWrite),
    "refusals": (ev.PROPOSAL_REFUSED, RefusalWrite),
    "acceptances": (ev.PROPOSAL_ACCEPTED, AcceptanceWrite),
    "agreements": (ev.AGREEMENT_REACHED, AgreementWrite),
    "breaches": (ev.AGREEMENT_BREACHED, BreachWrite),
    "attempts": (ev.EXCHANGE_FAILED, AttemptWrite),
    "statements": (ev.STATEMENT_MADE, StatementWrite),
    "swaps": (ev.SWAP_COMPLETED, SwapWrite),
}


class HistoryRejected(Exception):
    """A history record the write rules refuse: the data or the converter must be fixed."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"history record {key!r} rejected: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ImportSummary:
    appended: int
    present: int

    def __str__(self) -> str:
        return f"history: appended {self.appended}, already present {self.present}"


def import_history(
    engine: Engine, data_dir: str | Path = DATA_DIR, *, recorded_by: str = HISTORY_WRITER
) -> ImportSummary:
    """Append every history record not yet in the log; the record key is the idempotency key."""
    appended = present = 0
    for item in history_records(data_dir):
        if import_record(engine, item, recorded_by=recorded_by):
            appended += 1
        else:
            present += 1
    return ImportSummary(appended=appended, present=present)


def import_record(engine: Engine, item: HistoryRecord, *, recorded_by: str) -> bool:
    """Write one record as the API would; False when it is already in the log."""
    event_type, schema = ENDPOINTS[item.endpoint]
    path = api_path(item)
    if item.parent is not None and _child_recorded(engine, event_type, item, recorded_by):
        return False
    try:
        body = schema().load(item.body)
        _, fresh = record(
            engine,
            WriteRequest(
                event_type=event_type,
                body=body,
                recorded_by=recorded_by,
                parent_id=item.parent,
                idempotency_key=item.key,
                request_fingerprint=fingerprint("POST", path, item.body),
            ),
        )
    except StreamExists:
        # Created earlier without this key (by hand, or by an older import): leave it be.
        return False
    except (ValidationError, PayloadInvalid) as exc:
        raise HistoryRejected(item.key, f"{path}: {_fields(exc.messages)}") from exc
    except DomainError as exc:
        raise HistoryRejected(item.key, f"{path}: {exc.message}") from exc
    return fresh


def _child_recorded(engine: Engine, event_type: str, item: HistoryRecord, writer: str) -> bool:
    """Whether the parent's stream already holds this imported record.

    Idempotency keys are not part of a backup, so after a restore only the log itself can
    tell that a refusal or breach (which has no id of its own) was already imported.
    """
    stream = stream_name(EVENT_TYPES[event_type].stream_kind, item.parent or "")
    urls = [source["url"] for source in item.body["sources"]]
    with engine.connect() as conn:
        events = event_reads.page_of_events(conn, stream=stream, types=[event_type], limit=1000)
    return any(
        e.recorded_by == writer
        and e.occurred_on.isoformat() == item.body["occurred_on"]
        and [source["url"] for source in e.sources] == urls
        for e in events
    )


def api_path(item: HistoryRecord) -> str:
    """The URL path the record would be POSTed to."""
    if item.parent is None:
        return f"/v1/{item.endpoint}"
    return f"/v1/{PARENT_ENDPOINTS[item.endpoint]}/{item.parent}/{item.endpoint}"


def _fields(messages: object) -> str:
    flat = flatten_messages(messages)
    return "; ".join(f"{field}: {' '.join(texts)}" for field, texts in flat.items())
