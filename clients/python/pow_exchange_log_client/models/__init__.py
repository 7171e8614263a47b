"""Contains all the data models used in inputs/outputs"""

from .acceptance_data import AcceptanceData
from .acceptance_item import AcceptanceItem
from .acceptance_write import AcceptanceWrite
from .agreement_count import AgreementCount
from .agreement_data import AgreementData
from .agreement_page import AgreementPage
from .agreement_view import AgreementView
from .agreement_write import AgreementWrite
from .alternative_figure import AlternativeFigure
from .attempt_totals import AttemptTotals
from .attempt_write import AttemptWrite
from .batch_item import BatchItem
from .batch_item_body import BatchItemBody
from .batch_item_method import BatchItemMethod
from .batch_result import BatchResult
from .batch_write import BatchWrite
from .breach_data import BreachData
from .breach_item import BreachItem
from .breach_totals import BreachTotals
from .breach_write import BreachWrite
from .breakdown import Breakdown
from .breakdown_total import BreakdownTotal
from .breakdown_value import BreakdownValue
from .breakdown_value_total import BreakdownValueTotal
from .category import Category
from .correction_entry import CorrectionEntry
from .correction_entry_changes_type_0 import CorrectionEntryChangesType0
from .correction_entry_type import CorrectionEntryType
from .correction_link import CorrectionLink
from .correction_page import CorrectionPage
from .correction_write import CorrectionWrite
from .correction_write_changes import CorrectionWriteChanges
from .date_precision import DatePrecision
from .envelope import Envelope
from .envelope_data import EnvelopeData
from .event_page import EventPage
from .event_type import EventType
from .fact_type import FactType
from .fact_values import FactValues
from .fact_values_data import FactValuesData
from .figure import Figure
from .format_count import FormatCount
from .gap import Gap
from .gap_bounds import GapBounds
from .gap_report import GapReport
from .gap_summary import GapSummary
from .get_timeline_format import GetTimelineFormat
from .health import Health
from .list_events_format import ListEventsFormat
from .log_head import LogHead
from .pagination_metadata import PaginationMetadata
from .party import Party
from .party_count import PartyCount
from .party_totals import PartyTotals
from .problem import Problem
from .problem_errors import ProblemErrors
from .proposal_data import ProposalData
from .proposal_format import ProposalFormat
from .proposal_page import ProposalPage
from .proposal_totals import ProposalTotals
from .proposal_view import ProposalView
from .proposal_write import ProposalWrite
from .received import Received
from .refusal_data import RefusalData
from .refusal_item import RefusalItem
from .refusal_write import RefusalWrite
from .release import Release
from .release_create import ReleaseCreate
from .release_list import ReleaseList
from .retraction_write import RetractionWrite
from .side import Side
from .side_data import SideData
from .source import Source
from .statement_write import StatementWrite
from .stream_events_response_200 import StreamEventsResponse200
from .summary_report import SummaryReport
from .swap_data import SwapData
from .swap_page import SwapPage
from .swap_totals import SwapTotals
from .swap_view import SwapView
from .swap_write import SwapWrite
from .term import Term
from .term_basis import TermBasis
from .term_data import TermData
from .timeline_entry import TimelineEntry
from .timeline_entry_data import TimelineEntryData
from .timeline_page import TimelinePage
from .total import Total
from .year_count import YearCount

__all__ = (
    "AcceptanceData",
    "AcceptanceItem",
    "AcceptanceWrite",
    "AgreementCount",
    "AgreementData",
    "AgreementPage",
    "AgreementView",
    "AgreementWrite",
    "AlternativeFigure",
    "AttemptTotals",
    "AttemptWrite",
    "BatchItem",
    "BatchItemBody",
    "BatchItemMethod",
    "BatchResult",
    "BatchWrite",
    "BreachData",
    "BreachItem",
    "BreachTotals",
    "BreachWrite",
    "Breakdown",
    "BreakdownTotal",
    "BreakdownValue",
    "BreakdownValueTotal",
    "Category",
    "CorrectionEntry",
    "CorrectionEntryChangesType0",
    "CorrectionEntryType",
    "CorrectionLink",
    "CorrectionPage",
    "CorrectionWrite",
    "CorrectionWriteChanges",
    "DatePrecision",
    "Envelope",
    "EnvelopeData",
    "EventPage",
    "EventType",
    "FactType",
    "FactValues",
    "FactValuesData",
    "Figure",
    "FormatCount",
    "Gap",
    "GapBounds",
    "GapReport",
    "GapSummary",
    "GetTimelineFormat",
    "Health",
    "ListEventsFormat",
    "LogHead",
    "PaginationMetadata",
    "Party",
    "PartyCount",
    "PartyTotals",
    "Problem",
    "ProblemErrors",
    "ProposalData",
    "ProposalFormat",
    "ProposalPage",
    "ProposalTotals",
    "ProposalView",
    "ProposalWrite",
    "Received",
    "RefusalData",
    "RefusalItem",
    "RefusalWrite",
    "Release",
    "ReleaseCreate",
    "ReleaseList",
    "RetractionWrite",
    "Side",
    "SideData",
    "Source",
    "StatementWrite",
    "StreamEventsResponse200",
    "SummaryReport",
    "SwapData",
    "SwapPage",
    "SwapTotals",
    "SwapView",
    "SwapWrite",
    "Term",
    "TermBasis",
    "TermData",
    "TimelineEntry",
    "TimelineEntryData",
    "TimelinePage",
    "Total",
    "YearCount",
)
