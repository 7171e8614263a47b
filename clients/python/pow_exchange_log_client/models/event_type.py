from enum import StrEnum


class EventType(StrEnum):
    AGREEMENT_BREACHED = "agreement.breached"
    AGREEMENT_REACHED = "agreement.reached"
    EVENT_CORRECTED = "event.corrected"
    EVENT_RETRACTED = "event.retracted"
    EXCHANGE_FAILED = "exchange.failed"
    PROPOSAL_ACCEPTED = "proposal.accepted"
    PROPOSAL_MADE = "proposal.made"
    PROPOSAL_REFUSED = "proposal.refused"
    STATEMENT_MADE = "statement.made"
    SWAP_COMPLETED = "swap.completed"

    def __str__(self) -> str:
        return str(self.value)
