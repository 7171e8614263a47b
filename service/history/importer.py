"""Load the shipped history through the normal write path, idempotently.

A record not yet in the log is appended as the API would append it; a record an earlier
import loaded and the shipped history has since changed gets a correction (upgrade.py);
a second run appends nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy.engine import Engine

from ..api.problems import flatten_messages
from ..domain import events as ev
from ..domain.clock import today
from ..domain.errors import DomainError, PayloadInvalid, StreamExists
from ..recording import WriteRequest, fingerprint, record
from ..schemas.agreements import AgreementWrite, BreachWrite
from ..schemas.attempts import AttemptWrite
from ..schemas.corrections import CorrectionWrite
from ..schemas.proposals import AcceptanceWrite, ProposalWrite, RefusalWrite
from ..schemas.statements import StatementWrite
from ..schemas.swaps import SwapWrite
from .convert import DATA_DIR, PARENT_ENDPOINTS, HistoryRecord, history_records
from .upgrade import Loaded, NotCorrectable, correction_body, loaded_record, shipped

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


APPENDED, CORRECTED, PRESENT = "appended", "corrected", "present"


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """How many records one import appended, found present, and corrected."""

    appended: int
    present: int
    corrected: int = 0

    def __str__(self) -> str:
        return (
            f"history: appended {self.appended}, corrected {self.corrected},"
            f" already present {self.present}"
        )


def import_history(
    engine: Engine,
    data_dir: str | Path = DATA_DIR,
    *,
    recorded_by: str = HISTORY_WRITER,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Append every history record not yet in the log and correct loaded ones that changed;
    the record key is the idempotency key of its first append. ``total`` is called once with
    the number of records, before the first is handled; ``progress`` with the number handled
    so far, after each one."""
    outcomes = []
    records = history_records(data_dir)
    if total is not None:
        total(len(records))
    for item in records:
        outcomes.append(import_record(engine, item, recorded_by=recorded_by))
        if progress is not None:
            progress(len(outcomes))
    return ImportSummary(
        appended=outcomes.count(APPENDED),
        present=outcomes.count(PRESENT),
        corrected=outcomes.count(CORRECTED),
    )


def import_record(engine: Engine, item: HistoryRecord, *, recorded_by: str) -> str:
    """Write one record as the API would, or correct it where an earlier import loaded an
    older version; returns APPENDED, CORRECTED or PRESENT."""
    event_type, schema = ENDPOINTS[item.endpoint]
    path = api_path(item)
    try:
        body = schema().load(item.body)
        with engine.connect() as conn:
            loaded = loaded_record(conn, item, event_type, recorded_by)
        if loaded is not None:
            path = f"/v1/events/{loaded.event.id}/corrections"
            return _bring_up_to_date(engine, body, loaded, recorded_by)
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
        # Created in the meantime by another writer: leave it be.
        return PRESENT
    except NotCorrectable as exc:
        raise HistoryRejected(item.key, f"{path}: {exc}") from exc
    except (ValidationError, PayloadInvalid) as exc:
        raise HistoryRejected(item.key, f"{path}: {_fields(exc.messages)}") from exc
    except DomainError as exc:
        raise HistoryRejected(item.key, f"{path}: {exc.message}") from exc
    return APPENDED if fresh else PRESENT


def _bring_up_to_date(engine: Engine, body: Mapping[str, Any], loaded: Loaded, writer: str) -> str:
    # A resource someone else created under the record's id, or one that was retracted, is
    # theirs to keep as it is.
    if not loaded.mine or loaded.retracted:
        return PRESENT
    correction = correction_body(shipped(body), loaded, today=today())
    if correction is None:
        return PRESENT
    record(
        engine,
        WriteRequest(
            event_type=ev.EVENT_CORRECTED,
            body=CorrectionWrite().load(correction),
            recorded_by=writer,
            parent_id=loaded.event.id,
        ),
    )
    return CORRECTED


def api_path(item: HistoryRecord) -> str:
    """The URL path the record would be POSTed to."""
    if item.parent is None:
        return f"/v1/{item.endpoint}"
    return f"/v1/{PARENT_ENDPOINTS[item.endpoint]}/{item.parent}/{item.endpoint}"


def _fields(messages: object) -> str:
    flat = flatten_messages(messages)
    return "; ".join(f"{field}: {' '.join(texts)}" for field, texts in flat.items())
