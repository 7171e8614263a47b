"""The gaps chart as SVG, from hand-written gap reports (no database, no app)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pytest

from service.web.chart import MIN_BAR, ChartLinks, gaps_svg, shows_current

NS = {"svg": "http://www.w3.org/2000/svg"}


def gap(first: str, second: str, days: int, **counts: int) -> dict[str, Any]:
    base = {"proposals": 0, "refusals": 0, "failed_attempts": 0, "breaches": 0}
    return {"from_swap": first, "to_swap": second, "days": days, **base, **counts}


def report(gaps: list[dict[str, Any]], *, current_days: int | None = 30) -> dict[str, Any]:
    """A gap report shaped as GET /v1/metrics/gaps answers it (figures given, not computed)."""
    longest = max(gaps, key=lambda g: g["days"]) if gaps else None
    last = gaps[-1]["to_swap"] if gaps else None
    return {
        "gaps": gaps,
        "summary": {
            "swaps": len(gaps) + 1 if gaps else 0,
            "gaps": len(gaps),
            "mean_days": 20.0 if gaps else None,
            "median_days": 20 if gaps else None,
            "max_days": longest["days"] if longest else None,
            "longest": {"from_swap": longest["from_swap"], "to_swap": longest["to_swap"]}
            if longest
            else None,
            "current_gap_days": current_days if last else None,
            "current_gap_since": last,
        },
    }


THREE = [
    gap("2023-01-01", "2023-03-02", 60, proposals=1, breaches=2),
    gap("2023-03-02", "2023-03-02", 0),
    gap("2023-03-02", "2023-04-01", 30),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def marks(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if "gap-mark" in (e.get("class") or "").split()]


def bar(mark: ET.Element) -> ET.Element:
    return next(e for e in mark.iter() if e.get("class") == "gap-bar")


class TestStandaloneChart:
    def test_it_is_svg_with_one_mark_per_gap_carrying_its_dates_and_days(self):
        root = parse(gaps_svg(report(THREE)))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert [
            (m.get("data-from"), m.get("data-to"), m.get("data-days")) for m in marks(root)
        ] == [
            ("2023-01-01", "2023-03-02", "60"),
            ("2023-03-02", "2023-03-02", "0"),
            ("2023-03-02", "2023-04-01", "30"),
        ]

    def test_it_has_a_title_and_a_description_that_name_the_figures(self):
        root = parse(gaps_svg(report(THREE)))
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == "gaps-title gaps-desc"
        assert root.find("svg:title", NS).text == "Gaps between prisoner exchanges"
        desc = root.find("svg:desc", NS).text
        assert desc == (
            "3 gaps between 4 swaps from 1 Jan 2023 to 1 Apr 2023; the longest 60 days"
            " (1 Jan 2023 → 2 Mar 2023), mean 20.0 days."
            " Current gap: 30 days since the last swap on 1 Apr 2023."
        )

    def test_each_mark_says_what_happened_inside_its_gap(self):
        first = marks(parse(gaps_svg(report(THREE))))[0]
        assert first.find("svg:title", NS).text == (
            "1 Jan 2023 → 2 Mar 2023: 60 days without a swap; 1 proposal, 2 breach claims"
        )

    def test_bar_heights_are_proportional_to_days_and_widths_to_the_time_between_swaps(self):
        gaps = [gap("2023-01-01", "2023-03-02", 60), gap("2023-03-02", "2023-04-01", 30)]
        long, short = (bar(m) for m in marks(parse(gaps_svg(report(gaps), show_current=False))))
        assert float(long.get("height")) / float(short.get("height")) == 2.0
        # 60 days against 30, each less the hair between neighbours (coordinates to 0.1 px)
        ratio = (float(long.get("width")) + 1) / (float(short.get("width")) + 1)
        assert ratio == pytest.approx(2.0, abs=0.001)

    def test_the_longest_gap_is_marked_and_labelled(self):
        root = parse(gaps_svg(report(THREE)))
        assert [m.get("class") for m in marks(root)] == ["gap-mark longest", "gap-mark", "gap-mark"]
        label = next(e for e in root.iter() if e.get("class") == "longest-label")
        assert label.text == "60 days"

    def test_a_zero_day_gap_stays_visible(self):
        same_day = bar(marks(parse(gaps_svg(report(THREE))))[1])
        assert float(same_day.get("width")) >= MIN_BAR
        assert float(same_day.get("height")) >= MIN_BAR

    def test_the_current_gap_is_drawn_open_with_its_start_and_days_but_no_end(self):
        root = parse(gaps_svg(report(THREE, current_days=45)))
        (current,) = [e for e in root.iter() if e.get("class") == "current-gap"]
        assert (current.get("data-from"), current.get("data-days")) == ("2023-04-01", "45")
        assert current.get("data-to") is None
        edge = next(e for e in current.iter() if e.get("class") == "current-edge")
        assert edge.get("stroke-dasharray")  # dashed, and its path has no closing edge
        assert edge.get("d").count("V") == 1 and "Z" not in edge.get("d")

    def test_without_the_current_gap_there_is_no_open_mark(self):
        root = parse(gaps_svg(report(THREE), show_current=False))
        assert not [e for e in root.iter() if e.get("class") == "current-gap"]
        assert "Current gap" not in root.find("svg:desc", NS).text

    def test_no_swap_gives_a_chart_that_says_so(self):
        root = parse(gaps_svg(report([])))
        assert marks(root) == []
        note = next(e for e in root.iter() if e.get("class") == "empty-note")
        assert note.text == "No gap to show: fewer than two swaps in this range."

    def test_it_needs_no_stylesheet_or_script(self):
        root = parse(gaps_svg(report(THREE)))
        tags = {e.tag.split("}")[1] for e in root.iter()}
        assert not tags & {"style", "script", "foreignObject"}
        assert all(e.get("style") is None for e in root.iter())


class TestInlineChart:
    def links(self, target: str | None = None) -> ChartLinks:
        keys = ["gap-a", "gap-b", "gap-c"]
        return ChartLinks(keys=keys, href=lambda key: f"#{key}", target=target)

    def test_marks_are_links_to_their_rows_with_their_key(self):
        root = parse(gaps_svg(report(THREE), links=self.links()))
        assert root.get("role") == "group"
        assert [(m.tag.split("}")[1], m.get("href"), m.get("data-key")) for m in marks(root)] == [
            ("a", "#gap-a", "gap-a"),
            ("a", "#gap-b", "gap-b"),
            ("a", "#gap-c", "gap-c"),
        ]
        current = next(e for e in root.iter() if e.get("class") == "current-gap")
        assert (current.get("href"), current.get("data-key")) == ("#current-gap", "current-gap")

    def test_in_an_embed_the_links_open_outside_the_frame(self):
        root = parse(gaps_svg(report(THREE), links=self.links(target="_blank")))
        assert {m.get("target") for m in marks(root)} == {"_blank"}


class TestWhenTheCurrentGapIsShown:
    def test_only_when_the_last_swap_is_inside_the_range(self):
        r = report(THREE)  # last swap 2023-04-01
        assert shows_current(r, None, None)
        assert shows_current(r, None, date(2023, 4, 1))
        assert not shows_current(r, None, date(2023, 3, 31))
        assert not shows_current(r, date(2023, 4, 2), None)
        assert not shows_current(report([]), None, None)
