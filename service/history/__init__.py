"""The real exchange history shipped with the service, converted to API write bodies."""

from __future__ import annotations

from service.history.convert import (
    DATA_DIR,
    HistoryRecord,
    history_records,
    negotiation_records,
    swap_records,
)

__all__ = [
    "DATA_DIR",
    "HistoryRecord",
    "history_records",
    "negotiation_records",
    "swap_records",
]
