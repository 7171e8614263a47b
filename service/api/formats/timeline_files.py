"""Timeline renderings: CSV (RFC 4180, spreadsheet-safe) and TimelineJS JSON.

Spreadsheet safety (CSV injection): every cell is quoted; a cell a spreadsheet could read as
a formula gets a leading ``'``: one whose text, after leading spaces, starts with = + - @ (or
that starts with a tab or carriage return), and one with such a sign after a separator a
spreadsheet may split on (``;`` ``,`` ``|`` tab, line break; spaces between allowed). Quotes
do not help a spreadsheet that splits a ``,`` file on ``;``: it starts a cell right after the
``;`` inside our cell, so each such sign gets a ``'`` of its own too (``x;=1`` is written
``'x;'=1``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

CSV_COLUMNS = (
    "occurred_on",
    "date_precision",
    "type",
    "resource_id",
    "headline",
    "parties",
    "corrected",
    "event_id",
    "position",
    "source_url",
)
FORMULA_SIGNS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")
# A formula sign after a separator some spreadsheet splits cells on, spaces allowed between.
SIGN_AFTER_SEPARATOR = re.compile(r"([;,|\t\r\n][ \t]*)(?=[=+\-@])")
BOM = "\ufeff"


def safe_cell(value: Any) -> str:
    """Text a spreadsheet will not run as a formula (see the module docstring)."""
    text = "" if value is None else str(value)
    defused = SIGN_AFTER_SEPARATOR.sub(r"\g<1>'", text)
    risky = (
        defused != text
        or text.startswith(CONTROL_STARTS)
        or text.lstrip().startswith(FORMULA_SIGNS)
    )
    return "'" + defused if risky else text


def csv_row(entry: Mapping[str, Any]) -> list[str]:
    sources = entry.get("sources") or []
    values = {
        **entry,
        "parties": " ".join(entry["parties"]),
        "corrected": "true" if entry["corrected"] else "false",
        "source_url": sources[0]["url"] if sources else "",
    }
    return [safe_cell(values[c]) for c in CSV_COLUMNS]


def timeline_csv(entries: Iterable[Mapping[str, Any]]) -> str:
    """UTF-8 with a byte-order mark (so spreadsheets detect the encoding), CRLF rows, every
    cell quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(csv_row(entry))
    return BOM + out.getvalue()


def start_date(occurred_on: str, precision: str) -> dict[str, str]:
    """TimelineJS date parts, as precise as the source: a month date has no day."""
    year, month, day = occurred_on.split("-")
    parts = {"year": year}
    if precision in ("month", "day"):
        parts["month"] = str(int(month))
    if precision == "day":
        parts["day"] = str(int(day))
    return parts


def timelinejs(entries: Iterable[Mapping[str, Any]], texts: Mapping[str, str]) -> dict[str, Any]:
    return {
        "events": [
            {
                "start_date": start_date(e["occurred_on"], e["date_precision"]),
                "text": {"headline": e["headline"], "text": texts.get(e["event_id"], "")},
                "group": e["type"],
                "unique_id": e["event_id"],
            }
            for e in entries
        ]
    }
