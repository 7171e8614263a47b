from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.attempt_totals import AttemptTotals
    from ..models.breach_totals import BreachTotals
    from ..models.breakdown_total import BreakdownTotal
    from ..models.party_totals import PartyTotals
    from ..models.proposal_totals import ProposalTotals
    from ..models.received import Received
    from ..models.swap_totals import SwapTotals
    from ..models.total import Total


T = TypeVar("T", bound="SummaryReport")


@_attrs_define
class SummaryReport:
    """
    Attributes:
        acceptances (PartyTotals):
        agreements (Total):
        as_of_position (int): The log position this answer reflects
        breaches (BreachTotals):
        breakdowns (list[BreakdownTotal]):
        failed_attempts (AttemptTotals):
        proposals (ProposalTotals):
        received (list[Received]):
        refusals (PartyTotals):
        statements (Total):
        swaps (SwapTotals):
    """

    acceptances: PartyTotals
    agreements: Total
    as_of_position: int
    breaches: BreachTotals
    breakdowns: list[BreakdownTotal]
    failed_attempts: AttemptTotals
    proposals: ProposalTotals
    received: list[Received]
    refusals: PartyTotals
    statements: Total
    swaps: SwapTotals

    def to_dict(self) -> dict[str, Any]:
        acceptances = self.acceptances.to_dict()

        agreements = self.agreements.to_dict()

        as_of_position = self.as_of_position

        breaches = self.breaches.to_dict()

        breakdowns = []
        for breakdowns_item_data in self.breakdowns:
            breakdowns_item = breakdowns_item_data.to_dict()
            breakdowns.append(breakdowns_item)

        failed_attempts = self.failed_attempts.to_dict()

        proposals = self.proposals.to_dict()

        received = []
        for received_item_data in self.received:
            received_item = received_item_data.to_dict()
            received.append(received_item)

        refusals = self.refusals.to_dict()

        statements = self.statements.to_dict()

        swaps = self.swaps.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "acceptances": acceptances,
                "agreements": agreements,
                "as_of_position": as_of_position,
                "breaches": breaches,
                "breakdowns": breakdowns,
                "failed_attempts": failed_attempts,
                "proposals": proposals,
                "received": received,
                "refusals": refusals,
                "statements": statements,
                "swaps": swaps,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attempt_totals import AttemptTotals  # noqa: PLC0415
        from ..models.breach_totals import BreachTotals  # noqa: PLC0415
        from ..models.breakdown_total import BreakdownTotal  # noqa: PLC0415
        from ..models.party_totals import PartyTotals  # noqa: PLC0415
        from ..models.proposal_totals import ProposalTotals  # noqa: PLC0415
        from ..models.received import Received  # noqa: PLC0415
        from ..models.swap_totals import SwapTotals  # noqa: PLC0415
        from ..models.total import Total  # noqa: PLC0415

        d = dict(src_dict)
        acceptances = PartyTotals.from_dict(d.pop("acceptances"))

        agreements = Total.from_dict(d.pop("agreements"))

        as_of_position = d.pop("as_of_position")

        breaches = BreachTotals.from_dict(d.pop("breaches"))

        breakdowns = []
        _breakdowns = d.pop("breakdowns")
        for breakdowns_item_data in _breakdowns:
            breakdowns_item = BreakdownTotal.from_dict(breakdowns_item_data)

            breakdowns.append(breakdowns_item)

        failed_attempts = AttemptTotals.from_dict(d.pop("failed_attempts"))

        proposals = ProposalTotals.from_dict(d.pop("proposals"))

        received = []
        _received = d.pop("received")
        for received_item_data in _received:
            received_item = Received.from_dict(received_item_data)

            received.append(received_item)

        refusals = PartyTotals.from_dict(d.pop("refusals"))

        statements = Total.from_dict(d.pop("statements"))

        swaps = SwapTotals.from_dict(d.pop("swaps"))

        summary_report = cls(
            acceptances=acceptances,
            agreements=agreements,
            as_of_position=as_of_position,
            breaches=breaches,
            breakdowns=breakdowns,
            failed_attempts=failed_attempts,
            proposals=proposals,
            received=received,
            refusals=refusals,
            statements=statements,
            swaps=swaps,
        )

        return summary_report
