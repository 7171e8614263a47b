"""How a correction changes its target: the one merge every reader and rule uses.

A correction's ``changes`` replace top-level keys of the target's ``data``, in order;
``occurred_on`` and ``date_precision`` in ``changes`` move the fact's date instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from .errors import RuleViolation
from .rules import check_occurred_on
from .vocab import DatePrecision

DATE_CHANGES = ("occurred_on", "date_precision")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def payload_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The part of ``changes`` that replaces payload keys (not the date fields)."""
    return {k: v for k, v in changes.items() if k not in DATE_CHANGES}


def merged(data: Mapping[str, Any], changes: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """``data`` with each correction's payload changes applied in order."""
    current = dict(data)
    for change in changes:
        current.update(payload_changes(change))
    return current


def date_changes(changes: Mapping[str, Any], today: date) -> dict[str, str]:
    """The date fields of ``changes``, checked like a write's (``changes.``-named errors)."""
    dates: dict[str, str] = {}
    if "occurred_on" in changes:
        value = changes["occurred_on"]
        new_date = None
        if isinstance(value, str) and ISO_DATE.fullmatch(value):
            try:
                new_date = date.fromisoformat(value)
            except ValueError:
                new_date = None
        if new_date is None:
            raise RuleViolation("changes.occurred_on", "must be a date as YYYY-MM-DD")
        check_occurred_on(new_date, today, field="changes.occurred_on")
        dates["occurred_on"] = new_date.isoformat()
    if "date_precision" in changes:
        allowed = [p.value for p in DatePrecision]
        if changes["date_precision"] not in allowed:
            raise RuleViolation("changes.date_precision", f"must be one of: {', '.join(allowed)}")
        dates["date_precision"] = changes["date_precision"]
    return dates
