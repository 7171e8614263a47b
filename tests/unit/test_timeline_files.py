"""CSV and TimelineJS renderings of timeline entries."""

from __future__ import annotations

import csv
import io

from service.api.formats.timeline_files import CSV_COLUMNS, safe_cell, start_date, timeline_csv


def entry(**overrides):
    base = {
        "occurred_on": "2026-02-05",
        "date_precision": "day",
        "type": "swap.completed",
        "resource_id": "feb",
        "headline": "UA and RU swap 157 for 157, mediated by AE",
        "parties": ["AE", "RU", "UA"],
        "corrected": False,
        "event_id": "e1",
        "position": 3,
        "sources": [{"url": "https://example.org/a,b"}],
    }
    return {**base, **overrides}


class TestCsv:
    def test_rows_parse_back_with_the_documented_columns(self):
        text = timeline_csv([entry(), entry(headline='He said "no", twice\nthen left')])
        assert text.startswith("\ufeff") and "\r\n" in text
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        assert tuple(rows[0]) == CSV_COLUMNS
        assert rows[1] == [
            "2026-02-05",
            "day",
            "swap.completed",
            "feb",
            "UA and RU swap 157 for 157, mediated by AE",
            "AE RU UA",
            "false",
            "e1",
            "3",
            "https://example.org/a,b",
        ]
        assert rows[2][4] == 'He said "no", twice\nthen left'

    def test_formula_starts_are_defused(self):
        assert [safe_cell(v) for v in ("=1+1", "+7", "-2", "@SUM", "ok")] == [
            "'=1+1",
            "'+7",
            "'-2",
            "'@SUM",
            "ok",
        ]


class TestTimelineJsDates:
    def test_dates_are_as_precise_as_the_source(self):
        assert start_date("2024-05-01", "month") == {"year": "2024", "month": "5"}
        assert start_date("2024-01-01", "year") == {"year": "2024"}
        assert start_date("2026-02-05", "day") == {"year": "2026", "month": "2", "day": "5"}
