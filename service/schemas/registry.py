"""Which payload schema validates which event type (used again when a correction merges)."""

from __future__ import annotations

from marshmallow import Schema

from ..domain import events as ev
from .agreements import AgreementPayload, BreachPayload
from .attempts import AttemptPayload
from .corrections import CorrectionPayload, RetractionPayload
from .proposals import AcceptancePayload, ProposalPayload, RefusalPayload
from .statements import StatementPayload
from .swaps import SwapPayload

PAYLOAD_SCHEMAS: dict[str, type[Schema]] = {
    ev.PROPOSAL_MADE: ProposalPayload,
    ev.PROPOSAL_REFUSED: RefusalPayload,
    ev.PROPOSAL_ACCEPTED: AcceptancePayload,
    ev.AGREEMENT_REACHED: AgreementPayload,
    ev.AGREEMENT_BREACHED: BreachPayload,
    ev.EXCHANGE_FAILED: AttemptPayload,
    ev.STATEMENT_MADE: StatementPayload,
    ev.SWAP_COMPLETED: SwapPayload,
    ev.EVENT_CORRECTED: CorrectionPayload,
    ev.EVENT_RETRACTED: RetractionPayload,
}
