"""CSV injection: no cell of the timeline CSV can reach a spreadsheet as a formula.

The guard used to look at a cell's first character only, and quoted cells only when needed,
so ``x;=1+1`` became a formula in a spreadsheet that splits on ``;``.
"""

from __future__ import annotations

import csv
import io

import pytest

from service.api.formats.timeline_files import CSV_COLUMNS, safe_cell, timeline_csv

pytestmark = pytest.mark.hostile
TRIGGERS = ("=", "+", "-", "@")


def entry(headline: str) -> dict:
    return {
        "occurred_on": "2026-02-05",
        "date_precision": "day",
        "type": "statement.made",
        "resource_id": "s-1",
        "headline": headline,
        "parties": ["UA"],
        "corrected": False,
        "event_id": "e1",
        "position": 3,
        "sources": [{"url": "https://example.org/a;b"}],
    }


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("x;=1+1", "'x;'=1+1"),
        ("x,=1+1", "'x,'=1+1"),
        ("x|=1+1", "'x|'=1+1"),
        ("x\t=1+1", "'x\t'=1+1"),
        ("x\n=1+1", "'x\n'=1+1"),
        ("x\r\n@SUM(A1)", "'x\r\n'@SUM(A1)"),
        ("x; =HYPERLINK(1)", "'x; '=HYPERLINK(1)"),
        ("a;b;-2+3", "'a;b;'-2+3"),
        ("=1;=2", "'=1;'=2"),
        (" =1+1", "' =1+1"),
        ("\t=1+1", "'\t'=1+1"),
        ("\r=1+1", "'\r'=1+1"),
        ("\tplain", "'\tplain"),
        ("  @cmd", "'  @cmd"),
        ("+7", "'+7"),
    ],
)
def test_a_formula_anywhere_a_spreadsheet_may_start_a_cell_gets_a_quote(text, written):
    assert safe_cell(text) == written


@pytest.mark.parametrize(
    "text",
    [
        "UA and RU swap 157 for 157, mediated by AE",
        "2026-02-05",
        "a-b=c",
        "e-mail me@example.org",
        "https://example.org/a;b",
        "",
    ],
)
def test_text_without_a_formula_start_is_left_alone(text):
    assert safe_cell(text) == text


def spreadsheet_cells(line: str, separator: str) -> list[str]:
    """The cells a spreadsheet that splits on ``separator`` sees (quotes honoured)."""
    return next(csv.reader(io.StringIO(line), delimiter=separator))


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
@pytest.mark.parametrize("headline", ["x;=1+1", "x,@SUM(1)", "x\t-1", "ok|+1", "ok"])
def test_no_cell_starts_a_formula_whatever_the_separator(separator, headline):
    text = timeline_csv([entry(headline)]).removeprefix("\ufeff")
    for line in text.split("\r\n")[1:2]:
        for cell in spreadsheet_cells(line, separator):
            assert not cell.lstrip().startswith(TRIGGERS), (separator, cell)


def test_every_cell_is_quoted_and_parses_back_with_the_quote_mark():
    text = timeline_csv([entry("x;=1+1")]).removeprefix("\ufeff")
    header, row, end = text.split("\r\n")
    assert end == ""
    assert header == ",".join(f'"{c}"' for c in CSV_COLUMNS)
    assert row.startswith('"2026-02-05","day",')
    assert next(csv.DictReader(io.StringIO(text)))["headline"] == "'x;'=1+1"
