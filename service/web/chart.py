"""The gaps chart as SVG: one mark per gap on a time axis, the open current gap drawn open.

Pure: it takes a gap report (what ``GET /v1/metrics/gaps`` answers) and returns SVG text
built with ``xml.etree``, so every text from the log is escaped. Each gap is a block from its
first swap to its second, as wide as the gap on the time axis and as tall as its days; the
current gap runs from the last swap to the reference day with no closing edge. The same
marks serve the standalone image (``/v1/metrics/gaps.svg``) and the chart inline in the
page, where each mark is a link. Colours are presentation attributes, so the standalone file
needs no stylesheet (its ``default-src 'none'`` policy would refuse one); the page's
stylesheet overrides them by class (dark mode, focus).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .chart_frame import (
    BAR,
    BOTTOM,
    FONT,
    HEIGHT,
    INK,
    LONGEST,
    MIN_BAR,
    MUTED,
    PAPER,
    RIGHT,
    TOP,
    WIDTH,
    Scale,
    clamp,
    draw_axes,
    el,
    make_scale,
    n,
)
from .present import counts_text, day_text, plural

SVG_NS = "http://www.w3.org/2000/svg"
CURRENT_KEY = "current-gap"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChartLinks:
    """How an inline chart links its marks (a standalone image has none): each gap's key (its
    ``data-key``, one per gap in order, ``CURRENT_KEY`` for the open gap) and where it leads."""

    keys: Sequence[str]
    href: Callable[[str], str]
    target: str | None = None  # "_blank" in the embed: open the full page, not in the frame


def shows_current(report: Mapping[str, Any], since: date | None, until: date | None) -> bool:
    """Whether a chart of the swaps from ``since`` to ``until`` draws the open current gap: it
    starts at the last swap of the whole log, so only when that swap is in the range."""
    last = report["summary"]["current_gap_since"]
    if last is None:
        return False
    day = date.fromisoformat(last)
    return (since is None or day >= since) and (until is None or day <= until)


def gap_title(gap: Mapping[str, Any]) -> str:
    """7 Aug 2023 → 3 Jan 2024: 149 days without a swap; 1 proposal."""
    first, second = date.fromisoformat(gap["from_swap"]), date.fromisoformat(gap["to_swap"])
    return (
        f"{day_text(first)} → {day_text(second)}: {plural(gap['days'], 'day', 'days')}"
        f" without a swap; {counts_text(gap)}"
    )


def chart_description(report: Mapping[str, Any], show_current: bool) -> str:
    """One paragraph saying what the chart shows, for its ``<desc>`` and for screen readers."""
    s, gaps = report["summary"], report["gaps"]
    if not gaps:
        text = f"No gap between swaps in this range ({plural(s['swaps'], 'swap', 'swaps')})."
    else:
        first, last = gaps[0]["from_swap"], gaps[-1]["to_swap"]
        longest = s["longest"]
        text = (
            f"{plural(s['gaps'], 'gap', 'gaps')} between {plural(s['swaps'], 'swap', 'swaps')}"
            f" from {day_text(date.fromisoformat(first))} to {day_text(date.fromisoformat(last))}"
            f"; the longest {plural(s['max_days'], 'day', 'days')}"
            f" ({day_text(date.fromisoformat(longest['from_swap']))}"
            f" → {day_text(date.fromisoformat(longest['to_swap']))}), mean {s['mean_days']} days."
        )
    if show_current and s.get("current_gap_since"):
        since = date.fromisoformat(s["current_gap_since"])
        text += (
            f" Current gap: {plural(s['current_gap_days'], 'day', 'days')} since the last swap"
            f" on {day_text(since)}."
        )
    return text


def gaps_svg(
    report: Mapping[str, Any],
    *,
    show_current: bool = True,
    links: ChartLinks | None = None,
    title: str = "Gaps between prisoner exchanges",
) -> str:
    """The chart as SVG text: standalone (``links`` None) or for a page (marks are links)."""
    s = report["summary"]
    gaps = list(report["gaps"])
    current = None
    if show_current and s.get("current_gap_since"):
        since = date.fromisoformat(s["current_gap_since"])
        current = (since, since + timedelta(days=s["current_gap_days"]), s["current_gap_days"])
    attrs = {"xmlns": SVG_NS, "viewBox": f"0 0 {WIDTH} {HEIGHT}", "font-family": FONT}
    attrs["font-size"] = "13"
    if links is None:
        attrs.update(width=str(WIDTH), height=str(HEIGHT), role="img")
    else:
        attrs.update({"class": "gaps-chart", "role": "group"})
    attrs["aria-labelledby"] = "gaps-title gaps-desc"
    svg = ET.Element("svg", attrs)
    el(svg, "title", title, id="gaps-title")
    el(svg, "desc", chart_description(report, show_current), id="gaps-desc")
    el(svg, "rect", class_="chart-bg", width=WIDTH, height=HEIGHT, fill=PAPER)
    if not gaps and current is None:
        el(
            svg,
            "text",
            "No gap to show: fewer than two swaps in this range.",
            x=WIDTH / 2,
            y=HEIGHT / 2,
            text_anchor="middle",
            fill=MUTED,
            class_="empty-note",
        )
        return ET.tostring(svg, encoding="unicode")
    scale = make_scale(gaps, current)
    draw_axes(svg, scale)
    marks = el(svg, "g", class_="gap-marks")
    longest = s.get("longest")
    for i, gap in enumerate(gaps):
        is_longest = bool(longest) and (gap["from_swap"], gap["to_swap"]) == (
            longest["from_swap"],
            longest["to_swap"],
        )
        key = links.keys[i] if links else None
        _gap_mark(marks, scale, gap, is_longest, links, key)
    if current:
        _current_mark(svg, scale, current, links)
    if longest:
        first, second = (date.fromisoformat(longest[k]) for k in ("from_swap", "to_swap"))
        middle = (scale.x(first) + scale.x(second)) / 2
        el(
            svg,
            "text",
            f"{s['max_days']} days",
            x=n(clamp(middle)),
            y=n(scale.y(s["max_days"]) - 6),
            text_anchor="middle",
            fill=INK,
            font_weight="600",
            class_="longest-label",
        )
    return ET.tostring(svg, encoding="unicode")


def _mark_container(
    parent: ET.Element, links: ChartLinks | None, key: str | None, attrs: dict[str, str]
) -> ET.Element:
    """A ``<g>`` in the standalone image; a focusable link with its ``data-key`` in a page."""
    if links is None or key is None:
        return el(parent, "g", **attrs)
    attrs["data_key"] = key
    if links.target:
        attrs["target"] = links.target
    return el(parent, "a", href=links.href(key), **attrs)


def _gap_mark(
    parent: ET.Element,
    scale: Scale,
    gap: Mapping[str, Any],
    longest: bool,
    links: ChartLinks | None,
    key: str | None,
) -> None:
    first, second = date.fromisoformat(gap["from_swap"]), date.fromisoformat(gap["to_swap"])
    attrs = {
        "class_": "gap-mark longest" if longest else "gap-mark",
        "data_from": gap["from_swap"],
        "data_to": gap["to_swap"],
        "data_days": str(gap["days"]),
    }
    mark = _mark_container(parent, links, key, attrs)
    el(mark, "title", gap_title(gap))
    x0, x1 = scale.x(first), scale.x(second)
    # A hair between neighbours keeps adjacent gaps apart; tiny gaps keep a minimum width.
    inset = 0.5 if x1 - x0 > MIN_BAR + 1 else 0.0
    width = max(x1 - x0 - 2 * inset, MIN_BAR)
    y = min(scale.y(gap["days"]), HEIGHT - BOTTOM - MIN_BAR)
    if links is not None:  # the whole column above a gap answers the pointer
        el(
            mark,
            "rect",
            class_="gap-hit",
            x=n(x0 + inset),
            y=TOP,
            width=n(width),
            height=n(HEIGHT - BOTTOM - TOP),
            fill="transparent",
        )
    el(
        mark,
        "rect",
        class_="gap-bar",
        x=n(x0 + inset),
        y=n(y),
        width=n(width),
        height=n(HEIGHT - BOTTOM - y),
        fill=LONGEST if longest else BAR,
    )


def _current_mark(
    parent: ET.Element, scale: Scale, current: tuple[date, date, int], links: ChartLinks | None
) -> None:
    since, until, days = current
    attrs = {
        "class_": "current-gap",
        "data_from": since.isoformat(),
        "data_days": str(days),
        "data_open": "true",
    }
    mark = _mark_container(parent, links, CURRENT_KEY if links else None, attrs)
    el(
        mark,
        "title",
        f"Current gap: {plural(days, 'day', 'days')} since the last swap on"
        f" {day_text(since)}, still open",
    )
    x0, x1 = scale.x(since), max(scale.x(until), scale.x(since) + MIN_BAR)
    y, bottom = min(scale.y(days), HEIGHT - BOTTOM - MIN_BAR), HEIGHT - BOTTOM
    if links is not None:
        el(
            mark,
            "rect",
            class_="gap-hit",
            x=n(x0),
            y=TOP,
            width=n(x1 - x0),
            height=n(bottom - TOP),
            fill="transparent",
        )
    el(
        mark,
        "rect",
        class_="current-fill",
        x=n(x0),
        y=n(y),
        width=n(x1 - x0),
        height=n(bottom - y),
        fill=BAR,
        fill_opacity="0.14",
    )
    # Left edge and top only, dashed, with an arrowhead: the gap has no end yet.
    el(
        mark,
        "path",
        class_="current-edge",
        d=f"M{n(x0)},{n(bottom)} V{n(y)} H{n(x1)}",
        fill="none",
        stroke=BAR,
        stroke_width="2",
        stroke_dasharray="5 4",
    )
    el(
        mark,
        "path",
        class_="current-arrow",
        d=f"M{n(x1 - 7)},{n(y - 5)} L{n(x1)},{n(y)} L{n(x1 - 7)},{n(y + 5)}",
        fill="none",
        stroke=BAR,
        stroke_width="2",
    )
    el(
        parent,
        "text",
        f"now: {days} days",
        x=n(min(x1, WIDTH - RIGHT)),
        y=n(y - 10),
        text_anchor="end",
        fill=INK,
        font_weight="600",
        class_="current-label",
    )
